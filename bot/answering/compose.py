"""Write the chat-bubble text of an answer: the direct answer first, then why, then the source.

SPEC caps an answer at 120 words. FAQ answers are checked at load time to
leave room for the source line; quotes from ingested documents are cut here.
"""

from __future__ import annotations

import re

from ..types import Citation, Profile
from .knowledge import Entry
from .text import Normaliser

MAX_WORDS = 120
MAX_QUOTE_WORDS = 60
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])|\n+")


def source_line(profile: Profile, citation: Citation) -> str:
    """Where the answer comes from, as a person would say it."""
    policy = f"{profile.short_name} policy"
    if not citation.section or citation.section == citation.heading:
        return f"(Source: {policy}, {citation.heading}.)"
    if citation.section[0].isdigit():
        return f"(Source: {policy}, section {citation.section}, {citation.heading}.)"
    return f"(Source: {policy}, {citation.section}: {citation.heading}.)"


def limit_words(text: str, limit: int) -> str:
    """Text cut to at most limit words, at a sentence end when one is near."""
    words = text.split()
    if len(words) <= limit:
        return text
    cut = " ".join(words[:limit])
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if end > len(cut) // 2:
        return cut[: end + 1]
    return " ".join(words[: limit - 1]) + " \u2026"


def best_passage(body: str, tokens: tuple[str, ...], normaliser: Normaliser, idf: dict[str, float]) -> str:
    """The sentence of body that shares most with the question, with the next one if it is short."""
    sentences = [s.strip() for s in _SENTENCE_END.split(body) if s.strip()]
    if not sentences:
        return ""
    wanted = set(tokens)

    def overlap(sentence: str) -> float:
        return sum(idf.get(t, 0.0) for t in set(normaliser.tokens(sentence)) & wanted)

    scores = [overlap(s) for s in sentences]
    i = max(range(len(sentences)), key=lambda k: (scores[k], -k))
    passage = sentences[i]
    if len(passage.split()) < 15 and i + 1 < len(sentences):
        passage = f"{passage} {sentences[i + 1]}"
    return limit_words(passage, MAX_QUOTE_WORDS)


def faq_text(profile: Profile, entry: Entry) -> str:
    text = entry.answer
    if entry.citations:
        with_source = f"{text} {source_line(profile, entry.citations[0])}"
        if len(with_source.split()) <= MAX_WORDS:
            return with_source
    return limit_words(text, MAX_WORDS)


def document_text(entry: Entry, passage: str) -> str:
    citation = entry.citations[0]
    where = (
        f"section {citation.section} ({citation.heading})"
        if citation.section and citation.section != citation.heading
        else f"\u201c{citation.heading}\u201d"
    )
    text = f"Your organisation's document {entry.source} says, under {where}: \u201c{passage}\u201d"
    return limit_words(text, MAX_WORDS)


def abstain_text(profile: Profile, *, language: bool = False) -> str:
    if language:
        return (
            f"I can only answer questions in English about the {profile.short_name} social media policy. "
            f"Please ask {profile.contact}."
        )
    return (
        f"The {profile.short_name} social media policy doesn't cover that, "
        f"so I can't answer it from the policy. Please ask {profile.contact}."
    )
