"""A normalised copy of a text that remembers where every character came from.

People dodge filters: full-width letters, zero-width spaces, Cyrillic look-alikes,
"jane dot smith at dss dot gov dot au", "p r o t e c t e d", "zero four one
nine". Rules match on the normalised copy; every match is mapped back to the
text as the user wrote it, so a finding's offsets always point at the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

# Invisible characters that split words without showing anything.
_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
)

# Letters from other scripts that look like ASCII letters (after NFKC).
_HOMOGLYPHS = str.maketrans(
    {
        # Cyrillic lower case
        "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
        "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
        "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g",
        # Cyrillic upper case
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
        "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "У": "Y",
        # Greek
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ι": "i",
        "ν": "v", "α": "a", "ρ": "p", "τ": "t", "υ": "u", "κ": "k",
        # Dashes and quotes that NFKC leaves alone
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
    }
)  # fmt: skip

_DIGIT_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_DIGIT_WORD = r"(?:zero|one|two|three|four|five|six|seven|eight|nine)"
# Three or more number words in a row ("four four three two") read as digits.
_DIGIT_WORD_RUN = re.compile(rf"\b{_DIGIT_WORD}(?:[\s,-]+{_DIGIT_WORD}){{2,}}\b", re.IGNORECASE)
# Four or more single letters separated by single spaces ("p r o t e c t e d").
_SPACED_LETTERS = re.compile(r"(?<![\w'])(?:[A-Za-z] ){3,}[A-Za-z](?![\w'])")

# Spelled-out email punctuation: "jane dot smith at dss dot gov dot au".
_DOT = r"(?:\s*[\(\[\{<]\s*dot\s*[\)\]\}>]\s*|\s+dot\s+|\s*\.\s?)"
_AT = r"(?:\s*[\(\[\{<]\s*at\s*[\)\]\}>]\s*|\s+at\s+|\s*@\s*)"
_TOKEN = r"[A-Za-z0-9_%+-]+"
# A match starts only where a token starts (not at every \b inside "a-b-c"), and the
# dotted parts are bounded: with an open-ended repeat, "jane dot jane dot ..." made
# every word a fresh start that scanned to the end (40,000 characters took 5 s).
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![A-Za-z0-9_%+-]){_TOKEN}(?:{_DOT}{_TOKEN}){{0,6}}{_AT}{_TOKEN}(?:{_DOT}{_TOKEN}){{0,6}}"
    rf"{_DOT}(?:au|com|org|net|gov|edu|nz|uk|io)\b",
    re.IGNORECASE,
)
_EMAIL_SPELLING = re.compile(
    r"[\(\[\{<]\s*(?:dot|at)\s*[\)\]\}>]|\s(?:dot|at)\s|\s@|@\s|\s\.|\.\s", re.IGNORECASE
)
_EMAIL_DOT = re.compile(_DOT, re.IGNORECASE)

# Cheap necessary conditions (on the lower-cased text) for the three rewrites above.
# Three number words in a row have at least two runs of "word, separator, word".
_DIGIT_WORD_HINT = re.compile(rf"{_DIGIT_WORD}[\s,-]+{_DIGIT_WORD}[\s,-]+{_DIGIT_WORD}")
# Four single letters in a row always have two inner letters with a space either side;
# starting with a literal space lets the regex engine skip ahead quickly.
_SPACED_HINT = re.compile(r" [A-Za-z] [A-Za-z] ")
# An email needs an "at" of some kind, and a domain ending spelled or dotted.
_AT_HINT = re.compile(r"@|\bat\b")
_TLD_HINT = re.compile(r"(?:dot|\.)\s*[\)\]\}>]?\s*(?:au|com|org|net|gov|edu|nz|uk|io)\b")
_EMAIL_AT = re.compile(_AT, re.IGNORECASE)


@dataclass(frozen=True)
class NormText:
    """The normalised text and, per character, the original span it came from."""

    text: str
    starts: tuple[int, ...] | None  # None: identical to the original
    ends: tuple[int, ...] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text to the span of the original."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


@lru_cache(maxsize=65_536)
def _fold_char(ch: str) -> str:
    """One non-ASCII character folded: NFKC, homoglyphs to ASCII, invisible characters dropped."""
    if ch in _INVISIBLE:
        return ""
    folded = unicodedata.normalize("NFKC", ch).translate(_HOMOGLYPHS)
    return "".join(piece for piece in folded if piece not in _INVISIBLE)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _char_fold(text: str) -> NormText:
    # Most non-ASCII chat text (an emoji, a dash, a curly quote) folds one character
    # to one character: then the offsets are the identity and no map is built.
    table = {ord(ch): _fold_char(ch) for ch in set(_NON_ASCII.findall(text))}
    folded = text.translate(table)
    if all(len(piece) == 1 for piece in table.values()):
        return NormText(folded, None, None)
    resized = [m.start() for m in _NON_ASCII.finditer(text) if len(table[ord(m.group())]) != 1]
    # The map is the identity between the characters that grew or vanished, so it is built a
    # run at a time (a 40,000-character post would otherwise cost a Python step per character).
    starts: list[int] = []
    ends: list[int] = []
    previous = 0
    for i in resized:
        starts.extend(range(previous, i))
        ends.extend(range(previous + 1, i + 1))
        width = len(table[ord(text[i])])
        starts.extend([i] * width)
        ends.extend([i + 1] * width)
        previous = i + 1
    starts.extend(range(previous, len(text)))
    ends.extend(range(previous + 1, len(text) + 1))
    return NormText(folded, tuple(starts), tuple(ends))


def _substitute(norm: NormText, pattern: re.Pattern[str], replace: Callable[[str], str | None]) -> NormText:
    """Replace each match of pattern; replaced characters map to the whole matched span."""
    text = norm.text
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last = 0
    changed = False

    def keep(a: int, b: int) -> None:
        # Unchanged characters keep their own origins, copied a run at a time.
        if norm.starts is None or norm.ends is None:
            starts.extend(range(a, b))
            ends.extend(range(a + 1, b + 1))
        else:
            starts.extend(norm.starts[a:b])
            ends.extend(norm.ends[a:b])

    for m in pattern.finditer(text):
        new = replace(m.group())
        if new is None or new == m.group():
            continue
        changed = True
        keep(last, m.start())
        pieces.append(text[last : m.start()])
        s, e = norm.span(m.start(), m.end())
        pieces.append(new)
        starts.extend([s] * len(new))
        ends.extend([e] * len(new))
        last = m.end()
    if not changed:
        return norm
    keep(last, len(text))
    pieces.append(text[last:])
    return NormText("".join(pieces), tuple(starts), tuple(ends))


def _digit_words(run: str) -> str:
    return " ".join(_DIGIT_WORDS[w.lower()] for w in re.findall(_DIGIT_WORD, run, re.IGNORECASE))


def _spaced_letters(run: str) -> str:
    # Spelling a word out letter by letter is itself a sign of dodging a filter,
    # so the joined word is upper-cased and reads like a marking would.
    return run.replace(" ", "").upper()


def _email(run: str) -> str | None:
    if not _EMAIL_SPELLING.search(run) and "@" in run:
        return None
    joined = _EMAIL_AT.sub("@", run, count=1)
    joined = _EMAIL_DOT.sub(".", joined)
    if joined.count("@") != 1 or " " in joined:
        return None
    return joined.lower()


def normalise(text: str) -> NormText:
    """Return the normalised copy used for matching, with its offset map."""
    norm = NormText(text, None, None) if text.isascii() else _char_fold(text)
    lowered = norm.text.lower()
    # Each step first asks a substring question far cheaper than its regex, because
    # nearly every message needs none of them.
    if any(w in lowered for w in _DIGIT_WORDS) and _DIGIT_WORD_HINT.search(lowered):
        norm = _substitute(norm, _DIGIT_WORD_RUN, _digit_words)
    if _SPACED_HINT.search(norm.text):
        norm = _substitute(norm, _SPACED_LETTERS, _spaced_letters)
    if _TLD_HINT.search(lowered) and _AT_HINT.search(lowered):
        norm = _substitute(norm, _OBFUSCATED_EMAIL, _email)
    return norm
