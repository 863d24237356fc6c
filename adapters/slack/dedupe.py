"""Once only: redelivered events are dropped, and nudges respect the cool-down.

Slack redelivers an event (same `event_id`, with `X-Slack-Retry-Num`) when it
did not see our 200 in time; whatever the cool-down, a redelivery must never
nudge twice. The cool-down is one nudge per (workspace, person, channel,
category) within `cooldown` seconds; 0 turns it off.
"""

from __future__ import annotations

from collections.abc import Iterable

from .state import StateStore

# Slack retries for a few minutes at most; an hour leaves a wide margin.
EVENT_MEMORY_SECONDS = 3600.0


class Deduper:
    def __init__(self, store: StateStore, cooldown: float) -> None:
        self.store = store
        self.cooldown = cooldown

    async def first_delivery(self, event_id: str) -> bool:
        """True the first time an event id is seen, False for every redelivery."""
        return await self.store.claim(f"event:{event_id}", EVENT_MEMORY_SECONDS)

    async def fresh_categories(
        self, team: str, user: str, channel: str, categories: Iterable[str]
    ) -> list[str]:
        """Categories not nudged for this person in this channel within the cool-down (now claimed)."""
        cats = list(categories)
        if self.cooldown <= 0:
            return cats
        fresh = []
        for category in cats:
            if await self.store.claim(f"cooldown:{team}:{user}:{channel}:{category}", self.cooldown):
                fresh.append(category)
        return fresh
