"""The thinktwice server on loopback, a fake Bot Connector behind it, and activities as Teams sends them.

    async with TeamsHarness(THINKTWICE_MIRROR_CHANNELS=MIRROR) as h:
        status, body = await h.send(h.personal_message("can I use my work email?"))
        (reply,) = h.connector.sent()

By default Teams runs in dev mode (no MicrosoftAppId: unauthenticated, as the
Emulator), so no token is needed either way; `TeamsHarness(auth=...)` passes
Bot Framework settings instead (see tests/fakes/teams_keys.py).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import tempfile
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from adapters.serve import build_web_app
from bot.config import load_config
from bot.service import Thinktwice

from .teams_connector import FakeConnector

TENANT = "72f988bf-0000-4000-8000-00000000a11d"
BOT = {"id": "28:00000000-0000-4000-8000-00000000b07d", "name": "thinktwice"}
USER = {"id": "29:1PERSONjane", "name": "Jane Citizen", "aadObjectId": "aad-jane"}
TEAM = "19:team-general@thread.tacv2"
MIRROR = "19:mirror-channel@thread.tacv2"
OTHER = "19:other-channel@thread.tacv2"

_ids = itertools.count(1)


class TeamsHarness:
    """Fake connector + the real server (build_web_app) on 127.0.0.1, for one test."""

    def __init__(
        self, *, auth: dict[str, str] | None = None, connector: FakeConnector | None = None, **env: str
    ) -> None:
        """`connector`: a started fake connector shared with other harnesses (several instances)."""
        # Each harness keeps its data (the audit counts) in a directory of its own.
        self._data = tempfile.TemporaryDirectory(prefix="thinktwice-test-")
        self.config_env = {"THINKTWICE_NUDGE_COOLDOWN": "600", "THINKTWICE_DATA_DIR": self._data.name, **env}
        self.server_env = auth if auth is not None else {"THINKTWICE_TEAMS_DEV": "1"}
        self._own_connector = connector is None
        self.connector = connector if connector is not None else FakeConnector()
        self.bot: Thinktwice | None = None
        self.web_app: web.Application | None = None
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> TeamsHarness:
        if self._own_connector:
            await self.connector.start()
        self.bot = Thinktwice.start(load_config(self.config_env))
        self.web_app = build_web_app(self.bot, self.server_env)
        self._runner = web.AppRunner(self.web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._own_connector:
            await self.connector.stop()
        self._data.cleanup()

    # -- activities as Teams sends them ------------------------------------------------------------------
    def _base(self, kind: str, conversation: dict[str, Any], **extra: Any) -> dict[str, Any]:
        return {
            "type": kind,
            "id": f"1700000{next(_ids):06d}",
            "timestamp": "2026-11-21T09:30:00.000Z",
            "serviceUrl": self.connector.service_url,
            "channelId": "msteams",
            "from": dict(USER),
            "recipient": dict(BOT),
            "conversation": {"tenantId": TENANT, **conversation},
            "channelData": {"tenant": {"id": TENANT}},
            "locale": "en-AU",
            **extra,
        }

    def personal_message(self, text: str, **extra: Any) -> dict[str, Any]:
        conversation = {"conversationType": "personal", "id": "a:1-personal-chat-jane"}
        return self._base("message", conversation, text=text, textFormat="plain", **extra)

    def channel_message(
        self, text: str, *, channel: str = MIRROR, user: dict[str, str] | None = None, **extra: Any
    ) -> dict[str, Any]:
        activity = self._base(
            "message",
            {"conversationType": "channel", "isGroup": True, "id": f"{channel};messageid=1700000000001"},
            text=f"<p>{text}</p>",
            textFormat="plain",
            **extra,
        )
        activity["from"] = dict(user or USER)
        activity["channelData"] = {
            "teamsChannelId": channel,
            "teamsTeamId": TEAM,
            "channel": {"id": channel},
            "team": {"id": TEAM},
            "tenant": {"id": TENANT},
        }
        return activity

    def invoke(self, name: str, value: dict[str, Any], *, context: str = "personal") -> dict[str, Any]:
        conversation = {"conversationType": context, "id": "a:1-personal-chat-jane"}
        return self._base("invoke", conversation, name=name, value=value)

    # -- sending -----------------------------------------------------------------------------------------
    async def post(self, body: bytes | str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        assert self._session is not None
        data = body.encode() if isinstance(body, str) else body
        sent = {"Content-Type": "application/json", **(headers or {})}
        async with self._session.post(f"{self.url}/api/messages", data=data, headers=sent) as response:
            raw = await response.text()
            try:
                return response.status, json.loads(raw) if raw else None
            except ValueError:
                return response.status, raw

    async def send(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> tuple[int, Any]:
        return await self.post(json.dumps(activity), headers)

    async def get(self, path: str) -> tuple[int, Any]:
        assert self._session is not None
        async with self._session.get(f"{self.url}{path}") as response:
            return response.status, await response.json()


def run(scenario: Callable[[TeamsHarness], Awaitable[None]], **env: Any) -> None:
    """Run one async scenario against a fresh harness (plain pytest, no async plugin needed)."""

    async def main() -> None:
        async with TeamsHarness(**env) as harness:
            await scenario(harness)

    asyncio.run(main())
