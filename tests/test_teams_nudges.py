"""Nudges in mirrored channels: one private reminder to the poster in a 1:1 chat, else in the thread."""

from __future__ import annotations

import json

import pytest
from fakes.teams_harness import MIRROR, OTHER, TEAM, USER, TeamsHarness, run

RISKY = "call me on 02 6146 2983 or email jane.smith@dss.gov.au"
MARKED = "[SEC=PROTECTED] brief attached"
BENIGN = "lunch at 12:30?"
SOMEONE_ELSE = {"id": "29:1PERSONsam", "name": "Sam Other", "aadObjectId": "aad-sam"}

MIRRORED = {"THINKTWICE_MIRROR_CHANNELS": f"{MIRROR},yammer-*,lync-*"}
NO_COOLDOWN = {**MIRRORED, "THINKTWICE_NUDGE_COOLDOWN": "0"}


def _secret_free(text: str) -> bool:
    return "6146" not in text and "jane.smith" not in text and "SEC=PROTECTED" not in text


def test_when_a_risky_message_is_posted_in_a_mirrored_channel_then_exactly_one_private_nudge() -> None:
    async def scenario(h: TeamsHarness) -> None:
        status, _ = await h.send(h.channel_message(RISKY))
        assert status == 200
        # No stored chat with this person yet: the bot opens the 1:1 chat, then posts in it.
        (created,) = h.connector.received("create_conversation")
        assert created.body["members"] == [{"id": USER["id"]}]
        assert created.body["isGroup"] is False and created.body["channelData"]["tenant"]["id"]
        (nudge,) = h.connector.sent()
        assert nudge.kind == "send_to_conversation"
        assert nudge.path["conversation"] == f"a:personal-{USER['id']}"
        assert h.connector.received("reply_to_activity") == []  # nothing in the channel for all to see
        assert "quiet heads-up" in nudge.text and _secret_free(nudge.text)

    run(scenario, **MIRRORED)


def test_when_the_person_already_chats_with_the_bot_then_the_stored_chat_is_used() -> None:
    async def scenario(h: TeamsHarness) -> None:
        await h.send(h.personal_message("help"))
        await h.send(h.channel_message(MARKED))
        assert h.connector.received("create_conversation") == []
        (nudge,) = h.connector.received("send_to_conversation")
        assert nudge.path["conversation"] == "a:1-personal-chat-jane"
        assert "protectively marked" in nudge.text and _secret_free(nudge.text)

    run(scenario, **MIRRORED)


@pytest.mark.parametrize(("text", "channel"), [(BENIGN, MIRROR), (RISKY, OTHER)])
def test_when_the_message_is_benign_or_the_channel_does_not_mirror_then_no_nudge(
    text: str, channel: str
) -> None:
    async def scenario(h: TeamsHarness) -> None:
        h.connector.add_channel(TEAM, OTHER, "general-chat")
        status, _ = await h.send(h.channel_message(text, channel=channel))
        assert status == 200
        assert h.connector.sent() == [] and h.connector.received("create_conversation") == []

    run(scenario, **MIRRORED)


@pytest.mark.parametrize(("name", "pattern"), [("yammer-announcements", "yammer-*"), (None, "general")])
def test_when_a_channel_name_matches_a_glob_then_it_is_watched_and_the_list_fetched_once(
    name: str | None, pattern: str
) -> None:
    async def scenario(h: TeamsHarness) -> None:
        h.connector.add_channel(TEAM, "19:named@thread.tacv2", name)  # General has no name in the list
        await h.send(h.channel_message(RISKY, channel="19:named@thread.tacv2"))
        await h.send(h.channel_message(BENIGN, channel="19:named@thread.tacv2"))
        assert len(h.connector.received("send_to_conversation")) == 1
        assert len(h.connector.received("team_channels")) == 1

    run(scenario, THINKTWICE_MIRROR_CHANNELS=pattern)


def test_when_teams_redelivers_an_activity_then_it_never_nudges_twice_even_without_a_cooldown() -> None:
    async def scenario(h: TeamsHarness) -> None:
        activity = h.channel_message(RISKY)
        for _ in range(3):
            status, _ = await h.send(activity)
            assert status == 200
        assert len(h.connector.sent()) == 1

    run(scenario, **NO_COOLDOWN)


