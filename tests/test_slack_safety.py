"""Bad input and safety: signatures, malformed bodies, unknown payloads, logs that never carry text."""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import pytest
from fakes.slack_harness import SlackHarness, message_event, run, sign

from adapters.serve import run_server
from bot.config import load_config
from bot.service import Thinktwice

SECRET = "call me on 02 6146 2983 or email jane.smith@dss.gov.au"
MIRROR = "C0MIRROR1"
MIRRORED = {"THINKTWICE_MIRROR_CHANNELS": MIRROR}


def _event_body(text: str) -> str:
    event = message_event(text, channel=MIRROR)
    return json.dumps(
        {"type": "event_callback", "team_id": "T0TEAM01", "event_id": "Ev0SAFETY1", "event": event}
    )


def _command_body(text: str) -> str:
    return urlencode({"command": "/checkpost", "text": text, "team_id": "T0TEAM01", "user_id": "U0PERSON1"})


@pytest.mark.parametrize(
    ("case", "headers"),
    [
        ("wrong secret", lambda body, ts: {"X-Slack-Signature": sign(body, ts, secret="not-the-secret")}),
        ("no signature", lambda body, ts: {"X-Slack-Signature": ""}),
        ("tampered", lambda body, ts: {"X-Slack-Signature": sign(body + " ", ts)}),
        ("timestamp not a number", lambda body, ts: {"X-Slack-Request-Timestamp": "yesterday"}),
    ],
)
def test_when_the_signature_is_wrong_or_missing_then_401_and_nothing_runs(case: str, headers: object) -> None:
    async def scenario(h: SlackHarness) -> None:
        for body, content_type in (
            (_event_body(SECRET), "application/json"),
            (_command_body(SECRET), "x-www-form"),
        ):
            ts = int(time.time())
            extra = headers(body, ts)  # type: ignore[operator]
            status, _ = await h.post(
                body,
                content_type,
                timestamp=ts,
                signature=extra.pop("X-Slack-Signature", None),
                headers=extra,
            )
            assert status == 401, case
        await h.idle()
        assert h.api.calls == []  # not even auth.test: nothing ran

    run(scenario, **MIRRORED)


def test_when_the_timestamp_is_more_than_five_minutes_old_then_401_even_if_correctly_signed() -> None:
    async def scenario(h: SlackHarness) -> None:
        stale = int(time.time()) - 6 * 60
        body = _event_body(SECRET)
        status, _ = await h.post(body, "application/json", timestamp=stale, signature=sign(body, stale))
        assert status == 401
        await h.idle()
        assert h.api.calls == []

    run(scenario, **MIRRORED)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"type": "event_callback", "event": ', "application/json"),
        ("payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        ("", "application/json"),
        ("[1, 2, 3]", "application/json"),
    ],
    ids=["truncated-json", "bad-payload-field", "empty", "json-array"],
)
def test_when_a_signed_body_is_malformed_then_4xx_and_no_crash(body: str, content_type: str) -> None:
    async def scenario(h: SlackHarness) -> None:
        status, _ = await h.post(body, content_type)
        assert 400 <= status < 500
        status, _ = await h.command("lunch at 12:30?")  # and the server still works
        assert status == 200

    run(scenario)


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "some_future_thing", "secret": SECRET},
        {
            "type": "event_callback",
            "event_id": "Ev0UNKNOWN1",
            "event": {"type": "reaction_added", "x": SECRET},
        },
        {"type": "event_callback", "event_id": "Ev0WEIRD001", "event": "not an object"},
    ],
    ids=["unknown-type", "unsubscribed-event", "event-not-an-object"],
)
def test_when_a_signed_payload_is_of_an_unknown_kind_then_4xx_logged_without_its_text(
    payload: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    async def scenario(h: SlackHarness) -> None:
        status, _ = await h.post(json.dumps(payload), "application/json")
        assert 400 <= status < 500

    run(scenario)
    assert "jane.smith" not in caplog.text and "6146" not in caplog.text
    assert "payload" in caplog.text or "Unhandled" in caplog.text


def test_when_requests_fail_verification_or_succeed_then_no_log_line_carries_the_message_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # the worst case: everything on, root included

    async def scenario(h: SlackHarness) -> None:
        body = _event_body(SECRET)
        ts = int(time.time())
        assert (await h.post(body, "application/json", signature=sign(body, ts, secret="wrong")))[0] == 401
        await h.command(SECRET)  # a real review, whose reply carries the text
        await h.event(message_event(SECRET, channel=MIRROR))  # a real nudge
        await h.api.wait_for("response_url")
        await h.idle()
        assert h.api.received("chat.postEphemeral")

    run(scenario, **MIRRORED)
    assert "rejected a Slack request" in caplog.text  # the failure itself is logged...
    for secret in ("jane.smith", "6146 2983", "dss.gov.au"):
        assert secret not in caplog.text  # ...but never what was in the message


def test_when_bolt_itself_is_asked_to_log_a_bad_signature_then_the_body_is_withheld(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Bolt's own check logs the body at INFO; the loggers we hand it must not let that out."""
    caplog.set_level(logging.DEBUG)
    from slack_bolt.request.async_request import AsyncBoltRequest

    async def scenario(h: SlackHarness) -> None:
        assert h.web_app is not None
        from adapters.serve import ADAPTERS_KEY

        app = h.web_app[ADAPTERS_KEY]["slack"].app
        body = _event_body(SECRET)
        request = AsyncBoltRequest(
            body=body, headers={"x-slack-signature": "v0=bad", "x-slack-request-timestamp": "1"}
        )
        response = await app.async_dispatch(request)
        assert response.status == 401

    run(scenario)
    assert "jane.smith" not in caplog.text


def test_when_healthz_is_asked_then_200_with_a_small_status() -> None:
    async def scenario(h: SlackHarness) -> None:
        status, body = await h.get("/healthz")
        assert status == 200
        assert body["status"] == "ok" and body["profile"] == "dss"
        assert body["adapters"]["slack"]["mode"] == "http"
        assert body["state"] == {"backend": "memory"}  # no THINKTWICE_REDIS_URL: one instance's own state
        assert "xoxb" not in json.dumps(body)

    run(scenario)


@pytest.mark.parametrize(
    ("env", "socket", "named"),
    [
        ({}, False, ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, False, ["SLACK_SIGNING_SECRET"]),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, True, ["SLACK_APP_TOKEN"]),
    ],
)
def test_when_nothing_is_configured_then_serve_names_the_missing_variables_and_exits_2(
    env: dict[str, str], socket: bool, named: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    bot = Thinktwice.start(load_config({}))
    assert run_server(bot, port=0, slack_socket=socket, env=env) == 2
    err = capsys.readouterr().err
    for name in named:
        assert name in err
