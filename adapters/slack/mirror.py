"""Does a channel mirror Yammer or Lync? Configured ids and name globs, else its topic or purpose.

`THINKTWICE_MIRROR_CHANNELS` lists channel ids (`C0123ABCD`) or name globs
(`yammer-*`, `lync-*`). An id match needs no API call; a name glob or a topic
or purpose such as "Mirrored from Yammer" needs `conversations.info`, whose
answer is cached per channel in the state store (so with Redis every instance
shares it) and looked up once however many events for the channel arrive
together in this process. Topic and purpose changes drop the cached answer.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from ..channels import MirrorPatterns
from ..state import MemoryStateStore, StateStore
from .webapi import call

logger = logging.getLogger(__name__)

CACHE_SECONDS = 300.0
ERROR_CACHE_SECONDS = 60.0

_PLATFORM = re.compile(r"\b(yammer|lync|skype for business)\b", re.IGNORECASE)
_MIRRORS = re.compile(
    r"\b(mirror\w*|bridge[ds]?|sync\w*|relay\w*|linked|copied|cross-?posted)\b", re.IGNORECASE
)
# "no longer mirrored", "not synced": a negation just before the mirroring word.
_NEGATED = re.compile(
    r"\b(not|no longer|never|isn't|stopped)\s+(\w+\s+){0,2}(mirror|bridg|sync|relay|link|cop|cross)",
    re.IGNORECASE,
)


def says_it_mirrors(text: str) -> bool:
    """A topic or purpose that says the channel mirrors Yammer or Lync (and not that it no longer does)."""
    return bool(_PLATFORM.search(text) and _MIRRORS.search(text) and not _NEGATED.search(text))


def _is_channel_id(pattern: str) -> bool:
    return bool(re.fullmatch(r"[CGD][A-Z0-9]{6,}", pattern))


def _cache_key(channel: str) -> str:
    return f"mirror:slack:{channel}"


class MirrorDirectory:
    def __init__(
        self,
        patterns: Iterable[str],
        client: AsyncWebClient,
        store: StateStore | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.patterns = MirrorPatterns(patterns, _is_channel_id)
        self.client = client
        self.store: StateStore = store if store is not None else MemoryStateStore(clock=clock)
        self._pending: dict[str, asyncio.Future[bool]] = {}

    async def is_mirrored(self, channel: str) -> bool:
        if self.patterns.matches_id(channel):
            return True
        cached = await self.store.get_map(_cache_key(channel))
        if cached is not None and "mirrored" in cached:
            return cached["mirrored"] == "1"
        pending = self._pending.get(channel)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._pending[channel] = future
        try:
            mirrored, ttl = await self._look_up(channel)
            await self.store.put_map(_cache_key(channel), {"mirrored": "1" if mirrored else "0"}, ttl)
            future.set_result(mirrored)
            return mirrored
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved here, so an unawaited future does not warn
            raise
        finally:
            del self._pending[channel]

    async def forget(self, channel: str) -> None:
        """Drop the cached answer (the channel's topic, purpose or name just changed)."""
        await self.store.delete(_cache_key(channel))

    async def _look_up(self, channel: str) -> tuple[bool, float]:
        response = await call("conversations.info", self.client.conversations_info(channel=channel))
        if response is None:
            return False, ERROR_CACHE_SECONDS
        info: dict[str, Any] = response.get("channel") or {}
        if info.get("is_im") or info.get("is_mpim"):
            return False, CACHE_SECONDS
        name = str(info.get("name") or "").lower()
        if self.patterns.matches_name(name):
            return True, CACHE_SECONDS
        about = " ".join(str((info.get(k) or {}).get("value") or "") for k in ("topic", "purpose"))
        return says_it_mirrors(about), CACHE_SECONDS
