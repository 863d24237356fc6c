"""Judge a draft: text + profile -> findings, verdict and a suggested rewrite.

Rules are compiled once per profile at start-up (their {vocabulary} filled in
with that organisation's words); reviewing is then a pure, synchronous function
of the text. Matching runs on the normalised copy of the text; every span is
mapped back so that `text[start:end]` is always the excerpt the user wrote.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from .detectors import DETECTORS, DetectContext, Detector
from .normalise import NormText, normalise
from .prefilter import Literals, case_exact, may_match, required_literals
from .rulebook import Rulebooks, RuleSpec, expand_pattern
from .types import CATEGORY_RANK, STOP_CATEGORIES, Citation, Finding, Profile, Severity, Verdict

Setting = Literal["post", "channel"]

_FLAGS = re.IGNORECASE | re.UNICODE


@dataclass(frozen=True)
class CompiledRule:
    spec: RuleSpec
    severity: Severity
    citations: tuple[Citation, ...]
    detector: Detector | None
    pattern: re.Pattern[str] | None
    near: tuple[re.Pattern[str], int] | None
    requires: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    unless_near: tuple[re.Pattern[str], int] | None
    # Literal sets from the pattern and from `requires`: when the text contains
    # none of a set's strings the rule cannot fire and is skipped (bot/prefilter.py).
    # Gates of case-sensitive patterns keep their case and test the text as it is.
    gates: tuple[Literals, ...] = ()
    exact_gates: tuple[Literals, ...] = ()
    span_groups: tuple[str, ...] = ()  # the numbered `span` groups of pattern, if any


# A pattern may mark the part of its match to report with a group named `span`
# ("As an officer, (?P<span>I can tell you)..."): the words around it are context,
# and the finding points at the part that breaks the rule, leaving the context free
# to be reported under its own category.
_SPAN_GROUP = "(?P<span>"


def _join(
    patterns: tuple[str, ...], vocab: dict[str, tuple[str, ...]], flags: int = _FLAGS
) -> re.Pattern[str]:
    # Group names must be unique in the joined pattern, so each pattern's `span` is numbered.
    return re.compile(
        "|".join(
            f"(?:{expand_pattern(p, vocab).replace(_SPAN_GROUP, f'(?P<span{i}>')})"
            for i, p in enumerate(patterns)
        ),
        flags,
    )


def _reported_span(m: re.Match[str], span_groups: tuple[str, ...]) -> tuple[int, int]:
    for name in span_groups:
        if m.start(name) >= 0:
            return m.span(name)
    return m.span()


def _compile_rule(spec: RuleSpec, profile: Profile) -> CompiledRule | None:
    """Compile a rule for one profile, or None when the profile does not judge its category."""
    if spec.cites:
        citations = tuple(profile.clause(c).citation(profile.id) for c in spec.cites)
    else:
        citations = profile.citations_for(spec.category)
    if not citations:
        return None  # e.g. identifies-employee under a policy that asks staff to identify themselves
    if spec.applies_if == "disclaimer_required" and not profile.disclaimer_required:
        return None
    vocab = profile.vocabulary
    severity: Severity = "stop" if spec.category in STOP_CATEGORIES else "caution"
    if spec.severity in ("stop", "caution"):
        severity = "stop" if spec.severity == "stop" else "caution"
    flags = re.UNICODE if spec.case_sensitive else _FLAGS
    pattern = _join(spec.patterns, vocab, flags) if spec.patterns else None
    requires = _join(spec.requires, vocab) if spec.requires else None
    gated = [(p, required_literals(p)) for p in (pattern, requires) if p is not None]
    gates = tuple(lits for p, lits in gated if lits is not None and not case_exact(p))
    exact_gates = tuple(lits for p, lits in gated if lits is not None and case_exact(p))
    return CompiledRule(
        spec=spec,
        severity=severity,
        citations=citations,
        detector=DETECTORS[spec.detector] if spec.detector else None,
        pattern=pattern,
        near=(_join(spec.near[0], vocab), spec.near[1]) if spec.near else None,
        requires=requires,
        unless=_join(spec.unless, vocab) if spec.unless else None,
        unless_near=(_join(spec.unless_near[0], vocab), spec.unless_near[1]) if spec.unless_near else None,
        gates=gates,
        exact_gates=exact_gates,
        span_groups=tuple(n for n in pattern.groupindex if n.startswith("span")) if pattern else (),
    )


@dataclass(frozen=True)
class ProfileRules:
    profile: Profile
    rules: tuple[CompiledRule, ...]
    context: DetectContext

    _by_id: dict[str, CompiledRule] = field(init=False, repr=False, compare=False)
    _by_rank: dict[int, tuple[CompiledRule, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The rewrite looks each finding's rule up by id.
        object.__setattr__(self, "_by_id", {r.spec.id: r for r in self.rules})
        object.__setattr__(self, "_by_rank", {})

    def rule(self, rule_id: str) -> CompiledRule | None:
        return self._by_id.get(rule_id)

    def ranked_at_most(self, worst: int) -> tuple[CompiledRule, ...]:
        """The rules whose category ranks `worst` or more severe (cached: scan asks on every message)."""
        cached = self._by_rank.get(worst)
        if cached is None:
            cached = tuple(r for r in self.rules if CATEGORY_RANK[r.spec.category] <= worst)
            self._by_rank[worst] = cached
        return cached


def compile_profiles(rulebooks: Rulebooks, org_domains: tuple[str, ...] = ()) -> dict[str, ProfileRules]:
    """Compile every profile's rules once; org_domains adds configured domains to each profile's own."""
    compiled = {}
    for pid, profile in rulebooks.profiles.items():
        rules = tuple(r for spec in rulebooks.rules[pid] if (r := _compile_rule(spec, profile)) is not None)
        domains = tuple(dict.fromkeys((*profile.org_domains, *org_domains)))
        compiled[pid] = ProfileRules(profile, rules, DetectContext(org_domains=domains))
    return compiled


@dataclass(frozen=True)
class _Hit:
    rule: CompiledRule
    start: int  # original-text offsets
    end: int


def _window_has(pattern: re.Pattern[str], text: str, start: int, end: int, window: int) -> bool:
    return pattern.search(text, max(0, start - window), min(len(text), end + window)) is not None


WindowTest = Callable[[int, int], bool]


def _window_test(
    pattern: re.Pattern[str],
    text: str,
    window: int,
    candidates: int,
    matches: list[tuple[int, int]] | None = None,
) -> WindowTest:
    """Does pattern match within `window` characters of a span? Chosen for the number of spans.

    A few spans: search each window. Many (a long post with a name on every line): the
    windows would cover the text many times over, so find the pattern's matches once (or
    take them as `matches`, already found) and look each span up by bisection, which keeps
    a 40,000-character post linear.
    """
    if matches is None and candidates * (2 * window + 40) < len(text):
        return lambda start, end: _window_has(pattern, text, start, end, window)
    if matches is None:
        matches = [m.span() for m in pattern.finditer(text)]
    starts = [a for a, _ in matches]
    ends = [b for _, b in matches]

    def test(start: int, end: int) -> bool:
        # Matches do not overlap, so sorted by start they are sorted by end: the first one
        # starting inside the window is the one most likely to end inside it.
        i = bisect_left(starts, start - window)
        return i < len(starts) and ends[i] <= end + window

    return test


# Matches shorter than this are found the same whether the whole text or only the stretches
# around a rule's `near` matches are scanned (see _scan_ranges).
ANCHOR_MARGIN = 300


def _near_matches(rule: CompiledRule, text: str) -> list[tuple[int, int]] | None:
    """On a long post, every match of the rule's `near` pattern (found once, used twice); else None."""
    if rule.near is None or rule.pattern is None or len(text) < 4 * (rule.near[1] + ANCHOR_MARGIN):
        return None
    return [m.span() for m in rule.near[0].finditer(text)]


