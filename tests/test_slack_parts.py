"""The Slack adapter's small parts: markup, mirror wording, state, log redaction, Block Kit limits."""

from __future__ import annotations

import asyncio
import logging

import pytest

from adapters.dedupe import Deduper
from adapters.slack.blocks import MAX_FINDINGS_SHOWN, review_message
from adapters.slack.logsafe import RedactPayloads
from adapters.slack.mirror import says_it_mirrors
from adapters.slack.text import escape, plain
from adapters.state import MemoryStateStore
from bot.config import load_config
from bot.service import Thinktwice
from bot.types import Finding, Verdict


@pytest.mark.parametrize(
    ("slack", "typed"),
    [
        ("email <mailto:jane.smith@dss.gov.au|jane.smith@dss.gov.au>", "email jane.smith@dss.gov.au"),
        ("ring <tel:0261462983|02 6146 2983>", "ring 02 6146 2983"),
        ("see <https://example.org>", "see https://example.org"),
        ("see <https://example.org|the site>", "see the site (https://example.org)"),
        ("hi <@U123ABC> and <#C123ABC|general>", "hi @U123ABC and #general"),
        ("<!here> fish &amp; chips &lt;3", "@here fish & chips <3"),
        ("lunch at 12:30?", "lunch at 12:30?"),
    ],
)
def test_when_slack_markup_arrives_then_the_core_sees_what_the_person_typed(slack: str, typed: str) -> None:
    assert plain(slack) == typed


def test_when_text_goes_into_mrkdwn_then_it_cannot_make_links_or_mentions() -> None:
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


@pytest.mark.parametrize(
    ("about", "mirrors"),
    [
        ("Mirrored from Yammer: All Staff", True),
        ("Bridged to Lync for the helpdesk", True),
        ("synced with yammer. Do not post contact details here", True),
        ("No longer mirrored to Yammer", False),
        ("We are not synced with Lync any more", False),
        ("Talk about Yammer migration", False),
        ("Team chat", False),
    ],
)
def test_when_a_topic_or_purpose_is_read_then_only_mirroring_wording_counts(
    about: str, mirrors: bool
) -> None:
    assert says_it_mirrors(about) is mirrors


def test_when_a_claim_expires_then_it_can_be_claimed_again() -> None:
    now = [0.0]
    store = MemoryStateStore(clock=lambda: now[0])

    async def scenario() -> None:
        assert await store.claim("k", 10)
        assert not await store.claim("k", 10)
        now[0] = 10.5
        assert await store.claim("k", 10)
        assert await store.incr("n") == 1 and await store.incr("n") == 2

    asyncio.run(scenario())


def test_when_the_store_is_full_then_it_stays_bounded() -> None:
    store = MemoryStateStore(max_keys=100)

    async def scenario() -> None:
        for i in range(1000):
            await store.claim(f"k{i}", 60)
        assert len(store._expires) <= 100

    asyncio.run(scenario())


def test_when_the_cooldown_is_set_then_only_categories_not_recently_nudged_are_fresh() -> None:
    deduper = Deduper(MemoryStateStore(), cooldown=600)

    async def scenario() -> None:
        fresh = deduper.fresh_categories
        assert await fresh("slack", "T", "U", "C", ["contact-details"]) == ["contact-details"]
        assert await fresh("slack", "T", "U", "C", ["contact-details", "classified"]) == ["classified"]
        assert await fresh("slack", "T", "U", "C2", ["contact-details"]) == ["contact-details"]
        assert await deduper.first_delivery("slack", "Ev1") and not await deduper.first_delivery(
            "slack", "Ev1"
        )

    asyncio.run(scenario())


@pytest.mark.parametrize(
    "message",
    [
        "Invalid request signature detected (signature: v0=x, timestamp: 1, body: text=secret)",
        "A global middleware (x) skipped calling next() for the request ({'text': 'secret'})",
        'Failed to run listener function (error: {"text": "secret"})',
    ],
)
def test_when_a_library_would_log_a_payload_then_it_is_withheld(message: str) -> None:
    record = logging.LogRecord("slack_bolt.X", logging.WARNING, __file__, 1, message, None, None)
    assert RedactPayloads().filter(record)
    assert "secret" not in record.getMessage() and "withheld" in record.getMessage()
    chatter = logging.LogRecord("slack_bolt.X", logging.INFO, __file__, 1, message, None, None)
    assert not RedactPayloads().filter(chatter)


def test_when_a_review_has_many_findings_then_the_message_stays_within_slack_limits() -> None:
    bot = Thinktwice.start(load_config({}))
    profile = bot.profile()
    text = "x" * 10_000
    finding = Finding("contact-details", "work-email", "stop", 0, 5000, "x" * 5000, "Explained.", ())
    verdict = Verdict("dss", "stop", (finding,) * 40, "y" * 10_000)
    rendered = review_message(text, verdict, profile)
    assert len(rendered.blocks) <= 50
    assert sum(1 for b in rendered.blocks if b["type"] == "divider") == MAX_FINDINGS_SHOWN + 1
    for block in rendered.blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
    assert rendered.text.startswith("Stop:") and "40 findings" in rendered.text
