"""How likely the best in-scope entry is the right answer, as a number in [0, 1].

A logistic model of four signals a search leaves behind:

- coverage: the IDF-weighted share of the question's words the entry contains
  (a question about "travel allowance" leaves most of its weight uncovered);
- score: the BM25 score of the entry, on a log scale;
- margin: how far the entry is ahead of the next in-scope entry;
- out_of_scope: how close the best out-of-scope topic comes to the entry.

The weights were fitted by logistic regression on held-out phrasings of the
FAQ files (each phrasing asked against an index without it, right when the
entry it belongs to came first) plus the out-of-scope topics' own phrasings
as negatives, so that a confidence of 0.7 is right about 70% of the time on
questions the index has not seen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .retrieval import SearchResult

# Fitted weights; see the module docstring.
INTERCEPT = -3.942
W_COVERAGE = 1.013
W_SCORE = 2.109
W_MARGIN = 2.012
W_OUT_OF_SCOPE = -1.486


@dataclass(frozen=True)
class Signals:
    coverage: float
    score: float
    margin: float
    out_of_scope: float

    def as_vector(self) -> tuple[float, float, float, float]:
        return (self.coverage, math.log1p(self.score), self.margin, self.out_of_scope)


def signals(result: SearchResult) -> Signals | None:
    """The signals of the best in-scope hit, or None when nothing in scope matched at all."""
    best = result.best(in_scope=True)
    if best is None:
        return None
    runner_up = next((h for h in result.hits if h.entry.kind != "out-of-scope" and h is not best), None)
    margin = (best.score - runner_up.score) / best.score if runner_up else 1.0
    out = result.best(in_scope=False)
    # 1.0 when the out-of-scope topic scores as high as the answer; above 1 when higher.
    out_ratio = min(out.score / best.score, 2.0) if out else 0.0
    return Signals(best.coverage, best.score, margin, out_ratio)


def confidence(s: Signals | None) -> float:
    if s is None:
        return 0.0
    c, score, margin, out = s.as_vector()
    z = INTERCEPT + W_COVERAGE * c + W_SCORE * score + W_MARGIN * margin + W_OUT_OF_SCOPE * out
    return 1.0 / (1.0 + math.exp(-z))
