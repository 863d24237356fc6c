"""The thinktwice server on loopback, the fake Web API behind it, and requests signed as Slack signs them.

    async with SlackHarness(THINKTWICE_MIRROR_CHANNELS="C0MIRROR1") as h:
        response = await h.command("/checkpost", "call me on 02 6146 2983")
        calls = await h.api.wait_for("response_url")

Slack signs `v0:{timestamp}:{body}` with HMAC-SHA256 under the signing secret
and sends `X-Slack-Signature: v0=<hex>` and `X-Slack-Request-Timestamp`. Slash
commands are form-encoded, interactivity is a form with one `payload` field
holding JSON, and events are JSON.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import tempfile
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

from adapters.serve import ADAPTERS_KEY, build_web_app
from bot.config import load_config
from bot.service import Thinktwice

from .slack_api import BOT_ID, BOT_USER_ID, TEAM_ID, FakeSlackApi

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"
USER = "U0PERSON1"

_ids = itertools.count(1)


def sign(body: str, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


def message_event(
    text: str,
    *,
    channel: str,
    channel_type: str = "channel",
    user: str = USER,
    ts: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    ts = ts or f"1700000{next(_ids):03d}.000100"
    return {
        "type": "message",
        "channel": channel,
        "channel_type": channel_type,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        **extra,
    }


class SlackHarness:
    """Fake Slack Web API + the real server (build_web_app) on 127.0.0.1, for one test."""

    def __init__(self, *, api: FakeSlackApi | None = None, **env: str) -> None:
        """`api`: a fake Web API already started and shared with other harnesses (several instances)."""
        # Each harness keeps its data (the audit counts) in a directory of its own.
        self._data = tempfile.TemporaryDirectory(prefix="thinktwice-test-")
        self.config_env = {"THINKTWICE_NUDGE_COOLDOWN": "600", "THINKTWICE_DATA_DIR": self._data.name, **env}
        self._own_api = api is None
        self.api = api if api is not None else FakeSlackApi()
        self.bot: Thinktwice | None = None
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.web_app: web.Application | None = None

    async def __aenter__(self) -> SlackHarness:
        if self._own_api:
            await self.api.start()
        self.bot = Thinktwice.start(load_config(self.config_env))
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": self.api.api_url,
        }
        self.web_app = build_web_app(self.bot, env)
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
        if self._own_api:
            await self.api.stop()
        self._data.cleanup()

    # -- sending ---------------------------------------------------------------------------------------
    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        assert self._session is not None
        ts = int(time.time()) if timestamp is None else timestamp
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sign(body, ts) if signature is None else signature,
            **(headers or {}),
        }
        async with self._session.post(
            f"{self.url}/slack/events", data=body.encode(), headers=sent
        ) as response:
            return response.status, await response.text()

    async def command(self, text: str, *, command: str = "/checkpost", **overrides: str) -> tuple[int, str]:
        form = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "agency",
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": USER,
            "user_name": "jane",
            "command": command,
            "text": text,
            "api_app_id": "A0THINKTW",
            "response_url": self.api.response_url("cmd"),
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
            **overrides,
        }
        return await self.post(urlencode(form), "application/x-www-form-urlencoded")

    async def interactive(self, payload: dict[str, Any]) -> tuple[int, str]:
        base = {"team": {"id": TEAM_ID, "domain": "agency"}, "user": {"id": USER, "team_id": TEAM_ID}}
        body = urlencode({"payload": json.dumps({**base, **payload})})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> tuple[int, str]:
        envelope = {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "A0THINKTW",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        }
        headers = (
            {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        )
        return await self.post(json.dumps(envelope), "application/json", headers=headers)

    async def idle(self) -> None:
        """Wait for the work behind every acknowledged request to finish."""
        assert self.web_app is not None
        await self.web_app[ADAPTERS_KEY]["slack"].idle()

    async def get(self, path: str) -> tuple[int, Any]:
        assert self._session is not None
        async with self._session.get(f"{self.url}{path}") as response:
            return response.status, await response.json()


__all__ = ["BOT_ID", "BOT_USER_ID", "TEAM_ID", "USER", "SlackHarness", "message_event", "run", "sign"]


def run(scenario: Callable[[SlackHarness], Awaitable[None]], **env: str) -> None:
    """Run one async scenario against a fresh harness (plain pytest, no async plugin needed)."""

    async def main() -> None:
        async with SlackHarness(**env) as harness:
            await scenario(harness)

    asyncio.run(main())
