"""Government identifiers: reported only when the check digit is right."""

from __future__ import annotations

import pytest

from bot.detectors import DETECTORS, DetectContext
from bot.detectors.identifiers import (
    centrelink_crn,
    is_crn,
    is_medicare,
    is_tfn,
    medicare_number,
    tax_file_number,
)

CTX = DetectContext()


def covered(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my TFN is 123 456 782", "123 456 782"),
        ("TFN: 123456782.", "123456782"),
        ("tfn 876-543-210 thanks", "876-543-210"),
        ("459 599 230", "459 599 230"),
        ("(565 051 603)", "565 051 603"),
    ],
)
def test_when_a_tax_file_number_has_a_valid_check_digit_then_it_is_found(text: str, expected: str) -> None:
    assert covered(text, tax_file_number(text, CTX)) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "123 456 789",  # fails the checksum
        "123 456 781",
        "876 543 211",
        "12 345 6782",  # not a TFN grouping
        "ABN 51 824 753 556",
        "INC123456782",  # glued to letters: an id, not a TFN
        "$123,456,782",
        "ref #123456782",
        "1234567820",  # ten digits
        "0412 345 678",
        "",
    ],
)
def test_when_nine_digits_fail_the_tfn_checksum_or_shape_then_nothing_is_found(text: str) -> None:
    assert tax_file_number(text, CTX) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Medicare 2123 45670 1", "2123 45670 1"),
        ("card 2123456701 ok", "2123456701"),
        ("2428 77813 2", "2428 77813 2"),
        ("2123 45670 1/2", "2123 45670 1/2"),  # with the individual reference number
        ("2123-45670-1", "2123-45670-1"),
    ],
)
def test_when_a_medicare_number_has_a_valid_check_digit_then_it_is_found(text: str, expected: str) -> None:
    assert covered(text, medicare_number(text, CTX)) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "2123 45671 1",  # wrong check digit
        "2953 71458 1",
        "1123 45670 1",  # first digit must be 2 to 6
        "7123 45670 1",
        "2123 45670",  # too short
        "PO 4500123977",
        # (PO 4500123987 happens to pass the Medicare checksum: context words in the rule must clear it)
        "",
    ],
)
def test_when_a_medicare_number_fails_its_checksum_or_shape_then_nothing_is_found(text: str) -> None:
    assert medicare_number(text, CTX) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CRN 204 123 456L", "204 123 456L"),
        ("crn 307456789J.", "307456789J"),
        ("123-456-789c", "123-456-789c"),
        ("555 666 777 J", "555 666 777 J"),
    ],
)
def test_when_a_crn_has_a_valid_check_letter_then_it_is_found(text: str, expected: str) -> None:
    assert covered(text, centrelink_crn(text, CTX)) == [expected]


@pytest.mark.parametrize(
    "text",
    ["CRN 204 123 456X", "307 654 321K", "123456789A", "123 456 789 Cat", "204123456", ""],
)
def test_when_a_crn_has_the_wrong_check_letter_then_nothing_is_found(text: str) -> None:
    assert centrelink_crn(text, CTX) == []


@pytest.mark.parametrize(
    ("check", "number", "valid"),
    [
        (is_tfn, "123 456 782", True),
        (is_tfn, "123 456 783", False),
        (is_tfn, "12345678", False),
        (is_medicare, "2123 45670 1", True),
        (is_medicare, "2123 45670 11", True),
        (is_medicare, "2123 45679 1", False),
        (is_crn, "204 123 456 L", True),
        (is_crn, "204 123 456 A", False),
        (is_crn, "204 123 45X L", False),
    ],
)
def test_when_a_checksum_is_asked_directly_then_it_answers(check: object, number: str, valid: bool) -> None:
    assert callable(check)
    assert check(number) is valid


def test_when_the_rulebooks_name_an_identifier_detector_then_it_is_registered() -> None:
    assert {"tax_file_number", "medicare_number", "centrelink_crn"} <= set(DETECTORS)
