"""Normalisation: filters are dodged in many ways, and offsets still point at what the user wrote."""

from __future__ import annotations

import pytest

from bot.detectors import DetectContext
from bot.detectors.contact import official_email, phone_fixed, phone_mobile
from bot.normalise import normalise

CTX = DetectContext()

# (original text, what the normalised copy contains, the obfuscated source span in the original)
CASES = [
    (
        "mail jane dot smith at dss dot gov dot au now",
        "jane.smith@dss.gov.au",
        "jane dot smith at dss dot gov dot au",
    ),
    ("jane.smith(at)dss(dot)gov(dot)au", "jane.smith@dss.gov.au", "jane.smith(at)dss(dot)gov(dot)au"),
    ("jane [at] dss [dot] gov [dot] au", "jane@dss.gov.au", "jane [at] dss [dot] gov [dot] au"),
    ("jane @ dss . gov . au", "jane@dss.gov.au", "jane @ dss . gov . au"),
    ("Jane AT DSS DOT GOV DOT AU", "jane@dss.gov.au", "Jane AT DSS DOT GOV DOT AU"),
    ("ｊａｎｅ＠ｄｓｓ．ｇｏｖ．ａｕ", "jane@dss.gov.au", "ｊａｎｅ＠ｄｓｓ．ｇｏｖ．ａｕ"),
    ("ja\u200bne@dss.gov.au", "jane@dss.gov.au", "ja\u200bne@dss.gov.au"),
    ("write to j\u0430ne@dss.gov.au", "jane@dss.gov.au", "j\u0430ne@dss.gov.au"),  # Cyrillic a
    ("p r o t e c t e d", "PROTECTED", "p r o t e c t e d"),
    ("it is S E C R E T ok", "SECRET", "S E C R E T"),
    ("ＰＲＯＴＥＣＴＥＤ", "PROTECTED", "ＰＲＯＴＥＣＴＥＤ"),
    ("SE\u0421RET stuff", "SECRET", "SE\u0421RET"),  # Cyrillic Es
    ("T\u200bO\u200bP SECRET", "TOP SECRET", "T\u200bO\u200bP SECRET"),
    (
        "zero four one two three four five six seven eight",
        "0 4 1 2 3 4 5 6 7 8",
        "zero four one two three four five six seven eight",
    ),
    ("Zero Four One Two", "0 4 1 2", "Zero Four One Two"),
    ("call 0412\u200b345\u200b678", "0412345678", "0412\u200b345\u200b678"),
    ("０４１２ ３４５ ６７８", "0412 345 678", "０４１２ ３４５ ６７８"),
    ("OFFICIAL\uff1a Sensitive", "OFFICIAL: Sensitive", "OFFICIAL\uff1a Sensitive"),
    ("a \u2013 b", "a - b", "a \u2013 b"),
]


@pytest.mark.parametrize(("original", "normal", "source"), CASES)
def test_when_text_is_obfuscated_then_the_normalised_copy_reads_plainly(
    original: str, normal: str, source: str
) -> None:
    assert normal in normalise(original).text


@pytest.mark.parametrize(("original", "normal", "source"), CASES)
def test_when_a_normalised_match_is_mapped_back_then_it_covers_the_obfuscated_source(
    original: str, normal: str, source: str
) -> None:
    norm = normalise(original)
    at = norm.text.index(normal)
    start, end = norm.span(at, at + len(normal))
    assert original[start:end] == source


@pytest.mark.parametrize(
    "text",
    [
        "plain ascii text with nothing to fold",
        "I am at home. See you at 5",
        "meet at the cafe dot",
        "Someone phoned; it was done",
        "a b c",  # three spaced letters are not a word spelled out
        "I'll be there",
        "",
    ],
)
def test_when_text_has_nothing_obfuscated_then_it_is_unchanged(text: str) -> None:
    assert normalise(text).text == text


def test_when_text_is_plain_ascii_then_offsets_are_the_identity() -> None:
    norm = normalise("nothing here at all")
    assert norm.span(3, 7) == (3, 7)


@pytest.mark.parametrize("index", range(0, 30))
def test_when_any_character_span_is_mapped_then_it_stays_inside_the_original(index: int) -> None:
    original = "x\u200by ｆｕｌｌ p r o t e c t e d jane at dss dot gov dot au"
    norm = normalise(original)
    if index >= len(norm.text):
        pytest.skip("past the end of the normalised text")
    start, end = norm.span(index, index + 1)
    assert 0 <= start < end <= len(original)


@pytest.mark.parametrize(
    ("original", "detector", "source"),
    [
        ("mail jane dot smith at dss dot gov dot au", official_email, "jane dot smith at dss dot gov dot au"),
        ("ｊａｎｅ＠ｄｓｓ．ｇｏｖ．ａｕ", official_email, "ｊａｎｅ＠ｄｓｓ．ｇｏｖ．ａｕ"),
        (
            "zero four one nine, three three seven, two six four: Dave's mobile",
            phone_mobile,
            "zero four one nine, three three seven, two six four",
        ),
        ("call 0412\u200b345\u200b678", phone_mobile, "0412\u200b345\u200b678"),
        ("desk: ０２ ６１２３ ４５６７", phone_fixed, "０２ ６１２３ ４５６７"),
        ("desk 0 2 6 1 2 3 4 5 6 7", phone_fixed, "0 2 6 1 2 3 4 5 6 7"),
        ("ring 0412-345-678", phone_mobile, "0412-345-678"),
    ],
)
def test_when_a_detector_runs_on_the_normalised_copy_then_its_span_maps_to_the_original(
    original: str, detector: object, source: str
) -> None:
    assert callable(detector)
    norm = normalise(original)
    spans = detector(norm.text, CTX)
    assert len(spans) == 1
    start, end = norm.span(*spans[0])
    assert original[start:end] == source
