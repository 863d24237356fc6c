"""`thinktwice report`: its summary, the terminal table, the command line, and the console's counts."""

from __future__ import annotations

import io
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from adapters.console import ConsoleSession
from bot.audit import Audit, SQLiteAuditStore
from bot.audit.records import Count, Dispute
from bot.audit.summary import iso_week, summarise
from bot.cli import main
from bot.config import load_config
from bot.service import Thinktwice
from bot.types import Finding, Verdict

EMAIL = "jane.citizen@dss.gov.au"


def _verdict(*categories: str) -> Verdict:
    findings = tuple(Finding(c, f"rule-{c}", "caution", 0, 1, "x", "y", ()) for c in categories)
    return Verdict("dss", "caution" if findings else "ok", findings, None)


def seed(data_dir: Path) -> None:
    """Three weeks of counts (the middle one empty) for dss on slack and act on teams, with disputes."""
    day = [date(2026, 10, 26)]  # Monday of 2026-W44
    audit = Audit(SQLiteAuditStore.in_dir(data_dir), today=lambda: day[0])
    audit.record_review("dss", "slack", _verdict("contact-details", "privacy"))
    audit.record_nudge("dss", "slack", ["classified"])
    audit.record_dispute("dss", "slack", ["rule-privacy"], "old reason")
    day[0] = date(2026, 11, 15)  # Sunday of 2026-W46
    audit.record_review("dss", "slack", _verdict("contact-details"))
    audit.record_review("act", "teams", _verdict())
    audit.record_nudge("act", "teams", ["contact-details", "classified"])
    audit.record_dispute("dss", "slack", ["rule-privacy"], "<script>alert('x')</script> it's a public fact")
    audit.record_dispute("dss", "teams", ["rule-privacy", "rule-contact-details"])
    audit.close()


# -- the summary ------------------------------------------------------------------------------------------


def test_when_counts_span_weeks_then_the_summary_keeps_empty_weeks_and_ranks_disputed_rules() -> None:
    counts = [
        Count(date(2026, 10, 26), "dss", "slack", "nudge", "classified", 2),
        Count(date(2026, 11, 15), "dss", "slack", "nudge", "contact-details", 1),
        Count(date(2026, 11, 15), "dss", "slack", "dispute", "a-rule", 1),
        Count(date(2026, 11, 15), "dss", "teams", "dispute", "b-rule", 3),
    ]
    disputes = [
        Dispute(date(2026, 11, 15), "dss", "teams", "b-rule", r) for r in ("new", "new", "mid", "old", "x")
    ]
    summary = summarise(counts, disputes)
    assert summary.weeks == ("2026-W44", "2026-W45", "2026-W46")
    assert summary.weekly["nudge"]["2026-W44"]["classified"] == 2
    assert [(d.rule, d.count, d.reasons) for d in summary.disputed] == [
        ("b-rule", 3, ("new", "mid", "old")),
        ("a-rule", 1, ()),
    ]
    assert summary.value(None, "dispute", None) == 4
    assert iso_week(date(2027, 1, 1)) == "2026-W53"


def test_when_a_profile_and_since_are_given_then_only_their_counts_are_summarised() -> None:
    counts = [
        Count(date(2026, 11, 1), "dss", "slack", "reviews", "", 5),
        Count(date(2026, 11, 2), "dss", "slack", "reviews", "", 1),
        Count(date(2026, 11, 2), "act", "slack", "reviews", "", 7),
    ]
    summary = summarise(counts, [], since=date(2026, 11, 2), profile="dss")
    assert summary.value(None, "reviews", None) == 1 and summary.columns == (("dss", "slack"),)
    assert summarise([], []).empty


# -- the command line ------------------------------------------------------------


