"""Once only: redelivered events are dropped, and nudges respect the cool-down.

Both platforms redeliver: Slack resends an event (same `event_id`, with
`X-Slack-Retry-Num`) when it did not see our 200 in time, and the Bot
Framework may resend an activity (same activity id). Whatever the cool-down, a
redelivery must never nudge twice. The cool-down is one nudge per (platform,
workspace or tenant, person, channel, category) within `cooldown` seconds; 0
turns it off. Keys carry the platform so one store can serve both.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.errors import InputError
from bot.service import Thinktwice
from bot.types import Nudge

from .state import StateStore

logger = logging.getLogger(__name__)

# Slack retries for a few minutes at most; an hour leaves a wide margin.
EVENT_MEMORY_SECONDS = 3600.0


class Deduper:
    def __init__(self, store: StateStore, cooldown: float) -> None:
        self.store = store
        self.cooldown = cooldown

    async def first_delivery(self, platform: str, delivery_id: str) -> bool:
        """True the first time a platform's event or activity id is seen, False for every redelivery."""
        return await self.store.claim(f"delivery:{platform}:{delivery_id}", EVENT_MEMORY_SECONDS)

    async def fresh_categories(
        self, platform: str, team: str, user: str, channel: str, categories: Iterable[str]
    ) -> list[str]:
        """Categories not nudged for this person in this channel within the cool-down (now claimed)."""
        cats = list(categories)
        if self.cooldown <= 0:
            return cats
        fresh = []
        for category in cats:
            if await self.store.claim(
                f"cooldown:{platform}:{team}:{user}:{channel}:{category}", self.cooldown
            ):
                fresh.append(category)
        return fresh

    async def due_nudge(
        self, bot: Thinktwice, text: str, platform: str, team: str, person: str, channel: str
    ) -> Nudge | None:
        """The nudge a message in a mirrored channel earns now, or None.

        None when the message earns none (or is not text the core accepts), and when the
        cool-down holds back every category it names.
        """
        try:
            nudge = bot.scan(text)
        except InputError:
            return None
        if not nudge.nudge:
            return None
        if not await self.fresh_categories(platform, team, person, channel, nudge.categories):
            logger.info("nudge in %s held back by the cool-down (%s)", channel, ", ".join(nudge.categories))
            return None
        return nudge
