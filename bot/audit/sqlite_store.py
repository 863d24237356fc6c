"""The default audit store: one SQLite file, `<data_dir>/audit.sqlite3`.

Counters are rows keyed by (day, profile, platform, metric, key) and added
with an UPSERT, so a batch is one short transaction however often a counter
repeats. WAL mode lets a report read while the bot writes, and
`synchronous=NORMAL` keeps a commit from waiting on fsync (a power cut can lose
the last commits; a crash or restart of the process loses nothing committed).
The file is readable by its owner only: dispute reasons are people's words.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from .records import Count, CountKey, Dispute
from .store import AuditUnavailable

FILENAME = "audit.sqlite3"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS counts (
    day      TEXT NOT NULL,
    profile  TEXT NOT NULL,
    platform TEXT NOT NULL,
    metric   TEXT NOT NULL,
    key      TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (day, profile, platform, metric, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS disputes (
    id       INTEGER PRIMARY KEY,
    day      TEXT NOT NULL,
    profile  TEXT NOT NULL,
    platform TEXT NOT NULL,
    rule     TEXT NOT NULL,
    reason   TEXT
);
CREATE INDEX IF NOT EXISTS disputes_day ON disputes (day);
"""

_UPSERT = (
    "INSERT INTO counts (day, profile, platform, metric, key, n) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (day, profile, platform, metric, key) DO UPDATE SET n = n + excluded.n"
)


class SQLiteAuditStore:
    name = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                # Create it owner-only before SQLite does; its -wal and -shm files copy these permissions.
                os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
            # The flusher thread and the caller's thread share the connection, one at a time (_lock).
            self._db = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise AuditUnavailable(
                    f"the audit file {path} was written by a newer thinktwice (schema {version})"
                )
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except (sqlite3.Error, OSError) as exc:
            raise AuditUnavailable(f"cannot open the audit file {path}: {exc}") from exc
        self._lock = threading.Lock()

    @classmethod
    def in_dir(cls, data_dir: Path) -> SQLiteAuditStore:
        return cls(data_dir / FILENAME)

    def add(self, counts: Mapping[CountKey, int], disputes: Sequence[Dispute]) -> None:
        rows = [(k.day.isoformat(), k.profile, k.platform, k.metric, k.key, n) for k, n in counts.items()]
        notes = [(d.day.isoformat(), d.profile, d.platform, d.rule, d.reason) for d in disputes]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(_UPSERT, rows)
                self._db.executemany(
                    "INSERT INTO disputes (day, profile, platform, rule, reason) VALUES (?, ?, ?, ?, ?)",
                    notes,
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def counts(self, since: date | None = None) -> list[Count]:
        with self._lock:
            cursor = self._db.execute(
                "SELECT day, profile, platform, metric, key, n FROM counts WHERE day >= ? "
                "ORDER BY day, profile, platform, metric, key",
                (since.isoformat() if since else "",),
            )
            return [Count(date.fromisoformat(r[0]), r[1], r[2], r[3], r[4], int(r[5])) for r in cursor]

    def disputes(self, since: date | None = None, limit: int | None = None) -> list[Dispute]:
        with self._lock:
            cursor = self._db.execute(
                "SELECT day, profile, platform, rule, reason FROM disputes WHERE day >= ? "
                "ORDER BY id DESC LIMIT ?",
                (since.isoformat() if since else "", -1 if limit is None else limit),
            )
            return [Dispute(date.fromisoformat(r[0]), r[1], r[2], r[3], r[4]) for r in cursor]

    def close(self) -> None:
        with self._lock:
            self._db.close()
