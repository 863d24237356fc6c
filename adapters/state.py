"""Shared, expiring state for the chat adapters, behind one small interface.

`StateStore` is what the adapters need from a store: an atomic "claim this key
for so long" (Redis: `SET key 1 NX EX ttl`), a counter (`INCR`), and a small
cache of lookups (a hash with an expiry). `MemoryStateStore` serves one
process; `adapters.redis_state.RedisStateStore`, wrapped in
`adapters.fallback_state.FallbackStateStore`, shares the same state between
several instances.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol


class StateStore(Protocol):
    async def claim(self, key: str, ttl: float) -> bool:
        """Set `key` for `ttl` seconds if it is not set already; True when this call set it."""
        ...

    async def incr(self, key: str) -> int:
        """Add one to the counter `key` (kept for good) and return its new value."""
        ...

    async def get_map(self, key: str) -> dict[str, str] | None:
        """The mapping cached under `key`, or None when there is none (or it has expired)."""
        ...

    async def put_map(self, key: str, mapping: Mapping[str, str], ttl: float) -> None:
        """Cache `mapping` under `key` for `ttl` seconds, replacing whatever was there."""
        ...

    async def delete(self, key: str) -> None:
        """Forget `key` (a claim, counter or cached mapping); nothing happens if it is not set."""
        ...

    def status(self) -> dict[str, Any]:
        """A few words for /healthz: which backend, and whether it is reachable (never a secret)."""
        ...

    def ready(self) -> bool:
        """False while a configured shared backend is unreachable (for /readyz)."""
        ...

    async def open(self) -> None:
        """Connect, and start any background work (the server's start-up)."""
        ...

    async def close(self) -> None:
        """Release connections and background tasks (the server's clean-up)."""
        ...


class MemoryStateStore:
    """A `StateStore` in this process's memory; expired entries are swept as new ones arrive."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        self._clock = clock
        self._max_keys = max_keys
        self._expires: dict[str, float] = {}
        self._counters: dict[str, int] = {}
        self._maps: dict[str, tuple[float, dict[str, str]]] = {}

    async def claim(self, key: str, ttl: float) -> bool:
        now = self._clock()
        if self.holds(key):
            return False
        if len(self._expires) >= self._max_keys:
            self._expires = _swept(self._expires, now, self._max_keys)
        self._expires[key] = now + ttl
        return True

    def holds(self, key: str) -> bool:
        """True while a claim on `key` made here has not expired."""
        expires = self._expires.get(key)
        return expires is not None and expires > self._clock()

    async def incr(self, key: str) -> int:
        value = self._counters.get(key, 0) + 1
        self._counters[key] = value
        return value

    async def get_map(self, key: str) -> dict[str, str] | None:
        entry = self._maps.get(key)
        if entry is None or entry[0] <= self._clock():
            return None
        return dict(entry[1])

    async def put_map(self, key: str, mapping: Mapping[str, str], ttl: float) -> None:
        now = self._clock()
        if not mapping:  # as in Redis, an empty hash is no hash at all
            self._maps.pop(key, None)
            return
        if len(self._maps) >= self._max_keys:
            expiries = _swept({k: v[0] for k, v in self._maps.items()}, now, self._max_keys)
            self._maps = {k: self._maps[k] for k in expiries}
        self._maps[key] = (now + ttl, dict(mapping))

    async def delete(self, key: str) -> None:
        self._expires.pop(key, None)
        self._counters.pop(key, None)
        self._maps.pop(key, None)

    def status(self) -> dict[str, Any]:
        return {"backend": "memory"}

    def ready(self) -> bool:
        return True

    async def open(self) -> None:
        return None

    async def close(self) -> None:
        return None


def _swept(expiries: dict[str, float], now: float, max_keys: int) -> dict[str, float]:
    """The entries still live; if that is still too many, the half furthest from expiry."""
    live = {k: t for k, t in expiries.items() if t > now}
    # Still full of live keys: drop the ones closest to expiry rather than grow without bound.
    if len(live) >= max_keys:
        live = dict(sorted(live.items(), key=lambda kv: kv[1])[len(live) // 2 :])
    return live
