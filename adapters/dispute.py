"""The "Not a problem?" loop, shared by Slack and Teams: what the button carries, and recording it.

A review or a nudge carries a button (a Slack button, an Adaptive Card action)
whose value names the profile, the rules that fired and whether it was a review
or a nudge: never the message, an excerpt or who posted it. Pressing it records
a dispute per rule in the audit (bot/audit), with the person's optional
one-line reason. The value comes back from the platform, so it is checked as
untrusted input: a value that does not decode is ignored, not recorded.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from bot.audit import Audit

logger = logging.getLogger(__name__)

DISPUTE_ACTION = "thinktwice_dispute"
DISPUTE_LABEL = "Not a problem?"
MAX_RULES = 20
MAX_REASON = 200

Kind = Literal["review", "nudge"]
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_KINDS: tuple[Kind, ...] = ("review", "nudge")


@dataclass(frozen=True)
class DisputeToken:
    profile: str
    rules: tuple[str, ...]
    kind: Kind

    def encode(self) -> str:
        return json.dumps({"p": self.profile, "r": list(self.rules), "k": self.kind}, separators=(",", ":"))


def dispute_token(profile: str, rule_ids: Iterable[str], kind: Kind) -> DisputeToken | None:
    """The token for a review's or nudge's rules, or None when there is nothing to dispute."""
    rules = tuple(dict.fromkeys(r for r in rule_ids if _ID.fullmatch(r)))[:MAX_RULES]
    if not rules or not _ID.fullmatch(profile):
        return None
    return DisputeToken(profile, rules, kind)


def decode(value: object) -> DisputeToken | None:
    """A button value back from the platform, or None if it is not one of ours."""
    try:
        data = json.loads(value) if isinstance(value, str) else value
        if not isinstance(data, dict):
            return None
        profile, rules, kind = data.get("p"), data.get("r"), data.get("k")
        if not isinstance(profile, str) or not isinstance(rules, list) or kind not in _KINDS:
            return None
        if len(rules) > MAX_RULES or not all(isinstance(r, str) and _ID.fullmatch(r) for r in rules):
            return None
        token = dispute_token(profile, rules, "review" if kind == "review" else "nudge")
    except (ValueError, TypeError):
        return None
    return token


def one_line(reason: object) -> str | None:
    """The person's reason as one line of at most MAX_REASON characters, or None."""
    if not isinstance(reason, str):
        return None
    line = " ".join(reason.split())[:MAX_REASON]
    return line or None


def record(audit: Audit | None, token: DisputeToken, platform: str, reason: object = None) -> None:
    """Count the dispute (never raises; the audit logs its own trouble)."""
    if audit is None:
        logger.info("a %s dispute was not recorded: no audit store", platform)
        return
    audit.record_dispute(token.profile, platform, token.rules, one_line(reason))
    logger.info("recorded a dispute of %d rule(s) from a %s on %s", len(token.rules), token.kind, platform)
