"""Nudges in mirrored channels, questions in DMs and mentions, App Home: signed events in, fake Slack out."""

from __future__ import annotations

import json

import pytest
from fakes.slack_harness import BOT_ID, BOT_USER_ID, USER, SlackHarness, message_event, run

from bot.render import citation_label

RISKY = "call me on 02 6146 2983 or email jane.smith@dss.gov.au"
MARKED = "[SEC=PROTECTED] brief attached"
BENIGN = "lunch at 12:30?"
MIRROR = "C0MIRROR1"
OTHER = "C0OTHER01"
QUESTION = "can I put my work email in a personal post?"
OFF_POLICY = "what is the capital of France?"

MIRRORED = {"THINKTWICE_MIRROR_CHANNELS": f"{MIRROR},yammer-*,lync-*"}
NO_COOLDOWN = {**MIRRORED, "THINKTWICE_NUDGE_COOLDOWN": "0"}


async def _settle(h: SlackHarness) -> None:
    await h.idle()


# -- nudges ----------------------------------------------------------------------------------------------
def test_when_a_risky_message_is_posted_in_a_mirrored_channel_then_the_poster_alone_gets_one_nudge() -> None:
    async def scenario(h: SlackHarness) -> None:
        status, _ = await h.event(message_event(RISKY, channel=MIRROR))
        assert status == 200
        await _settle(h)
        (nudge,) = h.api.received("chat.postEphemeral")
        assert nudge["channel"] == MIRROR and nudge["user"] == USER
        assert h.api.received("chat.postMessage") == []  # never in the channel for all to see
        assert "jane.smith@dss.gov.au" not in nudge["text"]  # never repeats the secret back
        assert "6146" not in json.dumps(nudge["blocks"])
        assert nudge["text"].startswith("Just a quiet heads-up")

    run(scenario, **MIRRORED)


@pytest.mark.parametrize("text", [RISKY, MARKED])
def test_when_a_message_is_in_a_mirrored_channel_then_it_is_nudged_exactly_when_the_core_says_so(
    text: str,
) -> None:
    async def scenario(h: SlackHarness) -> None:
        assert h.bot is not None
        await h.event(message_event(text, channel=MIRROR))
        await _settle(h)
        expected = 1 if h.bot.scan(text).nudge else 0
        assert len(h.api.received("chat.postEphemeral")) == expected

    run(scenario, **MIRRORED)


def test_when_the_message_is_in_a_channel_that_does_not_mirror_then_no_nudge() -> None:
    async def scenario(h: SlackHarness) -> None:
        h.api.add_channel(OTHER, "general", topic="Team chat", purpose="Anything goes")
        await h.event(message_event(RISKY, channel=OTHER))
        await _settle(h)
        assert h.api.received("chat.postEphemeral") == []

    run(scenario, **MIRRORED)


def test_when_a_message_is_benign_then_no_nudge() -> None:
    async def scenario(h: SlackHarness) -> None:
        await h.event(message_event(BENIGN, channel=MIRROR))
        await _settle(h)
        assert h.api.received("chat.postEphemeral") == []

    run(scenario, **MIRRORED)


@pytest.mark.parametrize(
    ("name", "topic", "purpose"),
    [
        ("yammer-announcements", "", ""),
        ("lync-helpdesk", "", ""),
        ("all-staff", "Mirrored from Yammer: All Staff", ""),
        ("team-chat", "", "This channel is bridged to Lync"),
    ],
)
def test_when_a_channel_says_it_mirrors_by_name_topic_or_purpose_then_it_is_watched(
    name: str, topic: str, purpose: str
) -> None:
    async def scenario(h: SlackHarness) -> None:
        h.api.add_channel("C0LOOKUP1", name, topic=topic, purpose=purpose)
        await h.event(message_event(RISKY, channel="C0LOOKUP1"))
        await h.event(message_event(BENIGN, channel="C0LOOKUP1"))
        await _settle(h)
        assert len(h.api.received("chat.postEphemeral")) == 1
        assert len(h.api.received("conversations.info")) == 1  # cached after the first look

    run(scenario, **MIRRORED)


