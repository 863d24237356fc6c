"""Contact-details detectors: work email addresses and Australian phone numbers.

Each detector is called directly on (already normalised) text; spans are
checked by the text they cover.
"""

from __future__ import annotations

import pytest

from bot.detectors import DETECTORS, DetectContext
from bot.detectors.contact import official_email, phone_fixed, phone_mobile

NO_ORG = DetectContext()
ORG = DetectContext(org_domains=("example.org", "homeaffairs.com.au"))


def covered(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


def phones(text: str) -> list[str]:
    return covered(text, sorted(phone_fixed(text, NO_ORG) + phone_mobile(text, NO_ORG)))


# -- email -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to jane.citizen@dss.gov.au today", "jane.citizen@dss.gov.au"),
        ("bob@homeaffairs.gov.au", "bob@homeaffairs.gov.au"),
        ("J.Smith@ACT.GOV.AU is my work address", "J.Smith@ACT.GOV.AU"),
        ("first.last+tag@health.gov.au", "first.last+tag@health.gov.au"),
        ("mailto:jane@dss.gov.au.", "jane@dss.gov.au"),
        ("(priya_k@servicesaustralia.gov.au)", "priya_k@servicesaustralia.gov.au"),
        ("someone@gov.au", "someone@gov.au"),
    ],
)
def test_when_an_address_is_on_gov_au_then_it_is_flagged(text: str, expected: str) -> None:
    assert covered(text, official_email(text, NO_ORG)) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ping a.person@example.org", "a.person@example.org"),
        ("a@sub.example.org", "a@sub.example.org"),
        ("x.y@HomeAffairs.com.au", "x.y@HomeAffairs.com.au"),
    ],
)
def test_when_an_address_is_on_a_configured_org_domain_then_it_is_flagged(text: str, expected: str) -> None:
    assert covered(text, official_email(text, ORG)) == [expected]
    assert official_email(text, NO_ORG) == []


@pytest.mark.parametrize(
    "text",
    [
        "my personal one is jane.citizen@gmail.com",
        "me@bigpond.com",
        "sam@outlook.com.au",
        "j@hotmail.com",
        "a@notexample.org",  # not a subdomain of example.org
        "a@gov.au.example.com",  # gov.au in the middle is not a gov.au address
        "no address here, just an @ sign",
        "follow @DSSgovau on the socials",
        "",
    ],
)
def test_when_an_address_is_personal_or_absent_then_it_is_not_flagged(text: str) -> None:
    assert official_email(text, ORG) == []


# -- phone numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call me on 02 6123 4567 today", "02 6123 4567"),
        ("(02) 6123 4567", "(02) 6123 4567"),
        ("(02)61234567", "(02)61234567"),
        ("02-6123-4567", "02-6123-4567"),
        ("0261234567", "0261234567"),
        ("+61 2 6123 4567", "+61 2 6123 4567"),
        ("+61 (0)2 6123 4567", "+61 (0)2 6123 4567"),
        ("tel 03 9096 4417", "03 9096 4417"),
        ("(08) 9123 4567.", "(08) 9123 4567"),
        ("07 3123 4567", "07 3123 4567"),
        ("my desk is 6205 1190", "6205 1190"),  # 8-digit local, no area code
        ("my desk is 6205-1190", "6205-1190"),
        ("+61 2 6123 4567 ext 12", "+61 2 6123 4567"),
    ],
)
def test_when_a_landline_is_written_in_any_au_form_then_phone_fixed_finds_it(
    text: str, expected: str
) -> None:
    assert covered(text, phone_fixed(text, NO_ORG)) == [expected]
    assert phone_mobile(text, NO_ORG) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ring 0412 345 678.", "0412 345 678"),
        ("0412345678", "0412345678"),
        ("0412-345-678", "0412-345-678"),
        ("04 1234 5678", "04 1234 5678"),
        ("+61412345678", "+61412345678"),
        ("+61 412 345 678", "+61 412 345 678"),
        ("+61-412-345-678", "+61-412-345-678"),
        ("phone: 0412 345 678, or email", "0412 345 678"),
    ],
)
def test_when_a_mobile_is_written_in_any_au_form_then_phone_mobile_finds_it(text: str, expected: str) -> None:
    assert covered(text, phone_mobile(text, NO_ORG)) == [expected]
    assert phone_fixed(text, NO_ORG) == []


def test_when_a_post_has_a_landline_and_a_mobile_then_each_is_found_once() -> None:
    text = "02 6123 4567 / 0412 345 678"
    assert phones(text) == ["02 6123 4567", "0412 345 678"]


@pytest.mark.parametrize(
    "text",
    [
        # published service lines are not a person's contact details
        "call Centrelink on 13 28 50",
        "132 850",
        "1300 653 227",
        "1800 050 004",
        "1 800 050 004",
        "1300 65 32 27",
        "131 202",
        # identifiers, money, business numbers, purchase orders
        "INC0412345",
        "ticket INC0412345 is closed",
        "$12,450",
        "$4,500,000 over four years",
        "ABN 51 824 753 556",
        "ACN 004 085 616",
        "PO 4500123987",
        "#0412345678",
        "EDOC2024/118734",
        # dates, times, year ranges, versions
        "on 12/03/2024",
        "2024-03-12",
        "at 10:30 on 12.03.2024",
        "FY 2023-2024",
        "in 2023 2024",
        "pages 2012-2019",
        "(2023) 4567",
        "version 1.2.3.4",
        "room 2.14, level 6",
        "9am-5pm",
        "see section 3 4 5 6 7 8",
        "1234 5678",
        "1300 DSS HELP",
        "",
    ],
)
def test_when_digits_are_not_a_persons_phone_number_then_no_phone_is_flagged(text: str) -> None:
    assert phones(text) == []


def test_when_the_rulebooks_name_a_detector_then_it_is_registered() -> None:
    assert {"official_email", "phone_fixed", "phone_mobile"} <= set(DETECTORS)
