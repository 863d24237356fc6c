"""Checks on text before it is judged: present, not too long, valid UTF-8.

Each failure is an InputError whose message says what to do; the text itself is
never echoed back (it may be the very secret we are looking for).
"""

from __future__ import annotations

from .errors import InputError

MAX_DRAFT_CHARS = 40_000
MAX_QUESTION_CHARS = 2_000


def check_text(text: object, *, what: str = "draft", limit: int = MAX_DRAFT_CHARS) -> str:
    """Return text if it can be judged, else raise InputError with one clear sentence."""
    if not isinstance(text, str):
        raise InputError(f"the {what} must be a string of text")
    if not text.strip():
        raise InputError(f"the {what} is empty; give some text to check")
    if len(text) > limit:
        raise InputError(f"the {what} is {len(text):,} characters long; the limit is {limit:,}")
    return text


def decode_utf8(data: bytes, *, source: str = "standard input") -> str:
    """Decode bytes as UTF-8 or raise InputError naming where the bad byte is."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{source} is not valid UTF-8 (bad byte at line {line}); save it as UTF-8 and try again"
        ) from None
