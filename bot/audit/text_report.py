"""`thinktwice report` in the terminal: one table of counts and the rules people dispute most."""

from __future__ import annotations

from .summary import Summary

NOTHING_YET = "Nothing has been counted yet"


def scope(summary: Summary) -> str:
    """Which counts a report covers, in words (shared with the HTML page)."""
    who = f"profile {summary.profile}" if summary.profile else "all profiles"
    since = f"since {summary.since.isoformat()}" if summary.since else "since counting began"
    return f"{who}, {since}"


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        out = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(out).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def render_text(summary: Summary) -> str:
    lines = [f"thinktwice audit: {scope(summary)} (UTC days)"]
    if summary.empty:
        return "\n".join([*lines, f"{NOTHING_YET}.", ""])
    assert summary.first_day and summary.last_day
    lines.append(
        f"Counted days {summary.first_day.isoformat()} to {summary.last_day.isoformat()}. "
        "Counts only: no message text, excerpt or user is stored."
    )
    lines.append("")
    columns = list(summary.columns)
    header = ["", *(f"{p}/{pl}" for p, pl in columns)] + (["total"] if len(columns) > 1 else [])
    body = []
    for row in summary.rows():
        values = [summary.value(c, row.metric, row.key) for c in columns]
        if len(columns) > 1:
            values.append(summary.value(None, row.metric, row.key))
        body.append([("  " if row.indent else "") + row.label, *(str(v) for v in values)])
    lines += _table(header, body, right=set(range(1, len(header))))
    lines += ["", "Rules people dispute most"]
    if not summary.disputed:
        lines.append("No disputes yet.")
    else:
        body = [
            [d.rule, d.profile, str(d.count), "; ".join(f'"{r}"' for r in d.reasons) or "-"]
            for d in summary.disputed
        ]
        lines += _table(["rule", "profile", "disputes", "latest reasons"], body, right={2})
    return "\n".join([*lines, ""])
