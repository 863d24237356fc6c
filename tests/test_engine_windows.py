"""`near` and `unless_near` answer the same whether they search each window or bisect the matches."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_rules_judgement import POSTS

from bot import engine
from bot.config import load_config
from bot.engine import _window_has, _window_test
from bot.service import Thinktwice

DRAFTS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "drafts.jsonl"

_NEAR = re.compile(r"\b(?:cancer|pension|debt)\b", re.IGNORECASE)
_TEXT = st.lists(
    st.sampled_from(["Jane", "Smith", "cancer", "pension", "debt", "the", ",", "x" * 30]), max_size=80
)


@settings(max_examples=200, deadline=None)
@given(_TEXT.map(" ".join), st.integers(min_value=1, max_value=60), st.data())
def test_bisected_windows_agree_with_searched_windows(text: str, window: int, data: st.DataObject) -> None:
    spans = [(m.start(), len(m.group())) for m in re.finditer(r"Jane Smith", text)]
    spans += data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, 12)), max_size=5))
    spans = [(s, min(len(text), s + n)) for s, n in spans]
    bisected = _window_test(_NEAR, text, window, candidates=10**6)  # forces the bisecting strategy
    for start, end in spans:
        assert bisected(start, end) == _window_has(_NEAR, text, start, end, window)


def test_long_posts_scanned_around_near_matches_give_the_same_findings_as_a_full_scan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bot = Thinktwice.start(load_config({}))
    drafts = [json.loads(line)["text"] for line in DRAFTS.read_text(encoding="utf-8").splitlines() if line]
    drafts += [text for _, _, text in POSTS]
    random.Random(7).shuffle(drafts)
    long_post = " ".join(drafts)[:39_000]
    for profile in ("dss", "dibp", "vic-dhs"):
        anchored = bot.review(long_post, profile).findings
        monkeypatch.setattr(engine, "ANCHOR_MARGIN", 10**9)  # never anchor: scan the whole text
        full = bot.review(long_post, profile).findings
        monkeypatch.undo()
        assert anchored == full and len(full) > 50
