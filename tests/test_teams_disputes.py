""" "Not a problem?" on Teams cards, end to end: personal chat, a nudge, the message extension.

The action opens a one-line reason in the card itself; Send posts the token back
(a message activity, or a submitAction invoke in the task module) and each rule
behind the review or nudge is recorded as disputed, with no message text.
"""

from __future__ import annotations

import json
from typing import Any

from fakes.teams_harness import MIRROR, TeamsHarness, run

from adapters.auditing import AUDIT_KEY
from adapters.dispute import decode
from adapters.teams.cards import DISPUTE_MARKER, DISPUTE_REASON_INPUT
from bot.audit import Audit

RISKY = "call me on 02 6146 2983 or email jane.smith@dss.gov.au"


def _audit(h: TeamsHarness) -> Audit:
    assert h.web_app is not None
    return h.web_app[AUDIT_KEY]


def _card(body: dict[str, Any]) -> dict[str, Any]:
    (attachment,) = body["attachments"]
    return dict(attachment["content"])


def _send_data(card: dict[str, Any]) -> dict[str, Any]:
    (show,) = [a for a in card.get("actions", []) if a["type"] == "Action.ShowCard"]
    assert show["title"] == "Not a problem?"
    inner = show["card"]
    assert [e["id"] for e in inner["body"] if e["type"] == "Input.Text"] == [DISPUTE_REASON_INPUT]
    (send,) = inner["actions"]
    assert send["type"] == "Action.Submit"
    return dict(send["data"])


def test_when_a_review_card_is_disputed_in_personal_chat_then_its_rules_are_recorded() -> None:
    async def scenario(h: TeamsHarness) -> None:
        await h.send(h.personal_message(f"checkpost {RISKY}"))
        (review,) = h.connector.sent()
        data = _send_data(_card(review.body))
        assert "6146" not in json.dumps(data) and "jane" not in json.dumps(data)
        token = decode(data[DISPUTE_MARKER])
        assert h.bot is not None and token is not None
        assert set(token.rules) == {f.rule for f in h.bot.review(RISKY).findings}

        submit = h.personal_message("", value={**data, DISPUTE_REASON_INPUT: "my own\nnumber"})
        assert (await h.send(submit))[0] == 200
        disputes = _audit(h).disputes()
        assert {d.rule for d in disputes} == set(token.rules)
        assert {(d.profile, d.platform, d.reason) for d in disputes} == {("dss", "teams", "my own number")}
        thanks = h.connector.sent()[-1]
        assert "Thanks" in thanks.text
        counted = {(c.metric, c.key): c.count for c in _audit(h).counts()}
        assert counted[("reviews", "")] == 1

    run(scenario)


def test_when_a_nudge_is_disputed_then_it_is_recorded_as_the_nudge_rules() -> None:
    async def scenario(h: TeamsHarness) -> None:
        await h.send(h.channel_message(RISKY))
        (nudge,) = h.connector.sent()
        data = _send_data(_card(nudge.body))
        token = decode(data[DISPUTE_MARKER])
        assert token is not None and token.kind == "nudge"
        await h.send(h.personal_message("", value=data))
        assert {d.rule for d in _audit(h).disputes()} == set(token.rules)
        counted = {(c.metric, c.key): c.count for c in _audit(h).counts()}
        assert counted[("nudge", "contact-details")] == 1

    run(scenario, THINKTWICE_MIRROR_CHANNELS=MIRROR)


def test_when_the_review_in_the_task_module_is_disputed_then_it_closes_with_thanks() -> None:
    async def scenario(h: TeamsHarness) -> None:
        value = {"commandId": "checkPost", "commandContext": "compose", "data": {"draft": RISKY}}
        _, body = await h.send(h.invoke("composeExtension/submitAction", value))
        card = body["task"]["value"]["card"]["content"]
        data = _send_data(card)
        value = {"commandId": "checkPost", "commandContext": "compose", "data": data}
        status, body = await h.send(h.invoke("composeExtension/submitAction", value))
        assert status == 200 and body["task"]["type"] == "message" and "Thanks" in body["task"]["value"]
        assert _audit(h).disputes()

    run(scenario)


def test_when_a_dispute_token_is_forged_then_nothing_is_recorded() -> None:
    async def scenario(h: TeamsHarness) -> None:
        for token in ("nonsense", json.dumps({"p": "dss", "r": ["<img>"], "k": "review"})):
            status, _ = await h.send(
                h.personal_message("", value={"thinktwice": DISPUTE_MARKER, "dispute": token})
            )
            assert status == 200
        assert _audit(h).disputes() == []

    run(scenario)
