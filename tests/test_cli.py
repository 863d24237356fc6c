"""The command line contract of SPEC.md: commands, JSON shapes, exit status and error reporting."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent
DRAFT = "Happy to help, email me at jane.citizen@dss.gov.au about it."
EMAIL = "jane.citizen@dss.gov.au"
HARMLESS = "Lovely morning for a walk around the lake."
VERDICT_KEYS = {"profile", "verdict", "findings", "suggestion"}
FINDING_KEYS = {"category", "rule", "severity", "start", "end", "excerpt", "explanation", "citations"}


@pytest.fixture(autouse=True)
def _clean_env(isolated_env: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    return isolated_env


class Run:
    """One in-process run of `thinktwice`: exit code, stdout and stderr."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self) -> Any:
        return json.loads(self.out)

    def jsonl(self) -> list[Any]:
        return [json.loads(line) for line in self.out.splitlines()]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Any:
    def run(*argv: str, stdin: bytes | str = b"") -> Run:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


def assert_one_line_error(run: Run, json_mode: bool, *words: str) -> None:
    assert run.code == 2
    assert run.err.startswith("thinktwice: ") and run.err.endswith("\n") and run.err.count("\n") == 1, run.err
    assert "Traceback" not in run.err
    if json_mode:
        obj = run.json()
        assert list(obj) == ["error"]
        message = obj["error"]
    else:
        assert run.out == ""
        message = run.err
    for word in words:
        assert word in message


def assert_spec_verdict(result: dict[str, Any], text: str) -> None:
    assert set(result) == VERDICT_KEYS
    assert result["verdict"] in ("ok", "caution", "stop")
    for f in result["findings"]:
        assert set(f) == FINDING_KEYS
        assert text[f["start"] : f["end"]] == f["excerpt"]
        assert f["severity"] in ("stop", "caution")
        assert f["citations"] and all(set(c) == {"policy", "section", "heading"} for c in f["citations"])
        assert all(c["policy"] == result["profile"] for c in f["citations"])
    severities = {f["severity"] for f in result["findings"]}
    expected = "stop" if "stop" in severities else "caution" if severities else "ok"
    assert result["verdict"] == expected


# -- checkpost ------------------------------------------------------------------------------------


def test_when_a_draft_is_given_as_words_then_checkpost_json_follows_spec(cli: Any) -> None:
    run = cli("checkpost", "--format", "json", *DRAFT.split(" "))
    assert run.code == 0 and run.err == ""
    result = run.json()
    assert_spec_verdict(result, DRAFT)
    assert result["profile"] == "dss"
    assert result["verdict"] == "stop"
    email = next(f for f in result["findings"] if f["excerpt"] == EMAIL)
    assert (email["category"], email["severity"]) == ("contact-details", "stop")


@pytest.mark.parametrize("args", [(), ("-",)], ids=["no-words", "dash"])
def test_when_no_words_or_a_dash_are_given_then_checkpost_reads_stdin(
    cli: Any, args: tuple[str, ...]
) -> None:
    text = f"First line.\n{DRAFT}\n"
    run = cli("checkpost", "--format=json", *args, stdin=text)
    assert run.code == 0
    result = run.json()
    assert_spec_verdict(result, text)
    assert EMAIL in [f["excerpt"] for f in result["findings"]]


def test_when_a_draft_is_harmless_then_the_verdict_is_ok(cli: Any) -> None:
    run = cli("checkpost", "--format", "json", HARMLESS)
    assert run.code == 0
    assert run.json() == {"profile": "dss", "verdict": "ok", "findings": [], "suggestion": None}


def test_when_the_profile_is_chosen_then_the_result_cites_it(cli: Any) -> None:
    result = cli("checkpost", "--profile", "act", "--format", "json", DRAFT).json()
    assert result["profile"] == "act"
    assert_spec_verdict(result, DRAFT)


def test_when_thinktwice_profile_is_set_then_it_is_the_default(
    cli: Any, isolated_env: pytest.MonkeyPatch
) -> None:
    isolated_env.setenv("THINKTWICE_PROFILE", "vic-dhs")
    assert cli("checkpost", "--format", "json", HARMLESS).json()["profile"] == "vic-dhs"


def test_when_the_format_is_text_then_the_verdict_and_excerpt_are_shown(cli: Any) -> None:
    run = cli("checkpost", DRAFT)
    assert run.code == 0  # 0 whatever it found
    assert run.out.startswith("STOP: do not post this as written. (DSS policy)")
    assert f"»{EMAIL}«" in run.out
    assert "Cites: DSS policy" in run.out


