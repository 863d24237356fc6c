"""Redis when it answers, this process's memory when it does not: the bot never stops for its store.

`FallbackStateStore` wraps a `RedisStateStore`. The first Redis error switches
every operation to an in-process `MemoryStateStore` and is logged once (the
error's type and the URL without its password: never a key's contents). A
monitor task started with the server (`open()`) probes Redis every few seconds
with a write (so a read-only replica counts as down), keeps `ready()` and
`/healthz` true to the facts with no traffic at all, and switches back when
Redis takes writes again. Without the monitor (a store used outside the
server), an operation retries Redis itself once the retry interval has passed.

While Redis is down each instance de-duplicates on its own, so a redelivery
that lands on another instance may nudge twice; that is the price of staying up.
Claims won on Redis are also remembered in memory, so an instance still drops
what it has already handled when Redis goes away (or comes back empty); claims
made in memory during the outage still hold after it, and counts kept in memory
are added to Redis's when it returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from redis.exceptions import RedisError

from bot.config import mask_url

from .redis_state import RedisStateStore
from .state import MemoryStateStore, StateStore

logger = logging.getLogger(__name__)

T = TypeVar("T")

RETRY_SECONDS = 3.0
DOWN_STATUS = "down: using in-process state"
# What an unreachable, restarting, timing-out, read-only (a replica after failover) or misconfigured Redis
# raises; asyncio's TimeoutError is an OSError. Any of them: use memory until a probe write succeeds.
_UNREACHABLE = (RedisError, OSError)


class FallbackStateStore:
    """A `StateStore` that prefers `primary` (Redis) and falls back to memory while it is unreachable."""

    def __init__(
        self,
        primary: RedisStateStore,
        *,
        retry_every: float = RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.primary = primary
        self.memory = MemoryStateStore(clock=clock)
        self.retry_every = retry_every
        self._clock = clock
        self._down_since: float | None = None
        self._next_try = 0.0
        self._unsynced: dict[str, int] = {}  # increments counted in memory during an outage
        self._monitor: asyncio.Task[None] | None = None

    # -- the StateStore operations ------------------------------------------------------------------
    async def claim(self, key: str, ttl: float) -> bool:
        won, on_redis = await self._run(lambda store: store.claim(key, ttl))
        if not on_redis:
            return won
        # Held here already: claimed during an outage, or before a Redis restart that lost it. Either way
        # this instance has acted on it, and a redelivery stays dropped.
        if self.memory.holds(key):
            return False
        if won:  # remembered here too, so that the next outage does not forget it
            await self.memory.claim(key, ttl)
        return won

    async def incr(self, key: str) -> int:
        value, on_redis = await self._run(lambda store: store.incr(key))
        if not on_redis:
            self._unsynced[key] = self._unsynced.get(key, 0) + 1
        return value

    async def get_map(self, key: str) -> dict[str, str] | None:
        found, _ = await self._run(lambda store: store.get_map(key))
        return found

    async def put_map(self, key: str, mapping: Mapping[str, str], ttl: float) -> None:
        await self._run(lambda store: store.put_map(key, mapping, ttl))

    async def delete(self, key: str) -> None:
        # Both: an entry written to memory during an outage must not come back when Redis goes away again.
        await self.memory.delete(key)
        await self._run(lambda store: store.delete(key))

    # -- health -------------------------------------------------------------------------------------
    def ready(self) -> bool:
        return self._down_since is None

    def status(self) -> dict[str, Any]:
        if self._down_since is None:
            return {"backend": "redis", "redis": "ok"}
        return {
            "backend": "redis",
            "redis": DOWN_STATUS,
            "down_seconds": round(self._clock() - self._down_since, 1),
        }

    async def open(self) -> None:
        """Probe Redis (an unreachable one is logged, and shown in /healthz, from the start) and watch it."""
        await self.check()
        self.start()

    def start(self) -> None:
        """Start the monitor; call from within the running event loop."""
        if self._monitor is None:
            self._monitor = asyncio.get_running_loop().create_task(self._watch(), name="redis-monitor")

    async def close(self) -> None:
        if self._monitor is not None:
            self._monitor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._monitor
            self._monitor = None
        await self.primary.close()

    async def check(self) -> bool:
        """Probe Redis now (a write) and switch over or back accordingly; True when it took the write."""
        try:
            await self.primary.probe()
        except _UNREACHABLE as exc:
            await self._went_down(exc)
            return False
        if self._down_since is not None:
            await self._came_back()
        return self._down_since is None

    # -- the switch ---------------------------------------------------------------------------------
    async def _run(self, op: Callable[[StateStore], Awaitable[T]]) -> tuple[T, bool]:
        """Run `op` on Redis if it is up (or back, when a retry is due), else in memory; say which ran it."""
        if self._down_since is not None and self._retry_due():
            await self.check()
        if self._down_since is None:
            try:
                return await op(self.primary), True
            except _UNREACHABLE as exc:
                await self._went_down(exc)
        return await op(self.memory), False

    def _retry_due(self) -> bool:
        # With the monitor running, requests never wait on a dead Redis: the monitor finds it back.
        if self._monitor is not None or self._clock() < self._next_try:
            return False
        self._next_try = self._clock() + self.retry_every  # one caller retries; the others use memory
        return True

    async def _went_down(self, exc: BaseException) -> None:
        self._next_try = self._clock() + self.retry_every
        if self._down_since is not None:
            return
        self._down_since = self._clock()
        logger.warning(
            "Redis at %s is unreachable (%s); using in-process state until it returns",
            mask_url(self.primary.url),
            type(exc).__name__,
        )
        # Pooled connections to the old server are dead; dropping them now spares the first requests
        # after recovery an error each.
        await self.primary.disconnect()

    async def _came_back(self) -> None:
        # Hand back the counts kept in memory, one key at a time, so a failure part-way counts none twice.
        while self._unsynced:
            key, amount = next(iter(self._unsynced.items()))
            try:
                await self.primary.incr_by(key, amount)
            except _UNREACHABLE as exc:
                await self._went_down(exc)
                return
            left = self._unsynced.get(key, 0) - amount  # more may have been counted meanwhile
            if left:
                self._unsynced[key] = left
            else:
                self._unsynced.pop(key, None)
        down_for = self._clock() - (self._down_since or self._clock())
        self._down_since = None
        logger.warning(
            "Redis at %s is back after %.1f s; state is shared again", mask_url(self.primary.url), down_for
        )

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.retry_every)
            try:
                await self.check()
            except Exception as exc:  # the monitor must outlive any surprise; the next round tries again
                logger.error("Redis monitor: %s", type(exc).__name__)
