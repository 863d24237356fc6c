#!/usr/bin/env bash
# Install the programs the tests run for real on loopback, when they are missing:
# redis-server (shared state and audit across instances) and chromium (the report
# page, rendered headless). Debian's packages; needs root or sudo.
set -euo pipefail
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "tests need ${need[*]}; install them with your package manager" >&2
    exit 2
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "tests need ${need[*]}: run as root or install them" >&2; exit 2; }
    as_root=(sudo)
fi
echo "installing ${need[*]} for the tests"
"${as_root[@]}" apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
