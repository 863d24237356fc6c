"""Where to reach a person privately: the reference to their 1:1 chat with the bot, by tenant and user.

Teams has no ephemeral messages, so a nudge goes to the poster's personal chat
with the bot. A reference is remembered whenever the person talks to the bot
there, installs it, or the bot creates that chat to nudge them. References live
in the shared state store (adapters/state.py), so with several instances behind
a load balancer the one that receives the channel message finds the chat another
one learned; they expire after `REMEMBER_SECONDS` unused, and a forgotten or
unknown chat is created again on demand, which Teams answers with the same chat.
"""

from __future__ import annotations

import json
import logging

from botbuilder.schema import ConversationReference

from ..state import StateStore

logger = logging.getLogger(__name__)

REMEMBER_SECONDS = 30 * 24 * 3600.0
_FIELD = "reference"


class PersonalChats:
    def __init__(self, store: StateStore, ttl: float = REMEMBER_SECONDS) -> None:
        self._store = store
        self._ttl = ttl

    @staticmethod
    def _key(tenant: str, user_id: str) -> str:
        return f"teams:chat:{tenant}:{user_id}"

    async def remember(self, tenant: str, user_id: str, reference: ConversationReference) -> None:
        encoded = json.dumps(reference.serialize(), separators=(",", ":"))
        await self._store.put_map(self._key(tenant, user_id), {_FIELD: encoded}, self._ttl)

    async def get(self, tenant: str, user_id: str) -> ConversationReference | None:
        stored = await self._store.get_map(self._key(tenant, user_id))
        if not stored or _FIELD not in stored:
            return None
        try:
            return ConversationReference.deserialize(json.loads(stored[_FIELD]))
        except (ValueError, TypeError) as exc:  # written by another version, or damaged: start afresh
            logger.warning("dropped an unreadable chat reference: %s", type(exc).__name__)
            await self.forget(tenant, user_id)
            return None

    async def forget(self, tenant: str, user_id: str) -> None:
        await self._store.delete(self._key(tenant, user_id))