def test_when_slack_redelivers_an_event_then_it_never_nudges_twice_even_without_a_cooldown() -> None:
    async def scenario(h: SlackHarness) -> None:
        event = message_event(RISKY, channel=MIRROR)
        await h.event(event, event_id="Ev0REDELIVER")
        await h.event(event, event_id="Ev0REDELIVER", retry_num=1)
        await h.event(event, event_id="Ev0REDELIVER", retry_num=2)
        await _settle(h)
        assert len(h.api.received("chat.postEphemeral")) == 1

    run(scenario, **NO_COOLDOWN)


def test_when_the_cooldown_is_off_then_each_new_risky_message_is_nudged() -> None:
    async def scenario(h: SlackHarness) -> None:
        await h.event(message_event(RISKY, channel=MIRROR))
        await h.event(message_event(RISKY, channel=MIRROR))
        await _settle(h)
        assert len(h.api.received("chat.postEphemeral")) == 2

    run(scenario, **NO_COOLDOWN)


def test_when_the_same_person_repeats_within_the_cooldown_then_one_nudge_per_channel_and_category() -> None:
    async def scenario(h: SlackHarness) -> None:
        await h.event(message_event(RISKY, channel=MIRROR))
        await h.event(message_event(RISKY, channel=MIRROR))  # same person, channel, category
        await h.event(message_event(RISKY, channel=MIRROR, user="U0SOMEONE2"))  # someone else
        await _settle(h)
        assert [c["user"] for c in h.api.received("chat.postEphemeral")] == [USER, "U0SOMEONE2"]

    run(scenario, **MIRRORED)


def test_when_a_message_is_edited_to_add_contact_details_then_the_edit_is_nudged() -> None:
    async def scenario(h: SlackHarness) -> None:
        original = message_event(BENIGN, channel=MIRROR)
        edited = {**original, "text": RISKY, "edited": {"user": USER, "ts": "1700009999.000100"}}
        await h.event(original)
        await h.event(
            {
                "type": "message",
                "subtype": "message_changed",
                "channel": MIRROR,
                "channel_type": "channel",
                "hidden": True,
                "message": edited,
                "previous_message": original,
                "ts": "1700009999.000200",
                "event_ts": "1700009999.000200",
            }
        )
        await _settle(h)
        (nudge,) = h.api.received("chat.postEphemeral")
        assert nudge["user"] == USER

    run(scenario, **MIRRORED)


def test_when_an_edit_leaves_the_words_alone_then_no_second_nudge() -> None:
    async def scenario(h: SlackHarness) -> None:
        original = message_event(RISKY, channel=MIRROR)
        await h.event(original)
        unfurled = {**original, "attachments": [{"title": "a link preview"}]}
        await h.event(
            {
                "type": "message",
                "subtype": "message_changed",
                "channel": MIRROR,
                "channel_type": "channel",
                "message": unfurled,
                "previous_message": original,
                "ts": "1700009999.000300",
            }
        )
        await _settle(h)
        assert len(h.api.received("chat.postEphemeral")) == 1

    run(scenario, **NO_COOLDOWN)


@pytest.mark.parametrize(
    "extra",
    [
        {"bot_id": "B0OTHERBOT"},
        {"subtype": "bot_message", "bot_id": "B0OTHERBOT"},
        {"user": BOT_USER_ID, "bot_id": BOT_ID},
        {"user": BOT_USER_ID},
    ],
    ids=["other-bot", "bot_message", "ourselves", "our-user"],
)
def test_when_a_bot_posts_risky_text_then_no_nudge(extra: dict[str, str]) -> None:
    async def scenario(h: SlackHarness) -> None:
        await h.event(message_event(RISKY, channel=MIRROR, **extra))
        await _settle(h)
        assert h.api.received("chat.postEphemeral") == []

    run(scenario, **NO_COOLDOWN)


def test_when_slack_says_not_in_channel_then_the_error_is_survived_and_the_next_nudge_goes_out() -> None:
    async def scenario(h: SlackHarness) -> None:
        h.api.fail_once("chat.postEphemeral", "not_in_channel")
        await h.event(message_event(RISKY, channel=MIRROR))
        await h.event(message_event(RISKY, channel=MIRROR))
        await _settle(h)
        assert len(h.api.received("chat.postEphemeral")) == 2

    run(scenario, **NO_COOLDOWN)