def _scan_ranges(rule: CompiledRule, text: str, near: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """Where a rule's pattern needs looking for: the whole text, or only around its `near` matches.

    A rule with `near` can only fire within `window` characters of a near match. On a long
    post, scanning the stretches around those (widened by ANCHOR_MARGIN, merged where they
    touch) finds the same matches as scanning everything, for any match shorter than the
    margin, at a fraction of the cost when near matches are few.
    """
    if near is None or rule.near is None:
        return [(0, len(text))]
    reach = rule.near[1] + ANCHOR_MARGIN
    ranges: list[tuple[int, int]] = []
    for start, end in near:
        a, b = max(0, start - reach), min(len(text), end + reach)
        if ranges and a <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], b)
        else:
            ranges.append((a, b))
    return ranges


def _rule_hits(
    rule: CompiledRule,
    norm: NormText,
    original: str,
    setting: Setting,
    ctx: DetectContext,
    lowered: str | None,
) -> list[_Hit]:
    spec = rule.spec
    if spec.setting != "any" and spec.setting != setting:
        return []
    text = norm.text
    for gate in rule.exact_gates:
        if not may_match(gate, text):
            return []
    if lowered is not None:
        for gate in rule.gates:
            if not may_match(gate, lowered):
                return []
    if rule.requires is not None and rule.requires.search(text) is None:
        return []
    if rule.unless is not None and rule.unless.search(text) is not None:
        return []
    if spec.whole_post:
        return [_Hit(rule, 0, len(original))]
    near_matches = None
    if rule.detector is not None:
        spans = rule.detector(text, ctx)
    elif rule.pattern is not None:
        near_matches = _near_matches(rule, text)
        spans = [
            span
            for a, b in _scan_ranges(rule, text, near_matches)
            for m in rule.pattern.finditer(text, a, b)
            if (span := _reported_span(m, rule.span_groups))[1] > span[0]
        ]
    else:
        spans = []
    if not spans:
        return []
    near = _window_test(rule.near[0], text, rule.near[1], len(spans), near_matches) if rule.near else None
    unless_near = (
        _window_test(rule.unless_near[0], text, rule.unless_near[1], len(spans)) if rule.unless_near else None
    )
    hits = []
    for s, e in spans:
        if near is not None and not near(s, e):
            continue
        if unless_near is not None and unless_near(s, e):
            continue
        os_, oe = norm.span(s, e)
        # Trim whitespace a pattern may have swallowed at either edge.
        while os_ < oe and original[os_].isspace():
            os_ += 1
        while oe > os_ and original[oe - 1].isspace():
            oe -= 1
        if oe > os_:
            hits.append(_Hit(rule, os_, oe))
    return hits


