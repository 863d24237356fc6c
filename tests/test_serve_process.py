"""A real `thinktwice serve` process: graceful stop on SIGTERM/SIGINT, SIGHUP and `rules reload`."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.rulebooks import EXPLANATION, add_codeword_rule, break_rules, copy_rules
from fakes.serve_process import ServeProcess, ThreadedSlackApi, wait_until

from bot.cli import main

CODEWORD_DRAFT = "the bluegum file is due on Friday"


@pytest.fixture
def slack() -> Iterator[ThreadedSlackApi]:
    with ThreadedSlackApi() as api:
        yield api


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    return copy_rules(tmp_path)


def _refused(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return False
    except ConnectionRefusedError:
        return True


def _review_says_codeword(slack: ThreadedSlackApi, count: int) -> bool:
    reply = slack.wait_for("response_url", count)[count - 1]
    return EXPLANATION in json.dumps(reply.params)


# -- graceful shutdown -----------------------------------------------------------------------------------
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_when_stopped_by_signal_then_the_port_closes_the_request_in_flight_completes_and_the_exit_is_0(
    signum: int, tmp_path: Path, slack: ThreadedSlackApi, rules: Path
) -> None:
    with ServeProcess(tmp_path, slack, rules) as server:
        # Bolt asks auth.test before it handles the first request: holding that answer keeps the
        # request inside its handler, in flight, for as long as the test needs.
        release = slack.hold("auth.test")
        answered: list[tuple[int, str]] = []
        client = threading.Thread(target=lambda: answered.append(server.command_response("help", 30)))
        client.start()
        slack.wait_for("auth.test")
        assert server.metric("thinktwice_http_requests_in_flight", route="/slack/events") == 1

        server.signal(signum)
        wait_until(lambda: _refused(server.port), "the port to stop accepting connections")
        release()
        client.join(30)

        ((status, body),) = answered
        assert status == 200 and "/checkpost" in body  # the help text: the handler ran to the end
        assert server.wait() == 0
        assert not server.pid_file.exists()
        assert any(r["message"] == "thinktwice stopped" for r in server.records())


# -- hot reload ------------------------------------------------------------------------------------------
def test_when_sent_sighup_then_new_rules_take_effect_and_broken_ones_are_refused_with_file_and_line(
    tmp_path: Path, slack: ThreadedSlackApi, rules: Path
) -> None:
    with ServeProcess(tmp_path, slack, rules) as server:
        assert server.command(CODEWORD_DRAFT) == 200
        assert not _review_says_codeword(slack, 1)

        add_codeword_rule(rules)
        server.signal(signal.SIGHUP)
        wait_until(lambda: server.readyz()["rules"]["generation"] == 2, "the reload")
        assert server.command(CODEWORD_DRAFT) == 200
        assert _review_says_codeword(slack, 2)

        line = break_rules(rules)
        server.signal(signal.SIGHUP)
        refused = 'thinktwice_rulebook_reloads_total{outcome="refused"} 1.0'
        wait_until(lambda: refused in server.get("/metrics")[1], "the refusal")
        (record,) = [r for r in server.records() if r["message"].startswith("rulebook reload refused")]
        assert record["level"] == "ERROR"
        assert f"detectors.yaml:{line}: unknown category 'not-a-category'" in record["message"]
        status = server.readyz()
        assert status["status"] == "ready" and status["rules"]["generation"] == 2
        assert server.command(CODEWORD_DRAFT) == 200
        assert _review_says_codeword(slack, 3)  # the rules in force before the broken edit

        server.signal(signal.SIGTERM)
        assert server.wait() == 0


def test_when_rules_reload_is_run_then_the_running_server_reloads_and_a_broken_set_is_not_sent(
    tmp_path: Path,
    slack: ThreadedSlackApi,
    rules: Path,
    isolated_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with ServeProcess(tmp_path, slack, rules) as server:
        isolated_env.setenv("THINKTWICE_DATA_DIR", str(server.data_dir))
        isolated_env.setenv("THINKTWICE_RULES_DIR", str(rules))
        add_codeword_rule(rules)

        assert main(["rules", "reload"]) == 0
        out = capsys.readouterr().out
        assert server.process is not None
        assert f"serve-{server.port}.pid: pid {server.process.pid}: sent SIGHUP" in out
        wait_until(lambda: server.readyz()["rules"]["generation"] == 2, "the reload")

        line = break_rules(rules)
        assert main(["rules", "reload", "--format", "json"]) == 2
        captured = capsys.readouterr()
        assert f"detectors.yaml:{line}:" in captured.err
        assert json.loads(captured.out)["ok"] is False
        # Nothing was sent: the server never saw the broken set, and its rules are as they were.
        assert server.metric("thinktwice_rulebook_reloads_total", outcome="refused") == 0
        assert server.readyz()["rules"]["generation"] == 2

        server.signal(signal.SIGTERM)
        assert server.wait() == 0


def test_when_no_server_is_running_then_rules_reload_says_so_and_exits_2(
    isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", "reload"]) == 2
    assert "no running `thinktwice serve` found" in capsys.readouterr().err


def test_when_a_pid_file_is_stale_then_rules_reload_signals_nothing_and_exits_2(
    tmp_path: Path, isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir(parents=True, exist_ok=True)
    # A process that is not thinktwice, whose pid a crashed server's file might name: SIGHUP would kill it.
    bystander = subprocess.Popen(["sleep", "60"])
    try:
        (data / "serve-3978.pid").write_text(f"{bystander.pid}\n")
        (data / "serve-3979.pid").write_text("not a pid\n")
        assert main(["rules", "reload"]) == 2
        out = capsys.readouterr().out
        assert f"pid {bystander.pid}: not a thinktwice server (a stale pid file)" in out
        assert "serve-3979.pid: pid ?: unreadable pid file" in out
        assert bystander.poll() is None  # still running: never signalled
    finally:
        bystander.kill()
        bystander.wait()


# -- the audit outlives the process ----------------------------------------------------------------------
def test_when_the_server_is_restarted_then_what_it_counted_is_still_there(
    tmp_path: Path, slack: ThreadedSlackApi, rules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for run in (1, 2):
        with ServeProcess(tmp_path, slack, rules) as server:
            assert server.command("email me at jane.citizen@dss.gov.au") == 200
            slack.wait_for("response_url", run)
            server.signal(signal.SIGTERM)
            assert server.wait() == 0
    # The report reads the same data directory the two servers used, one after the other.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("THINKTWICE_DATA_DIR", str(server.data_dir))
        assert main(["report", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert "jane.citizen" not in json.dumps(report)
    assert report["columns"] == [{"profile": "dss", "platform": "slack"}]
    totals = {(row["metric"], row["key"]): row["total"] for row in report["rows"]}
    assert totals[("reviews", None)] == 2  # one from each run of the server
    assert totals[("finding", "contact-details")] == 2
