"""A fake Bot Connector service: a small aiohttp server on 127.0.0.1 that records every call.

Point activities' `serviceUrl` at `fake.service_url`. It answers what thinktwice
uses, as the connector would:

    POST /v3/conversations                              create_conversation  -> {"id": "a:personal-..."}
    POST /v3/conversations/{id}/activities              send_to_conversation -> {"id": ...}
    POST /v3/conversations/{id}/activities/{activity}   reply_to_activity    -> {"id": ...}
    GET  /v3/teams/{team}/conversations                 team_channels        -> the channels added

and can be told to refuse a kind of call once (403 when the app is not installed for a person, say).
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass(frozen=True)
class Call:
    kind: str
    path: dict[str, str]
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def text(self) -> str:
        """Everything a person would read in what was sent: text, summary and card JSON."""
        return json.dumps(self.body, ensure_ascii=False)


@dataclass
class FakeConnector:
    calls: list[Call] = field(default_factory=list)
    channels: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _failures: dict[str, list[int]] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    base_url: str = ""

    def add_channel(self, team_id: str, channel_id: str, name: str | None) -> None:
        self.channels.setdefault(team_id, []).append({"id": channel_id, "name": name})

    def fail_once(self, kind: str, status: int = 403) -> None:
        self._failures.setdefault(kind, []).append(status)

    @property
    def service_url(self) -> str:
        return f"{self.base_url}/teams/"

    async def start(self) -> FakeConnector:
        app = web.Application()
        app.router.add_post("/teams/v3/conversations", self._create)
        app.router.add_post("/teams/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/teams/v3/conversations/{conversation}/activities/{activity}", self._reply)
        app.router.add_get("/teams/v3/teams/{team}/conversations", self._team_channels)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def received(self, kind: str) -> list[Call]:
        return [c for c in self.calls if c.kind == kind]

    def sent(self) -> list[Call]:
        """Every message the bot sent anywhere (new messages and replies)."""
        return [c for c in self.calls if c.kind in ("send_to_conversation", "reply_to_activity")]

    async def _record(self, kind: str, request: web.Request) -> web.Response | None:
        raw = await request.text()
        body = json.loads(raw) if raw else {}
        self.calls.append(Call(kind, dict(request.match_info), body, dict(request.headers)))
        queued = self._failures.get(kind)
        if queued:
            status = queued.pop(0)
            return web.json_response({"error": {"code": "Forbidden", "message": "refused"}}, status=status)
        return None

    async def _create(self, request: web.Request) -> web.Response:
        refused = await self._record("create_conversation", request)
        if refused is not None:
            return refused
        member = (self.calls[-1].body.get("members") or [{}])[0].get("id", "someone")
        return web.json_response({"id": f"a:personal-{member}", "activityId": f"created-{next(self._ids)}"})

    async def _send(self, request: web.Request) -> web.Response:
        return await self._record("send_to_conversation", request) or web.json_response(
            {"id": f"sent-{next(self._ids)}"}
        )

    async def _reply(self, request: web.Request) -> web.Response:
        return await self._record("reply_to_activity", request) or web.json_response(
            {"id": f"reply-{next(self._ids)}"}
        )

    async def _team_channels(self, request: web.Request) -> web.Response:
        refused = await self._record("team_channels", request)
        if refused is not None:
            return refused
        return web.json_response({"conversations": self.channels.get(request.match_info["team"], [])})
