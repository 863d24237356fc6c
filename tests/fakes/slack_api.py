"""A fake Slack Web API: a small aiohttp server on 127.0.0.1 that records every call.

Point the app at it with SLACK_API_URL=`fake.api_url`; give slash commands and
shortcuts `fake.response_url(...)` as their response_url. It answers the methods
thinktwice uses with what Slack would, can be told to fail a method once (an
error code, or HTTP 429 with Retry-After), and lets a test wait for a call
instead of sleeping.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM_ID = "T0TEAM01"


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass
class FakeSlackApi:
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    _failures: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = field(default_factory=dict)
    _holds: dict[str, asyncio.Event] = field(default_factory=dict)
    _changed: asyncio.Condition | None = None
    _runner: web.AppRunner | None = None
    base_url: str = ""

    # -- set-up ------------------------------------------------------------------------------------------
    def add_channel(self, channel_id: str, name: str, *, topic: str = "", purpose: str = "") -> None:
        self.channels[channel_id] = {
            "id": channel_id,
            "name": name,
            "is_channel": True,
            "topic": {"value": topic},
            "purpose": {"value": purpose},
        }

    def fail_once(self, method: str, error: str) -> None:
        """The next call of `method` answers {"ok": false, "error": error}."""
        self._failures.setdefault(method, []).append((200, {"ok": False, "error": error}, {}))

    def rate_limit_once(self, method: str, retry_after: int = 0) -> None:
        """The next call of `method` answers HTTP 429 with Retry-After."""
        body = {"ok": False, "error": "ratelimited"}
        self._failures.setdefault(method, []).append((429, body, {"Retry-After": str(retry_after)}))

    def hold(self, method: str) -> asyncio.Event:
        """Calls of `method` are recorded at once but answered only after the returned event is set."""
        self._holds[method] = asyncio.Event()
        return self._holds[method]

    async def start(self) -> FakeSlackApi:
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{key}", self._response_url)
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

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, key: str = "r1") -> str:
        return f"{self.base_url}/response/{key}"

    # -- what was received -------------------------------------------------------------------------------
    def received(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        assert self._changed is not None, "start() the fake first"

        async def enough() -> None:
            async with self._changed:  # type: ignore[union-attr]
                await self._changed.wait_for(lambda: len(self.received(method)) >= count)  # type: ignore[union-attr]

        await asyncio.wait_for(enough(), timeout)
        return self.received(method)

    # -- the API ---------------------------------------------------------------------------------------
    async def _record(self, method: str, request: web.Request) -> Call:
        params: dict[str, Any] = dict(request.query)
        raw = await request.text()
        if raw:
            if request.content_type == "application/json":
                params.update(json.loads(raw))
            else:
                params.update(parse_qsl(raw))
        call = Call(method, params, dict(request.headers))
        self.calls.append(call)
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()
        return call

    async def _response_url(self, request: web.Request) -> web.Response:
        await self._record("response_url", request)
        queued = self._failures.get("response_url")
        if queued:
            status, body, headers = queued.pop(0)
            return web.json_response(body, status=status, headers=headers)
        return web.Response(text="ok")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        call = await self._record(method, request)
        if method in self._holds:
            await self._holds[method].wait()
        queued = self._failures.get(method)
        if queued:
            status, body, headers = queued.pop(0)
            return web.json_response(body, status=status, headers=headers)
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return web.json_response({"ok": False, "error": "not_authed"})
        return web.json_response(self._answer(method, call))

    def _answer(self, method: str, call: Call) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "team_id": TEAM_ID,
                "user": "thinktwice",
            }
        if method == "conversations.info":
            channel = self.channels.get(str(call.get("channel")))
            return (
                {"ok": True, "channel": channel} if channel else {"ok": False, "error": "channel_not_found"}
            )
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": "1700000000.000100"}
        if method == "chat.postMessage":
            return {"ok": True, "channel": call.get("channel"), "ts": "1700000000.000200", "message": {}}
        if method in ("views.open", "views.push", "views.publish", "views.update"):
            view = call.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": {"id": "V0000001", **(view or {})}}
        return {"ok": False, "error": "unknown_method"}
