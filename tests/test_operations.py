"""Operations on the in-process server: /metrics, /readyz, and logs (text or JSON) without message text."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
from collections.abc import Iterator

import aiohttp
import pytest
from fakes.slack_harness import SlackHarness, message_event, run, sign
from prometheus_client.parser import text_string_to_metric_families

from adapters.logsetup import JsonFormatter, configure_logging, log_settings
from adapters.metrics import METRICS_KEY, Metrics
from adapters.readiness import READINESS_KEY
from bot.cli import main
from bot.service import RulesStatus

MIRROR = "C0MIRROR1"
MIRRORED = {"THINKTWICE_MIRROR_CHANNELS": MIRROR}
RISKY = "call me on 02 6146 2983 or email jane.smith@dss.gov.au"
# A made-up word no log line could carry unless it copied a person's message.
MARKER = "Wombatquill"
SECRET_MESSAGE = f"{MARKER} here: call me on 02 6146 2983 or jane.smith@dss.gov.au [SEC=PROTECTED]"


async def _text(h: SlackHarness, path: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(f"{h.url}{path}") as response:
        return response.status, response.headers.get("Content-Type", ""), await response.text()


async def _samples(h: SlackHarness) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    status, _, text = await _text(h, "/metrics")
    assert status == 200
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def _value(samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


# -- /metrics --------------------------------------------------------------------------------------------
def test_when_a_risky_message_is_nudged_then_metrics_count_the_event_the_nudge_and_the_request() -> None:
    async def scenario(h: SlackHarness) -> None:
        await h.event(message_event(RISKY, channel=MIRROR), event_id="Ev0METRICS1")
        await h.event(message_event(RISKY, channel=MIRROR), event_id="Ev0METRICS1", retry_num=1)
        await h.idle()
        status, content_type, _ = await _text(h, "/metrics")
        assert status == 200 and content_type.startswith("text/plain")
        m = await _samples(h)
        assert _value(m, "thinktwice_events_total", platform="slack", kind="message") == 1
        assert _value(m, "thinktwice_events_total", platform="slack", kind="redelivery") == 1
        assert _value(m, "thinktwice_nudges_total", platform="slack", category="contact-details") == 1
        assert (
            _value(m, "thinktwice_http_requests_total", route="/slack/events", method="POST", status="200")
            == 2
        )
        assert _value(m, "thinktwice_http_request_duration_seconds_count", route="/slack/events") == 2
        assert (
            _value(m, "thinktwice_http_request_duration_seconds_bucket", route="/slack/events", le="+Inf")
            == 2
        )
        assert _value(m, "thinktwice_rulebook_generation") == 1

    run(scenario, **MIRRORED)


def test_when_requests_are_refused_or_unrouted_then_they_are_counted_by_status_under_bounded_labels() -> None:
    async def scenario(h: SlackHarness) -> None:
        body = json.dumps({"type": "event_callback"})
        assert (await h.post(body, "application/json", signature="v0=wrong"))[0] == 401
        for path in ("/wp-admin", "/.env", "/slack/events/extra"):
            assert (await _text(h, path))[0] == 404
        m = await _samples(h)
        assert (
            _value(m, "thinktwice_http_requests_total", route="/slack/events", method="POST", status="401")
            == 1
        )
        assert _value(m, "thinktwice_http_requests_total", route="unmatched", method="GET", status="404") == 3
        assert not any("wp-admin" in str(labels) for _, labels in m)

    run(scenario)


def test_when_the_slack_api_refuses_a_nudge_then_an_error_is_counted_and_no_nudge() -> None:
    async def scenario(h: SlackHarness) -> None:
        h.api.fail_once("chat.postEphemeral", "channel_not_found")
        await h.event(message_event(RISKY, channel=MIRROR))
        await h.idle()
        m = await _samples(h)
        assert _value(m, "thinktwice_errors_total", platform="slack", where="chat.postEphemeral") == 1
        assert _value(m, "thinktwice_nudges_total", platform="slack", category="contact-details") == 0

    run(scenario, **MIRRORED)


def test_when_two_apps_run_in_one_process_then_their_metrics_are_independent() -> None:
    async def scenario(first: SlackHarness) -> None:
        await first.event(message_event(RISKY, channel=MIRROR))
        await first.idle()
        async with SlackHarness(**MIRRORED) as second:
            assert first.web_app is not None and second.web_app is not None
            assert first.web_app[METRICS_KEY] is not second.web_app[METRICS_KEY]
            m = await _samples(second)
            assert _value(m, "thinktwice_events_total", platform="slack", kind="message") == 0
        m = await _samples(first)
        assert _value(m, "thinktwice_events_total", platform="slack", kind="message") == 1

    run(scenario, **MIRRORED)


def test_when_an_adapter_counts_then_the_three_methods_reach_the_registry() -> None:
    metrics = Metrics()
    metrics.event("teams", "message")
    metrics.nudge("teams", "classified")
    metrics.error("teams", "send_activity")
    metrics.reload(ok=False, generation=1)
    get = metrics.registry.get_sample_value
    assert get("thinktwice_events_total", {"platform": "teams", "kind": "message"}) == 1
    assert get("thinktwice_nudges_total", {"platform": "teams", "category": "classified"}) == 1
    assert get("thinktwice_errors_total", {"platform": "teams", "where": "send_activity"}) == 1
    assert get("thinktwice_rulebook_reloads_total", {"outcome": "refused"}) == 1


# -- /readyz ---------------------------------------------------------------------------------------------
def test_when_the_rulebooks_are_loaded_and_no_check_fails_then_readyz_is_200() -> None:
    async def scenario(h: SlackHarness) -> None:
        status, body = await h.get("/readyz")
        assert status == 200 and body["status"] == "ready"
        assert body["rules"]["generation"] == 1 and "dss" in body["rules"]["profiles"]
        assert body["checks"][0]["ok"] and "rulebooks loaded" in body["checks"][0]["reason"]
        assert (await h.get("/healthz"))[0] == 200

    run(scenario)


def test_when_the_rulebooks_are_not_loaded_then_readyz_is_503_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def scenario(h: SlackHarness) -> None:
        assert h.bot is not None
        monkeypatch.setattr(h.bot, "rules_status", lambda: RulesStatus(0, 0.0, 0, ()))
        status, body = await h.get("/readyz")
        assert status == 503
        assert body["status"] == "not ready" and body["reason"] == "rulebooks are not loaded"
        assert (await h.get("/healthz"))[0] == 200  # alive, just not ready

    run(scenario)


def test_when_a_registered_check_fails_raises_or_hangs_then_readyz_is_503_naming_each(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("adapters.readiness.CHECK_TIMEOUT", 0.05)

    async def redis_down() -> tuple[bool, str]:
        return False, "redis unreachable at 127.0.0.1:6379"

    def broken() -> tuple[bool, str]:
        raise ConnectionError("boom")

    async def hangs() -> tuple[bool, str]:
        await asyncio.Event().wait()
        return True, "never"

    async def scenario(h: SlackHarness) -> None:
        assert h.web_app is not None
        checks = h.web_app[READINESS_KEY]
        checks.append(lambda: (True, "queue fine"))
        checks.append(redis_down)
        status, body = await h.get("/readyz")
        assert status == 503 and body["reason"] == "redis unreachable at 127.0.0.1:6379"
        assert [c["ok"] for c in body["checks"]] == [True, True, True, False]
        checks[-1:] = [broken, hangs]
        status, body = await h.get("/readyz")
        assert status == 503
        assert (
            "broken failed (ConnectionError)" in body["reason"] and "hangs did not answer" in body["reason"]
        )

    run(scenario)


# -- logs ------------------------------------------------------------------------------------------------
@pytest.fixture
def root_logger() -> Iterator[logging.Logger]:
    """The root logger, put back as it was after the test reconfigures it."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield root
    root.handlers[:] = handlers
    root.setLevel(level)


