"""Suggest a rewrite of a draft that passes review, or None when none can be made.

Contact details and markings are redacted in place; a sentence carrying a
judgement finding (criticism, unannounced news...) is dropped, because no
mechanical edit makes it safe; a missing "views are my own" is added. The
result is reviewed again, and only a draft that comes back clean is offered.
"""

from __future__ import annotations

import re

from .engine import ProfileRules, Setting, find
from .types import Finding

DISCLAIMER = "(Views are my own, not my employer's.)"

_REDACT_DEFAULTS = {
    "contact-details": "[work contact removed]",
    "classified": "[marking removed]",
}
_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+[\"')\]]*|\n|$)")
_MAX_ROUNDS = 3


def _action(f: Finding, rules: ProfileRules) -> str:
    spec = next((r.spec for r in rules.rules if r.spec.id == f.rule), None)
    if spec is not None and spec.rewrite:
        return spec.rewrite
    if spec is not None and spec.whole_post:
        return "add-disclaimer" if f.category == "speaking-for-agency" else "none"
    return "redact" if f.category in _REDACT_DEFAULTS else "drop-sentence"


def _redaction(f: Finding, rules: ProfileRules) -> str:
    spec = next((r.spec for r in rules.rules if r.spec.id == f.rule), None)
    if spec is not None and spec.redact_with:
        return spec.redact_with
    return _REDACT_DEFAULTS.get(f.category, "[removed]")


def _sentences(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SENTENCE.finditer(text) if m.end() > m.start()]


def _apply(text: str, findings: list[Finding], rules: ProfileRules) -> str:
    drop: set[tuple[int, int]] = set()
    redact: list[Finding] = []
    disclaim = False
    sentences = _sentences(text)
    for f in findings:
        action = _action(f, rules)
        if action == "redact":
            redact.append(f)
        elif action == "drop-sentence":
            for s, e in sentences:
                if f.start < e and s < f.end:
                    drop.add((s, e))
        elif action == "add-disclaimer":
            disclaim = True
    # Redact inside the sentences we keep, right to left so offsets stay valid.
    out = text
    cuts = sorted(
        [
            (f.start, f.end, _redaction(f, rules))
            for f in redact
            if not any(s <= f.start and f.end <= e for s, e in drop)
        ]
        + [(s, e, "") for s, e in drop],
        reverse=True,
    )
    last_start = len(out) + 1
    for s, e, repl in cuts:
        if e > last_start:  # overlapping cut already handled by a wider one
            continue
        out = out[:s] + repl + out[e:]
        last_start = s
    out = re.sub(r"[ \t]{2,}", " ", out).strip()
    if disclaim and out:
        out = f"{out}\n\n{DISCLAIMER}"
    return out


def _has_substance(text: str) -> bool:
    bare = re.sub(r"\[[^\]]*removed\]|\(Views are my own[^)]*\)", "", text)
    return len(re.findall(r"[A-Za-z]{2,}", bare)) >= 3


def suggest(text: str, findings: list[Finding], rules: ProfileRules, setting: Setting = "post") -> str | None:
    """A rewrite that itself passes review, or None."""
    current, pending = text, findings
    for _ in range(_MAX_ROUNDS):
        candidate = _apply(current, pending, rules)
        if not _has_substance(candidate):
            return None
        remaining = find(candidate, rules, setting)
        if not remaining:
            return candidate
        if candidate == current:
            return None
        current, pending = candidate, remaining
    return None
