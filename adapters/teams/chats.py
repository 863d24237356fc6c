"""Where to reach a person privately: the reference to their 1:1 chat with the bot, by tenant and user.

Teams has no ephemeral messages, so a nudge goes to the poster's personal chat
with the bot. A reference is remembered whenever the person talks to the bot
there, installs it, or the bot creates that chat to nudge them. The store lives
in this process and is bounded (oldest forgotten first); a forgotten or unknown
chat is created again on demand, which Teams answers with the same chat.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

MAX_CHATS = 50_000


class PersonalChats:
    def __init__(self, max_chats: int = MAX_CHATS) -> None:
        self._max = max_chats
        self._references: OrderedDict[tuple[str, str], Any] = OrderedDict()

    def remember(self, tenant: str, user_id: str, reference: Any) -> None:
        key = (tenant, user_id)
        self._references[key] = reference
        self._references.move_to_end(key)
        while len(self._references) > self._max:
            self._references.popitem(last=False)

    def get(self, tenant: str, user_id: str) -> Any | None:
        return self._references.get((tenant, user_id))

    def forget(self, tenant: str, user_id: str) -> None:
        self._references.pop((tenant, user_id), None)

    def __len__(self) -> int:
        return len(self._references)
