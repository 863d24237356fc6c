"""`Thinktwice.reload()`: new rules take effect whole, broken ones are refused, and the answerer follows."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from fakes.rulebooks import CODEWORD, EXPLANATION, add_codeword_rule, break_rules, copy_rules

from bot.config import load_config
from bot.errors import RulebookError, UnknownProfileError
from bot.service import Thinktwice

DRAFT = f"the {CODEWORD} file is due on Friday"


def _bot(tmp_path: Path) -> tuple[Thinktwice, Path]:
    rules = copy_rules(tmp_path)
    env = {"THINKTWICE_RULES_DIR": str(rules), "THINKTWICE_DATA_DIR": str(tmp_path / "data")}
    return Thinktwice.start(load_config(env)), rules


def _rules_found(bot: Thinktwice, text: str) -> set[str]:
    return {f.rule for f in bot.review(text).findings}


def test_when_a_rule_is_added_and_the_rules_reloaded_then_it_takes_effect(tmp_path: Path) -> None:
    bot, rules = _bot(tmp_path)
    assert "reload-test-codeword" not in _rules_found(bot, DRAFT)
    add_codeword_rule(rules)

    status = bot.reload()

    assert status.generation == 2 and bot.rules_status() == status
    (finding,) = [f for f in bot.review(DRAFT).findings if f.rule == "reload-test-codeword"]
    assert finding.explanation == EXPLANATION
    assert bot.scan(f"{CODEWORD} brief attached").categories == ("classified",)


def test_when_a_rulebook_is_broken_then_the_reload_is_refused_with_file_and_line_and_the_old_rules_stay(
    tmp_path: Path,
) -> None:
    bot, rules = _bot(tmp_path)
    add_codeword_rule(rules)
    bot.reload()
    line = break_rules(rules)

    with pytest.raises(RulebookError) as refused:
        bot.reload()

    assert f"detectors.yaml:{line}: unknown category 'not-a-category'" in str(refused.value)
    assert bot.rules_status().generation == 2
    assert "reload-test-codeword" in _rules_found(bot, DRAFT)  # the rules in force before the reload
    assert bot.review("call me on 02 6146 2983").level == "stop"


def test_when_the_default_profile_disappears_then_the_reload_is_refused(tmp_path: Path) -> None:
    bot, rules = _bot(tmp_path)
    (rules / "dss.yaml").unlink()

    with pytest.raises(UnknownProfileError):
        bot.reload()

    assert bot.profile().id == "dss" and "dss" in bot.rules_status().profiles


class _CountingBuild:
    """Stands in for Answerer.build: counts builds, and holds the first until told to go on."""

    def __init__(self) -> None:
        self.built: list[Any] = []
        self.release = threading.Event()
        self.lock = threading.Lock()

    def __call__(self, rulebooks: Any, data_dir: Any = None, threshold: float = 0.25) -> Any:
        with self.lock:
            self.built.append(rulebooks)
        self.release.wait(timeout=30)
        return _FakeAnswerer(rulebooks)


class _FakeAnswerer:
    def __init__(self, rulebooks: Any) -> None:
        self.rulebooks = rulebooks


@pytest.fixture
def counting_build(monkeypatch: pytest.MonkeyPatch) -> _CountingBuild:
    from bot.answering import Answerer

    build = _CountingBuild()
    monkeypatch.setattr(Answerer, "build", build)
    return build


def test_when_two_first_questions_arrive_at_once_then_the_answerer_is_built_once(
    tmp_path: Path, counting_build: _CountingBuild
) -> None:
    bot, _ = _bot(tmp_path)
    got: list[Any] = []
    threads = [threading.Thread(target=lambda: got.append(bot.answerer())) for _ in range(2)]
    for t in threads:
        t.start()
    counting_build.release.set()
    for t in threads:
        t.join(timeout=30)

    assert len(counting_build.built) == 1
    assert got[0] is got[1]


def test_when_the_rules_are_reloaded_then_the_answerer_is_rebuilt_for_the_new_rulebooks(
    tmp_path: Path, counting_build: _CountingBuild
) -> None:
    counting_build.release.set()
    bot, rules = _bot(tmp_path)
    before = bot.answerer()
    add_codeword_rule(rules)

    bot.reload()

    # Built during the reload, since questions were being answered: the next question does not wait.
    assert len(counting_build.built) == 2
    after = bot.answerer()
    assert after is not before and after.rulebooks is bot.rulebooks is counting_build.built[1]


def test_when_no_question_was_asked_then_a_reload_leaves_the_answerer_to_be_built_on_first_use(
    tmp_path: Path, counting_build: _CountingBuild
) -> None:
    counting_build.release.set()
    bot, _ = _bot(tmp_path)
    bot.reload()
    assert counting_build.built == []
    assert bot.answerer().rulebooks is bot.rulebooks


def test_when_the_server_reloads_then_the_outcome_is_logged_and_counted_and_a_failure_keeps_the_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import asyncio

    from aiohttp import web

    from adapters.metrics import install_metrics
    from adapters.reload import reload_rules

    bot, rules = _bot(tmp_path)
    web_app = web.Application()
    get = install_metrics(web_app).registry.get_sample_value
    add_codeword_rule(rules)
    caplog.set_level("INFO")

    assert asyncio.run(reload_rules(bot, web_app)) is True
    line = break_rules(rules)
    assert asyncio.run(reload_rules(bot, web_app)) is False

    def unreadable() -> None:
        raise PermissionError("rules/dss.yaml")

    monkeypatch.setattr(bot, "reload", unreadable)
    assert asyncio.run(reload_rules(bot, web_app)) is False

    assert "rulebooks reloaded: generation 2" in caplog.text
    assert f"detectors.yaml:{line}: unknown category" in caplog.text
    assert "rulebook reload failed (PermissionError)" in caplog.text
    assert get("thinktwice_rulebook_reloads_total", {"outcome": "ok"}) == 1
    assert get("thinktwice_rulebook_reloads_total", {"outcome": "refused"}) == 2
    assert get("thinktwice_rulebook_generation") == 2 == bot.rules_status().generation
