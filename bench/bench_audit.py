"""What counting costs on the hot path, and how fast a batch reaches the store.

    python bench/bench_audit.py

Per record: SQLite write-through (the default), the buffered path (what a
Redis-backed audit pays on the event loop), and one flush of a busy day's
worth of counters to a real redis-server on loopback when one is installed.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from bot.audit import Audit, SQLiteAuditStore
from bot.audit.redis_store import RedisAuditStore
from bot.types import Finding, Verdict

N = 5_000
VERDICT = Verdict(
    "dss",
    "stop",
    (
        Finding("contact-details", "work-email", "stop", 0, 1, "x", "y", ()),
        Finding("privacy", "tfn", "stop", 0, 1, "x", "y", ()),
    ),
    None,
)


def per_record(audit: Audit) -> float:
    started = time.perf_counter()
    for i in range(N):
        audit.record_review("dss", ("slack", "teams")[i % 2], VERDICT)
        audit.record_nudge("dss", "slack", ("classified",))
    return (time.perf_counter() - started) / (2 * N) * 1e6


def _redis() -> tuple[subprocess.Popen[bytes], str] | None:
    binary = shutil.which("redis-server")
    if binary is None:
        return None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.02)
    proc.kill()
    return None


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        audit = Audit(SQLiteAuditStore.in_dir(Path(tmp)))
        print(f"sqlite write-through: {per_record(audit):6.1f} µs per record")
        audit.close()
        audit = Audit(SQLiteAuditStore.in_dir(Path(tmp) / "b"), flush_interval=3600)
        print(f"buffered (no I/O):    {per_record(audit):6.1f} µs per record")
        audit.close()
    server = _redis()
    if server is None:
        print("redis-server not installed: Redis flush not measured")
        return
    proc, url = server
    try:
        audit = Audit(RedisAuditStore(url), flush_interval=3600)
        per_record(audit)
        pending = audit.pending()
        started = time.perf_counter()
        audit.flush()
        took = (time.perf_counter() - started) * 1e3
        print(f"redis flush of {2 * N} records ({pending} counters): {took:.1f} ms")
        audit.close()
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
