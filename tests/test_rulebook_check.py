"""`thinktwice rules check` and start-up: a broken rulebook is reported as file:line, and stops the bot."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.errors import RulebookError
from bot.rulebook import builtin_rules_dir, check_rulebooks, load_rulebooks


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the first line containing needle."""
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


SHARED = """\
vocabulary:
  agency: ["the department"]
rules:
  - id: work-email
    category: contact-details
    detector: official_email
    explanation: A work email address in a post is an official contact detail.
"""

PROFILE = """\
id: dss
name: Department of Social Services, Social Media Policy
short_name: DSS
contact: communications@dss.gov.au
clauses:
  - id: dss-3
    section: "3"
    heading: Personal use of social media
    summary: Do not post work contact details or harass colleagues.
    categories: [contact-details, harassment]
rules:
  - id: rude-words
    category: harassment
    patterns: ["\\\\bbloody idiots?\\\\b"]
    explanation: Name-calling reads as harassment of the people it is about.
"""


def write_rulebooks(directory: Path, shared: str = SHARED, profile: str = PROFILE) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "detectors.yaml").write_text(shared, encoding="utf-8")
    (directory / "dss.yaml").write_text(profile, encoding="utf-8")
    return directory


EXTRA_RULE = """\
  - id: {id}
    category: {category}
    patterns: ["{pattern}"]
    explanation: An extra rule written for this test only.
"""


def with_rule(rule_id: str = "extra", category: str = "harassment", pattern: str = "nitwit") -> str:
    return PROFILE + EXTRA_RULE.format(id=rule_id, category=category, pattern=pattern)


# (name, profile text, the text on the line the problem is reported at, words in the message)
BROKEN = [
    pytest.param(
        "yaml-syntax",
        PROFILE.replace("short_name: DSS", "short_name: [DSS"),
        "contact:",
        "YAML syntax error",
        id="yaml-syntax",
    ),
    pytest.param(
        "unknown-category",
        with_rule(category="gossip"),
        "category: gossip",
        "unknown category 'gossip'",
        id="unknown-category",
    ),
    pytest.param(
        "bad-regex", with_rule(pattern="nit(wit"), 'patterns: ["nit(wit"]', "bad regex", id="bad-regex"
    ),
    pytest.param(
        "missing-citation",
        with_rule(category="copyright"),
        "category: copyright",
        "missing citation",
        id="missing-citation",
    ),
    pytest.param(
        "duplicate-rule-id",
        with_rule(rule_id="rude-words"),
        "id: rude-words",
        "duplicate rule id 'rude-words'",
        id="duplicate-rule-id",
    ),
    pytest.param(
        "shared-duplicate-id",
        with_rule(rule_id="work-email"),
        "id: work-email",
        "duplicate rule id 'work-email'",
        id="duplicate-of-shared-rule-id",
    ),
    pytest.param(
        "unknown-clause-category",
        PROFILE.replace("[contact-details, harassment]", "[contact-details, gossip]"),
        "categories: [contact-details, gossip]",
        "unknown category 'gossip'",
        id="unknown-clause-category",
    ),
]


