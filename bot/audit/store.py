"""The interface every audit store offers, and the error a report sees when one cannot be read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol

from bot.errors import ThinktwiceError

from .records import Count, CountKey, Dispute


class AuditUnavailable(ThinktwiceError):
    """The audit store cannot be read or written right now (one sentence, no secret)."""


class AuditStore(Protocol):
    """Where counts and disputes live: `add` them in one batch, read them back for a report."""

    name: str  # "sqlite" or "redis", for logs and /healthz

    def add(self, counts: Mapping[CountKey, int], disputes: Sequence[Dispute]) -> None:
        """Add every count and append every dispute, all or nothing; raise on failure."""
        ...

    def counts(self, since: date | None = None) -> list[Count]:
        """Every counter on or after `since` (all when None)."""
        ...

    def disputes(self, since: date | None = None, limit: int | None = None) -> list[Dispute]:
        """Dispute records on or after `since`, newest first, at most `limit`."""
        ...

    def close(self) -> None: ...