def _rank(hit: _Hit) -> tuple[int, int, int]:
    return (0 if hit.rule.severity == "stop" else 1, CATEGORY_RANK[hit.rule.spec.category], hit.start)


def _resolve_overlaps(hits: list[_Hit]) -> list[_Hit]:
    """One overlapping span is reported once, under its most severe category.

    Whole-post findings (a missing disclaimer) are about the post, not a span,
    and never compete with the others.
    """
    whole = [h for h in hits if h.rule.spec.whole_post]
    spans = sorted((h for h in hits if not h.rule.spec.whole_post), key=_rank)
    kept: list[_Hit] = []
    # The kept spans never overlap, so sorted by start they are sorted by end too:
    # only the last one starting before h ends can reach into h. (Comparing with
    # every kept span made a post with thousands of findings quadratic.)
    kept_starts: list[int] = []
    kept_ends: list[int] = []
    for h in spans:
        i = bisect_left(kept_starts, h.end)
        if i > 0 and kept_ends[i - 1] > h.start:
            continue
        kept_starts.insert(i, h.start)
        kept_ends.insert(i, h.end)
        kept.append(h)
    seen_whole: set[str] = set()
    for h in whole:
        if h.rule.spec.category not in seen_whole:
            seen_whole.add(h.rule.spec.category)
            kept.append(h)
    return sorted(kept, key=lambda h: (h.start, h.end))


def find(
    text: str, rules: ProfileRules, setting: Setting = "post", categories: tuple[str, ...] | None = None
) -> list[Finding]:
    """All findings for text under one profile, offsets into text as given.

    With categories, only rules that could produce or outrank those categories
    run (the nudge decision needs two categories, not twelve).
    """
    norm = normalise(text)
    # The literal prefilter is exact only for ASCII text (see bot/prefilter.py).
    lowered = norm.text.lower() if norm.text.isascii() else None
    hits: list[_Hit] = []
    candidates = (
        rules.rules
        if categories is None
        else rules.ranked_at_most(max((CATEGORY_RANK[c] for c in categories), default=-1))
    )
    for rule in candidates:
        hits.extend(_rule_hits(rule, norm, text, setting, rules.context, lowered))
    findings = []
    for h in _resolve_overlaps(hits):
        findings.append(
            Finding(
                category=h.rule.spec.category,
                rule=h.rule.spec.id,
                severity=h.rule.severity,
                start=h.start,
                end=h.end,
                excerpt=text[h.start : h.end],
                explanation=h.rule.spec.explanation,
                citations=h.rule.citations,
            )
        )
    return findings


def verdict_level(findings: list[Finding] | tuple[Finding, ...]) -> Literal["ok", "caution", "stop"]:
    if any(f.severity == "stop" for f in findings):
        return "stop"
    return "caution" if findings else "ok"


def review(text: str, rules: ProfileRules, setting: Setting = "post") -> Verdict:
    """Findings, verdict and a verified rewrite (or None) for one draft."""
    from .rewrite import suggest  # local import: rewrite calls back into find()

    findings = find(text, rules, setting)
    suggestion = suggest(text, findings, rules, setting) if findings else None
    return Verdict(rules.profile.id, verdict_level(findings), tuple(findings), suggestion)