async def _every_slack_path(h: SlackHarness) -> None:
    h.api.add_channel("C0DIRECT", "general")
    body = json.dumps({"type": "event_callback", "event": message_event(SECRET_MESSAGE, channel=MIRROR)})
    ts = int(time.time())
    assert (await h.post(body, "application/json", signature=sign(body, ts, secret="wrong")))[0] == 401
    await h.command(SECRET_MESSAGE)
    await h.event(message_event(SECRET_MESSAGE, channel=MIRROR), event_id="Ev0LOGS0001")
    await h.event(message_event(SECRET_MESSAGE, channel=MIRROR), event_id="Ev0LOGS0001", retry_num=1)
    await h.event(message_event(f"{MARKER}, can I use my work email?", channel="D0DM", channel_type="im"))
    await h.event(
        {**message_event(f"<@UBOT0001> {MARKER} question", channel="C0DIRECT"), "type": "app_mention"}
    )
    await h.api.wait_for("response_url")
    await h.api.wait_for("chat.postMessage", 2)
    await h.idle()


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_when_every_slack_path_runs_then_no_log_line_carries_the_message_text(
    log_format: str, root_logger: logging.Logger
) -> None:
    stream = io.StringIO()
    configure_logging(log_format, "DEBUG", stream=stream)  # the worst case: everything on

    run(_every_slack_path, **MIRRORED)

    logged = stream.getvalue()
    lines = logged.splitlines()
    assert any("nudged a poster" in line for line in lines)  # logging was on, and our lines are there
    assert any("answered a question" in line for line in lines)
    assert any("rejected a Slack request" in line for line in lines)
    for secret in (MARKER, "jane.smith", "6146", "SEC=PROTECTED"):
        assert secret not in logged
    if log_format == "json":
        records = [json.loads(line) for line in lines]  # every line is one JSON object
        assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    else:
        assert not lines[0].startswith("{")


