"""The "Not a problem?" loop on Slack, end to end: the button, the reason modal, the audit record.

Also the counting that goes with it: a review, a nudge and an answer each land in
the server's audit, and none of it carries the message.
"""

from __future__ import annotations

import json
from typing import Any

from fakes.slack_harness import SlackHarness, message_event, run

from adapters.auditing import AUDIT_KEY
from adapters.dispute import DISPUTE_ACTION, decode
from bot.audit import Audit

RISKY = "call me on 02 6146 2983 or email jane.smith@dss.gov.au"
MIRROR = "C0MIRROR1"


def _audit(h: SlackHarness) -> Audit:
    assert h.web_app is not None
    return h.web_app[AUDIT_KEY]


def _dispute_button(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    (button,) = [
        element
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == DISPUTE_ACTION
    ]
    return button


def _pressed(value: str, container: str = "message") -> dict[str, Any]:
    return {
        "type": "block_actions",
        "trigger_id": "1.2.3",
        "container": {"type": container},
        "actions": [{"action_id": DISPUTE_ACTION, "type": "button", "value": value}],
    }


def _sent(value: str, reason: str | None) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "trigger_id": "1.2.4",
        "view": {
            "id": "V0000002",
            "type": "modal",
            "callback_id": "thinktwice_dispute_reason",
            "private_metadata": value,
            "state": {"values": {"reason": {"reason_input": {"type": "plain_text_input", "value": reason}}}},
        },
    }


def test_when_a_review_is_disputed_then_each_rule_is_recorded_with_the_one_line_reason() -> None:
    async def scenario(h: SlackHarness) -> None:
        await h.command(RISKY)
        (reply,) = await h.api.wait_for("response_url")
        button = _dispute_button(reply["blocks"])
        assert button["text"]["text"] == "Not a problem?"
        assert "jane" not in button["value"] and "6146" not in button["value"]  # never the text
        token = decode(button["value"])
        assert h.bot is not None and token is not None
        assert set(token.rules) == {f.rule for f in h.bot.review(RISKY).findings}

        status, _ = await h.interactive(_pressed(button["value"]))
        assert status == 200
        (opened,) = await h.api.wait_for("views.open")
        view = json.loads(opened["view"]) if isinstance(opened["view"], str) else opened["view"]
        assert view["callback_id"] == "thinktwice_dispute_reason"
        assert view["private_metadata"] == button["value"]

        status, _ = await h.interactive(_sent(view["private_metadata"], "It was\nmy own number"))
        assert status == 200
        await h.idle()
        disputes = _audit(h).disputes()
        assert {d.rule for d in disputes} == set(token.rules)
        assert {d.reason for d in disputes} == {"It was my own number"}
        assert {(d.profile, d.platform) for d in disputes} == {("dss", "slack")}

    run(scenario)


def test_when_the_review_is_in_a_modal_then_the_reason_is_pushed_on_top_of_it() -> None:
    async def scenario(h: SlackHarness) -> None:
        value = json.dumps({"p": "dss", "r": ["work-email"], "k": "review"})
        await h.interactive(_pressed(value, container="view"))
        await h.api.wait_for("views.push")
        assert not h.api.received("views.open")

    run(scenario)


def test_when_a_dispute_value_is_not_ours_then_nothing_opens_and_nothing_is_recorded() -> None:
    async def scenario(h: SlackHarness) -> None:
        for value in ("not json", json.dumps({"p": "dss", "r": ["<script>"], "k": "review"}), "{}"):
            assert (await h.interactive(_pressed(value)))[0] == 200
            assert (await h.interactive(_sent(value, "x")))[0] == 200
        await h.idle()
        assert not h.api.received("views.open")
        assert _audit(h).disputes() == []

    run(scenario)


def test_reviews_nudges_and_answers_are_counted_without_their_text() -> None:
    async def scenario(h: SlackHarness) -> None:
        await h.command(RISKY)
        await h.api.wait_for("response_url")
        await h.event(message_event(RISKY, channel=MIRROR))
        (nudge,) = await h.api.wait_for("chat.postEphemeral")
        token = decode(_dispute_button(nudge["blocks"])["value"])
        assert token is not None and token.kind == "nudge"
        await h.idle()
        counted = {(c.metric, c.key): c.count for c in _audit(h).counts()}
        assert counted[("reviews", "")] == 1
        assert counted[("verdict", "stop")] == 1
        assert counted[("nudges", "")] == 1
        assert counted[("nudge", "contact-details")] == 1
        assert all(c.platform == "slack" for c in _audit(h).counts())

    run(scenario, THINKTWICE_MIRROR_CHANNELS=MIRROR)
