"""The literal prefilter may only skip a rule that cannot match: checked on every shipped rule."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import load_config
from bot.engine import ProfileRules
from bot.normalise import normalise
from bot.prefilter import case_exact, may_match, required_literals
from bot.service import Thinktwice

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


@pytest.fixture(scope="module")
def compiled() -> dict[str, ProfileRules]:
    return Thinktwice.start(load_config({})).compiled_rules()


def _gated_patterns(compiled: dict[str, ProfileRules]) -> list[re.Pattern[str]]:
    out = []
    for rules in compiled.values():
        for rule in rules.rules:
            out += [p for p in (rule.pattern, rule.requires) if p is not None]
    return out


def _assert_sound(patterns: list[re.Pattern[str]], text: str) -> None:
    norm = normalise(text).text
    for pattern in patterns:
        if pattern.search(norm) is None:
            continue
        if case_exact(pattern):  # literals in their own case, against the text as it is: any text
            assert may_match(required_literals(pattern), norm), (pattern.pattern[:80], text)
        elif norm.isascii():  # the engine does not prefilter non-ASCII text for the others
            assert may_match(required_literals(pattern), norm.lower()), (pattern.pattern[:80], text)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\bTOP\s+SECRET\b", {"secret"}),  # the longer of the two runs
        (r"(?:foo|bar)baz", {"baz"}),
        (r"(?:foo|barbaz)\d", {"foo", "barbaz"}),
        (r"(?:foo|\d+)", None),  # a branch with no literal: no prefilter
        (r"a?b", None),  # one character filters nothing
        (r"(?:cat)?dog", {"dog"}),  # an optional part requires nothing
        (r"(?:ab){2,}x", {"ab"}),
        (r"(?<![-_])\bPROTECTED\b", {"protected"}),
        (r"Cabinet\s+(?:papers?|minutes?)", {"cabinet"}),
    ],
)
def test_required_literals(pattern: str, expected: set[str] | None) -> None:
    found = required_literals(re.compile(pattern, re.IGNORECASE))
    assert (None if found is None else set(found)) == expected


def test_a_case_sensitive_pattern_keeps_the_case_of_its_literals() -> None:
    pattern = re.compile(r"\bTOP\s+SECRET\b|(?<![-_])\bPROTECTED\b")
    assert case_exact(pattern) and required_literals(pattern) == {"SECRET", "PROTECTED"}
    assert not may_match(required_literals(pattern), "our secret santa and protected bike lanes")
    assert not case_exact(re.compile(r"(?i:secret)"))


def test_every_shipped_rule_has_a_sound_prefilter_on_the_dev_sets(compiled: dict[str, ProfileRules]) -> None:
    patterns = _gated_patterns(compiled)
    texts = []
    for name, key in (("drafts.jsonl", "text"), ("chat.jsonl", "text")):
        path = EVAL / name
        if path.is_file():
            texts += [json.loads(line)[key] for line in path.read_text(encoding="utf-8").splitlines() if line]
    texts += ["[SEC=PROTECTED] brief", "TOP SECRET//AUSTEO", "p r o t e c t e d", "OFFICIAL: Sensitive"]
    for text in texts:
        _assert_sound(patterns, text)


_VOCABULARY = (
    "SECRET secret Secret SEСRET PROTECTED cabinet submission minister idiot my manager work at the airport "
    "Border Force officer leaked brief [SEC=OFFICIAL:Sensitive] AUSTEO x-in-confidence 0412 345 678 "
    "jane dot smith at dss dot gov dot au views my own logo Monday shift @ . , ! ' -"
)
_WORDS = st.sampled_from(_VOCABULARY.split())


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=14).map(" ".join))
def test_prefilter_never_hides_a_match(compiled: dict[str, ProfileRules], text: str) -> None:
    _assert_sound(_gated_patterns(compiled), text)
