"""The Teams adapter's pure parts: text from Teams HTML, cards, channel patterns, chat references."""

from __future__ import annotations

import asyncio
import json

import pytest
from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

from adapters.state import MemoryStateStore
from adapters.teams import cards
from adapters.teams.chats import PersonalChats
from adapters.teams.mirror import ChannelDirectory, is_teams_channel_id
from adapters.teams.text import plain
from bot.config import load_config
from bot.service import Thinktwice

BOT = Thinktwice.start(load_config({}))
PROFILE = BOT.profile()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain words", "plain words"),
        ("<p>Ring 02&nbsp;6146 2983 &amp; ask</p>", "Ring 02 6146 2983 & ask"),
        ("<div>one</div><div>two<br>three</div>", "one\ntwo\nthree"),
        ('<p>mail <a href="mailto:j@dss.gov.au">j@dss.gov.au</a></p>', "mail j@dss.gov.au"),
        ("<at>Sam Other</at> see this", "@Sam Other see this"),
        ("a < b and c > d", "a < b and c > d"),
    ],
)
def test_when_teams_text_is_read_then_markup_goes_and_the_words_stay(raw: str, expected: str) -> None:
    assert plain(raw) == expected


def test_when_the_bot_is_mentioned_then_only_its_mention_is_dropped() -> None:
    raw = "<at>thinktwice</at> is <at>Sam</at> allowed?"
    assert plain(raw, drop_mentions=["<at>thinktwice</at>"]) == "is @Sam allowed?"


def test_when_a_draft_has_markdown_then_the_review_shows_it_verbatim_in_text_runs() -> None:
    draft = "**Big news** [click](https://x.example) call 02 6146 2983 _now_"
    card = cards.review_card(draft, BOT.review(draft), PROFILE)
    runs = [e for e in _walk(card) if e.get("type") == "TextRun"]
    highlighted = [r for r in runs if r.get("highlight")]
    assert [r["text"] for r in highlighted] == ["02 6146 2983"]
    assert any("**Big news** [click](https://x.example) call " in r["text"] for r in runs)
    blocks = [e["text"] for e in _walk(card) if e.get("type") == "TextBlock"]
    assert not any("6146" in text or "Big news" in text for text in blocks)  # no user text in markdown blocks


def _walk(node: object) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_walk(value))
    return found


def test_when_a_review_has_many_findings_then_the_card_shows_a_dozen_and_counts_the_rest() -> None:
    draft = " ".join(f"call 02 6146 29{n:02d}." for n in range(20))
    verdict = BOT.review(draft)
    assert len(verdict.findings) > cards.MAX_FINDINGS_SHOWN
    card = cards.review_card(draft, verdict, PROFILE)
    containers = [e for e in card["body"] if e["type"] == "Container" and e.get("separator")]
    assert len(containers) == cards.MAX_FINDINGS_SHOWN
    assert f"{len(verdict.findings) - cards.MAX_FINDINGS_SHOWN} more findings" in json.dumps(card)
    assert len(json.dumps(card)) < 28_000  # Teams' message size limit


def test_when_the_nudge_falls_back_to_a_thread_then_it_does_not_claim_to_be_private() -> None:
    nudge = BOT.scan("call me on 02 6146 2983")
    assert nudge.nudge and nudge.message and "only you can see this" in nudge.message
    text = cards.thread_nudge_text(nudge, PROFILE)
    assert text.startswith("A quick heads-up: your message looks like") and "only you" not in text
    private = cards.nudge_card(nudge, PROFILE)
    assert "mirrored to Yammer or Lync" in private["fallbackText"] and "6146" not in json.dumps(private)


def test_when_patterns_mix_ids_and_globs_then_ids_match_exactly_and_globs_match_names() -> None:
    assert is_teams_channel_id("19:abc@thread.tacv2") and not is_teams_channel_id("yammer-*")
    listed: list[str] = []

    async def channels(team: str) -> dict[str, str]:
        listed.append(team)
        return {"19:a@thread.tacv2": "Yammer-News", "19:b@thread.tacv2": "General"}

    async def scenario() -> list[bool]:
        directory = ChannelDirectory(["19:x@thread.tacv2", "#yammer-*"], MemoryStateStore())
        answers = [
            await directory.is_mirrored("19:x@thread.tacv2", None, channels),
            await directory.is_mirrored("19:a@thread.tacv2", "team", channels),
            await directory.is_mirrored("19:b@thread.tacv2", "team", channels),
        ]
        await directory.learn("team", "19:b@thread.tacv2", "yammer-general")  # renamed
        answers.append(await directory.is_mirrored("19:b@thread.tacv2", "team", channels))
        return answers

    assert asyncio.run(scenario()) == [True, True, False, True]
    assert listed == ["team"]


def test_when_the_channel_list_cannot_be_fetched_then_the_channel_counts_as_not_mirrored() -> None:
    async def failing(team: str) -> dict[str, str]:
        raise OSError("connector down")

    directory = ChannelDirectory(["yammer-*"], MemoryStateStore())
    assert asyncio.run(directory.is_mirrored("19:a@thread.tacv2", "team", failing)) is False


def test_chats_live_in_the_shared_store_so_another_instance_finds_them_until_they_expire() -> None:
    now = [0.0]
    store = MemoryStateStore(clock=lambda: now[0])
    reference = ConversationReference(
        channel_id="msteams",
        service_url="http://127.0.0.1:9/",
        conversation=ConversationAccount(id="a:1-chat", conversation_type="personal", tenant_id="t"),
        bot=ChannelAccount(id="28:bot"),
        user=ChannelAccount(id="29:jane", name="Jane"),
    )

    async def scenario() -> list[str | None]:
        here, there = PersonalChats(store, ttl=60), PersonalChats(store, ttl=60)
        await here.remember("t", "29:jane", reference)
        found = await there.get("t", "29:jane")  # another instance, the same store
        now[0] = 61.0
        expired = await there.get("t", "29:jane")
        now[0] = 0.0
        await here.remember("t", "29:jane", reference)
        await there.forget("t", "29:jane")
        forgotten = await here.get("t", "29:jane")
        return [
            found.conversation.id if found else None,
            found.service_url if found else None,
            expired and expired.conversation.id,
            forgotten and forgotten.conversation.id,
        ]

    assert asyncio.run(scenario()) == ["a:1-chat", "http://127.0.0.1:9/", None, None]


def test_when_a_stored_chat_cannot_be_read_then_it_is_dropped() -> None:
    store = MemoryStateStore()

    async def scenario() -> tuple[object, object]:
        await store.put_map("teams:chat:t:29:jane", {"reference": "{not json"}, 60)
        return await PersonalChats(store).get("t", "29:jane"), await store.get_map("teams:chat:t:29:jane")

    assert asyncio.run(scenario()) == (None, None)


def test_when_msrest_is_sped_up_then_its_retry_codes_are_unchanged() -> None:
    from msrest.universal_http.requests import ClientRetryPolicy

    from adapters.teams.msrest_speedup import speed_up_retry_policy

    original = ClientRetryPolicy.safe_codes
    try:
        ClientRetryPolicy.safe_codes = list(original)  # type: ignore[assignment]
        before = ClientRetryPolicy()().status_forcelist
        speed_up_retry_policy()
        speed_up_retry_policy()
        assert isinstance(ClientRetryPolicy.safe_codes, frozenset)
        assert ClientRetryPolicy()().status_forcelist == before
    finally:
        ClientRetryPolicy.safe_codes = original
