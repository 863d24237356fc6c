"""Turn a question, or the text it is matched against, into search tokens.

The same steps run on both sides, so a question matches an FAQ entry whatever
its case, punctuation, spelling or choice of synonym:

    lower-case -> words -> spelling fixes -> phrase synonyms -> stop words out -> stems

Spelling fixes come from the lexicon's list of common misspellings first and
then from a one-edit match against the words the knowledge actually contains
(a deletion neighbourhood, as in SymSpell), so "facebok" finds "facebook"
without a dictionary of English.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Below this length a one-letter change usually makes another real word (post/past).
_MIN_FUZZY_LENGTH = 5


@dataclass(frozen=True)
class Lexicon:
    """The words data of answering: misspellings, synonyms and stop words."""

    spellings: dict[str, str] = field(default_factory=dict)  # wrong word -> right word
    phrases: dict[str, str] = field(default_factory=dict)  # variant phrase -> canonical phrase
    stopwords: frozenset[str] = frozenset()


def words(text: str) -> list[str]:
    """Lower-cased words of text, with typographic quotes folded and possessive 's dropped."""
    folded = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'").replace("\u2018", "'")
    out = []
    for w in _WORD.findall(folded):
        if w.endswith("'s"):
            w = w[:-2]
        out.append(w)
    return out


def stem(word: str) -> str:
    """A light, deterministic suffix stripper: plurals, -ing, -ed and a final e.

    It only has to send a question's word and the knowledge's word to the same
    token ("shared", "sharing", "share" -> "shar"); it never has to be a word.
    """
    w = word
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    return w


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Normaliser:
    """Tokens for matching, with spelling fixed against a known vocabulary."""

    def __init__(self, lexicon: Lexicon, vocabulary: Iterable[str] = ()) -> None:
        self.lexicon = lexicon
        # Longest phrases first so "work email address" wins over "work email".
        variants = sorted(lexicon.phrases, key=lambda p: (-len(p.split()), p))
        self._phrase_re = (
            re.compile(r"\b(?:" + "|".join(re.escape(v) for v in variants) + r")\b") if variants else None
        )
        self._known: set[str] = set()
        self._neighbours: dict[str, str] = {}
        self.learn(vocabulary)

    def learn(self, vocabulary: Iterable[str]) -> None:
        """Add words the knowledge contains, so that near-misses of them get fixed."""
        for word in vocabulary:
            if word in self._known or not word.isalpha():
                continue
            self._known.add(word)
            if len(word) >= _MIN_FUZZY_LENGTH:
                for d in _deletes(word):
                    # First word wins: deterministic whatever the set order was.
                    self._neighbours.setdefault(d, word)
                self._neighbours.setdefault(word, word)

    def fix_spelling(self, word: str) -> str:
        fixed = self.lexicon.spellings.get(word)
        if fixed is not None:
            return fixed
        if word in self._known or len(word) < _MIN_FUZZY_LENGTH or not word.isalpha():
            return word
        if word in self._neighbours:  # one letter too few
            return self._neighbours[word]
        for d in sorted(_deletes(word)):  # one letter too many, wrong or swapped
            if d in self._known:
                return d
            if d in self._neighbours:
                return self._neighbours[d]
        return word

    def canonical_words(self, text: str) -> list[str]:
        """Words after spelling fixes and phrase synonyms, before stop words and stems."""
        fixed = " ".join(self.fix_spelling(w) for w in words(text))
        if self._phrase_re is not None:
            fixed = self._phrase_re.sub(lambda m: self.lexicon.phrases[m.group(0)], fixed)
        return fixed.split()

    def tokens(self, text: str) -> list[str]:
        """The search tokens of text."""
        stop = self.lexicon.stopwords
        return [stem(w) for w in self.canonical_words(text) if w not in stop]
