"""The channel-nudge decision: should the poster get a private reminder, and what does it say?

A nudge is for messages in channels that mirror Yammer or Lync, where official
contact details or protectively marked material would leave the building. The
reminder is short, friendly, cites the clause, and never repeats the sensitive
text back (the reminder itself may be seen over someone's shoulder).
"""

from __future__ import annotations

from .engine import ProfileRules, find
from .types import Citation, Nudge

DEFAULT_NUDGE_CATEGORIES: tuple[str, ...] = ("contact-details", "classified")

_WHAT = {
    "contact-details": "work contact details (an official email address or phone number)",
    "classified": "protectively marked or classified material",
    "privacy": "someone's personal information",
    "official-information": "non-public information about the agency's work",
    "unannounced": "news that has not been officially announced",
    "harassment": "wording that could read as offensive or harassing",
    "criticism": "criticism that could damage the workplace",
    "political-comment": "strong political comment",
    "speaking-for-agency": "comment that could read as the agency's official view",
    "identifies-employee": "details that identify you or a colleague as a departmental employee",
    "location": "work locations or movements",
    "copyright": "a logo or someone else's copyrighted material",
}

_ADVICE = {
    "contact-details": "point people to the public service line or the intranet directory instead",
    "classified": "share it only through a system approved for that marking",
}


def _cite(citations: tuple[Citation, ...], short_name: str) -> str:
    if not citations:
        return f"the {short_name} social media policy"
    c = citations[0]
    section = f"section {c.section}" if c.section[:1].isdigit() else c.section
    return f"the {short_name} policy ({section}, \u201c{c.heading}\u201d)"


def decide(text: str, rules: ProfileRules, categories: tuple[str, ...] = DEFAULT_NUDGE_CATEGORIES) -> Nudge:
    """Decide whether a message posted in a mirrored channel earns a private reminder."""
    found = find(text, rules, setting="channel", categories=categories)
    findings = [f for f in found if f.category in categories]
    if not findings:
        return Nudge(False, (), None)
    cats = tuple(dict.fromkeys(f.category for f in findings))
    what = " and ".join(_WHAT[c] for c in cats)
    citations = tuple(dict.fromkeys(c for f in findings for c in f.citations))
    advice = "; ".join(_ADVICE.get(c, "consider editing it") for c in cats)
    short = rules.profile.short_name
    message = (
        "Just a quiet heads-up, only you can see this: your message in this channel "
        f"looks like it includes {what}. This channel is mirrored outside the team, "
        f"and {_cite(citations, short)} asks that this stays off it. "
        f"Could you edit the message? You could {advice}."
    )
    return Nudge(True, cats, message, citations, tuple(dict.fromkeys(f.rule for f in findings)))
