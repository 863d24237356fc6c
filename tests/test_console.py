"""Console conversations: push a line, pop the reply (errbot testbot style), and one real pipe."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from adapters.console import HELP, ConsoleSession, run_console
from bot.config import load_config
from bot.errors import UnknownProfileError
from bot.service import Thinktwice
from bot.types import Answer, Citation

ROOT = Path(__file__).resolve().parent.parent
EMAIL_DRAFT = "Happy to help, email me at jane.citizen@dss.gov.au about it."


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Thinktwice:
    data_dir = tmp_path_factory.mktemp("data")
    return Thinktwice.start(load_config({"THINKTWICE_DATA_DIR": str(data_dir)}))


@pytest.fixture
def session(bot: Thinktwice) -> ConsoleSession:
    return ConsoleSession(bot)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


# -- /checkpost ------------------------------------------------------------------------


def test_when_a_draft_has_a_work_email_then_checkpost_says_stop_and_highlights_it(
    session: ConsoleSession,
) -> None:
    reply = session.push(f"/checkpost {EMAIL_DRAFT}")
    assert reply.startswith("STOP")
    assert "contact-details" in reply
    assert "»jane.citizen@dss.gov.au«" in reply
    assert "Cites: DSS policy" in reply


def test_when_a_draft_is_harmless_then_checkpost_says_ok(session: ConsoleSession) -> None:
    assert session.push("/checkpost Lovely morning for a walk around the lake.").startswith("OK")


def test_when_checkpost_has_no_draft_then_it_says_how_to_use_it(session: ConsoleSession) -> None:
    assert "/checkpost followed by the draft" in session.push("/checkpost   ")


def test_when_the_draft_is_too_long_then_the_reply_is_the_input_error_sentence(
    session: ConsoleSession,
) -> None:
    reply = session.push("/checkpost " + "a" * 40_001)
    assert "limit is 40,000" in reply
    assert "Traceback" not in reply


def test_when_the_command_is_in_capitals_then_it_still_works(session: ConsoleSession) -> None:
    assert session.push(f"/CHECKPOST {EMAIL_DRAFT}").startswith("STOP")


# -- #mirror ---------------------------------------------------------------------------------


def test_when_a_mirrored_message_has_a_work_email_then_the_nudge_does_not_repeat_it(
    session: ConsoleSession,
) -> None:
    reply = session.push("#mirror reach me on jane.citizen@dss.gov.au")
    assert reply.startswith("Nudge (contact-details)")
    assert "jane.citizen" not in reply


def test_when_a_mirrored_message_is_harmless_then_there_is_no_nudge(session: ConsoleSession) -> None:
    assert session.push("#mirror Fridge clean-out at 2pm Friday").startswith("No nudge")


def test_when_mirror_has_no_message_then_it_says_how_to_use_it(session: ConsoleSession) -> None:
    assert "#mirror followed by a message" in session.push("#mirror")


# -- profiles ------------------------------------------------------------------------------------


def test_when_the_profile_is_unknown_then_one_sentence_and_the_session_goes_on(
    session: ConsoleSession,
) -> None:
    reply = session.push("/profile nope")
    assert reply == "unknown profile 'nope'; choose one of: act, dhs, dibp, dss, vic-dhs\n"
    assert session.profile_id == "dss"
    assert session.push(f"/checkpost {EMAIL_DRAFT}").startswith("STOP")


def test_when_the_profile_is_switched_then_later_checks_use_it(
    bot: Thinktwice, session: ConsoleSession
) -> None:
    assert session.push("/profile dibp").startswith("Switched to dibp")
    assert session.profile_id == "dibp"
    assert f"({bot.profile('dibp').short_name} policy)" in session.push(f"/checkpost {EMAIL_DRAFT}")
    assert session.push("/profile").startswith("Active profile: dibp")


def test_when_profiles_are_listed_then_the_active_one_is_marked(session: ConsoleSession) -> None:
    session.push("/profile act")
    lines = session.push("/profiles").splitlines()
    assert [line[2:].split()[0] for line in lines] == ["act", "dhs", "dibp", "dss", "vic-dhs"]
    assert [line[0] for line in lines] == ["*", " ", " ", " ", " "]


def test_when_the_session_starts_on_an_unknown_profile_then_it_refuses(bot: Thinktwice) -> None:
    with pytest.raises(UnknownProfileError):
        ConsoleSession(bot, "nope")


# -- the rest ------------------------------------------------------------------------------------


def test_when_help_is_asked_then_every_command_is_listed(session: ConsoleSession) -> None:
    reply = session.push("/help")
    assert reply == HELP
    for command in ("/checkpost", "#mirror", "/profile", "/profiles", "/quit"):
        assert command in reply


def test_when_quit_is_typed_then_the_session_is_done(session: ConsoleSession) -> None:
    assert session.push("/quit") == "Bye.\n"
    assert session.done


def test_when_an_unknown_command_is_typed_then_it_points_to_help(session: ConsoleSession) -> None:
    assert session.push("/frobnicate now") == "Unknown command /frobnicate; type /help for the list.\n"


@pytest.mark.parametrize("line", ["", "   ", "\n", "\t\n"])
def test_when_a_line_is_blank_then_there_is_no_reply(session: ConsoleSession, line: str) -> None:
    assert session.push(line) == ""


def test_when_a_line_has_undecodable_bytes_then_it_says_so(session: ConsoleSession) -> None:
    assert "not valid UTF-8" in session.push("hello \udcff\udcfe")


def test_when_replies_are_pushed_then_they_pop_in_order(session: ConsoleSession) -> None:
    session.push("/help")
    session.push("")
    session.push("/quit")
    assert session.pop() == HELP
    assert session.pop() == "Bye.\n"
    with pytest.raises(IndexError):
        session.pop()


# -- questions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("error", [ImportError, AttributeError, NotImplementedError])
def test_when_question_answering_is_not_built_then_the_console_says_so(
    bot: Thinktwice, monkeypatch: pytest.MonkeyPatch, error: type[Exception]
) -> None:
    def ask(question: str, profile_id: str | None = None) -> Answer:
        raise error("no answering yet")

    monkeypatch.setattr(bot, "ask", ask)
    reply = ConsoleSession(bot).push("Can I say where I work on LinkedIn?")
    assert reply.startswith("Question answering is not available yet")


def test_when_a_question_is_answered_then_the_answer_and_its_source_are_shown(
    bot: Thinktwice, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str | None]] = []

    def ask(question: str, profile_id: str | None = None) -> Answer:
        asked.append((question, profile_id))
        return Answer(
            "dhs", "Yes, as a private citizen.", False, 0.9, (Citation("dhs", "3", "Personal use"),), None
        )

    monkeypatch.setattr(bot, "ask", ask)
    s = ConsoleSession(bot, "dhs")
    reply = s.push("  Can I post about my weekend?  ")
    assert asked == [("Can I post about my weekend?", "dhs")]
    assert reply.startswith("Yes, as a private citizen.\nSource: DHS policy s3, Personal use")


def test_when_a_hash_line_is_not_mirror_then_it_is_a_question(
    bot: Thinktwice, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def ask(question: str, profile_id: str | None = None) -> Answer:
        asked.append(question)
        return Answer("dss", "An answer.", False, 0.5, (), None)

    monkeypatch.setattr(bot, "ask", ask)
    ConsoleSession(bot).push("#general is it ok to post?")
    assert asked == ["#general is it ok to post?"]


def test_when_the_core_fails_unexpectedly_then_a_generic_sentence_is_logged_without_the_text(
    bot: Thinktwice, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def review(text: str, profile_id: str | None = None) -> None:
        raise RuntimeError(f"boom on {text}")

    monkeypatch.setattr(bot, "review", review)
    with caplog.at_level(logging.DEBUG, logger="adapters.console"):
        reply = ConsoleSession(bot).push("/checkpost my secret jane.citizen@dss.gov.au")
    assert reply.startswith("Sorry, something went wrong")
    assert "RuntimeError" in caplog.text
    assert "jane.citizen" not in caplog.text


# -- the loop ----------------------------------------------------------------------------------------


def _run(
    bot: Thinktwice, text: str, stdin_cls: type[io.StringIO] = io.StringIO, **kw: str
) -> tuple[int, str]:
    out = io.StringIO()
    code = run_console(bot, stdin_cls(text), out, **kw)
    return code, out.getvalue()


def test_when_lines_are_piped_then_only_the_replies_are_written(bot: Thinktwice) -> None:
    code, out = _run(bot, "/help\n\n/profile nope\n")
    assert code == 0
    assert out == HELP + "unknown profile 'nope'; choose one of: act, dhs, dibp, dss, vic-dhs\n"


def test_when_quit_is_piped_then_later_lines_are_not_read(bot: Thinktwice) -> None:
    code, out = _run(bot, "/quit\n/help\n")
    assert (code, out) == (0, "Bye.\n")


def test_when_input_has_no_final_newline_then_the_last_line_still_counts(bot: Thinktwice) -> None:
    assert _run(bot, "/profile act")[1].startswith("Switched to act")


def test_when_the_console_starts_on_an_unknown_profile_then_it_says_so_and_exits_2(bot: Thinktwice) -> None:
    code, out = _run(bot, "/help\n", profile_id="nope")
    assert code == 2
    assert out.startswith("unknown profile 'nope'")


def test_when_stdin_is_a_terminal_then_a_banner_names_the_profile_and_prompts_appear(bot: Thinktwice) -> None:
    code, out = _run(bot, "/quit\n", _Tty, profile_id="act")
    assert code == 0
    assert out.startswith("thinktwice console: checking against the ACT Government")
    assert "(act)" in out.splitlines()[0]
    assert "you> Bye." in out


# -- a real process ----------------------------------------------------------------------------------


Console = Callable[[bytes], "subprocess.CompletedProcess[bytes]"]


@pytest.fixture
def console_run(tmp_path: Path) -> Console:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("THINKTWICE_", "SLACK_", "Microsoft"))}
    env.update(PYTHONPATH=str(ROOT), THINKTWICE_DATA_DIR=str(tmp_path / "data"), PYTHONIOENCODING="utf-8")

    def run(data: bytes) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "bot", "console"],
            input=data,
            capture_output=True,
            env=env,
            timeout=60,
            cwd=ROOT,
        )

    return run


def test_when_lines_are_piped_into_the_console_command_then_each_gets_a_reply(console_run: Console) -> None:
    lines = [
        f"/checkpost {EMAIL_DRAFT}",
        "#mirror call me on jane.citizen@dss.gov.au",
        "/profile nope",
        "what can I post?",
        "/profile dibp",
    ]
    data = ("\n".join(lines) + "\n").encode() + b"\xff\xfe bad bytes\n/quit\n/help\n"
    result = console_run(data)
    out = result.stdout.decode()
    assert result.returncode == 0
    assert b"Traceback" not in result.stderr
    assert out.startswith("STOP")
    assert "Nudge (contact-details)" in out
    assert "unknown profile 'nope'" in out
    assert "Switched to dibp" in out
    assert "not valid UTF-8" in out
    assert out.endswith("Bye.\n")
    assert "you>" not in out and "Traceback" not in out
