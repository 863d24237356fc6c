"""Plain, frozen data types that pass between the core and the adapters.

Nothing here knows about Slack, Teams or the terminal: an adapter turns a
platform payload into a call on the core and renders one of these back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["stop", "caution"]
VerdictLevel = Literal["ok", "caution", "stop"]

CATEGORIES: tuple[str, ...] = (
    "contact-details",
    "classified",
    "official-information",
    "unannounced",
    "speaking-for-agency",
    "political-comment",
    "criticism",
    "harassment",
    "privacy",
    "identifies-employee",
    "location",
    "copyright",
)

# SPEC: these categories always stop a post.
STOP_CATEGORIES: frozenset[str] = frozenset({"classified", "contact-details", "privacy", "harassment"})

# When two findings overlap, the one whose category comes first here wins.
CATEGORY_RANK: dict[str, int] = {
    c: i
    for i, c in enumerate(
        (
            "classified",
            "contact-details",
            "privacy",
            "harassment",
            "official-information",
            "unannounced",
            "political-comment",
            "criticism",
            "speaking-for-agency",
            "identifies-employee",
            "location",
            "copyright",
        )
    )
}


@dataclass(frozen=True)
class Citation:
    policy: str
    section: str
    heading: str

    def as_dict(self) -> dict[str, str]:
        return {"policy": self.policy, "section": self.section, "heading": self.heading}

    def label(self) -> str:
        return f"{self.policy.upper()} s{self.section} {self.heading}" if self.section else self.heading


@dataclass(frozen=True)
class Clause:
    """One numbered part of a policy, summarised in our own words."""

    id: str
    section: str
    heading: str
    summary: str
    categories: tuple[str, ...] = ()

    def citation(self, policy: str) -> Citation:
        return Citation(policy=policy, section=self.section, heading=self.heading)


@dataclass(frozen=True)
class Profile:
    """One organisation's policy: who it is, whom to ask, and what it says."""

    id: str
    name: str
    short_name: str
    contact: str
    clauses: tuple[Clause, ...]
    org_domains: tuple[str, ...] = ()
    # Which clauses back each category; a category with none is not judged.
    category_clauses: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Words that name this organisation, used by rules through {agency}.
    vocabulary: dict[str, tuple[str, ...]] = field(default_factory=dict)
    disclaimer_required: bool = False
    highlights: tuple[str, ...] = ()

    def clause(self, clause_id: str) -> Clause:
        for c in self.clauses:
            if c.id == clause_id:
                return c
        raise KeyError(clause_id)

    def judges(self, category: str) -> bool:
        return bool(self.category_clauses.get(category))

    def citations_for(self, category: str) -> tuple[Citation, ...]:
        return tuple(self.clause(cid).citation(self.id) for cid in self.category_clauses.get(category, ()))


@dataclass(frozen=True)
class Finding:
    category: str
    rule: str
    severity: Severity
    start: int
    end: int
    excerpt: str
    explanation: str
    citations: tuple[Citation, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "rule": self.rule,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "excerpt": self.excerpt,
            "explanation": self.explanation,
            "citations": [c.as_dict() for c in self.citations],
        }


@dataclass(frozen=True)
class Verdict:
    profile: str
    level: VerdictLevel
    findings: tuple[Finding, ...]
    suggestion: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "verdict": self.level,
            "findings": [f.as_dict() for f in self.findings],
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Nudge:
    """Whether a message in a mirrored channel earns a private reminder."""

    nudge: bool
    categories: tuple[str, ...]
    message: str | None
    citations: tuple[Citation, ...] = ()
    rules: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"nudge": self.nudge, "categories": list(self.categories), "message": self.message}


@dataclass(frozen=True)
class Answer:
    profile: str
    text: str
    abstained: bool
    confidence: float
    citations: tuple[Citation, ...]
    contact: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "answer": self.text,
            "abstained": self.abstained,
            "confidence": round(self.confidence, 3),
            "citations": [c.as_dict() for c in self.citations],
            "contact": self.contact,
        }
