"""Fixtures shared across the suite: a clean environment, and a real Redis on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# Variables that change what bot.cli.main() and the adapters do when present in the caller's shell.
_PLATFORM_PREFIXES = ("THINKTWICE_", "SLACK_", "Microsoft", "MICROSOFT")


@pytest.fixture
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """os.environ without THINKTWICE_* or platform variables, for bot.cli.main() in-process."""
    for name in list(os.environ):
        if name.startswith(_PLATFORM_PREFIXES):
            monkeypatch.delenv(name)
    monkeypatch.setenv("THINKTWICE_DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """A real redis-server on loopback, in its own directory; stop() and start() it again mid-test."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:  # `make test` installs it (scripts/install-test-services.sh)
            pytest.fail("redis-server is not installed; run `make test`, which installs it")
        self._process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("redis-server did not start within 10 s")

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=10)
            self._process = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A fresh, empty redis-server for one test."""
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()
