"""Slack's message markup, in and out: what a person typed, and text safe to show back.

Slack sends message text with its own markup: `<mailto:a@b.gov.au|a@b.gov.au>`,
`<tel:0261462983|02 6146 2983>`, `<https://x|label>`, `<@U123>`, and `&amp;`,
`&lt;`, `&gt;`. The core judges what the person typed, so markup goes first.
"""

from __future__ import annotations

import re

_LINK = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def _link(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if target.startswith(("@", "#")):  # <@U123>, <#C123|general>
        return f"{target[0]}{label}" if label else target
    if target.startswith("!"):  # <!here>, <!subteam^S123|@team>
        return label or "@" + target[1:].split("^")[0]
    if target.startswith(("mailto:", "tel:")):
        return label or target.split(":", 1)[1]
    return f"{label} ({target})" if label and label != target else target


def plain(text: str) -> str:
    """Slack message markup to the text as the person wrote it."""
    text = _LINK.sub(_link, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape(text: str) -> str:
    """Text safe inside a Block Kit mrkdwn field: no accidental links, mentions or entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
