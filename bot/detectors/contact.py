"""Official contact details: work email addresses and Australian phone numbers.

Phone candidates come from one permissive pattern (digits with spaces, dashes or
brackets between them); the `phonenumbers` library, not a hand-written check,
decides whether a candidate is a real Australian number and of which type.
Published service lines (13, 1300, 1800 numbers) are not a person's contact
details and are never returned.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

from .base import DetectContext, Span

_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")

# A run of 6 to 12 digits, each separated by at most three of " -()", optionally
# led by +61 or a bracketed area code. Not preceded by a word character, $, # or /
# so ids such as INC0412345, $12,450 or EDOC2024/118734 are never candidates.
_PHONE_CANDIDATE = re.compile(r"(?<![\w$#/.,])(?:\+\s?)?\(?\d(?:[ \-()]{0,3}\d){5,11}(?![\w/%])")

# PhoneNumberType members are plain ints in phonenumbers' type stubs.
_PERSON_TYPES: frozenset[int] = frozenset(
    {PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
)
_AREA_CODES = ("02", "03", "07", "08")
# A landline without its area code is only taken when written as one block of
# eight digits or as two blocks of four (6205 1190), and not when both blocks
# read as years: "2023-2024" and "2019 2020" are year ranges, not numbers.
# 6205 1190, 62051190, 6205-1190 or 6264 88 17: the shapes people write local numbers in.
_LOCAL_FORM = re.compile(r"(\d{4})(?:[ -]?(\d{4})| (\d{2} \d{2}))")
_YEAR = re.compile(r"(?:19|20)\d\d")


def _plausible_local(raw: str) -> bool:
    m = _LOCAL_FORM.fullmatch(raw)
    return m is not None and not (
        _YEAR.fullmatch(m.group(1)) and _YEAR.fullmatch(m.group(2).replace(" ", ""))
    )


def _is_official_domain(domain: str, org_domains: tuple[str, ...]) -> bool:
    domain = domain.lower().rstrip(".")
    if domain == "gov.au" or domain.endswith(".gov.au"):
        return True
    return any(domain == d or domain.endswith("." + d) for d in org_domains)


def official_email(text: str, ctx: DetectContext) -> list[Span]:
    """Email addresses on gov.au or the organisation's own domains (not personal webmail)."""
    if "@" not in text:
        return []
    return [m.span() for m in _EMAIL.finditer(text) if _is_official_domain(m.group(1), ctx.org_domains)]


@lru_cache(maxsize=4096)
def _classify(digits: str, international: bool) -> int | None:
    """The type of an Australian number, or None when it is not a valid person's number."""
    candidates: list[str] = []
    if international or (digits.startswith("61") and len(digits) == 11):
        candidates.append("+" + digits)
    elif len(digits) == 10 and digits.startswith("0"):
        candidates.append(digits)
    elif len(digits) == 8 and digits[0] in "2345689":
        # A local landline written without its area code (6205 1190, 9096 4417).
        candidates.extend(code + digits for code in _AREA_CODES)
    elif len(digits) == 6 and digits.startswith("13"):
        candidates.append(digits)
    for raw in candidates:
        try:
            number = phonenumbers.parse(raw, "AU")
        except phonenumbers.NumberParseException:
            continue
        if number.country_code == 61 and phonenumbers.is_valid_number(number):
            kind = phonenumbers.number_type(number)
            return kind if kind in _PERSON_TYPES else None
    return None


_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=16)
def _phone_numbers(text: str) -> tuple[tuple[int, int, int], ...]:
    """(start, end, phonenumbers type) of every Australian phone number in text.

    Cached because the landline and mobile rules both ask about the same text.
    """
    if _DIGIT.search(text) is None:  # most chat has no digits at all
        return ()
    found = []
    for m in _PHONE_CANDIDATE.finditer(text):
        raw = m.group()
        start, end = m.span()
        # A bracket that opens the match without closing inside it is punctuation, not "(02)".
        if raw.startswith("(") and ")" not in raw[1:5]:
            start += 1
        while raw.endswith((")", " ", "-")) and "(" not in raw[-4:]:
            raw = raw[:-1]
            end -= 1
        digits = re.sub(r"\D", "", raw)
        if len(digits) == 8 and not _plausible_local(raw):
            continue
        kind = _classify(digits, raw.lstrip("(").startswith("+"))
        if kind is not None:
            found.append((start, end, kind))
    return tuple(found)


def _phones(text: str, wanted: frozenset[int]) -> list[Span]:
    return [(start, end) for start, end, kind in _phone_numbers(text) if kind in wanted]


def phone_fixed(text: str, ctx: DetectContext) -> list[Span]:
    """Australian landline numbers, with or without the area code."""
    return _phones(text, frozenset({PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE}))


def phone_mobile(text: str, ctx: DetectContext) -> list[Span]:
    """Australian mobile numbers."""
    return _phones(text, frozenset({PhoneNumberType.MOBILE}))
