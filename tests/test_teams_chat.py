"""Personal chat and @mentions: questions answered as cards, `checkpost` and `help` as commands."""

from __future__ import annotations

import pytest
from fakes.teams_connector import Call
from fakes.teams_harness import MIRROR, TeamsHarness, run

from adapters.teams.cards import CONTENT_TYPE

QUESTION = "can I use my work email for linkedin?"
OFF_POLICY = "what is the capital of France?"
RISKY = "Community groups can reach me on 02 6146 2983 or tom.whitfield@dss.gov.au"


def _card(call: Call) -> dict[str, object]:
    (attachment,) = call.body["attachments"]
    assert attachment["contentType"] == CONTENT_TYPE
    content = attachment["content"]
    assert content["type"] == "AdaptiveCard" and content["fallbackText"]
    return dict(content)


def test_when_a_question_is_asked_in_personal_chat_then_an_answer_card_comes_back_in_that_chat() -> None:
    async def scenario(h: TeamsHarness) -> None:
        assert h.bot is not None
        status, _ = await h.send(h.personal_message(QUESTION))
        assert status == 200
        (reply,) = h.connector.sent()
        assert reply.kind == "reply_to_activity" and reply.path["conversation"] == "a:1-personal-chat-jane"
        card = _card(reply)
        answer = h.bot.ask(QUESTION)
        assert answer.text in reply.text
        assert "Source: DSS policy" in reply.text
        assert card["fallbackText"].startswith(answer.text)  # type: ignore[union-attr]
        assert reply.body["summary"]  # what a notification shows

    run(scenario)


def test_when_the_policy_does_not_cover_a_question_then_the_card_says_whom_to_ask() -> None:
    async def scenario(h: TeamsHarness) -> None:
        assert h.bot is not None
        answer = h.bot.ask(OFF_POLICY)
        assert answer.abstained and answer.contact
        await h.send(h.personal_message(OFF_POLICY))
        (reply,) = h.connector.sent()
        assert f"Ask a person: {answer.contact}" in reply.text

    run(scenario)


@pytest.mark.parametrize("command", ["checkpost", "CheckPost", "/checkpost"])
def test_when_checkpost_comes_with_a_draft_then_the_review_card_points_at_the_words(command: str) -> None:
    async def scenario(h: TeamsHarness) -> None:
        await h.send(h.personal_message(f"{command} {RISKY}"))
        (reply,) = h.connector.sent()
        card = _card(reply)
        assert card["fallbackText"].startswith("Stop: do not post this as written")  # type: ignore[union-attr]
        assert '"text": "02 6146 2983", "highlight": true' in reply.text
        assert "rule work-phone" in reply.text and "DSS policy s3" in reply.text
        assert "Suggested rewrite" in reply.text and "[work contact removed]" in reply.text

    run(scenario)


def test_when_checkpost_comes_alone_then_a_draft_box_is_offered_and_its_check_button_reviews() -> None:
    async def scenario(h: TeamsHarness) -> None:
        await h.send(h.personal_message("checkpost"))
        (box,) = h.connector.sent()
        inputs = [e for e in _card(box)["body"] if e["type"] == "Input.Text"]  # type: ignore[attr-defined]
        assert [i["id"] for i in inputs] == ["draft"]
        # The card's Check button sends the typed draft back as the message's value, with no text.
        await h.send(h.personal_message("", value={"thinktwice": "checkpost", "draft": RISKY}))
        review = h.connector.sent()[-1]
        assert _card(review)["fallbackText"].startswith("Stop:")  # type: ignore[union-attr]

    run(scenario)


@pytest.mark.parametrize("text", ["help", "HELP", "  help  "])
def test_when_help_is_asked_then_the_commands_are_explained(text: str) -> None:
    async def scenario(h: TeamsHarness) -> None:
        await h.send(h.personal_message(text))
        (reply,) = h.connector.sent()
        assert "checkpost" in reply.text and "Check post" in reply.text

    run(scenario)


def test_when_help_comes_with_more_words_then_it_is_a_question() -> None:
    async def scenario(h: TeamsHarness) -> None:
        assert h.bot is not None
        question = "help me decide whether I can use my work email for linkedin"
        await h.send(h.personal_message(question))
        (reply,) = h.connector.sent()
        assert h.bot.ask(question).text in reply.text

    run(scenario)


def test_when_the_bot_is_mentioned_in_a_channel_then_the_mention_is_stripped_and_the_answer_is_threaded() -> (
    None
):
    async def scenario(h: TeamsHarness) -> None:
        assert h.bot is not None
        activity = h.channel_message(f"<at>thinktwice</at> {QUESTION}", channel="19:plain@thread.tacv2")
        activity["entities"] = [
            {"type": "mention", "text": "<at>thinktwice</at>", "mentioned": dict(activity["recipient"])}
        ]
        await h.send(activity)
        (reply,) = h.connector.sent()
        assert reply.kind == "reply_to_activity" and reply.path["activity"] == activity["id"]
        assert h.bot.ask(QUESTION).text in reply.text  # the same answer as without the mention

    run(scenario)


def test_when_checkpost_is_used_in_a_channel_then_the_review_is_not_posted_there() -> None:
    async def scenario(h: TeamsHarness) -> None:
        activity = h.channel_message(
            f"<at>thinktwice</at> checkpost {RISKY}", channel="19:plain@thread.tacv2"
        )
        activity["entities"] = [
            {"type": "mention", "text": "<at>thinktwice</at>", "mentioned": dict(activity["recipient"])}
        ]
        await h.send(activity)
        (reply,) = h.connector.sent()
        assert "personal chat" in reply.text and "6146" not in reply.text

    run(scenario, THINKTWICE_MIRROR_CHANNELS=MIRROR)


def test_when_a_question_is_too_long_then_the_reply_is_a_sentence_not_a_crash() -> None:
    async def scenario(h: TeamsHarness) -> None:
        status, _ = await h.send(h.personal_message("why " * 2000))
        assert status == 200
        (reply,) = h.connector.sent()
        assert reply.body["text"].endswith(".")
        assert "attachments" not in reply.body or not reply.body["attachments"]

    run(scenario)


def test_when_the_app_is_installed_in_personal_scope_then_a_welcome_goes_to_that_chat() -> None:
    async def scenario(h: TeamsHarness) -> None:
        activity = h.personal_message("")
        activity.update(type="conversationUpdate", membersAdded=[dict(activity["recipient"])])
        del activity["text"]
        status, _ = await h.send(activity)
        assert status == 200
        (welcome,) = h.connector.sent()
        assert "checkpost" in welcome.text

    run(scenario)
