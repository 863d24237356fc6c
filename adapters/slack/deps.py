"""What every Slack handler needs, in one place: the core, the Web API client, state and bookkeeping."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from slack_sdk.web.async_client import AsyncWebClient

from bot.audit import Audit
from bot.service import Thinktwice
from bot.types import Verdict

from ..dedupe import Deduper
from ..metrics import Metrics
from .mirror import MirrorDirectory


class Inflight:
    """Counts handler bodies still running after Slack got its acknowledgement.

    Bolt acknowledges first and finishes the work in a background task; tests
    and the benchmark wait on `idle()` instead of sleeping and hoping.
    """

    def __init__(self) -> None:
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @asynccontextmanager
    async def track(self) -> AsyncIterator[None]:
        self._running += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._running -= 1
            if self._running == 0:
                self._idle.set()

    async def idle(self, timeout: float = 5.0) -> None:
        # Let tasks scheduled just before this call reach their first `track()`.
        for _ in range(3):
            await asyncio.sleep(0)
        await asyncio.wait_for(self._idle.wait(), timeout)


@dataclass
class Deps:
    bot: Thinktwice
    client: AsyncWebClient
    deduper: Deduper
    mirrors: MirrorDirectory
    inflight: Inflight = field(default_factory=Inflight)
    # The server's (SlackAdapter.register swaps it in); a private one until then, so counting never fails.
    metrics: Metrics = field(default_factory=Metrics)
    # The server's audit (SlackAdapter.register); None counts nothing (a Slack app built outside a server).
    audit: Audit | None = None

    def count_review(self, verdict: Verdict) -> None:
        if self.audit is not None:
            self.audit.record_review(verdict.profile, "slack", verdict)
