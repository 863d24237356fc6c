"""Two real server instances, one Redis, one (fake) Slack: each event is handled once, whoever gets it.

Both instances are the real server (`build_web_app`) on loopback with the same SLACK_* settings and
THINKTWICE_REDIS_URL; Slack's Web API is one fake that both call, so its record is what Slack saw.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from conftest import RedisServer, free_port
from fakes.slack_api import FakeSlackApi
from fakes.slack_harness import SlackHarness, message_event
from fakes.teams_connector import FakeConnector
from fakes.teams_harness import MIRROR as TEAMS_MIRROR
from fakes.teams_harness import TeamsHarness

from adapters.fallback_state import DOWN_STATUS, FallbackStateStore
from adapters.serve import STORE_KEY

RISKY = "call me on 02 6146 2983 or email jane.smith@dss.gov.au"
CHANNEL = "C0YAMMER1"  # mirrored by its name, so the first event needs conversations.info


@asynccontextmanager
async def two_instances(redis_url: str) -> AsyncIterator[tuple[FakeSlackApi, SlackHarness, SlackHarness]]:
    api = FakeSlackApi()
    await api.start()
    api.add_channel(CHANNEL, "yammer-all-staff")
    env = {"THINKTWICE_REDIS_URL": redis_url, "THINKTWICE_MIRROR_CHANNELS": "yammer-*"}
    try:
        async with AsyncExitStack() as stack:
            a = await stack.enter_async_context(SlackHarness(api=api, **env))
            b = await stack.enter_async_context(SlackHarness(api=api, **env))
            yield api, a, b
    finally:
        await api.stop()


def _store(h: SlackHarness) -> FallbackStateStore:
    assert h.web_app is not None
    store = h.web_app[STORE_KEY]
    assert isinstance(store, FallbackStateStore)
    return store


def test_when_both_instances_get_the_same_event_then_exactly_one_nudge_is_sent(
    redis_server: RedisServer,
) -> None:
    async def main() -> None:
        async with two_instances(redis_server.url) as (api, a, b):
            event = message_event(RISKY, channel=CHANNEL, user="U0PERSON1")
            # Slack delivers, times out, redelivers to whichever instance the balancer picks: all at once.
            sent = await asyncio.gather(
                a.event(event, event_id="EvSAME0001"),
                b.event(event, event_id="EvSAME0001", retry_num=1),
                a.event(event, event_id="EvSAME0001", retry_num=2),
                b.event(event, event_id="EvSAME0001", retry_num=3),
            )
            assert [status for status, _ in sent] == [200] * 4
            await asyncio.gather(a.idle(), b.idle())
            (nudge,) = api.received("chat.postEphemeral")
            assert nudge["user"] == "U0PERSON1" and nudge["channel"] == CHANNEL

            # The cool-down is shared: the same person's next risky message, on the other instance, waits.
            await b.event(message_event(RISKY, channel=CHANNEL, user="U0PERSON1"))
            # Another person is nudged, and the channel lookup cached by one instance serves the other.
            await b.event(message_event(RISKY, channel=CHANNEL, user="U0PERSON2"))
            await a.event(message_event(RISKY, channel=CHANNEL, user="U0PERSON3"))
            await asyncio.gather(a.idle(), b.idle())
            assert sorted(c["user"] for c in api.received("chat.postEphemeral")) == [
                "U0PERSON1",
                "U0PERSON2",
                "U0PERSON3",
            ]
            assert len(api.received("conversations.info")) == 1

            status, health = await a.get("/healthz")
            assert status == 200 and health["state"] == {"backend": "redis", "redis": "ok"}

    asyncio.run(main())


def test_when_redis_dies_mid_run_then_both_instances_keep_serving_and_recover(
    redis_server: RedisServer,
) -> None:
    async def main() -> None:
        async with two_instances(redis_server.url) as (api, a, b):
            await a.event(message_event(RISKY, channel=CHANNEL, user="U0PERSON1"))
            await a.idle()
            assert len(api.received("chat.postEphemeral")) == 1

            redis_server.stop()
            for n, h in enumerate((a, b)):
                status, _ = await h.event(message_event(RISKY, channel=CHANNEL, user=f"U0LATER{n}"))
                assert status == 200
                # A redelivery to the same instance is still dropped, from its own memory.
                again = message_event(RISKY, channel=CHANNEL, user=f"U0AGAIN{n}")
                assert (await h.event(again, event_id=f"EvDOWN{n}"))[0] == 200
                assert (await h.event(again, event_id=f"EvDOWN{n}", retry_num=1))[0] == 200
                assert (await h.command(RISKY))[0] == 200  # reviews are still answered
            await asyncio.gather(a.idle(), b.idle())
            reviews = await api.wait_for("response_url", count=2)
            assert all(r["text"].startswith("Stop:") for r in reviews)
            users = [c["user"] for c in api.received("chat.postEphemeral")]
            assert [users.count(f"U0{who}{n}") for who in ("LATER", "AGAIN") for n in (0, 1)] == [1] * 4
            for h in (a, b):
                status, health = await h.get("/healthz")
                assert status == 200 and health["state"]["redis"] == DOWN_STATUS
                assert not _store(h).ready()
                status, ready = await h.get("/readyz")
                assert status == 503 and "state store unreachable" in ready["reason"]

            redis_server.start()
            for h in (a, b):
                assert await _store(h).check()  # what the monitor does every few seconds
                status, health = await h.get("/healthz")
                assert health["state"] == {"backend": "redis", "redis": "ok"}
                assert (await h.get("/readyz"))[0] == 200
            # Shared again: one event to both instances, one nudge.
            event = message_event(RISKY, channel=CHANNEL, user="U0AFTER01")
            await asyncio.gather(a.event(event, event_id="EvAFTER01"), b.event(event, event_id="EvAFTER01"))
            await asyncio.gather(a.idle(), b.idle())
            assert [c["user"] for c in api.received("chat.postEphemeral")].count("U0AFTER01") == 1

    asyncio.run(main())


def test_when_redis_is_down_at_start_up_then_the_server_starts_and_says_so() -> None:
    async def main() -> None:
        url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
        async with SlackHarness(THINKTWICE_REDIS_URL=url, THINKTWICE_MIRROR_CHANNELS="C0MIRROR1") as h:
            status, health = await h.get("/healthz")
            assert status == 200 and health["state"]["redis"] == DOWN_STATUS
            assert (await h.command(RISKY))[0] == 200
            assert (await h.event(message_event(RISKY, channel="C0MIRROR1")))[0] == 200
            await h.idle()
            await h.api.wait_for("response_url")
            assert len(h.api.received("chat.postEphemeral")) == 1

    asyncio.run(main())


def test_when_two_teams_instances_share_redis_then_a_chat_learned_by_one_is_used_by_the_other(
    redis_server: RedisServer,
) -> None:
    async def main() -> None:
        connector = FakeConnector()
        await connector.start()
        env = {"THINKTWICE_REDIS_URL": redis_server.url, "THINKTWICE_MIRROR_CHANNELS": TEAMS_MIRROR}
        try:
            async with (
                TeamsHarness(connector=connector, **env) as a,
                TeamsHarness(connector=connector, **env) as b,
            ):
                await a.send(a.personal_message("hello"))  # A learns where Jane's 1:1 chat is
                risky = b.channel_message(RISKY)
                await b.send(risky)  # B never saw Jane's chat, but finds it in the shared store
                assert connector.received("create_conversation") == []
                await a.send(risky)  # Teams redelivers the same activity to the other instance
                nudges = [c for c in connector.sent() if "quiet heads-up" in c.text]
                assert len(nudges) == 1
                assert nudges[0].path["conversation"] == "a:1-personal-chat-jane"
        finally:
            await connector.stop()

    asyncio.run(main())