@pytest.fixture
def data_dir(isolated_env: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    return tmp_path / "data"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_when_nothing_is_counted_then_report_says_so(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "report")
    assert code == 0
    assert "Nothing has been counted yet." in out


def test_when_counts_exist_then_report_prints_the_table_and_the_rules_people_dispute_most(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    code, out, _ = run(capsys, "report")
    assert code == 0
    lines = out.splitlines()
    header = next(line for line in lines if "act/teams" in line)
    assert header.split() == ["act/teams", "dss/slack", "dss/teams", "total"]
    assert next(line for line in lines if line.startswith("reviews")).split() == [
        "reviews",
        "1",
        "2",
        "0",
        "3",
    ]
    assert next(line for line in lines if line.startswith("nudges")).split() == ["nudges", "1", "1", "0", "2"]
    assert next(line for line in lines if line.startswith("disputes")).split() == [
        "disputes",
        "0",
        "2",
        "2",
        "4",
    ]
    disputed = lines[lines.index("Rules people dispute most") + 3]
    assert disputed.split()[:3] == ["rule-privacy", "dss", "3"]
    assert "it's a public fact" in disputed and "old reason" in disputed
    assert EMAIL not in out


def test_when_since_and_profile_are_given_then_report_covers_only_them(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(data_dir)
    code, out, _ = run(capsys, "report", "--since", "2026-11-01", "--profile", "dss", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["since"] == "2026-11-01" and report["profile"] == "dss"
    assert report["columns"] == [
        {"profile": "dss", "platform": "slack"},
        {"profile": "dss", "platform": "teams"},
    ]
    rows = {(r["metric"], r["key"]): r["total"] for r in report["rows"]}
    assert rows[("reviews", None)] == 1 and rows[("finding", "contact-details")] == 1
    assert ("finding", "privacy") not in rows  # counted on 2026-10-26 only
    assert report["disputed"][0] == {
        "rule": "rule-privacy",
        "profile": "dss",
        "count": 2,
        "reasons": ["<script>alert('x')</script> it's a public fact"],
    }


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01", "2026-11-2", "20261102", "2026-W45"])
def test_when_since_is_not_a_date_then_report_says_so_in_one_sentence_and_exits_2(
    data_dir: Path, capsys: pytest.CaptureFixture[str], since: str
) -> None:
    code, out, err = run(capsys, "report", "--since", since)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "--since takes a date as YYYY-MM-DD" in err and "Traceback" not in err


def test_when_html_is_asked_then_report_writes_one_self_contained_escaped_page(
    data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seed(data_dir)
    page = tmp_path / "report.html"
    code, out, _ = run(capsys, "report", "--html", str(page))
    assert code == 0 and f"Wrote {page}" in out
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html and "Content-Security-Policy" in html
    # One bar segment per (week, category) with a count; one bar per disputed rule and profile.
    for chart, bars in (("nudges-chart", 1 + 2), ("findings-chart", 2 + 1), ("disputes-chart", 2)):
        svg = html[html.index(f'<svg id="{chart}"') :]
        svg = svg[: svg.index("</svg>")]
        assert svg.count('class="bar"') == bars, chart
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in svg


def test_when_the_html_file_cannot_be_written_then_report_says_so_and_exits_2(
    data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "report", "--html", str(tmp_path / "no" / "such" / "dir" / "r.html"))
    assert code == 2 and err.startswith("thinktwice: cannot write the report to") and err.count("\n") == 1


# -- the console counts what it does ------------------------------------------------------------


@pytest.fixture
def bot(tmp_path: Path) -> Thinktwice:
    return Thinktwice.start(load_config({"THINKTWICE_DATA_DIR": str(tmp_path / "data")}))


def test_when_a_console_session_reviews_nudges_and_disputes_then_the_audit_counts_them(
    bot: Thinktwice, tmp_path: Path
) -> None:
    audit = Audit(SQLiteAuditStore.in_dir(tmp_path / "audit"), today=lambda: date(2026, 11, 2))
    session = ConsoleSession(bot, audit=audit)
    assert session.push("/dispute").startswith("Nothing to dispute")
    reply = session.push(f"/checkpost email me at {EMAIL}")
    assert reply.endswith("Not a problem? Say /dispute, and why if you like.\n")
    assert session.push("/dispute it is our public inbox").startswith("Thanks, noted that work-email")
    assert session.push("/dispute again").startswith("Nothing to dispute")  # one dispute per review
    assert "Not a problem?" not in session.push("/checkpost Lovely morning for a walk around the lake.")
    session.push("#mirror [SEC=PROTECTED] brief attached")
    session.push("#mirror Lovely morning")  # no nudge: not counted
    counts = {(c.metric, c.key): c.count for c in audit.counts() if c.platform == "console"}
    assert counts == {
        ("reviews", ""): 2,
        ("verdict", "stop"): 1,
        ("verdict", "ok"): 1,
        ("finding", "contact-details"): 1,
        ("nudges", ""): 1,
        ("nudge", "classified"): 1,
        ("dispute", "work-email"): 1,
    }
    assert [d.reason for d in audit.disputes()] == ["it is our public inbox"]
    audit.close()


def test_when_the_console_command_runs_then_its_counts_are_in_the_data_dir_and_checkpost_counts_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "checkpost", f"email me at {EMAIL}")[0] == 0
    assert not (data_dir / "audit.sqlite3").exists()
    stdin = io.TextIOWrapper(io.BytesIO(b"/checkpost email me at " + EMAIL.encode() + b"\n/dispute\n"))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert run(capsys, "console")[0] == 0
    code, out, _ = run(capsys, "report", "--format", "json")
    assert code == 0
    report: dict[str, Any] = json.loads(out)
    assert report["columns"] == [{"profile": "dss", "platform": "console"}]
    assert {(r["metric"], r["key"]): r["total"] for r in report["rows"]}[("reviews", None)] == 1
    assert report["disputed"] == [{"rule": "work-email", "profile": "dss", "count": 1, "reasons": []}]