def _last_line_of(text: str, needle: str) -> int:
    return max(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize(("name", "profile", "at", "message"), BROKEN)
def test_when_a_rulebook_is_broken_then_rules_check_reports_file_line_and_exits_2(
    tmp_path: Path,
    isolated_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    profile: str,
    at: str,
    message: str,
) -> None:
    rules = write_rulebooks(tmp_path / "rules", profile=profile)
    assert main(["rules", "check", str(rules)]) == 2
    out, err = capsys.readouterr()
    expected_line = line_of(profile, at) if name != "duplicate-rule-id" else _last_line_of(profile, at)
    expected_prefix = f"{rules / 'dss.yaml'}:{expected_line}: "
    assert any(line.startswith(expected_prefix) and message in line for line in err.splitlines()), err
    assert out == ""
    assert "Traceback" not in err


@pytest.mark.parametrize(("name", "profile", "at", "message"), BROKEN)
def test_when_the_configured_rulebook_is_broken_then_the_bot_refuses_to_start_with_the_same_message(
    tmp_path: Path,
    isolated_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    name: str,
    profile: str,
    at: str,
    message: str,
) -> None:
    rules = write_rulebooks(tmp_path / "rules", profile=profile)
    assert main(["rules", "check", str(rules)]) == 2
    check_err = capsys.readouterr().err
    isolated_env.setenv("THINKTWICE_RULES_DIR", str(rules))
    assert main(["checkpost", "hello there"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("thinktwice: the rulebooks are broken, so thinktwice will not start:")
    assert check_err.strip() in err


def test_when_the_rulebook_is_broken_then_json_mode_lists_the_problems(
    tmp_path: Path, isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = write_rulebooks(tmp_path / "rules", profile=with_rule(category="gossip"))
    assert main(["rules", "check", str(rules), "--format", "json"]) == 2
    out, _ = capsys.readouterr()
    report = json.loads(out)
    assert report["ok"] is False
    assert any("unknown category 'gossip'" in p for p in report["problems"])


def test_when_a_shared_rule_is_broken_then_the_shared_file_is_named(tmp_path: Path) -> None:
    shared = SHARED.replace("category: contact-details", "category: nonsense")
    rules = write_rulebooks(tmp_path / "rules", shared=shared)
    _, problems = check_rulebooks(rules)
    assert [str(p).split(": ")[0] for p in problems] == [
        f"{rules / 'detectors.yaml'}:{line_of(shared, 'nonsense')}"
    ]


def test_when_every_problem_is_found_then_all_are_reported_at_once(tmp_path: Path) -> None:
    profile = with_rule(rule_id="bad-one", category="gossip") + EXTRA_RULE.format(
        id="bad-two", category="harassment", pattern="a[b"
    )
    _, problems = check_rulebooks(write_rulebooks(tmp_path / "rules", profile=profile))
    text = "\n".join(map(str, problems))
    assert "unknown category 'gossip'" in text
    # Schema problems stop the check before regexes are compiled; one file, many lines.
    assert all(p.path.endswith("dss.yaml") for p in problems)


def test_when_loading_a_broken_rulebook_then_a_rulebook_error_carries_the_problems(tmp_path: Path) -> None:
    profile = with_rule(pattern="(")
    rules = write_rulebooks(tmp_path / "rules", profile=profile)
    with pytest.raises(RulebookError) as info:
        load_rulebooks(rules)
    assert info.value.problems
    at = line_of(profile, 'patterns: ["("]')
    assert f"dss.yaml:{at}: rule 'extra': bad regex" in str(info.value)


def test_when_a_yaml_key_is_duplicated_then_its_line_is_reported(tmp_path: Path) -> None:
    profile = PROFILE.replace("short_name: DSS\n", "short_name: DSS\nshort_name: Again\n")
    _, problems = check_rulebooks(write_rulebooks(tmp_path / "rules", profile=profile))
    assert [str(p) for p in problems] == [f"{tmp_path / 'rules' / 'dss.yaml'}:4: duplicate key 'short_name'"]


def test_when_the_path_does_not_exist_then_it_says_so(
    tmp_path: Path, isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", "check", str(tmp_path / "nowhere")]) == 2
    assert "no such rulebook file or directory" in capsys.readouterr().err


def test_when_a_rulebook_is_valid_then_rules_check_says_ok(
    tmp_path: Path, isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = write_rulebooks(tmp_path / "rules")
    assert main(["rules", "check", str(rules)]) == 0
    assert capsys.readouterr().out == "ok: 2 files, 1 profiles (dss), 2 profile rules\n"


def test_when_a_valid_custom_rulebook_is_configured_then_the_bot_uses_it(
    tmp_path: Path, isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    isolated_env.setenv("THINKTWICE_RULES_DIR", str(write_rulebooks(tmp_path / "rules")))
    assert main(["checkpost", "--format", "json", "you bloody idiot"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in result["findings"]] == ["rude-words"]


def test_when_the_built_in_rulebooks_are_checked_then_they_are_valid(
    isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", "check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ok: ")
    assert "5 profiles (act, dhs, dibp, dss, vic-dhs)" in out
    assert builtin_rules_dir().is_dir()


def test_when_one_profile_file_is_checked_then_the_shared_file_beside_it_is_used(
    tmp_path: Path, isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = write_rulebooks(tmp_path / "rules", profile=with_rule(category="gossip"))
    assert main(["rules", "check", str(rules / "dss.yaml")]) == 2
    assert "unknown category 'gossip'" in capsys.readouterr().err


def test_rules_check_also_checks_the_faq_beside_the_rulebooks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(builtin_rules_dir(), rules)
    faq = rules / "faq" / "dss.yaml"
    text = faq.read_text(encoding="utf-8")
    broken = text.replace("cites: [dss-3]", "cites: [dss-99]", 1)
    assert broken != text
    faq.write_text(broken, encoding="utf-8")
    assert main(["rules", "check", str(rules)]) == 2
    err = capsys.readouterr().err
    line = line_of(broken, "cites: [dss-99]")
    assert f"{faq}:{line}: " in err and "dss-99" in err
