"""Does a Teams channel mirror Yammer or Lync? Its id, or its name against the configured globs.

A channel message carries the channel's id (`19:...@thread.tacv2`) but not its
name. An id match needs nothing more; a name glob needs the team's channel list
(`GET /v3/teams/{team}/conversations` on the connector), fetched once per team
and cached in the shared state store (so instances share one look-up), and kept
current by channel created/renamed/deleted events. The General channel has no
name in that list: it is "General".
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Iterable

from ..channels import MirrorPatterns
from ..state import StateStore

logger = logging.getLogger(__name__)

CACHE_SECONDS = 300.0
ERROR_CACHE_SECONDS = 60.0
GENERAL = "General"

ChannelLister = Callable[[str], Awaitable[dict[str, str]]]


def is_teams_channel_id(pattern: str) -> bool:
    return bool(re.fullmatch(r"19:\S+", pattern))


def _key(team_id: str) -> str:
    return f"teams:channels:{team_id}"


class ChannelDirectory:
    def __init__(self, patterns: Iterable[str], store: StateStore) -> None:
        self.patterns = MirrorPatterns(patterns, is_teams_channel_id)
        self._store = store
        self._pending: dict[str, asyncio.Future[dict[str, str]]] = {}

    async def is_mirrored(self, channel_id: str, team_id: str | None, list_channels: ChannelLister) -> bool:
        if self.patterns.matches_id(channel_id):
            return True
        if not self.patterns.globs or not team_id:
            return False
        names = await self._names(team_id, list_channels)
        return self.patterns.matches_name(names.get(channel_id, ""))

    async def learn(self, team_id: str, channel_id: str, name: str | None) -> None:
        """A channel was created or renamed: remember its name (if the team's list is cached)."""
        cached = await self._store.get_map(_key(team_id))
        if cached is not None:
            cached[channel_id] = name or GENERAL
            await self._store.put_map(_key(team_id), cached, CACHE_SECONDS)

    async def forget(self, team_id: str) -> None:
        await self._store.delete(_key(team_id))

    async def _names(self, team_id: str, list_channels: ChannelLister) -> dict[str, str]:
        cached = await self._store.get_map(_key(team_id))
        if cached is not None:
            return cached
        pending = self._pending.get(team_id)
        if pending is not None:  # one look-up however many messages for the team arrive together
            return await asyncio.shield(pending)
        future: asyncio.Future[dict[str, str]] = asyncio.get_running_loop().create_future()
        self._pending[team_id] = future
        try:
            try:
                names, ttl = await list_channels(team_id), CACHE_SECONDS
            except Exception as exc:  # the connector is down or refuses: not mirrored, for now
                logger.warning("could not list the channels of a team: %s", type(exc).__name__)
                names, ttl = {}, ERROR_CACHE_SECONDS
            future.set_result(names)
            # An empty list is kept too (as one placeholder entry), so a failing connector is not
            # asked again for every message.
            await self._store.put_map(_key(team_id), names or {"": ""}, ttl)
            return names
        finally:
            del self._pending[team_id]
