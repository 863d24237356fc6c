"""A writable copy of the built-in rulebooks, and the edits the reload tests make to it."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.rulebook import builtin_rules_dir

CODEWORD = "bluegum"
# What the added rule says: distinctive, so a test can find it in a rendered review.
EXPLANATION = "Bluegum is the codeword the reload tests use; keep it out of posts."

_NEW_RULE = f"""
  - id: reload-test-codeword
    category: classified
    patterns: ['\\b{CODEWORD}\\b']
    explanation: {EXPLANATION}
"""
_BROKEN_RULE = """
  - id: reload-test-broken
    category: not-a-category
    patterns: ['\\bwattle\\b']
    explanation: A rule whose category does not exist, so the rulebooks are refused.
"""


def copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(builtin_rules_dir(), target)
    return target


def add_codeword_rule(rules_dir: Path) -> None:
    with (rules_dir / "detectors.yaml").open("a", encoding="utf-8") as f:
        f.write(_NEW_RULE)


def break_rules(rules_dir: Path) -> int:
    """Append a rule with an unknown category; the line number its problem is reported at."""
    path = rules_dir / "detectors.yaml"
    before = path.read_text(encoding="utf-8")
    path.write_text(before + _BROKEN_RULE, encoding="utf-8")
    # The category is the second line of the appended block, which starts with a blank line.
    return before.count("\n") + 3
