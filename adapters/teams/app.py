"""The Teams app: `POST /api/messages` through botbuilder's CloudAdapter, checked at the seam first.

`TeamsAdapter` is what `adapters.serve` mounts. A request is read, parsed and
checked here before botbuilder sees it, because CloudAdapter.process (4.17.1)
answers malformed JSON with a 500 and cannot write an invoke response whose body
is a plain dict (the message extension's). So, in order:

    body not JSON, not an object, or missing what an activity needs      400
    app id configured and the token missing, invalid or for another app 401 (nothing runs)
    dev mode (no app id) and a serviceUrl that is not on loopback        403
    a redelivered message (same activity seen before)                    200, ignored
    anything else                                                        200, or the invoke's answer

Authentication is `ConfigurationBotFrameworkAuthentication` from the Bot
Framework's own variables (settings.py). Nothing logged here carries text.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.core import InvokeResponse
from botbuilder.integration.aiohttp import (
    CloudAdapter,
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botbuilder.schema import Activity

from bot.service import Thinktwice

from ..auditing import AUDIT_KEY
from ..dedupe import Deduper
from ..logsafe import quiet_library_loggers
from ..metrics import METRICS_KEY
from ..state import MemoryStateStore, StateStore
from .chats import PersonalChats
from .credentials import ReusedCredentialsFactory
from .deps import Deps
from .handler import TeamsBot
from .mirror import ChannelDirectory
from .msrest_speedup import speed_up_retry_policy
from .settings import TeamsSettings
from .signing_keys import SigningKeys, metadata_urls
from .validation import delivery_key, parse_activity

logger = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
DEV_WARNING = (
    "WARNING: Teams is in local-development mode (no MicrosoftAppId): /api/messages accepts "
    "UNAUTHENTICATED activities, as the Bot Framework Emulator sends them. The server listens on "
    "127.0.0.1 only. Never expose it; set MicrosoftAppId and friends for a real Teams app."
)
_LIBRARY_LOGGERS = ("botbuilder", "botframework", "msrest", "msal", "urllib3")


class TeamsAdapter:
    """thinktwice on Teams: built once from the core and the Bot Framework settings."""

    name = "teams"

    def __init__(self, bot: Thinktwice, settings: TeamsSettings, *, store: StateStore | None = None) -> None:
        quiet_library_loggers(*_LIBRARY_LOGGERS)
        speed_up_retry_policy()
        self.settings = settings
        # Unauthenticated, anyone who can reach the port could make the bot post to any serviceUrl.
        self.loopback_only = not settings.authenticated
        self.warning = DEV_WARNING if self.loopback_only else None
        configuration = settings.bot_framework_configuration()
        self.auth = ConfigurationBotFrameworkAuthentication(
            configuration,
            credentials_factory=ReusedCredentialsFactory(
                ConfigurationServiceClientCredentialFactory(configuration)
            ),
        )
        self.cloud = CloudAdapter(self.auth)
        self.signing_keys = SigningKeys(metadata_urls(settings)) if settings.authenticated else None
        # One store for redelivery, cool-downs, channel lists and 1:1 chats: shared by instances on Redis.
        state = store or MemoryStateStore()
        self.deps = Deps(
            bot=bot,
            cloud=self.cloud,
            app_id=settings.app_id or "",
            deduper=Deduper(state, bot.config.nudge_cooldown),
            mirrors=ChannelDirectory(bot.config.mirror_channels, state),
            chats=PersonalChats(state),
        )
        self.handler = TeamsBot(self.deps)
        self._warming: asyncio.Task[None] | None = None

    # -- the web server's view of the adapter ------------------------------------------------------------
    def register(self, web_app: web.Application) -> None:
        self.deps.metrics = web_app.get(METRICS_KEY, self.deps.metrics)
        self.deps.audit = web_app.get(AUDIT_KEY, self.deps.audit)
        web_app.router.add_post(MESSAGES_PATH, self.handle)
        web_app.on_startup.append(self._start)
        web_app.on_cleanup.append(self._stop)

    def status(self) -> dict[str, Any]:
        return {
            "mode": "authenticated"
            if self.settings.authenticated
            else "dev (unauthenticated, loopback only)",
            "path": MESSAGES_PATH,
        }

    async def _start(self, _: web.Application) -> None:
        # (The dev-mode warning is printed by `serve` itself, so that no logging setup can hide it.)
        if self.signing_keys is not None:  # so the first request does not wait for the keys
            self._warming = asyncio.create_task(self.signing_keys.warm())

    async def _stop(self, _: web.Application) -> None:
        if self._warming is not None:
            self._warming.cancel()
            self._warming = None

    # -- POST /api/messages ----------------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.Response:
        raw = await request.read()
        activity, problem = parse_activity(raw)
        if activity is None:
            logger.warning("rejected a Teams request: %s (%d bytes)", problem, len(raw))
            return web.json_response({"error": "malformed activity"}, status=400)
        authenticated = await self._authenticate(activity, request.headers.get("Authorization", ""))
        if isinstance(authenticated, web.Response):
            return authenticated
        key = delivery_key(activity)
        if key is not None and not await self.deps.deduper.first_delivery("teams", key):
            logger.info("dropped a redelivered Teams %s activity", _kind(activity))
            self.deps.metrics.event("teams", "redelivery")
            return web.Response(status=200)
        self.deps.metrics.event("teams", _metric_kind(activity))
        try:
            invoke_response = await self.cloud.process_activity(authenticated, activity, self.handler.on_turn)
        except Exception as exc:  # a handler bug must not take the server down, nor log the activity
            self.deps.metrics.error("teams", "activity")
            logger.error("could not handle a Teams %s activity: %s", _kind(activity), type(exc).__name__)
            return web.json_response({"error": "internal error"}, status=500)
        return _response(invoke_response)

    async def _authenticate(self, activity: Activity, auth_header: str) -> Any:
        """botframework-connector's AuthenticateRequestResult for this activity, or the 401/403 to answer."""
        if not self.settings.authenticated:
            if not _on_loopback(str(activity.service_url)):
                logger.warning(
                    "rejected a Teams %s activity in dev mode: serviceUrl off loopback", _kind(activity)
                )
                return web.json_response({"error": "dev mode replies to loopback only"}, status=403)
            # Dev mode validates nothing: a stray header must not send the connector fetching keys.
            auth_header = ""
        elif not auth_header:
            logger.warning("rejected a Teams %s activity: no token", _kind(activity))
            return web.json_response({"error": "unauthorized"}, status=401)
        try:
            if self.signing_keys is not None:
                await self.signing_keys.before_validation(auth_header)
            return await self.auth.authenticate_request(activity, auth_header)
        except Exception as exc:  # PermissionError, or whatever a forged or garbled token makes the SDK raise
            logger.warning(
                "rejected a Teams %s activity: invalid token (%s)", _kind(activity), type(exc).__name__
            )
            return web.json_response({"error": "unauthorized"}, status=401)


def _response(invoke_response: InvokeResponse | None) -> web.Response:
    """The HTTP answer: an invoke's status and body as given (a plain dict), else 200."""
    if invoke_response is None:
        return web.Response(status=200)
    status = int(invoke_response.status or 200)
    if invoke_response.body is None:
        return web.Response(status=status)
    return web.json_response(invoke_response.body, status=status)


def _on_loopback(url: str) -> bool:
    try:
        return (urlsplit(url).hostname or "") in LOOPBACK_HOSTS
    except ValueError:
        return False


# Activity types counted by name; anything else is "other", so a sender cannot mint new metric series.
_COUNTED_TYPES = frozenset({"message", "messageUpdate", "invoke", "conversationUpdate", "installationUpdate"})


def _metric_kind(activity: Activity) -> str:
    kind = str(activity.type)
    return kind if kind in _COUNTED_TYPES else "other"


def _kind(activity: Activity) -> str:
    """What sort of activity this was, for logs: never its text."""
    kind = str(activity.type)[:40]
    return f"{kind}/{str(activity.name)[:60]}" if activity.name else kind
