"""A BM25 index over one profile's entries, and the evidence a search leaves for confidence.

Each entry is one BM25 document: the ways people ask it, its keywords and its
answer (an ingested section: its heading, twice, and its text). Out-of-scope
topics sit in the same index, so "how do I apply for leave" finds the leave
topic rather than the nearest policy clause, and the answerer abstains.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import bm25s
import numpy as np

from .knowledge import Entry
from .text import Normaliser

# Short, repetitive documents (question lists): saturate term counts early and
# only partly normalise length, so an entry with many phrasings is not punished.
K1 = 1.2
B = 0.5
TOP_K = 5
UNKNOWN_WEIGHT = 0.6


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    coverage: float  # IDF-weighted share of the question's tokens that the entry contains


@dataclass(frozen=True)
class SearchResult:
    tokens: tuple[str, ...]
    hits: tuple[Hit, ...]  # best first
    known_share: float  # IDF-weighted share of the question's tokens that any entry contains

    def best(self, *, in_scope: bool) -> Hit | None:
        for h in self.hits:
            if (h.entry.kind != "out-of-scope") == in_scope:
                return h
        return None


def entry_text(entry: Entry) -> list[str]:
    """The texts an entry is matched on."""
    if entry.kind == "document":
        return [entry.questions[0], entry.questions[0], entry.body]
    # The ways people ask count twice: they are the best evidence of what an entry answers.
    return [*entry.questions, *entry.keywords, *entry.questions, *entry.keywords, entry.answer]


class ProfileIndex:
    """Search one profile's entries with BM25 and report how well the best ones cover the question."""

    def __init__(self, entries: tuple[Entry, ...], normaliser: Normaliser) -> None:
        self.entries = entries
        self.normaliser = normaliser
        self._tokens = [normaliser.tokens(" \n ".join(entry_text(e))) for e in entries]
        self._token_sets = [frozenset(t) for t in self._tokens]
        df: Counter[str] = Counter()
        for s in self._token_sets:
            df.update(s)
        n = len(entries)
        self._idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        # A word no entry has is often filler ("stuff", "caught"); words of topics the policy
        # does not cover are in the out-of-scope entries. So it weighs like a fairly rare word,
        # not the rarest.
        self._unknown_idf = UNKNOWN_WEIGHT * math.log(1 + (n + 0.5) / 0.5)
        self._bm25 = bm25s.BM25(k1=K1, b=B)
        if entries:
            self._bm25.index(self._tokens, show_progress=False)

    def idf(self, token: str) -> float:
        return self._idf.get(token, self._unknown_idf)

    def search(self, question: str) -> SearchResult:
        tokens = tuple(dict.fromkeys(self.normaliser.tokens(question)))
        if not tokens or not self.entries:
            return SearchResult(tokens, (), 0.0)
        weights = {t: self.idf(t) for t in tokens}
        total = sum(weights.values())
        known = sum(w for t, w in weights.items() if t in self._idf) / total
        scores = np.asarray(self._bm25.get_scores(list(tokens)), dtype=float)
        order = np.argsort(-scores, kind="stable")[:TOP_K]
        hits = []
        for i in order:
            if scores[i] <= 0:
                break
            covered = sum(w for t, w in weights.items() if t in self._token_sets[i]) / total
            hits.append(Hit(self.entries[i], float(scores[i]), covered))
        return SearchResult(tokens, tuple(hits), known)