def test_when_slack_rate_limits_a_nudge_then_it_is_retried_after_retry_after() -> None:
    async def scenario(h: SlackHarness) -> None:
        h.api.rate_limit_once("chat.postEphemeral", retry_after=0)
        await h.event(message_event(RISKY, channel=MIRROR))
        await _settle(h)
        assert len(h.api.received("chat.postEphemeral")) == 2  # the 429, then the retry

    run(scenario, **MIRRORED)


def test_when_the_channel_cannot_be_looked_up_then_no_nudge_and_no_crash() -> None:
    async def scenario(h: SlackHarness) -> None:
        status, _ = await h.event(message_event(RISKY, channel="C0GONE0001"))  # channel_not_found
        await _settle(h)
        assert status == 200
        assert h.api.received("chat.postEphemeral") == []

    run(scenario, **MIRRORED)


# -- questions -------------------------------------------------------------------------------------------
def test_when_someone_asks_in_a_dm_then_the_answer_is_in_the_thread_with_citations() -> None:
    async def scenario(h: SlackHarness) -> None:
        assert h.bot is not None
        event = message_event(QUESTION, channel="D0DIRECT1", channel_type="im")
        await h.event(event)
        (reply,) = await h.api.wait_for("chat.postMessage")
        assert reply["channel"] == "D0DIRECT1"
        assert reply["thread_ts"] == event["ts"]
        answer = h.bot.ask(QUESTION)
        assert reply["text"].startswith(answer.text)
        contexts = json.dumps([b for b in reply["blocks"] if b["type"] == "context"], ensure_ascii=False)
        for citation in answer.citations:
            assert citation_label(citation, "DSS") in contexts

    run(scenario)


def test_when_the_policy_does_not_cover_a_question_then_the_answer_gives_the_contact() -> None:
    async def scenario(h: SlackHarness) -> None:
        assert h.bot is not None
        answer = h.bot.ask(OFF_POLICY)
        assert answer.abstained and answer.contact
        await h.event(message_event(OFF_POLICY, channel="D0DIRECT1", channel_type="im"))
        (reply,) = await h.api.wait_for("chat.postMessage")
        contexts = json.dumps([b for b in reply["blocks"] if b["type"] == "context"], ensure_ascii=False)
        assert answer.contact in contexts

    run(scenario)


def test_when_the_bot_is_mentioned_then_it_answers_in_the_thread_without_the_mention() -> None:
    async def scenario(h: SlackHarness) -> None:
        event = {
            "type": "app_mention",
            "channel": OTHER,
            "user": USER,
            "text": f"<@{BOT_USER_ID}> {QUESTION}",
            "ts": "1700000500.000100",
            "thread_ts": "1700000400.000100",
        }
        await h.event(event)
        (reply,) = await h.api.wait_for("chat.postMessage")
        assert reply["channel"] == OTHER
        assert reply["thread_ts"] == "1700000400.000100"  # the thread it was asked in

    run(scenario)


def test_when_a_dm_question_is_empty_then_the_reply_says_what_to_do() -> None:
    async def scenario(h: SlackHarness) -> None:
        await h.event(
            {"type": "app_mention", "channel": OTHER, "user": USER, "text": f"<@{BOT_USER_ID}>", "ts": "1.2"}
        )
        (reply,) = await h.api.wait_for("chat.postMessage")
        assert "empty" in reply["text"]

    run(scenario)


def test_when_the_bot_posts_in_its_own_dm_then_it_does_not_answer_itself() -> None:
    async def scenario(h: SlackHarness) -> None:
        await h.event(
            message_event(QUESTION, channel="D0DIRECT1", channel_type="im", user=BOT_USER_ID, bot_id=BOT_ID)
        )
        await _settle(h)
        assert h.api.received("chat.postMessage") == []

    run(scenario)


# -- App Home --------------------------------------------------------------------------------------------
def test_when_app_home_is_opened_then_it_shows_the_profile_usage_and_highlights() -> None:
    async def scenario(h: SlackHarness) -> None:
        assert h.bot is not None
        await h.event({"type": "app_home_opened", "user": USER, "channel": "D0DIRECT1", "tab": "home"})
        (published,) = await h.api.wait_for("views.publish")
        assert published["user_id"] == USER
        view = published["view"]
        assert view["type"] == "home"
        shown = json.dumps(view, ensure_ascii=False)
        profile = h.bot.profile()
        assert profile.name in shown
        assert "/checkpost" in shown
        for highlight in profile.highlights:
            assert highlight in shown

    run(scenario)
