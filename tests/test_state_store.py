"""The state store on a real redis-server: atomic claims across clients, expiry, counters, cached maps.

The contract tests run on both backends (in process and Redis), so the two stay interchangeable.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
import redis.asyncio as aioredis
from conftest import RedisServer

from adapters.redis_state import RedisStateStore
from adapters.state import MemoryStateStore, StateStore

Scenario = Callable[[StateStore], Awaitable[None]]


@pytest.fixture(params=["memory", "redis"])
def on_each_backend(request: pytest.FixtureRequest) -> Callable[[Scenario], None]:
    """Run a scenario against a fresh store of each kind."""

    def run(scenario: Scenario) -> None:
        async def main() -> None:
            if request.param == "memory":
                await scenario(MemoryStateStore())
                return
            server: RedisServer = request.getfixturevalue("redis_server")
            store = RedisStateStore(server.url)
            try:
                await scenario(store)
            finally:
                await store.close()

        asyncio.run(main())

    return run


@asynccontextmanager
async def two_clients(url: str, prefix: str = "thinktwice:") -> AsyncIterator[tuple[RedisStateStore, ...]]:
    """Two stores on one Redis, each with its own connections: two instances of the bot."""
    stores = (RedisStateStore(url, prefix=prefix), RedisStateStore(url, prefix=prefix))
    try:
        yield stores
    finally:
        for store in stores:
            await store.close()


# -- the contract, on both backends -------------------------------------------------------------------


def test_when_a_key_is_claimed_then_only_the_first_claim_wins_until_it_expires(
    on_each_backend: Callable[[Scenario], None],
) -> None:
    async def scenario(store: StateStore) -> None:
        # Real time (Redis expires keys itself), so the margins are wide enough for a busy machine.
        assert await store.claim("delivery:slack:Ev1", 1.0)
        assert not await store.claim("delivery:slack:Ev1", 1.0)
        assert await store.claim("delivery:slack:Ev2", 1.0)  # another key is independent
        await asyncio.sleep(1.3)
        assert await store.claim("delivery:slack:Ev1", 1.0)

    on_each_backend(scenario)


def test_when_a_counter_is_incremented_then_it_counts_from_one(
    on_each_backend: Callable[[Scenario], None],
) -> None:
    async def scenario(store: StateStore) -> None:
        assert [await store.incr("count:reviews") for _ in range(3)] == [1, 2, 3]
        assert await store.incr("count:nudges") == 1
        await store.delete("count:reviews")
        assert await store.incr("count:reviews") == 1

    on_each_backend(scenario)


def test_when_a_map_is_cached_then_it_is_returned_until_it_expires(
    on_each_backend: Callable[[Scenario], None],
) -> None:
    async def scenario(store: StateStore) -> None:
        assert await store.get_map("mirror:slack:C1") is None
        await store.put_map("mirror:slack:C1", {"mirrored": "1", "why": "name"}, 1.0)
        assert await store.get_map("mirror:slack:C1") == {"mirrored": "1", "why": "name"}
        # Replaced, not merged: the field the new answer lacks is gone.
        await store.put_map("mirror:slack:C1", {"mirrored": "0"}, 1.0)
        assert await store.get_map("mirror:slack:C1") == {"mirrored": "0"}
        await asyncio.sleep(1.3)
        assert await store.get_map("mirror:slack:C1") is None

        await store.put_map("mirror:slack:C2", {"mirrored": "1"}, 60)
        await store.delete("mirror:slack:C2")
        assert await store.get_map("mirror:slack:C2") is None
        await store.put_map("mirror:slack:C3", {"mirrored": "1"}, 60)
        await store.put_map("mirror:slack:C3", {}, 60)  # an empty mapping is no mapping
        assert await store.get_map("mirror:slack:C3") is None

    on_each_backend(scenario)


# -- Redis only: several clients, one truth ---------------------------------------------------------


def test_when_two_instances_race_for_the_same_keys_then_exactly_one_wins_each(
    redis_server: RedisServer,
) -> None:
    async def main() -> None:
        async with two_clients(redis_server.url) as (a, b):
            keys = [f"delivery:slack:Ev{i}" for i in range(50)]
            # Each key claimed three times by each instance, all at once.
            attempts = [store.claim(key, 60) for key in keys for store in (a, b, a, b, a, b)]
            won = await asyncio.gather(*attempts)
            per_key = [sum(won[i * 6 : (i + 1) * 6]) for i in range(len(keys))]
            assert per_key == [1] * len(keys)

    asyncio.run(main())


def test_when_two_instances_count_at_once_then_no_increment_is_lost(redis_server: RedisServer) -> None:
    async def main() -> None:
        async with two_clients(redis_server.url) as (a, b):
            counted = (store.incr("count:nudges") for _ in range(100) for store in (a, b))
            values = await asyncio.gather(*counted)
            assert sorted(values) == list(range(1, 201))

    asyncio.run(main())


def test_when_one_instance_caches_a_lookup_then_the_other_reads_it(redis_server: RedisServer) -> None:
    async def main() -> None:
        async with two_clients(redis_server.url) as (a, b):
            await a.put_map("mirror:slack:C1", {"mirrored": "1"}, 300)
            assert await b.get_map("mirror:slack:C1") == {"mirrored": "1"}
            await b.delete("mirror:slack:C1")
            assert await a.get_map("mirror:slack:C1") is None

    asyncio.run(main())


def test_when_redis_holds_the_state_then_keys_carry_the_prefix_and_expire_there(
    redis_server: RedisServer,
) -> None:
    async def main() -> None:
        raw = aioredis.Redis.from_url(redis_server.url, decode_responses=True)
        async with (
            two_clients(redis_server.url, prefix="tt-a:") as (a, _),
            two_clients(redis_server.url, prefix="tt-b:") as (b, _),
        ):
            assert await a.claim("delivery:slack:Ev1", 1.5)
            assert await b.claim("delivery:slack:Ev1", 1.5)  # another prefix, another bot
            await a.put_map("mirror:slack:C1", {"mirrored": "1"}, 300)
            assert await raw.get("tt-a:delivery:slack:Ev1") == "1"
            assert 0 < await raw.pttl("tt-a:delivery:slack:Ev1") <= 1500  # PX: fractional seconds kept
            assert 299_000 < await raw.pttl("tt-a:mirror:slack:C1") <= 300_000
            assert sorted(await raw.keys("*")) == [
                "tt-a:delivery:slack:Ev1",
                "tt-a:mirror:slack:C1",
                "tt-b:delivery:slack:Ev1",
            ]
        await raw.aclose()

    asyncio.run(main())
