"""Suggest a rewrite of a draft that passes review, or None when none can be made.

Contact details and markings are redacted in place; a sentence carrying a
judgement finding (criticism, unannounced news...) is dropped, because no
mechanical edit makes it safe; a missing "views are my own" is added. The
result is reviewed again, and only a draft that comes back clean is offered.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .engine import ProfileRules, Setting, find
from .types import Finding

DISCLAIMER = "(Views are my own, not my employer's.)"

_REDACT_DEFAULTS = {
    "contact-details": "[work contact removed]",
    "classified": "[marking removed]",
}
# A sentence ends at . ! ? (and any closing quote or bracket) before a space or the end,
# or at a line break; a full stop inside "gov.au" or "3.5" does not end one.
_SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?]+(?=[^\s.!?\"')\]]))*(?:[.!?]+[\"')\]]*|\n|$)")
_MAX_ROUNDS = 3


def _action(f: Finding, rules: ProfileRules) -> str:
    rule = rules.rule(f.rule)
    spec = rule.spec if rule is not None else None
    if spec is not None and spec.rewrite:
        return spec.rewrite
    if spec is not None and spec.whole_post:
        return "add-disclaimer" if f.category == "speaking-for-agency" else "none"
    return "redact" if f.category in _REDACT_DEFAULTS else "drop-sentence"


def _redaction(f: Finding, rules: ProfileRules) -> str:
    rule = rules.rule(f.rule)
    spec = rule.spec if rule is not None else None
    if spec is not None and spec.redact_with:
        return spec.redact_with
    return _REDACT_DEFAULTS.get(f.category, "[removed]")


def _sentences(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SENTENCE.finditer(text) if m.end() > m.start()]


def _apply(text: str, findings: list[Finding], rules: ProfileRules) -> str:
    sentences = _sentences(text)
    sentence_starts = [s for s, _ in sentences]
    drop: set[int] = set()  # indexes into sentences
    redact: list[Finding] = []
    disclaim = False
    for f in findings:
        action = _action(f, rules)
        if action == "redact":
            redact.append(f)
        elif action == "drop-sentence":
            # Sentences are sorted and disjoint: the ones a finding touches are a contiguous run.
            i = max(bisect_right(sentence_starts, f.start) - 1, 0)
            while i < len(sentences) and sentences[i][0] < f.end:
                if f.start < sentences[i][1]:
                    drop.add(i)
                i += 1
        elif action == "add-disclaimer":
            disclaim = True
    cuts = [(*sentences[i], "") for i in drop]
    for f in redact:
        i = bisect_right(sentence_starts, f.start) - 1
        inside_dropped = i in drop and f.end <= sentences[i][1]
        if not inside_dropped:
            cuts.append((f.start, f.end, _redaction(f, rules)))
    # Left to right; a cut that overlaps the one before is merged into it, so a redaction
    # running past the end of a dropped sentence goes with the sentence.
    pieces: list[str] = []
    last_end = 0
    for s, e, repl in sorted(cuts, key=lambda c: (c[0], -c[1])):
        if s < last_end:
            last_end = max(last_end, e)
            continue
        pieces += [text[last_end:s], repl]
        last_end = e
    pieces.append(text[last_end:])
    out = re.sub(r"[ \t]{2,}", " ", "".join(pieces)).strip()
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