@pytest.mark.parametrize("json_mode", [False, True], ids=["text", "json"])
@pytest.mark.parametrize(
    ("args", "stdin", "words"),
    [
        pytest.param(("",), b"", ("empty",), id="empty-word"),
        pytest.param((), b"", ("empty",), id="empty-stdin"),
        pytest.param(("-",), b"  \n\t \n", ("empty",), id="whitespace-stdin"),
        pytest.param(("a" * 40_001,), b"", ("40,001", "40,000"), id="too-long-words"),
        pytest.param((), b"b" * 40_001, ("40,000",), id="too-long-stdin"),
        pytest.param((), b"caf\xe9 au lait\n", ("not valid UTF-8", "line 1"), id="invalid-utf8-stdin"),
        pytest.param(("--profile", "nope", "hello"), b"", ("unknown profile 'nope'",), id="unknown-profile"),
    ],
)
def test_when_the_input_is_bad_then_checkpost_exits_2_with_one_sentence(
    cli: Any, args: tuple[str, ...], stdin: bytes, words: tuple[str, ...], json_mode: bool
) -> None:
    fmt = ("--format", "json") if json_mode else ()
    run = cli("checkpost", *fmt, *args, stdin=stdin)
    assert_one_line_error(run, json_mode, *words)


def test_when_the_text_is_exactly_the_limit_then_it_is_checked(cli: Any) -> None:
    text = ("Lovely walk. " * 4000)[:40_000]
    assert cli("checkpost", "--format", "json", "-", stdin=text).code == 0


@pytest.mark.parametrize("json_mode", [False, True], ids=["text", "json"])
@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(("frobnicate",), id="unknown-command"),
        pytest.param(("checkpost", "--colour", "hi"), id="unknown-option"),
        pytest.param(("checkpost", "--format", "yaml", "hi"), id="unknown-format"),
        pytest.param(("rules", "frob"), id="unknown-subcommand"),
    ],
)
def test_when_the_command_line_is_wrong_then_it_exits_2_with_one_line(
    cli: Any, argv: tuple[str, ...], json_mode: bool
) -> None:
    run = cli(*argv, *(("--format=json",) if json_mode and "--format" not in argv else ()))
    assert run.code == 2
    assert run.err.startswith("thinktwice: ") and run.err.count("\n") == 1
    if json_mode and "--format" not in argv:
        assert "error" in run.json()


# -- checkpost --batch -----------------------------------------------------------------------------------

BATCH = b"\n".join(
    [
        json.dumps({"id": 1, "text": DRAFT}).encode(),
        b"this is not json",
        json.dumps({"id": 2, "text": HARMLESS, "profile": "act"}).encode(),
        b'{"id": 3, "text": "caf\xe9"}',  # invalid UTF-8
        json.dumps({"id": "no-text"}).encode(),
        b"",  # blank lines are skipped
        json.dumps({"id": 4, "text": HARMLESS, "profile": "nope"}).encode(),
        json.dumps({"id": 5, "text": "   "}).encode(),
        json.dumps([1, 2, 3]).encode(),
        json.dumps({"id": 6, "text": 42}).encode(),
        json.dumps({"id": 7, "text": "x" * 40_001}).encode(),
        json.dumps({"id": "last", "text": DRAFT, "profile": "dibp"}).encode(),
    ]
)


def test_when_a_batch_has_bad_lines_then_each_gets_an_error_and_the_run_goes_on(cli: Any) -> None:
    run = cli("checkpost", "--batch", stdin=BATCH)
    assert run.code == 0 and run.err == ""
    results = run.jsonl()
    assert [r["id"] for r in results] == [1, None, 2, None, "no-text", 4, 5, None, 6, 7, "last"]
    errors = {i: r["error"] for i, r in enumerate(results) if "error" in r}
    assert set(errors) == {1, 3, 4, 5, 6, 7, 8, 9}
    assert "not valid JSON" in errors[1]
    assert "not valid UTF-8" in errors[3]
    assert "'text'" in errors[4]
    assert "unknown profile 'nope'" in errors[5]
    assert "empty" in errors[6]
    assert "not a JSON object" in errors[7]
    assert "40,000" in errors[9]
    for i, r in enumerate(results):
        if i not in errors:
            text = {1: DRAFT, 2: HARMLESS, "last": DRAFT}[r["id"]]
            assert set(r) == VERDICT_KEYS | {"id"}
            assert_spec_verdict({k: v for k, v in r.items() if k != "id"}, text)
    assert [r.get("profile") for r in results if "error" not in r] == ["dss", "act", "dibp"]


