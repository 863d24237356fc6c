"""Shared, expiring state for the Slack adapter, behind one small interface.

`StateStore` is what the adapter needs from a store: an atomic "claim this key
for so long" (Redis: `SET key 1 NX EX ttl`) and a counter (`INCR`). The
in-memory store serves one process; a Redis store with the same two methods is
a drop-in change for several replicas (a later issue).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol


class StateStore(Protocol):
    async def claim(self, key: str, ttl: float) -> bool:
        """Set `key` for `ttl` seconds if it is not set already; True when this call set it."""
        ...

    async def incr(self, key: str) -> int:
        """Add one to the counter `key` (kept for good) and return its new value."""
        ...


class MemoryStateStore:
    """A `StateStore` in this process's memory; expired claims are swept as new ones arrive."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self._clock = clock
        self._max_keys = max_keys
        self._expires: dict[str, float] = {}
        self._counters: dict[str, int] = {}

    async def claim(self, key: str, ttl: float) -> bool:
        now = self._clock()
        expires = self._expires.get(key)
        if expires is not None and expires > now:
            return False
        if len(self._expires) >= self._max_keys:
            self._sweep(now)
        self._expires[key] = now + ttl
        return True

    async def incr(self, key: str) -> int:
        value = self._counters.get(key, 0) + 1
        self._counters[key] = value
        return value

    def _sweep(self, now: float) -> None:
        self._expires = {k: t for k, t in self._expires.items() if t > now}
        # Still full of live keys: drop the ones closest to expiry rather than grow without bound.
        if len(self._expires) >= self._max_keys:
            keep = sorted(self._expires.items(), key=lambda kv: kv[1])[len(self._expires) // 2 :]
            self._expires = dict(keep)