def test_when_a_record_has_extra_fields_then_the_json_line_carries_them(root_logger: logging.Logger) -> None:
    stream = io.StringIO()
    configure_logging("json", "INFO", stream=stream)
    configure_logging("json", "INFO", stream=stream)  # again: replaces, never doubles

    logging.getLogger("tests.logsetup").info("reloaded %d files", 7, extra={"generation": 2, "when": object})
    try:
        raise ValueError("no text here")
    except ValueError:
        logging.getLogger("tests.logsetup").exception("it broke")

    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "reloaded 7 files" and first["generation"] == 2
    assert first["level"] == "INFO" and first["logger"] == "tests.logsetup"
    assert first["time"].endswith("Z") and "T" in first["time"]
    assert "when" in first  # not JSON-able: written as text, the line kept
    assert second["level"] == "ERROR" and "ValueError" in second["exception"]


def test_when_the_log_format_is_chosen_then_the_flag_beats_the_environment() -> None:
    assert log_settings({}, None) == ("text", "INFO")
    assert log_settings({"THINKTWICE_LOG_FORMAT": "JSON"}, None) == ("json", "INFO")
    assert log_settings({"THINKTWICE_LOG_FORMAT": "json"}, "text") == ("text", "INFO")
    assert log_settings({"THINKTWICE_LOG_LEVEL": "debug"}, None) == ("text", "DEBUG")
    with pytest.raises(ValueError, match="log format"):
        log_settings({"THINKTWICE_LOG_FORMAT": "yaml"}, None)
    assert isinstance(JsonFormatter(), logging.Formatter)


def test_when_the_log_format_is_unknown_then_serve_says_so_and_exits_2(
    isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--log-format", "yaml"]) == 2
    isolated_env.setenv("THINKTWICE_LOG_FORMAT", "yaml")
    isolated_env.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    isolated_env.setenv("SLACK_SIGNING_SECRET", "s")
    assert main(["serve", "--port", "1"]) == 2
    assert "log format must be one of text, json" in capsys.readouterr().err


# -- shutdown --------------------------------------------------------------------------------------------
def test_when_the_server_stops_with_an_acknowledged_nudge_unsent_then_clean_up_waits_for_it() -> None:
    async def scenario() -> None:
        h = SlackHarness(**MIRRORED)
        await h.__aenter__()
        try:
            release = h.api.hold("chat.postEphemeral")
            assert (await h.event(message_event(RISKY, channel=MIRROR)))[0] == 200  # Slack has its ack
            await h.api.wait_for("chat.postEphemeral")  # the nudge is on its way, its answer held
            assert h._runner is not None and h.web_app is not None
            closing = asyncio.create_task(h._runner.cleanup())
            for _ in range(50):
                await asyncio.sleep(0)
            assert not closing.done()  # clean-up is waiting for the acknowledged work...
            release.set()
            await closing  # ...which then finishes, rather than being cancelled with the loop
            h._runner = None
            get = h.web_app[METRICS_KEY].registry.get_sample_value
            assert get("thinktwice_nudges_total", {"platform": "slack", "category": "contact-details"}) == 1
        finally:
            await h.__aexit__(None, None, None)

    asyncio.run(scenario())
