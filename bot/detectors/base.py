"""What a detector is given and what it returns."""

from __future__ import annotations

from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True)
class DetectContext:
    """Facts about the organisation a detector may need."""

    org_domains: tuple[str, ...] = ()
