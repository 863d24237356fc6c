"""Privacy-preserving audit: counts of what the bot did, and the rules people dispute.

Adapters hold one `Audit` (from `open_audit(config)`) and call its
`record_review`, `record_nudge`, `record_answer` and `record_dispute`; the
`thinktwice report` command reads it back. Nothing here stores message text,
an excerpt, a user name or a user id: see `records` for what is kept.

The store is SQLite at `<data_dir>/audit.sqlite3` unless `THINKTWICE_REDIS_URL`
is set, when it is Redis, shared by every instance.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.config import Config

from .recorder import Audit
from .records import Count, Dispute, utc_today
from .sqlite_store import SQLiteAuditStore
from .store import AuditStore, AuditUnavailable

__all__ = [
    "Audit",
    "AuditStore",
    "AuditUnavailable",
    "Count",
    "Dispute",
    "SQLiteAuditStore",
    "open_audit",
    "redis_url",
]

REDIS_FLUSH_SECONDS = 1.0


def redis_url(config: Config) -> str | None:
    """The configured Redis URL, if any (a `redis_url` setting, else the THINKTWICE_REDIS_URL secret)."""
    value = getattr(config, "redis_url", None) or config.secrets.get("THINKTWICE_REDIS_URL")
    return str(value) if value else None


def open_audit(
    config: Config, *, flush_interval: float | None = None, today: Callable[[], date] = utc_today
) -> Audit:
    """The audit for this configuration: Redis when configured, else SQLite in the data directory.

    `flush_interval` None means the store's default: write-through for SQLite,
    a background flush every second for Redis. AuditUnavailable when the
    SQLite file cannot be opened (Redis connects lazily, so a Redis that is
    down only delays the counts).
    """
    url = redis_url(config)
    store: AuditStore
    if url:
        from .redis_store import RedisAuditStore  # only the Redis path loads the client

        store = RedisAuditStore(url)
        default = REDIS_FLUSH_SECONDS
    else:
        store = SQLiteAuditStore.in_dir(config.data_dir)
        default = 0.0
    return Audit(store, flush_interval=default if flush_interval is None else flush_interval, today=today)
