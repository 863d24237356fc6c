"""Teams message text to what the person typed: mentions out, HTML markup out, entities decoded.

Teams sends a message's text with light HTML (`<p>`, `<div>`, `<br>`, links,
`<at>Name</at>` for @mentions) and the same again as a `text/html` attachment.
The core judges the words the person wrote, so the markup goes first; the bot's
own @mention is dropped (it addresses the bot, it is not part of the question).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

_BREAK = re.compile(r"<\s*(br\s*/?|/p|/div|/li)\s*>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_AT = re.compile(r"<at[^>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)


def plain(text: str, *, drop_mentions: Iterable[str] = ()) -> str:
    """Teams text or HTML to plain text; the exact `<at>...</at>` spans in `drop_mentions` are removed."""
    for mention in drop_mentions:
        if mention:
            text = text.replace(mention, " ")
    text = _AT.sub(lambda m: "@" + m.group(1), text)
    if _TAG.search(text):
        text = _TAG.sub("", _BREAK.sub("\n", text))
    text = html.unescape(text).replace("\u00a0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
