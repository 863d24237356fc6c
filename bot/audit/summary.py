"""Turn counters and dispute records into what a report shows, for the terminal and the HTML page alike.

`summarise` is pure: counts in, a `Summary` out. Columns are (profile,
platform) pairs; rows are the metrics in `summary_rows` order; weeks are ISO
weeks (Monday to Sunday, UTC days) from the first counted day to the last,
with empty weeks kept so a chart's time axis has no gaps.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from bot.types import CATEGORIES

from .records import (
    ABSTAINED,
    ANSWERED,
    DISPUTE,
    FINDING,
    NUDGE,
    NUDGES,
    QUESTION,
    REVIEWS,
    VERDICT,
    VERDICT_LEVELS,
    Count,
    Dispute,
    one_line_reason,
)

Column = tuple[str, str]  # (profile, platform)
Cell = tuple[str, str]  # (metric, key)
REASONS_SHOWN = 3


@dataclass(frozen=True)
class DisputedRule:
    rule: str
    profile: str
    count: int
    reasons: tuple[str, ...]  # the latest distinct reasons, newest first


@dataclass(frozen=True)
class Row:
    label: str
    metric: str
    key: str | None  # None: the metric summed over its keys
    indent: bool = False


@dataclass(frozen=True)
class Summary:
    since: date | None
    profile: str | None
    first_day: date | None = None
    last_day: date | None = None
    columns: tuple[Column, ...] = ()
    cells: dict[Column, Counter[Cell]] = field(default_factory=dict)
    weeks: tuple[str, ...] = ()
    weekly: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)  # finding|nudge -> week -> cat
    disputed: tuple[DisputedRule, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.cells

    def value(self, column: Column | None, metric: str, key: str | None) -> int:
        """One cell of the table; column None is the total over every column."""
        counters = self.cells.values() if column is None else [self.cells.get(column, Counter())]
        return sum(
            n for c in counters for (m, k), n in c.items() if m == metric and (key is None or k == key)
        )

    def categories(self, metric: str) -> list[str]:
        """The categories with a count for `metric`, in the policy's category order."""
        seen = {k for c in self.cells.values() for (m, k), n in c.items() if m == metric and n}
        return order_categories(seen)

    def rows(self) -> list[Row]:
        """The table's rows, top to bottom."""
        rows = [Row("reviews", REVIEWS, None)]
        rows += [Row(f"verdict {level}", VERDICT, level, indent=True) for level in VERDICT_LEVELS]
        rows.append(Row("findings", FINDING, None))
        rows += [Row(c, FINDING, c, indent=True) for c in self.categories(FINDING)]
        rows.append(Row("nudges", NUDGES, None))
        rows += [Row(c, NUDGE, c, indent=True) for c in self.categories(NUDGE)]
        rows.append(Row("disputes", DISPUTE, None))
        rows.append(Row("questions answered", QUESTION, ANSWERED))
        rows.append(Row("questions abstained", QUESTION, ABSTAINED))
        return rows

    def as_dict(self) -> dict[str, Any]:
        """The report as plain JSON-ready data (`thinktwice report --format json`)."""
        columns = list(self.columns)
        return {
            "since": self.since.isoformat() if self.since else None,
            "profile": self.profile,
            "empty": self.empty,
            "columns": [{"profile": p, "platform": pl} for p, pl in columns],
            "rows": [
                {
                    "label": row.label,
                    "metric": row.metric,
                    "key": row.key,
                    "values": [self.value(c, row.metric, row.key) for c in columns],
                    "total": self.value(None, row.metric, row.key),
                }
                for row in self.rows()
            ],
            "disputed": [
                {"rule": d.rule, "profile": d.profile, "count": d.count, "reasons": list(d.reasons)}
                for d in self.disputed
            ],
        }


def order_categories(names: Iterable[str]) -> list[str]:
    rank = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(set(names), key=lambda c: (rank.get(c, len(rank)), c))


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _weeks_between(first: date, last: date) -> tuple[str, ...]:
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        weeks.append(iso_week(monday))
        monday += timedelta(days=7)
    return tuple(weeks)


def summarise(
    counts: Iterable[Count],
    disputes: Iterable[Dispute],
    *,
    since: date | None = None,
    profile: str | None = None,
    top: int = 10,
) -> Summary:
    """The report for counters and disputes on or after `since`, for one profile or all."""
    rows = [
        c for c in counts if (since is None or c.day >= since) and (profile is None or c.profile == profile)
    ]
    if not rows:
        return Summary(since=since, profile=profile)
    cells: dict[Column, Counter[Cell]] = defaultdict(Counter)
    weekly: dict[str, dict[str, Counter[str]]] = {FINDING: defaultdict(Counter), NUDGE: defaultdict(Counter)}
    tally: Counter[tuple[str, str]] = Counter()
    for c in rows:
        cells[(c.profile, c.platform)][(c.metric, c.key)] += c.count
        if c.metric in weekly:
            weekly[c.metric][iso_week(c.day)][c.key] += c.count
        if c.metric == DISPUTE:
            tally[(c.key, c.profile)] += c.count
    reasons: dict[tuple[str, str], list[str]] = defaultdict(list)
    for d in disputes:  # newest first
        # Cleaned again on the way out: a shared store may hold records another writer made.
        reason = one_line_reason(d.reason)
        if (since is None or d.day >= since) and reason:
            kept = reasons[(d.rule, d.profile)]
            if reason not in kept and len(kept) < REASONS_SHOWN:
                kept.append(reason)
    ranked = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    first, last = min(c.day for c in rows), max(c.day for c in rows)
    return Summary(
        since=since,
        profile=profile,
        first_day=first,
        last_day=last,
        columns=tuple(sorted(cells)),
        cells=dict(cells),
        weeks=_weeks_between(first, last),
        weekly={m: dict(w) for m, w in weekly.items()},
        disputed=tuple(DisputedRule(r, p, n, tuple(reasons.get((r, p), ()))) for (r, p), n in ranked),
    )
