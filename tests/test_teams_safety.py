"""Bad input and safety on /api/messages: malformed bodies, unknown activities, dead connector, quiet logs."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import pytest
from conftest import free_port
from fakes.teams_harness import MIRROR, TeamsHarness, run

SECRET = "call me on 02 6146 2983 or email jane.smith@dss.gov.au"
MIRRORED = {"THINKTWICE_MIRROR_CHANNELS": MIRROR}


@pytest.mark.parametrize(
    "body",
    [
        '{"type": "message", "text": ',
        "not json at all",
        b"\xff\xfe\x00garbage",
        "[1, 2, 3]",
        '"a string"',
        "{}",
    ],
)
def test_when_the_body_is_not_a_json_activity_then_400_and_nothing_runs(body: str | bytes) -> None:
    async def scenario(h: TeamsHarness) -> None:
        status, answer = await h.post(body)
        assert status == 400
        assert answer == {"error": "malformed activity"}
        assert h.connector.calls == []

    run(scenario)


def _without(activity: dict[str, Any], path: str) -> dict[str, Any]:
    parts = path.split(".")
    target = activity
    for part in parts[:-1]:
        target = target[part]
    del target[parts[-1]]
    return activity


@pytest.mark.parametrize(
    ("change", "what"),
    [
        (lambda a: _without(a, "type"), "no type"),
        (lambda a: _without(a, "serviceUrl"), "no serviceUrl"),
        (lambda a: {**a, "serviceUrl": "ftp://example"}, "a serviceUrl that is not http"),
        (lambda a: _without(a, "conversation"), "no conversation"),
        (lambda a: _without(a, "conversation.id"), "no conversation id"),
        (lambda a: _without(a, "from"), "no sender"),
        (lambda a: _without(a, "recipient"), "no recipient"),
        (lambda a: {**a, "text": ["not", "a", "string"]}, "text not a string"),
        (lambda a: {**a, "channelData": "nope"}, "channelData not an object"),
        (lambda a: {**a, "entities": {"type": "mention"}}, "entities not a list"),
        (lambda a: {**a, "timestamp": "not a time"}, "a timestamp that is not a time"),
    ],
)
def test_when_an_activity_lacks_what_a_turn_needs_then_400_and_nothing_runs(change: Any, what: str) -> None:
    async def scenario(h: TeamsHarness) -> None:
        status, _ = await h.send(change(h.personal_message("help")))
        assert status == 400, what
        assert h.connector.calls == []

    run(scenario)


@pytest.mark.parametrize("kind", ["typing", "messageReaction", "event", "endOfConversation", "somethingNew"])
def test_when_the_activity_type_is_not_handled_then_it_is_acknowledged_and_ignored(kind: str) -> None:
    async def scenario(h: TeamsHarness) -> None:
        activity = h.personal_message("")
        activity["type"] = kind
        status, _ = await h.send(activity)
        assert status == 200
        assert h.connector.calls == []

    run(scenario)


def test_when_the_connector_is_unreachable_then_the_failure_is_logged_and_the_server_survives(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The connector client retries a refused connection with back-off for about five seconds before it
    # gives up; each send is also cut off after SEND_TIMEOUT_SECONDS. Shortened here to keep the test quick.
    monkeypatch.setattr("adapters.teams.outbound.SEND_TIMEOUT_SECONDS", 1.0)
    monkeypatch.setattr("adapters.teams.nudges.SEND_TIMEOUT_SECONDS", 1.0)

    async def scenario(h: TeamsHarness) -> None:
        dead = f"http://127.0.0.1:{free_port()}/teams/"
        started = time.monotonic()
        for activity in (h.personal_message("help"), h.channel_message(SECRET)):
            activity["serviceUrl"] = dead
            status, _ = await h.send(activity)
            assert status == 200
        assert time.monotonic() - started < 10
        assert any("Teams help failed" in r.getMessage() for r in caplog.records)
        assert any("threaded nudge failed" in r.getMessage() for r in caplog.records)
        # ...and the next request, to a live connector, is served as usual.
        status, _ = await h.send(h.personal_message("help"))
        assert status == 200 and len(h.connector.sent()) == 1

    with caplog.at_level(logging.INFO):
        run(scenario, **MIRRORED)


def test_when_in_dev_mode_then_activities_may_only_point_the_bot_at_loopback() -> None:
    async def scenario(h: TeamsHarness) -> None:
        activity = h.personal_message("help")
        activity["serviceUrl"] = "https://smba.trafficmanager.net/amer/"
        status, _ = await h.send(activity)
        assert status == 403

    run(scenario)


def test_when_anything_is_logged_then_no_message_text_appears(caplog: pytest.LogCaptureFixture) -> None:
    async def scenario(h: TeamsHarness) -> None:
        await h.send(h.personal_message(f"checkpost {SECRET}"))
        await h.send(h.personal_message(f"is this ok? {SECRET}"))
        await h.send(h.channel_message(SECRET))
        h.connector.fail_once("reply_to_activity", 500)
        await h.send(h.personal_message(f"checkpost {SECRET}"))
        await h.send(
            h.invoke("composeExtension/submitAction", {"commandId": "checkPost", "data": {"draft": SECRET}})
        )
        await h.post(json.dumps({"type": "message", "text": SECRET}))
        await h.post('{"text": "' + SECRET)

    with caplog.at_level(logging.DEBUG):
        run(scenario, **MIRRORED)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "checkpost reviewed" in logged and "nudged a poster" in logged
    for fragment in ("6146", "2983", "jane.smith", "dss.gov.au"):
        assert fragment not in logged
