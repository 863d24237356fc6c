"""/checkpost, its modal and the message shortcut, end to end over signed HTTP to a fake Slack."""

from __future__ import annotations

import json
from typing import Any

from fakes.slack_harness import SlackHarness, run

from bot.render import citation_label

RISKY = "call me on 02 6146 2983 or email jane.smith@dss.gov.au"
BENIGN = "lunch at 12:30?"


def _all_text(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_when_checkpost_has_risky_text_then_an_ephemeral_review_comes_back() -> None:
    async def scenario(h: SlackHarness) -> None:
        status, body = await h.command(RISKY)
        assert status == 200
        assert body == ""  # acknowledged first; the review follows via response_url
        (reply,) = await h.api.wait_for("response_url")
        assert reply["response_type"] == "ephemeral"
        assert reply["text"].startswith("Stop:")
        blocks = reply["blocks"]
        assert "*Stop:*" in blocks[0]["text"]["text"]  # verdict first
        shown = _all_text(blocks)
        assert h.bot is not None
        verdict = h.bot.review(RISKY)
        assert verdict.findings and verdict.suggestion
        for finding in verdict.findings:  # each finding: excerpt, explanation, clause cited
            assert finding.excerpt in shown
            assert finding.explanation in shown
            for citation in finding.citations:
                assert citation_label(citation, "DSS") in shown
        (rewrite,) = [b for b in blocks if b["type"] == "rich_text"]  # the copyable block
        assert rewrite["elements"][0]["type"] == "rich_text_preformatted"
        assert rewrite["elements"][0]["elements"][0]["text"] == verdict.suggestion

    run(scenario)


def test_when_checkpost_has_benign_text_then_the_review_says_ok() -> None:
    async def scenario(h: SlackHarness) -> None:
        await h.command(BENIGN)
        (reply,) = await h.api.wait_for("response_url")
        assert reply["text"].startswith("OK to post:")
        assert len(reply["blocks"]) == 1

    run(scenario)


def test_when_checkpost_text_carries_slack_link_markup_then_the_address_is_still_found() -> None:
    async def scenario(h: SlackHarness) -> None:
        await h.command("email <mailto:jane.smith@dss.gov.au|jane.smith@dss.gov.au> &amp; ask")
        (reply,) = await h.api.wait_for("response_url")
        assert reply["text"].startswith("Stop:")
        assert "mailto:" not in _all_text(reply["blocks"])

    run(scenario)


def test_when_checkpost_help_is_asked_then_usage_comes_back_ephemerally_in_the_acknowledgement() -> None:
    async def scenario(h: SlackHarness) -> None:
        status, body = await h.command("help")
        assert status == 200
        reply = json.loads(body)
        assert reply["response_type"] == "ephemeral"
        assert "/checkpost" in reply["text"] and "/checkpost" in _all_text(reply["blocks"])
        await h.idle()
        assert h.api.received("response_url") == []

    run(scenario)


def test_when_checkpost_has_no_text_then_a_modal_with_a_multiline_input_opens() -> None:
    async def scenario(h: SlackHarness) -> None:
        status, _ = await h.command("   ")
        assert status == 200
        (opened,) = await h.api.wait_for("views.open")
        assert opened["trigger_id"].startswith("13345224609")
        view = opened["view"]
        assert view["type"] == "modal" and view["callback_id"] == "checkpost_modal"
        (field,) = [b for b in view["blocks"] if b["type"] == "input"]
        assert field["element"]["type"] == "plain_text_input" and field["element"]["multiline"] is True

    run(scenario)


def _submission(text: str | None) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "trigger_id": "1.2.3",
        "view": {
            "id": "V0000001",
            "type": "modal",
            "callback_id": "checkpost_modal",
            "state": {"values": {"draft": {"draft_input": {"type": "plain_text_input", "value": text}}}},
        },
    }


def test_when_the_modal_is_submitted_then_the_review_replaces_it_in_the_response() -> None:
    async def scenario(h: SlackHarness) -> None:
        status, body = await h.interactive(_submission(RISKY))
        assert status == 200
        reply = json.loads(body)
        assert reply["response_action"] == "update"
        view = reply["view"]
        assert view["type"] == "modal"
        assert "*Stop:*" in view["blocks"][0]["text"]["text"]
        assert "jane.smith@dss.gov.au" in _all_text(view["blocks"])

    run(scenario)


def test_when_the_modal_is_submitted_empty_then_the_field_shows_the_error() -> None:
    async def scenario(h: SlackHarness) -> None:
        status, body = await h.interactive(_submission("   "))
        assert status == 200
        reply = json.loads(body)
        assert reply["response_action"] == "errors"
        assert "empty" in reply["errors"]["draft"]

    run(scenario)


def test_when_check_this_post_is_used_on_a_message_then_its_review_opens_in_a_modal() -> None:
    async def scenario(h: SlackHarness) -> None:
        status, _ = await h.interactive(
            {
                "type": "message_action",
                "callback_id": "check_this_post",
                "trigger_id": "4.5.6",
                "response_url": h.api.response_url("shortcut"),
                "channel": {"id": "C0GENERAL", "name": "general"},
                "message": {"type": "message", "user": "U0SOMEONE", "ts": "1.000", "text": RISKY},
            }
        )
        assert status == 200
        (opened,) = await h.api.wait_for("views.open")
        assert opened["trigger_id"] == "4.5.6"
        assert "jane.smith@dss.gov.au" in _all_text(opened["view"]["blocks"])

    run(scenario)


def test_when_the_draft_is_too_long_then_the_reply_says_so_in_one_sentence() -> None:
    async def scenario(h: SlackHarness) -> None:
        await h.command("x" * 40_001)
        (reply,) = await h.api.wait_for("response_url")
        assert "limit" in reply["text"] and "xxxx" not in reply["text"]

    run(scenario)


def test_when_the_response_url_is_rate_limited_then_the_review_is_retried() -> None:
    async def scenario(h: SlackHarness) -> None:
        h.api.rate_limit_once("response_url", retry_after=0)
        await h.command(RISKY)
        await h.idle()
        first, retry = h.api.received("response_url")
        assert first.params == retry.params

    run(scenario)
