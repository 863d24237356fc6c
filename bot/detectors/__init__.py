"""Detectors: the few checks a regex alone cannot make, named from the rulebooks.

A rule says `detector: phone_fixed`; the engine calls the function registered
under that name with the normalised text and gets back spans (in normalised
coordinates). Everything a pattern can say stays in the YAML.
"""

from __future__ import annotations

from collections.abc import Callable

from .base import DetectContext, Span
from .contact import official_email, phone_fixed, phone_mobile
from .identifiers import centrelink_crn, medicare_number, tax_file_number

Detector = Callable[[str, DetectContext], list[Span]]

DETECTORS: dict[str, Detector] = {
    "official_email": official_email,
    "phone_fixed": phone_fixed,
    "phone_mobile": phone_mobile,
    "tax_file_number": tax_file_number,
    "medicare_number": medicare_number,
    "centrelink_crn": centrelink_crn,
}

__all__ = ["DETECTORS", "DetectContext", "Detector", "Span"]
