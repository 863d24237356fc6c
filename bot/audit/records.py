"""What the audit keeps: counters and dispute records, and the checks that keep text out of them.

A counter is (UTC day, profile, platform, metric, key) -> n. Metrics:

    reviews     key ""                        one per reviewed draft
    verdict     key ok | caution | stop       one per reviewed draft
    finding     key the finding's category    one per finding in a review
    nudges      key ""                        one per nudge sent
    nudge       key the nudge's category      one per category in a nudge
    dispute     key the disputed rule id      one per rule in a "Not a problem?"
    question    key answered | abstained      one per question answered or not

Every part of a key must look like an identifier (`_TOKEN`): profile ids,
platform names, categories and rule ids do; a sentence does not. So message
text cannot reach a counter even by a caller's mistake. The one free text kept
anywhere is a dispute's optional reason, the disputer's own words about the
rule, cut to one line of at most `MAX_REASON_CHARS`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple

REVIEWS = "reviews"
VERDICT = "verdict"
FINDING = "finding"
NUDGES = "nudges"
NUDGE = "nudge"
DISPUTE = "dispute"
QUESTION = "question"
METRICS: tuple[str, ...] = (REVIEWS, VERDICT, FINDING, NUDGES, NUDGE, DISPUTE, QUESTION)

ANSWERED = "answered"
ABSTAINED = "abstained"
VERDICT_LEVELS: tuple[str, ...] = ("ok", "caution", "stop")

MAX_REASON_CHARS = 200

# Letters, digits and a little punctuation, no spaces, at most 80 characters; never `|`,
# which separates the parts of a Redis hash field.
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}")


def utc_today() -> date:
    return datetime.now(UTC).date()


def is_token(value: object) -> bool:
    """True for an identifier-shaped string (a profile, platform, category or rule id)."""
    return isinstance(value, str) and _TOKEN.fullmatch(value) is not None


def one_line_reason(reason: str | None) -> str | None:
    """`reason` as one line: line breaks and runs of spaces become one space, control characters go,
    and it is cut to `MAX_REASON_CHARS`. None when nothing is left."""
    if not reason:
        return None
    kept = "".join(
        " " if ch.isspace() else ch for ch in reason if ch.isspace() or unicodedata.category(ch)[0] != "C"
    )
    text = " ".join(kept.split())
    if not text:
        return None
    if len(text) > MAX_REASON_CHARS:
        text = text[: MAX_REASON_CHARS - 1].rstrip() + "…"
    return text


class CountKey(NamedTuple):
    day: date
    profile: str
    platform: str
    metric: str
    key: str


@dataclass(frozen=True)
class Count:
    """One counter: how many times `metric`/`key` happened on `day` for a profile on a platform."""

    day: date
    profile: str
    platform: str
    metric: str
    key: str
    count: int


@dataclass(frozen=True)
class Dispute:
    """Someone said "Not a problem?" about `rule` on `day`; `reason` is their optional one line."""

    day: date
    profile: str
    platform: str
    rule: str
    reason: str | None = None
