"""Required literals: a cheap test that a regex cannot match, before running it.

Most messages match no rule. Python's regex engine gives up its fast literal
search when a pattern starts with `\\b`, a look-behind or a case-insensitive
letter, which is how nearly every rule starts, so each rule would otherwise
walk every position of every message. Grep-like tools solve this with literal
extraction: from the parsed pattern, find a set of strings at least one of
which must occur in any match ("TOP SECRET|PROTECTED" needs "top" or
"protected"). If none occurs in the text, the pattern cannot match, and a
substring test is far cheaper than the regex.

The set is computed from Python's own parse of the pattern (`re._parser`, the
module behind `re.compile` on the 3.11 this project pins), so it cannot drift
from what the regex means. Anything the walker does not understand yields no
set, which means "always run the rule": a missing prefilter costs speed, never a
finding. Literals of a case-insensitive pattern are lower-cased and tested against
the lower-cased text; that is only sound for ASCII text (str.lower and the regex
engine's case folding agree there), so callers run those rules on non-ASCII text.
A pattern compiled case-sensitively, with no (?i) inside, keeps its literals' case
and is tested against the text as it is, which is exact for any text.
"""

from __future__ import annotations

import re
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

# Past this many alternatives the substring tests cost about what the regex does.
MAX_LITERALS = 48

_ZERO_WIDTH = frozenset({C.AT, C.ASSERT, C.ASSERT_NOT})
_REPEATS = frozenset({C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT})

Literals = frozenset[str]


def case_exact(pattern: re.Pattern[str]) -> bool:
    """Is every literal of pattern matched in its own case (no IGNORECASE anywhere)?"""
    return not pattern.flags & re.IGNORECASE and "(?i" not in pattern.pattern


def required_literals(pattern: re.Pattern[str]) -> Literals | None:
    """Strings one of which occurs in every match of pattern, or None if unknown.

    Lower case, unless `case_exact(pattern)`: then as the pattern writes them.
    """
    try:
        parsed = P.parse(pattern.pattern, pattern.flags)
    except Exception:  # a pattern re.compile accepted but the parser sees differently: no prefilter
        return None
    found = _sequence(list(parsed), keep_case=case_exact(pattern))
    if not found or min(len(s) for s in found) < 2:
        return None  # a one-character literal filters almost nothing
    return found


def _better(a: Literals | None, b: Literals | None) -> Literals | None:
    """The more selective of two candidate sets: longer shortest literal, then fewer literals."""
    if a is None:
        return b
    if b is None:
        return a
    key_a = (min(len(s) for s in a), -len(a))
    key_b = (min(len(s) for s in b), -len(b))
    return a if key_a >= key_b else b


def _sequence(items: list[tuple[Any, Any]], keep_case: bool) -> Literals | None:
    """Literals for a concatenation: the best of its literal runs and its sub-parts."""
    best: Literals | None = None
    run: list[str] = []

    def close_run() -> None:
        nonlocal best
        if run:
            best = _better(best, frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av) if keep_case else chr(av).lower())
        elif op in _ZERO_WIDTH:
            continue  # consumes nothing, so the characters either side stay adjacent
        elif op is C.SUBPATTERN:
            close_run()
            best = _better(best, _sequence(list(av[-1]), keep_case))
        elif op is C.BRANCH:
            close_run()
            best = _better(best, _branches(av[1], keep_case))
        elif op in _REPEATS:
            close_run()
            low, _high, item = av
            if low >= 1:
                best = _better(best, _sequence(list(item), keep_case))
        else:  # a class, any character, a back-reference, ...: the run of literals ends here
            close_run()
    close_run()
    return best


def _branches(alternatives: list[Any], keep_case: bool) -> Literals | None:
    """Literals for an alternation: every branch must contribute, so it is their union."""
    union: set[str] = set()
    for alternative in alternatives:
        found = _sequence(list(alternative), keep_case)
        if not found:
            return None
        union |= found
        if len(union) > MAX_LITERALS:
            return None
    return frozenset(union)


def may_match(literals: Literals | None, text: str) -> bool:
    """False only when the pattern certainly cannot match the text (lower-cased and ASCII, unless exact)."""
    return literals is None or any(s in text for s in literals)
