"""Government identifiers whose check digits can be verified.

A number is only reported when its check digit is right: nine random digits
are not a tax file number, and flagging them would teach people to ignore us.
"""

from __future__ import annotations

import re

from .base import DetectContext, Span

# Digits in the usual groupings (123 456 782, 2123 45670 1), not glued to other digits or letters.
_NINE = re.compile(r"(?<![\w$#/.])\d{3}[ -]?\d{3}[ -]?\d{3}(?![\w/])")
_MEDICARE = re.compile(r"(?<![\w$#/.])\d{4}[ -]?\d{5}[ -]?\d(?:[ /-]?\d)?(?![\w/])")
_CRN = re.compile(r"(?<![\w$#/.])\d{3}[ -]?\d{3}[ -]?\d{3}[ -]?[A-Za-z](?!\w)")

_TFN_WEIGHTS = (1, 4, 3, 7, 5, 8, 6, 9, 10)
_MEDICARE_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9)
_CRN_WEIGHTS = (512, 256, 128, 64, 32, 16, 8, 4, 2)
_CRN_LETTERS = "ABCJKLSTVWX"


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def is_tfn(number: str) -> bool:
    """Tax file number: nine digits whose weighted sum is divisible by 11."""
    d = _digits(number)
    return len(d) == 9 and sum(int(c) * w for c, w in zip(d, _TFN_WEIGHTS, strict=True)) % 11 == 0


def is_medicare(number: str) -> bool:
    """Medicare card number: first digit 2-6, ninth digit the weighted check, tenth the issue number."""
    d = _digits(number)
    if len(d) not in (10, 11) or d[0] not in "23456":
        return False
    check = sum(int(c) * w for c, w in zip(d[:8], _MEDICARE_WEIGHTS, strict=True)) % 10
    return check == int(d[8])


def is_crn(number: str) -> bool:
    """Centrelink customer reference number: nine digits and a check letter."""
    compact = re.sub(r"[ -]", "", number).upper()
    if len(compact) != 10 or not compact[:9].isdigit() or not compact[9].isalpha():
        return False
    total = sum(int(c) * w for c, w in zip(compact[:9], _CRN_WEIGHTS, strict=True))
    return _CRN_LETTERS[total % 11] == compact[9]


def tax_file_number(text: str, ctx: DetectContext) -> list[Span]:
    return [m.span() for m in _NINE.finditer(text) if is_tfn(m.group())]


def medicare_number(text: str, ctx: DetectContext) -> list[Span]:
    return [m.span() for m in _MEDICARE.finditer(text) if is_medicare(m.group())]


def centrelink_crn(text: str, ctx: DetectContext) -> list[Span]:
    return [m.span() for m in _CRN.finditer(text) if is_crn(m.group())]