def test_when_a_batch_is_empty_then_nothing_is_written(cli: Any) -> None:
    run = cli("checkpost", "--batch", stdin=b"\n\n")
    assert (run.code, run.out, run.err) == (0, "", "")


def test_when_a_batch_line_has_no_profile_then_the_command_line_profile_applies(cli: Any) -> None:
    run = cli("checkpost", "--batch", "--profile", "dhs", stdin=json.dumps({"id": "a", "text": HARMLESS}))
    assert run.jsonl() == [{"id": "a", "profile": "dhs", "verdict": "ok", "findings": [], "suggestion": None}]


# -- scan ------------------------------------------------------------------------------------------------


def test_when_messages_are_scanned_then_one_line_each_in_order_and_no_secret_is_repeated(cli: Any) -> None:
    lines = [
        json.dumps({"id": 7, "text": f"reach me on {EMAIL}"}),
        json.dumps({"id": 8, "text": "Fridge clean-out at 2pm Friday"}),
        "{broken",
        json.dumps({"id": 9, "profile": "act"}),
        json.dumps({"id": 10, "text": f"ask {EMAIL}", "profile": "nope"}),
    ]
    run = cli("scan", "--format", "json", stdin="\n".join(lines) + "\n")
    assert run.code == 0
    results = run.jsonl()
    assert [r["id"] for r in results] == [7, 8, None, 9, 10]
    nudge, quiet = results[0], results[1]
    assert set(nudge) == {"id", "nudge", "categories", "message"}
    assert nudge["nudge"] is True and nudge["categories"] == ["contact-details"]
    assert (
        isinstance(nudge["message"], str) and EMAIL not in nudge["message"] and "jane" not in nudge["message"]
    )
    assert quiet == {"id": 8, "nudge": False, "categories": [], "message": None}
    assert all(set(r) == {"id", "error"} for r in results[2:])
    assert "unknown profile" in results[4]["error"]


def test_when_scan_output_is_text_then_each_message_gets_a_line(cli: Any) -> None:
    run = cli("scan", stdin=json.dumps({"id": 1, "text": "lunch?"}) + "\nnope\n")
    assert run.out.splitlines() == ["1: no nudge", "None: error: line 2 is not valid JSON (Expecting value)"]


# -- profiles --------------------------------------------------------------------------------------------


def test_when_profiles_are_listed_then_all_five_appear_with_the_default_marked(cli: Any) -> None:
    run = cli("profiles")
    assert run.code == 0
    rows = run.out.splitlines()
    assert [row[2:].split()[0] for row in rows] == ["act", "dhs", "dibp", "dss", "vic-dhs"]
    assert [row[0] for row in rows] == [" ", " ", " ", "*", " "]


def test_when_profiles_are_listed_as_json_then_each_has_a_name_and_contact(cli: Any) -> None:
    listing = cli("profiles", "--format", "json").json()
    assert listing["default"] == "dss"
    assert [p["id"] for p in listing["profiles"]] == ["act", "dhs", "dibp", "dss", "vic-dhs"]
    assert all(p["name"] and p["contact"] for p in listing["profiles"])


# -- a real process ------------------------------------------------------------------------------------------


def _process(args: list[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THINKTWICE_", "SLACK_", "Microsoft"))}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, env=env, timeout=60, cwd=ROOT
    )


def test_when_run_as_a_process_then_checkpost_prints_spec_json_and_exits_0() -> None:
    result = _process(["checkpost", "--format", "json", DRAFT])
    assert result.returncode == 0, result.stderr
    assert_spec_verdict(json.loads(result.stdout), DRAFT)


def test_when_a_process_gets_invalid_utf8_then_it_exits_2_with_one_line_and_no_traceback() -> None:
    result = _process(["checkpost", "--format", "json"], stdin=b"\xff\xfe not text")
    assert result.returncode == 2
    assert "error" in json.loads(result.stdout)
    err = result.stderr.decode()
    assert err.count("\n") == 1 and "not valid UTF-8" in err and "Traceback" not in err