def test_when_the_same_person_repeats_within_the_cooldown_then_one_nudge_per_person() -> None:
    async def scenario(h: TeamsHarness) -> None:
        await h.send(h.channel_message(RISKY))
        await h.send(h.channel_message(RISKY))
        await h.send(h.channel_message(RISKY, user=SOMEONE_ELSE))
        recipients = [c.body["recipient"]["id"] for c in h.connector.sent()]
        assert recipients == [USER["id"], SOMEONE_ELSE["id"]]

    run(scenario, **MIRRORED)


def test_when_the_cooldown_is_off_then_each_new_risky_message_is_nudged() -> None:
    async def scenario(h: TeamsHarness) -> None:
        await h.send(h.channel_message(RISKY))
        await h.send(h.channel_message(RISKY))
        assert len(h.connector.sent()) == 2
        assert len(h.connector.received("create_conversation")) == 1  # the chat is remembered

    run(scenario, **NO_COOLDOWN)


def test_when_the_personal_chat_cannot_be_opened_then_a_threaded_reply_mentions_only_the_poster() -> None:
    async def scenario(h: TeamsHarness) -> None:
        h.connector.fail_once("create_conversation", 403)  # the app is not installed for this person
        activity = h.channel_message(RISKY)
        status, _ = await h.send(activity)
        assert status == 200
        (reply,) = h.connector.sent()
        assert reply.kind == "reply_to_activity" and reply.path["activity"] == activity["id"]
        assert reply.path["conversation"] == activity["conversation"]["id"]
        (mention,) = reply.body["entities"]
        assert mention["type"] == "mention" and mention["mentioned"]["id"] == USER["id"]
        assert reply.body["text"].startswith(f"{mention['text']} A quick heads-up")
        assert "only you can see" not in reply.text and _secret_free(reply.text)

    run(scenario, **MIRRORED)


def test_when_the_stored_chat_is_refused_then_the_thread_fallback_is_used_and_the_chat_forgotten() -> None:
    async def scenario(h: TeamsHarness) -> None:
        await h.send(h.personal_message("help"))
        h.connector.fail_once("send_to_conversation", 404)
        await h.send(h.channel_message(RISKY))
        assert [c.kind for c in h.connector.calls[1:]] == ["send_to_conversation", "reply_to_activity"]
        await h.send(h.channel_message(MARKED))
        assert h.connector.calls[-2].kind == "create_conversation"  # opened afresh next time

    run(scenario, **NO_COOLDOWN)


def test_when_a_message_is_edited_to_add_contact_details_then_the_edit_is_nudged() -> None:
    async def scenario(h: TeamsHarness) -> None:
        original = h.channel_message(BENIGN)
        await h.send(original)
        edited = {
            **original,
            "type": "messageUpdate",
            "text": f"<p>{RISKY}</p>",
            "timestamp": "2026-11-21T09:35:00.000Z",
            "channelData": {**original["channelData"], "eventType": "editMessage"},
        }
        await h.send(edited)
        await h.send(edited)  # the same edit, redelivered
        assert len(h.connector.sent()) == 1

    run(scenario, **MIRRORED)


def test_when_a_bot_posts_in_a_mirrored_channel_then_it_is_not_nudged() -> None:
    async def scenario(h: TeamsHarness) -> None:
        await h.send(h.channel_message(RISKY, user={"id": "28:another-bot", "name": "Other bot"}))
        assert h.connector.calls == []

    run(scenario, **MIRRORED)


def test_when_a_nudge_is_sent_privately_then_its_card_cites_the_policy() -> None:
    async def scenario(h: TeamsHarness) -> None:
        await h.send(h.channel_message(RISKY))
        (nudge,) = h.connector.sent()
        card = nudge.body["attachments"][0]["content"]
        assert "Policy: DSS policy" in json.dumps(card)
        assert card["fallbackText"] == card["body"][0]["text"]

    run(scenario, **MIRRORED)
