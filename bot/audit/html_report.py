"""`thinktwice report --html FILE`: one self-contained page with charts drawn as inline SVG.

No script, no stylesheet or font from anywhere else: a Content-Security-Policy
of `default-src 'none'` says so to the browser, so the page opens the same with
no network. Each chart is an `<svg role="img">` with a title and a description,
every bar has a `<title>` (its tooltip) and `data-` attributes naming its series
and week, and the numbers behind each chart follow it as a table. Every string
from the store (a rule id, a dispute reason) is HTML-escaped.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime
from html import escape

from .records import FINDING, NUDGE
from .summary import Summary, order_categories
from .text_report import NOTHING_YET, scope

PALETTE: dict[str, str] = {
    "contact-details": "#4e79a7",
    "classified": "#e15759",
    "official-information": "#f28e2b",
    "unannounced": "#76b7b2",
    "speaking-for-agency": "#59a14f",
    "political-comment": "#edc948",
    "criticism": "#b07aa1",
    "harassment": "#ff9da7",
    "privacy": "#9c755f",
    "identifies-employee": "#bab0ac",
    "location": "#17becf",
    "copyright": "#8c564b",
}
OTHER_COLOUR = "#777777"
CSP = "default-src 'none'; style-src 'unsafe-inline'"  # nothing but this page's own inline style
DISPUTE_COLOUR = "#4e79a7"

_CSS = """
body { font: 15px/1.45 system-ui, sans-serif; color: #1d1d1f; }
main { margin: 2rem auto; max-width: 860px; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2.2rem; }
table { border-collapse: collapse; margin: .6rem 0; }
th, td { padding: .2rem .6rem; border-bottom: 1px solid #ddd; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
th.sub { padding-left: 1.6rem; font-weight: normal; color: #444; }
svg { max-width: 100%; height: auto; display: block; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1.1rem; }
.swatch { display: inline-block; width: .9em; height: .9em; margin-right: .35em; vertical-align: -.1em; }
.note { color: #555; }
details { margin: .4rem 0 1rem; }
"""


def _colour(category: str) -> str:
    return PALETTE.get(category, OTHER_COLOUR)


def _svg_open(chart_id: str, width: int, height: int) -> str:
    # role=img with the chart's own <title> and <desc> is what screen readers announce.
    return (
        f'<svg id="{chart_id}" class="chart" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
    )


def _nice_max(value: int) -> tuple[int, int]:
    """An axis top at or above `value` and a tick step, both round numbers (at most 5 ticks)."""
    if value <= 0:
        return 1, 1
    magnitude = 10 ** max(0, int(math.log10(value)) - 1)
    for step in (magnitude * m for m in (1, 2, 5, 10, 20, 50, 100)):
        if value / step <= 5:
            return step * math.ceil(value / step), step
    return value, value


def weekly_chart(chart_id: str, title: str, weeks: tuple[str, ...], data: dict[str, Counter[str]]) -> str:
    """Stacked bars, one per week, one segment per category with a count that week."""
    width, height, left, right, top, bottom = 760, 280, 48, 12, 14, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value, step = _nice_max(max((sum(data.get(w, Counter()).values()) for w in weeks), default=0))
    band = plot_w / max(1, len(weeks))
    bar_w = max(2.0, band * 0.7)
    label_every = max(1, math.ceil(len(weeks) / 12))
    parts = [
        _svg_open(chart_id, width, height),
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">Stacked bars, one per ISO week from {escape(weeks[0])} to '
        f"{escape(weeks[-1])}, one coloured segment per category; the table below has the numbers.</desc>",
    ]
    for tick in range(0, top_value + 1, step):
        y = top + plot_h - plot_h * tick / top_value
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>'
        )
    for i, week in enumerate(weeks):
        x = left + band * i + (band - bar_w) / 2
        y = top + plot_h
        counts = data.get(week, Counter())
        for category in order_categories(counts):
            n = counts[category]
            if n <= 0:
                continue
            h = plot_h * n / top_value
            y -= h
            parts.append(
                f'<rect class="bar" data-series="{escape(category)}" data-week="{week}" x="{x:.1f}" '
                f'y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{_colour(category)}">'
                f"<title>{escape(category)}, {week}: {n}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{week}</text>'
            )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#888"/>'
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 6}" text-anchor="middle">ISO week (UTC)</text>'
        "</svg>"
    )
    return "".join(parts)


def _weekly_section(chart_id: str, title: str, weeks: tuple[str, ...], data: dict[str, Counter[str]]) -> str:
    categories = order_categories(c for counts in data.values() for c, n in counts.items() if n)
    out = [f'<section aria-labelledby="{chart_id}-h"><h2 id="{chart_id}-h">{escape(title)}</h2>']
    if not categories:
        out.append('<p class="note">None in this period.</p></section>')
        return "".join(out)
    out.append(weekly_chart(chart_id, title, weeks, data))
    out.append('<ul class="legend" aria-label="Legend">')
    out += [
        f'<li><span class="swatch" style="background:{_colour(c)}" aria-hidden="true"></span>{escape(c)}</li>'
        for c in categories
    ]
    out.append("</ul><details><summary>The numbers as a table</summary><table>")
    out.append(f"<caption>{escape(title)}</caption><thead><tr><th scope='col'>week</th>")
    out += [f'<th scope="col" class="n">{escape(c)}</th>' for c in categories]
    out.append("</tr></thead><tbody>")
    for week in weeks:
        counts = data.get(week, Counter())
        out.append(f'<tr><th scope="row">{week}</th>')
        out += [f'<td class="n">{counts.get(c, 0)}</td>' for c in categories]
        out.append("</tr>")
    out.append("</tbody></table></details></section>")
    return "".join(out)


def disputes_chart(chart_id: str, summary: Summary) -> str:
    """Horizontal bars, one per disputed rule and profile, longest first."""
    row_h, left, right, top, bar_max = 26, 250, 50, 8, 440
    width = left + bar_max + right
    height = top * 2 + row_h * len(summary.disputed)
    most = max((d.count for d in summary.disputed), default=1)
    parts = [
        _svg_open(chart_id, width, height),
        f'<title id="{chart_id}-title">Rules people dispute most</title>',
        f'<desc id="{chart_id}-desc">One bar per rule and profile, longest first, its length the number '
        "of disputes; the table below has the numbers and the latest reasons.</desc>",
    ]
    for i, d in enumerate(summary.disputed):
        y = top + i * row_h
        w = max(2.0, bar_max * d.count / most)
        label = escape(f"{d.rule} ({d.profile})")
        parts.append(
            f'<text x="{left - 8}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end">{label}</text>'
            f'<rect class="bar" data-series="disputes" data-rule="{escape(d.rule)}" '
            f'data-profile="{escape(d.profile)}" x="{left}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{DISPUTE_COLOUR}"><title>{label}: {d.count}</title></rect>'
            f'<text x="{left + w + 6:.1f}" y="{y + row_h / 2 + 4:.1f}">{d.count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _disputes_section(summary: Summary) -> str:
    out = ['<section aria-labelledby="disputes-h"><h2 id="disputes-h">Rules people dispute most</h2>']
    if not summary.disputed:
        out.append('<p class="note">No disputes in this period.</p></section>')
        return "".join(out)
    out.append(disputes_chart("disputes-chart", summary))
    out.append(
        "<table><caption>Disputes by rule, with the latest reasons people gave</caption><thead><tr>"
        '<th scope="col">rule</th><th scope="col">profile</th><th scope="col" class="n">disputes</th>'
        '<th scope="col">latest reasons</th></tr></thead><tbody>'
    )
    for d in summary.disputed:
        reasons = "; ".join(f"“{escape(r)}”" for r in d.reasons) or "–"
        out.append(
            f'<tr><th scope="row">{escape(d.rule)}</th><td>{escape(d.profile)}</td>'
            f'<td class="n">{d.count}</td><td>{reasons}</td></tr>'
        )
    out.append("</tbody></table></section>")
    return "".join(out)


def _counts_section(summary: Summary) -> str:
    columns = list(summary.columns)
    total = len(columns) > 1
    out = [
        '<section aria-labelledby="counts-h"><h2 id="counts-h">Counts by profile and platform</h2>',
        "<table><caption>Reviews, verdicts, findings, nudges, disputes and questions</caption><thead><tr>",
        "<td></td>",
    ]
    out += [f'<th scope="col" class="n">{escape(p)}/{escape(pl)}</th>' for p, pl in columns]
    out.append('<th scope="col" class="n">total</th>' if total else "")
    out.append("</tr></thead><tbody>")
    for row in summary.rows():
        cls = ' class="sub"' if row.indent else ""
        out.append(f'<tr><th scope="row"{cls}>{escape(row.label)}</th>')
        out += [f'<td class="n">{summary.value(c, row.metric, row.key)}</td>' for c in columns]
        if total:
            out.append(f'<td class="n">{summary.value(None, row.metric, row.key)}</td>')
        out.append("</tr>")
    out.append("</tbody></table></section>")
    return "".join(out)


def render_html(summary: Summary, generated: datetime) -> str:
    """The whole page as one string."""
    head = (
        '<!DOCTYPE html><html lang="en-AU"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>thinktwice audit report</title><style>{_CSS}</style></head><body><main>"
        "<h1>thinktwice audit report</h1>"
        f"<p>{escape(scope(summary))}. Generated {generated.strftime('%Y-%m-%d %H:%M')} UTC.</p>"
        '<p class="note">Counts only: thinktwice stores no message text, no excerpt, no user name and no '
        "user id. The one free text kept is the optional reason a person gives when they dispute a rule.</p>"
    )
    if summary.empty:
        body = f'<p id="nothing-yet"><strong>{NOTHING_YET}.</strong> Reviews, nudges, answers and disputes '
        body += "appear here once people use the bot.</p>"
    else:
        assert summary.first_day and summary.last_day
        body = (
            f"<p>Counted days {summary.first_day.isoformat()} to {summary.last_day.isoformat()} (UTC).</p>"
            + _counts_section(summary)
            + _weekly_section(
                "nudges-chart", "Nudges by category per week", summary.weeks, summary.weekly[NUDGE]
            )
            + _weekly_section(
                "findings-chart", "Findings by category per week", summary.weeks, summary.weekly[FINDING]
            )
            + _disputes_section(summary)
        )
    return head + body + "</main></body></html>\n"
