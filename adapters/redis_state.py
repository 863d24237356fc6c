"""The `StateStore` on Redis, so that several instances share one memory.

Every operation is a single atomic Redis command (or one MULTI/EXEC), so two
instances racing on the same key cannot both win:

    claim    SET key 1 NX PX ttl       only the first caller sets it
    incr     INCR key
    put_map  MULTI DEL key; HSET key ...; PEXPIRE key ttl; EXEC
    get_map  HGETALL key               (an expired hash is gone: {} means none)

Errors are raised (redis.exceptions.RedisError, OSError): deciding what to do
when Redis is unreachable is `FallbackStateStore`'s job, not this module's.
Timeouts are short (half a second) and the client retries once only (for a
pooled connection that a restarted Redis closed), so a dead Redis costs one
request about a second at most and is noticed at once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.typing import EncodableT, FieldT

from bot.config import DEFAULT_REDIS_PREFIX

# Loopback or a nearby managed Redis answers in a millisecond; half a second means it is not answering.
SOCKET_TIMEOUT_SECONDS = 0.5
CONNECT_TIMEOUT_SECONDS = 0.5
# Each operation holds a connection for well under a millisecond; 32 serve thousands of events a second.
MAX_CONNECTIONS = 32
POOL_WAIT_SECONDS = 1.0


def _millis(ttl: float) -> int:
    # PX takes whole milliseconds and must be positive; round up so a claim never lasts less than asked.
    return max(1, math.ceil(ttl * 1000))


class RedisStateStore:
    """A `StateStore` on one Redis database; keys carry `prefix` so the database can be shared."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str = DEFAULT_REDIS_PREFIX,
        socket_timeout: float = SOCKET_TIMEOUT_SECONDS,
        connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        self.url = url
        self.prefix = prefix
        # A bounded pool that waits for a free connection (rather than failing at once) under a burst.
        # One immediate retry, for a pooled connection that a restarted Redis closed; no more, because
        # a retry loop would hide an outage that the fallback wrapper should see.
        pool = aioredis.BlockingConnectionPool.from_url(
            url,
            max_connections=max_connections,
            timeout=POOL_WAIT_SECONDS,
            decode_responses=True,
            socket_timeout=socket_timeout,
            socket_connect_timeout=connect_timeout,
            retry=Retry(NoBackoff(), 1),
            health_check_interval=30,
        )
        self._client: aioredis.Redis = aioredis.Redis.from_pool(pool)

    def _key(self, key: str) -> str:
        return self.prefix + key

    async def claim(self, key: str, ttl: float) -> bool:
        return bool(await self._client.set(self._key(key), "1", nx=True, px=_millis(ttl)))

    async def incr(self, key: str) -> int:
        return int(await self._client.incr(self._key(key)))

    async def incr_by(self, key: str, amount: int) -> int:
        """Add `amount` to the counter (used to hand back counts kept in memory during an outage)."""
        return int(await self._client.incrby(self._key(key), amount))

    async def get_map(self, key: str) -> dict[str, str] | None:
        found = await self._client.hgetall(self._key(key))
        return {str(k): str(v) for k, v in found.items()} if found else None

    async def put_map(self, key: str, mapping: Mapping[str, str], ttl: float) -> None:
        name = self._key(key)
        async with self._client.pipeline(transaction=True) as pipe:
            # Replaced, not merged: a field the new mapping lacks must not outlive the old answer.
            pipe.delete(name)
            if mapping:
                fields: dict[FieldT, EncodableT] = dict(mapping.items())
                pipe.hset(name, mapping=fields)
                pipe.pexpire(name, _millis(ttl))
            await pipe.execute()

    async def delete(self, key: str) -> None:
        await self._client.delete(self._key(key))

    async def open(self) -> None:
        return None  # the pool connects on first use

    async def probe(self) -> None:
        """Write a short-lived key: raises unless Redis is reachable, authorised and writable."""
        await self._client.set(self._key("probe"), "1", px=5000)

    async def disconnect(self) -> None:
        """Drop every pooled connection (they are dead once Redis has gone); the next command reconnects."""
        await self._client.connection_pool.disconnect()

    def status(self) -> dict[str, Any]:
        return {"backend": "redis"}

    def ready(self) -> bool:
        return True

    async def close(self) -> None:
        await self._client.aclose()
