"""Answer a question from one profile's knowledge, or abstain and say whom to ask.

Building loads the FAQ files, the documents ingested for each profile and the
out-of-scope topics, and indexes them once; answering is then a pure,
synchronous function of (question, profile) with no I/O.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..errors import InputError
from ..rulebook import Rulebooks
from ..types import Answer, Citation, Profile
from .compose import abstain_text, best_passage, document_text, faq_text
from .confidence import confidence, signals
from .knowledge import Entry, load_knowledge
from .retrieval import ProfileIndex, entry_text
from .store import StoredDocument, load_documents
from .text import Normaliser, words

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
# Confidence is calibrated (see confidence.py), so this is roughly the chance of
# being right below which the bot would rather say "ask a person". Out-of-scope
# questions score under 0.2 on the development set; policy questions mostly above 0.4.
DEFAULT_THRESHOLD = 0.25


def document_entries(profile: Profile, documents: tuple[StoredDocument, ...]) -> tuple[Entry, ...]:
    """Entries for the sections of a profile's ingested documents, cited by their own numbers."""
    entries = []
    for d in documents:
        for i, s in enumerate(d.sections):
            entries.append(
                Entry(
                    id=f"doc-{d.sha256[:8]}-{i}",
                    kind="document",
                    answer="",
                    citations=(Citation(profile.id, s.citation_section(), s.heading),),
                    questions=(s.heading,),
                    source=d.name,
                    body=s.text,
                )
            )
    return tuple(entries)


def _mostly_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    latin = sum(1 for ch in letters if ch.isascii())
    return latin / len(letters) >= 0.6


class Answerer:
    """Answers policy questions for every profile of a set of rulebooks."""

    def __init__(self, rulebooks: Rulebooks, indexes: dict[str, ProfileIndex], threshold: float) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"the answer threshold must be between 0 and 1, not {threshold}")
        self.rulebooks = rulebooks
        self.threshold = threshold
        self._indexes = indexes

    @classmethod
    def build(
        cls, rulebooks: Rulebooks, data_dir: Path | None = None, threshold: float = DEFAULT_THRESHOLD
    ) -> Answerer:
        """Load the knowledge of every profile (and its ingested documents) and index it."""
        knowledge = load_knowledge(rulebooks)
        per_profile: dict[str, tuple[Entry, ...]] = {}
        for pid, profile in rulebooks.profiles.items():
            documents = document_entries(profile, load_documents(data_dir, pid))
            per_profile[pid] = knowledge.entries.get(pid, ()) + documents + knowledge.out_of_scope
        normaliser = Normaliser(knowledge.lexicon)
        # Spelling is fixed towards any word the knowledge holds, whichever profile it is in.
        for entries in per_profile.values():
            for e in entries:
                normaliser.learn(w for text in entry_text(e) for w in words(text))
        indexes = {pid: ProfileIndex(entries, normaliser) for pid, entries in per_profile.items()}
        log.info("indexed %d profiles", len(indexes))
        return cls(rulebooks, indexes, threshold)

    def answer(self, question: str, profile_id: str) -> Answer:
        """The answer to question under the profile's policy; InputError for an empty or overlong question."""
        profile = self.rulebooks.profile(profile_id)
        if not isinstance(question, str) or not question.strip():
            raise InputError("The question is empty: ask something about the social media policy.")
        if len(question) > MAX_QUESTION_CHARS:
            raise InputError(
                f"The question is {len(question):,} characters long; keep it under {MAX_QUESTION_CHARS:,}."
            )
        if not _mostly_latin(question):
            return self._abstain(profile, 0.0, language=any(ch.isalpha() for ch in question))
        index = self._indexes[profile.id]
        result = index.search(question)
        found = signals(result)
        score = confidence(found)
        best = result.best(in_scope=True)
        if best is None or score < self.threshold:
            log.debug("abstained for profile %s (confidence %.2f)", profile.id, score)
            return self._abstain(profile, score)
        log.debug("answered for profile %s from %s (confidence %.2f)", profile.id, best.entry.id, score)
        entry = best.entry
        if entry.kind == "document":
            passage = best_passage(
                entry.body, result.tokens, index.normaliser, {t: index.idf(t) for t in result.tokens}
            )
            text = document_text(entry, passage)
        else:
            text = faq_text(profile, entry)
        return Answer(profile.id, text, False, score, entry.citations, profile.contact)

    def _abstain(self, profile: Profile, score: float, *, language: bool = False) -> Answer:
        return Answer(profile.id, abstain_text(profile, language=language), True, score, (), profile.contact)
