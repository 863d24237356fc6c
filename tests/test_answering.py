"""`ask`: answers per profile from its own policy, abstention, bad input, calibration of the knowledge."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from bot.answering import MAX_QUESTION_CHARS, Answerer
from bot.answering.knowledge import faq_dir, load_knowledge
from bot.errors import InputError, RulebookError, UnknownProfileError
from bot.rulebook import Rulebooks, load_rulebooks

PROFILES = ("dss", "act", "vic-dhs", "dhs", "dibp")


@pytest.fixture(scope="module")
def rulebooks() -> Rulebooks:
    return load_rulebooks()


@pytest.fixture(scope="module")
def answerer(rulebooks: Rulebooks) -> Answerer:
    return Answerer.build(rulebooks, data_dir=None)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


# (profile, question, phrases of which one must be in the answer)
ANSWERS = [
    ("dss", "can i sign up to instagram with my work email", ["no:"]),
    ("dss", "Do I need to add a disclaimer that my views are my own?", ["your own"]),
    ("dss", "is it ok to slag off a minister on twitter", ["harsh or extreme"]),
    ("dss", "facebook wants to import my outlook contacts", ["outlook"]),
    ("dss", "who runs the department's official accounts", ["communication services branch"]),
    ("dss", "could I lose my job because of a tweet", ["termination"]),
    ("dibp", "can my facebook profile say I work for Border Force?", ["aps"]),
    ("dibp", "Can I post my work mobile on my personal facebook?", ["not"]),
    ("dibp", "should I switch off geotagging on my phone", ["turn off"]),
    ("dibp", "can i use my offical email to register for twitter", ["official email"]),
    ("act", "do I have to identify myself when I post about work", ["identify yourself"]),
    ("act", "can I use a made up name on facebook", ["mistrust"]),
    ("act", "can I tweet about a directorate initiative that hasn't been announced", ["announcement"]),
    ("vic-dhs", "must I state that my views are personal", ["personal"]),
    ("vic-dhs", "can I post about a pending court case", ["suppression"]),
    ("vic-dhs", "who approves me as a spokesperson", ["director of communications"]),
    ("dhs", "can I post confidential work information on facebook", ["confidential"]),
    ("dhs", "who can comment on behalf of the department", ["community engagement division"]),
]


@pytest.mark.parametrize(("profile", "question", "phrases"), ANSWERS)
def test_when_a_policy_question_is_asked_then_the_profile_answers_from_its_own_policy(
    answerer: Answerer, profile: str, question: str, phrases: list[str]
) -> None:
    answer = answerer.answer(question, profile)
    assert not answer.abstained
    assert any(p in _norm(answer.text) for p in phrases), answer.text
    assert answer.citations and all(c.policy == profile for c in answer.citations)
    assert len(answer.text.split()) <= 120
    assert 0.0 <= answer.confidence <= 1.0


# Where the policies differ, each profile answers by its own.
IDENTIFY = [
    ("dibp", "can I say on linkedin which department I work for?", ["aps"]),
    ("act", "should I say who I am and my role when posting about work?", ["identify yourself"]),
    ("dss", "can I say on my profile that I work at the department?", ["your own"]),
    ("vic-dhs", "do I need to say my opinions are personal when I post?", ["personal"]),
]


@pytest.mark.parametrize(("profile", "question", "phrases"), IDENTIFY)
def test_when_policies_differ_then_each_profile_answers_by_its_own(
    answerer: Answerer, profile: str, question: str, phrases: list[str]
) -> None:
    answer = answerer.answer(question, profile)
    assert not answer.abstained
    assert any(p in _norm(answer.text) for p in phrases), answer.text


OUT_OF_SCOPE = [
    ("dss", "How do I apply for parental leave?"),
    ("dibp", "when does payroll run this month"),
    ("act", "the printer near my desk is jammed"),
    ("vic-dhs", "how do I submit a travel claim for my trip to Sydney"),
    ("dhs", "what's the procurement process for buying laptops"),
    ("dss", "how do I pin a message in a Slack channel"),
    ("dibp", "is it going to be sunny on Saturday"),
]


@pytest.mark.parametrize(("profile", "question"), OUT_OF_SCOPE)
def test_when_the_policy_does_not_cover_it_then_the_bot_abstains_with_the_contact(
    answerer: Answerer, rulebooks: Rulebooks, profile: str, question: str
) -> None:
    answer = answerer.answer(question, profile)
    assert answer.abstained
    assert "doesn't cover" in answer.text
    assert answer.contact == rulebooks.profile(profile).contact
    assert rulebooks.profile(profile).contact in answer.text
    assert answer.confidence < answerer.threshold


@pytest.mark.parametrize(
    "question",
    [
        "asdkjh qwpoeiru zxmcnv",
        "??!!..",
        "私はソーシャルメディアについて質問があります",
        "Как мне опубликовать пост?",
        "lorem",
    ],
)
def test_when_the_question_is_gibberish_or_not_english_then_the_bot_abstains(
    answerer: Answerer, question: str
) -> None:
    answer = answerer.answer(question, "dss")
    assert answer.abstained
    assert answer.citations == ()


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_when_the_question_is_empty_then_input_error(answerer: Answerer, question: str) -> None:
    with pytest.raises(InputError, match="empty"):
        answerer.answer(question, "dss")


def test_when_the_question_is_over_2000_characters_then_input_error(answerer: Answerer) -> None:
    with pytest.raises(InputError, match="2,000"):
        answerer.answer("can I post " * 300, "dss")
    assert len("x" * MAX_QUESTION_CHARS) == 2000
    answerer.answer("a" * MAX_QUESTION_CHARS, "dss")  # exactly the limit is fine


def test_when_the_profile_is_unknown_then_unknown_profile_error(answerer: Answerer) -> None:
    with pytest.raises(UnknownProfileError):
        answerer.answer("can I use my work email", "nope")


def test_when_the_threshold_is_one_then_every_question_abstains(rulebooks: Rulebooks) -> None:
    strict = Answerer.build(rulebooks, threshold=1.0)
    assert strict.answer("can i sign up to twitter with my work email", "dss").abstained


def test_when_the_threshold_is_out_of_range_then_value_error(rulebooks: Rulebooks) -> None:
    with pytest.raises(ValueError):
        Answerer.build(rulebooks, threshold=1.5)


def test_when_answering_then_logs_never_contain_the_question(
    answerer: Answerer, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "jane.citizen@dss.gov.au"
    with caplog.at_level(logging.DEBUG, logger="bot.answering"):
        answerer.answer(f"can I post {secret} on facebook", "dss")
        answerer.answer(f"how do I book leave {secret}", "dss")
    assert secret not in caplog.text


def test_when_every_faq_phrasing_is_asked_then_nearly_all_answer_from_their_own_entry(
    answerer: Answerer, rulebooks: Rulebooks
) -> None:
    knowledge = load_knowledge(rulebooks)
    asked = right = 0
    for profile, entries in knowledge.entries.items():
        for entry in entries:
            for question in entry.questions:
                answer = answerer.answer(question, profile)
                asked += 1
                right += (not answer.abstained) and answer.citations == entry.citations
                assert len(answer.text.split()) <= 120
    assert asked > 500
    assert right / asked >= 0.9


def test_when_every_profile_has_an_faq_then_every_clause_is_cited(rulebooks: Rulebooks) -> None:
    knowledge = load_knowledge(rulebooks)
    assert set(knowledge.entries) == set(PROFILES)
    for profile in PROFILES:
        cited = {(c.section, c.heading) for e in knowledge.entries[profile] for c in e.citations}
        clauses = {(c.section, c.heading) for c in rulebooks.profile(profile).clauses}
        missing = clauses - cited
        # Purpose/background clauses need no question of their own; everything else does.
        assert len(missing) <= 2, missing


def test_when_an_faq_cites_an_unknown_clause_then_rulebook_error_with_file_and_line(
    tmp_path: Path, rulebooks: Rulebooks
) -> None:
    for f in faq_dir().glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    broken = tmp_path / "dss.yaml"
    broken.write_text(broken.read_text().replace("cites: [dss-4-privacy]", "cites: [dss-99]", 1))
    with pytest.raises(RulebookError) as err:
        load_knowledge(rulebooks, tmp_path)
    assert "dss.yaml:" in str(err.value)
    assert "dss-99" in str(err.value)
