"""The message extension "Check post": a task module with the draft box, then the review card in it."""

from __future__ import annotations

from typing import Any

import pytest
from fakes.teams_harness import TeamsHarness, run

from adapters.teams.cards import CONTENT_TYPE

FETCH = "composeExtension/fetchTask"
SUBMIT = "composeExtension/submitAction"
RISKY = "Community groups can reach me on 02 6146 2983 or tom.whitfield@dss.gov.au"


def _task_card(body: dict[str, Any]) -> dict[str, Any]:
    task = body["task"]
    assert task["type"] == "continue"
    card = task["value"]["card"]
    assert card["contentType"] == CONTENT_TYPE
    return dict(card["content"])


def _draft_value(card: dict[str, Any]) -> str:
    (draft,) = [e for e in card["body"] if e["type"] == "Input.Text"]
    return str(draft.get("value", ""))


def test_when_check_post_is_chosen_in_the_compose_box_then_an_empty_draft_box_opens() -> None:
    async def scenario(h: TeamsHarness) -> None:
        status, body = await h.send(h.invoke(FETCH, {"commandId": "checkPost", "commandContext": "compose"}))
        assert status == 200
        card = _task_card(body)
        assert _draft_value(card) == ""
        assert card["actions"][0]["type"] == "Action.Submit"
        assert h.connector.calls == []  # the answer is the HTTP response: nothing posted anywhere

    run(scenario)


def test_when_check_post_is_chosen_on_a_message_then_the_box_holds_that_messages_text() -> None:
    async def scenario(h: TeamsHarness) -> None:
        value = {
            "commandId": "checkPost",
            "commandContext": "message",
            "messagePayload": {
                "id": "1700000000123",
                "body": {
                    "contentType": "html",
                    "content": "<div><p>Ring me on 02&nbsp;6146 2983 &amp; ask</p></div>",
                },
            },
        }
        status, body = await h.send(h.invoke(FETCH, value, context="channel"))
        assert status == 200
        assert _draft_value(_task_card(body)) == "Ring me on 02 6146 2983 & ask"

    run(scenario)


def test_when_the_draft_is_submitted_then_the_review_card_has_verdict_findings_clauses_and_rewrite() -> None:
    async def scenario(h: TeamsHarness) -> None:
        value = {
            "commandId": "checkPost",
            "commandContext": "compose",
            "data": {"thinktwice": "checkpost", "draft": RISKY},
        }
        status, body = await h.send(h.invoke(SUBMIT, value))
        assert status == 200
        card = _task_card(body)
        texts = str(card)
        assert card["fallbackText"].startswith("Stop: do not post this as written")
        assert card["body"][0]["color"] == "attention"
        assert "'text': '02 6146 2983', 'highlight': True" in texts
        assert "'text': 'tom.whitfield@dss.gov.au', 'highlight': True" in texts
        assert "DSS policy s3" in texts and "rule work-email" in texts
        assert "Suggested rewrite" in texts and "[work contact removed]" in texts

    run(scenario)


def test_when_a_benign_draft_is_submitted_then_the_card_says_ok() -> None:
    async def scenario(h: TeamsHarness) -> None:
        value = {"commandId": "checkPost", "data": {"draft": "Great turnout at the fun run today!"}}
        _, body = await h.send(h.invoke(SUBMIT, value))
        card = _task_card(body)
        assert card["body"][0]["color"] == "good" and len(card["body"]) == 1

    run(scenario)


def test_when_an_empty_draft_is_submitted_then_the_draft_box_comes_back() -> None:
    async def scenario(h: TeamsHarness) -> None:
        _, body = await h.send(h.invoke(SUBMIT, {"commandId": "checkPost", "data": {"draft": "   "}}))
        assert _draft_value(_task_card(body)) == "   "

    run(scenario)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("composeExtension/query", {"commandId": "search"}),
        (FETCH, {"commandId": "someOtherCommand"}),
        ("adaptiveCard/action", {"action": {"type": "Action.Execute"}}),
        ("task/fetch", {}),
        (SUBMIT, {"commandId": "checkPost", "botMessagePreviewAction": "send"}),
    ],
)
def test_when_an_invoke_is_not_ours_then_it_is_acknowledged_and_ignored(
    name: str, value: dict[str, Any]
) -> None:
    async def scenario(h: TeamsHarness) -> None:
        status, body = await h.send(h.invoke(name, value))
        assert (status, body) == (200, None)
        assert h.connector.calls == []

    run(scenario)
