"""What every Teams handler needs, in one place: the core, the Bot Framework adapter, and state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.audit import Audit
from bot.service import Thinktwice
from bot.types import Verdict

from ..dedupe import Deduper
from ..metrics import Metrics
from .chats import PersonalChats
from .mirror import ChannelDirectory


@dataclass
class Deps:
    bot: Thinktwice
    cloud: Any  # botbuilder's CloudAdapter (untyped)
    app_id: str  # "" in dev mode
    deduper: Deduper
    mirrors: ChannelDirectory
    chats: PersonalChats
    # The server's (TeamsAdapter.register swaps them in); until then a private metrics and no audit.
    metrics: Metrics = field(default_factory=Metrics)
    audit: Audit | None = None

    def count_review(self, verdict: Verdict) -> None:
        if self.audit is not None:
            self.audit.record_review(verdict.profile, "teams", verdict)
