"""What every Teams handler needs, in one place: the core, the Bot Framework adapter, and state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.service import Thinktwice

from ..dedupe import Deduper
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
