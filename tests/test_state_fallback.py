"""Redis goes away and comes back: the fallback store keeps the bot working and says so."""

from __future__ import annotations

import asyncio
import logging

import pytest
import redis.asyncio as aioredis
from conftest import RedisServer, free_port

from adapters.fallback_state import DOWN_STATUS, FallbackStateStore
from adapters.redis_state import RedisStateStore
from adapters.serve import build_state_store
from adapters.state import MemoryStateStore
from bot.config import load_config


def fallback(url: str) -> FallbackStateStore:
    return FallbackStateStore(RedisStateStore(url), retry_every=0.1)


def test_when_redis_stops_mid_run_then_state_moves_to_memory_and_back(
    redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    async def main() -> None:
        store = fallback(redis_server.url)
        try:
            assert await store.claim("delivery:slack:Ev1", 60)
            assert store.status() == {"backend": "redis", "redis": "ok"} and store.ready()

            redis_server.stop()
            # What this instance claimed on Redis it still remembers...
            assert not await store.claim("delivery:slack:Ev1", 60)
            # ...and claims still work, in memory: the first wins, a redelivery is dropped.
            assert await store.claim("delivery:slack:Ev2", 60)
            assert not await store.claim("delivery:slack:Ev2", 60)
            assert [await store.incr("count:nudges") for _ in range(2)] == [1, 2]
            await store.put_map("mirror:slack:C1", {"mirrored": "1"}, 60)
            assert await store.get_map("mirror:slack:C1") == {"mirrored": "1"}
            assert not store.ready()
            assert store.status()["redis"] == DOWN_STATUS

            redis_server.start()  # an empty Redis: it keeps nothing on disk in the tests
            await asyncio.sleep(0.15)  # the retry interval passes; the next operation tries Redis again
            assert await store.claim("delivery:slack:Ev3", 60)
            assert store.ready() and store.status()["redis"] == "ok"
            # Back on an empty Redis, but what was claimed before and during the outage still holds here...
            assert not await store.claim("delivery:slack:Ev1", 60)
            assert not await store.claim("delivery:slack:Ev2", 60)
            # ...and the counts kept in memory were handed to Redis.
            assert await store.incr("count:nudges") == 3
        finally:
            await store.close()

    with caplog.at_level(logging.INFO, logger="adapters"):
        asyncio.run(main())
    warnings = [r.getMessage() for r in caplog.records if r.name == "adapters.fallback_state"]
    assert len([w for w in warnings if "unreachable" in w]) == 1, warnings  # logged once, not per operation
    assert any("is back" in w for w in warnings)


def test_when_the_monitor_runs_then_health_follows_redis_without_any_traffic(
    redis_server: RedisServer,
) -> None:
    async def wait_until(condition: bool | None, store: FallbackStateStore) -> None:
        for _ in range(100):
            if store.ready() is condition:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"ready() never became {condition}")

    async def main() -> None:
        store = fallback(redis_server.url)
        store.start()
        try:
            redis_server.stop()
            await wait_until(False, store)
            assert store.status()["redis"] == DOWN_STATUS
            redis_server.start()
            await wait_until(True, store)
            assert await store.claim("delivery:slack:Ev1", 60)
        finally:
            await store.close()

    asyncio.run(main())


def test_when_redis_is_unreachable_from_the_start_then_the_log_names_it_without_the_password(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"redis://:hunter2-secret@127.0.0.1:{free_port()}/0"

    async def main() -> None:
        store = fallback(url)
        try:
            assert not await store.check()
            assert await store.claim("delivery:slack:Ev1", 60)
            assert not await store.claim("delivery:slack:Ev1", 60)
            assert "hunter2" not in str(store.status())
        finally:
            await store.close()

    with caplog.at_level(logging.INFO):
        asyncio.run(main())
    assert "hunter2" not in caplog.text
    assert f"redis://:***@127.0.0.1:{url.rsplit(':', 1)[1].split('/')[0]}/0" in caplog.text
    assert "ConnectionError" in caplog.text


def test_when_no_redis_url_is_configured_then_state_stays_in_process() -> None:
    assert isinstance(build_state_store(load_config({})), MemoryStateStore)
    store = build_state_store(load_config({"THINKTWICE_REDIS_URL": "redis://127.0.0.1:6379/2"}))
    assert isinstance(store, FallbackStateStore) and store.primary.prefix == "thinktwice:"
    asyncio.run(store.close())


def test_when_redis_turns_read_only_then_it_counts_as_down_until_it_takes_writes(
    redis_server: RedisServer,
) -> None:
    async def main() -> None:
        admin = aioredis.Redis.from_url(redis_server.url)
        store = fallback(redis_server.url)
        try:
            assert await store.check()
            # A failover leaves this instance talking to a replica: it answers, but refuses writes.
            await admin.replicaof("127.0.0.1", str(free_port()))
            assert await store.claim("delivery:slack:Ev1", 60)  # READONLY: claimed in memory instead
            assert not await store.claim("delivery:slack:Ev1", 60)
            assert not store.ready() and not await store.check()
            await admin.replicaof("NO", "ONE")
            assert await store.check() and store.ready()
        finally:
            await store.close()
            await admin.aclose()

    asyncio.run(main())
