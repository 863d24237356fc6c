"""The report page in a real headless chromium: it renders, its charts are there, and nothing errs."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from headless import load_pages

from bot.audit import Audit, SQLiteAuditStore
from bot.cli import main
from bot.types import Finding, Verdict

# What the page looks like to a browser: bars per chart, laid-out sizes, any script or <img>.
PROBE = """(() => {
  const bars = id => [...document.querySelectorAll(`#${id} rect.bar`)];
  const drawn = r => { const b = r.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
  const laidOut = id => bars(id).filter(drawn);
  const charts = ["nudges-chart", "findings-chart", "disputes-chart"];
  return {
    title: document.title,
    bars: Object.fromEntries(charts.map(id => [id, bars(id).length])),
    laidOut: Object.fromEntries(charts.map(id => [id, laidOut(id).length])),
    series: [...new Set(bars("findings-chart").map(r => r.dataset.series))],
    weeks: [...new Set(bars("nudges-chart").map(r => r.dataset.week))],
    labelled: [...document.querySelectorAll("svg")].every(s => s.getAttribute("role") === "img"
      && s.getAttribute("aria-labelledby").split(" ").every(id => document.getElementById(id))),
    tables: document.querySelectorAll("table").length,
    scripts: document.scripts.length,
    images: document.images.length,
    nothingYet: !!document.getElementById("nothing-yet"),
    reasons: [...document.querySelectorAll("#disputes-h ~ table td:last-child")].map(td => td.textContent),
  };
})()"""


def _seed(data_dir: Path) -> None:
    day = [date(2026, 10, 26)]
    audit = Audit(SQLiteAuditStore.in_dir(data_dir), today=lambda: day[0])
    stop = Verdict(
        "dss", "stop", (Finding("contact-details", "work-email", "stop", 0, 1, "x", "y", ()),), None
    )
    for when, categories in (
        (date(2026, 10, 26), ["classified"]),
        (date(2026, 11, 16), ["classified", "privacy"]),
    ):
        day[0] = when
        audit.record_review("dss", "slack", stop)
        audit.record_nudge("dss", "slack", categories)
    # A hostile reason: it must show as text, load nothing and run nothing.
    audit.record_dispute(
        "dss",
        "slack",
        ["work-email"],
        '<img src="http://203.0.113.9/x.png" onerror="alert(1)"> not a problem',
    )
    audit.record_dispute("dss", "teams", ["email-marking"])
    audit.close()


def test_when_the_report_page_opens_in_headless_chromium_then_the_charts_render_with_no_errors_or_network(
    isolated_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(tmp_path / "data")
    full, empty = tmp_path / "report.html", tmp_path / "empty.html"
    assert main(["report", "--html", str(full)]) == 0
    assert main(["report", "--since", "2030-01-01", "--html", str(empty)]) == 0
    capsys.readouterr()

    started = time.monotonic()
    page, blank = load_pages([full, empty], PROBE)
    elapsed = time.monotonic() - started

    assert page.errors == [] and blank.errors == []
    assert page.requests == [] and blank.requests == []
    seen = page.value
    assert seen["title"] == "thinktwice audit report"
    # 26 Oct (W44): one nudge segment; 16 Nov (W47): two; the empty weeks between have none.
    assert seen["bars"] == {"nudges-chart": 3, "findings-chart": 2, "disputes-chart": 2}
    assert seen["laidOut"] == seen["bars"]
    assert seen["series"] == ["contact-details"]
    assert seen["weeks"] == ["2026-W44", "2026-W47"]
    assert seen["labelled"] and seen["tables"] == 4
    assert seen["scripts"] == 0 and seen["images"] == 0
    assert any('<img src="http://203.0.113.9/x.png"' in r for r in seen["reasons"])
    assert page.screenshot_bytes > blank.screenshot_bytes  # the charts drew something

    assert blank.value["nothingYet"] and blank.value["bars"] == {
        "nudges-chart": 0,
        "findings-chart": 0,
        "disputes-chart": 0,
    }
    assert elapsed < 10, f"chromium took {elapsed:.1f} s"
