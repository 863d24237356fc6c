"""Property tests: no input string crashes review or scan, and every excerpt is text[start:end]."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import load_config
from bot.errors import InputError
from bot.service import Thinktwice
from bot.textinput import MAX_DRAFT_CHARS

PROFILES = ("dss", "act", "vic-dhs", "dhs", "dibp")

FRAGMENTS = [
    "jane.citizen@dss.gov.au",
    "j.smith@homeaffairs.gov.au",
    "me@gmail.com",
    " at ",
    " dot ",
    "(at)",
    "[dot]",
    "@",
    "0412 345 678",
    "(02) 6123 4567",
    "+61 2 6123 4567",
    "+61412345678",
    "6205 1190",
    "1300 653 227",
    "13 28 50",
    "123 456 782",
    "2123 45670 1",
    "204 123 456L",
    "INC0412345",
    "$12,450",
    "ABN 51 824 753 556",
    "2023-2024",
    "PROTECTED",
    "SECRET",
    "TOP SECRET",
    "OFFICIAL: Sensitive",
    "[SEC=PROTECTED, CAVEAT=SH:CABINET]",
    "[DLM=Sensitive:Legal]",
    "X-Protective-Marking:",
    "AUSTEO",
    "p r o t e c t e d",
    "zero four one two",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u00ad",
    "ｊａｎｅ＠ｄｓｓ．ｇｏｖ．ａｕ",
    "\u0430",
    "\u0421",
    "é",
    "e\u0301",
    "ﬁ",
    "ß",
    "🦘",
    "👩‍💻",
    "\n",
    "\t",
    "  ",
    ".",
    "..",
    "-",
    "(",
    ")",
    "#",
    "'",
    '"',
    "\u2013",
    "my manager",
    "the Minister",
    "views are my own",
    "I work for DSS",
    "embargoed until",
]

text_strategy = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.sampled_from(FRAGMENTS) | st.text(max_size=8) | st.from_regex(r"[0-9 ()+-]{1,14}", fullmatch=True),
        max_size=40,
    ).map("".join),
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=60).map(" ".join),
    st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("0123456789 @.\u200b"), max_size=200),
)

PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Thinktwice:
    data_dir: Path = tmp_path_factory.mktemp("data")
    return Thinktwice.start(load_config({"THINKTWICE_DATA_DIR": str(data_dir)}))


@PROPERTY_SETTINGS
@given(text=text_strategy, profile=st.sampled_from(PROFILES))
def test_when_any_text_is_reviewed_then_it_never_crashes_and_excerpts_match(
    bot: Thinktwice, text: str, profile: str
) -> None:
    try:
        verdict = bot.review(text, profile)
    except InputError:
        assert not text.strip() or len(text) > MAX_DRAFT_CHARS
        return
    assert verdict.profile == profile
    for f in verdict.findings:
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start : f.end] == f.excerpt
        assert f.citations
    if verdict.suggestion is not None:
        assert isinstance(verdict.suggestion, str) and verdict.suggestion.strip()


@PROPERTY_SETTINGS
@given(text=text_strategy, profile=st.sampled_from(PROFILES))
def test_when_any_text_is_scanned_then_it_never_crashes(bot: Thinktwice, text: str, profile: str) -> None:
    try:
        nudge = bot.scan(text, profile)
    except InputError:
        assert not text.strip() or len(text) > MAX_DRAFT_CHARS
        return
    assert nudge.nudge == bool(nudge.categories) == (nudge.message is not None)


@PROPERTY_SETTINGS
@given(
    before=st.text(max_size=40),
    after=st.text(max_size=40),
    email=st.sampled_from(
        ["jane.citizen@dss.gov.au", "ｊａｎｅ＠ｄｓｓ．ｇｏｖ．ａｕ", "ja\u200bne@dss.gov.au"]
    ),
)
def test_when_a_work_email_sits_between_any_words_then_it_is_found_at_its_own_offsets(
    bot: Thinktwice, before: str, after: str, email: str
) -> None:
    text = f"{before} {email} {after}"
    verdict = bot.review(text)
    hits = [f for f in verdict.findings if f.category == "contact-details" and email in f.excerpt]
    assert hits, [f.excerpt for f in verdict.findings]
    for f in verdict.findings:
        assert text[f.start : f.end] == f.excerpt


@pytest.mark.parametrize("text", ["", " ", "\n\t", "x" * (MAX_DRAFT_CHARS + 1)])
def test_when_text_is_empty_or_oversized_then_review_and_scan_raise_input_error(
    bot: Thinktwice, text: str
) -> None:
    with pytest.raises(InputError):
        bot.review(text)
    with pytest.raises(InputError):
        bot.scan(text)
