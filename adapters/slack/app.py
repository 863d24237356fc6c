"""The Slack app: a Bolt AsyncApp with thinktwice's handlers, served over HTTP or Socket Mode.

`SlackAdapter` is what `adapters.serve` mounts: `register(web_app)` adds
`POST /slack/events` (events, slash commands and interactivity on one URL, as
Bolt expects), or, in Socket Mode, connects out to Slack when the server starts.
Requests are checked before Bolt sees them: a bad or stale signature is a 401
and a body that cannot be parsed is a 400, and neither is logged with its text.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.service import Thinktwice

from ..auditing import AUDIT_KEY
from ..dedupe import Deduper
from ..dispute import DISPUTE_ACTION
from ..metrics import METRICS_KEY
from ..state import MemoryStateStore, StateStore
from . import blocks, commands, disputes, events
from .deps import Deps
from .logsafe import quiet_library_loggers, quiet_logger
from .mirror import MirrorDirectory
from .settings import SlackSettings
from .webapi import configure_client

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
COMMAND = "/checkpost"
# Bounded, like the server's wait for requests in flight: a hung Web API call must not block the exit.
SHUTDOWN_DRAIN_SECONDS = 10.0


class SlackAdapter:
    """thinktwice on Slack: built once from the core and the SLACK_* settings."""

    name = "slack"

    def __init__(
        self,
        bot: Thinktwice,
        settings: SlackSettings,
        *,
        socket_mode: bool = False,
        store: StateStore | None = None,
    ) -> None:
        quiet_library_loggers()
        self.settings = settings
        self.socket_mode = socket_mode
        # Bolt falls back to os.environ for a token or secret it is not given, so both are always passed,
        # and it warns when given a client and a token: it builds the client, and configure_client sets it up.
        self.app = AsyncApp(
            name="thinktwice",
            token=settings.bot_token,
            signing_secret="" if socket_mode else settings.signing_secret,
            request_verification_enabled=not socket_mode,
            logger=quiet_logger("adapters.slack.bolt"),
        )
        client = configure_client(self.app.client, settings)
        # One store for redeliveries, cool-downs and channel lookups: shared between instances with Redis.
        self.store: StateStore = store if store is not None else MemoryStateStore()
        self.deps = Deps(
            bot=bot,
            client=client,
            deduper=Deduper(self.store, bot.config.nudge_cooldown),
            mirrors=MirrorDirectory(bot.config.mirror_channels, client, self.store),
        )
        # Socket Mode has no signing secret (and no HTTP route to check it on).
        self._verifier = SignatureVerifier(settings.signing_secret) if settings.signing_secret else None
        self._socket: Any = None
        self._register_handlers()

    # -- Bolt wiring ------------------------------------------------------------------------------------
    def _register_handlers(self) -> None:
        deps, app = self.deps, self.app

        @app.middleware
        async def drop_redeliveries(body: dict[str, Any], request: AsyncBoltRequest, next_: Any) -> Any:
            event_id = body.get("event_id") if body.get("type") == "event_callback" else None
            if event_id and not await deps.deduper.first_delivery("slack", str(event_id)):
                retry = (request.headers.get("x-slack-retry-num") or ["?"])[0]
                logger.info("dropped redelivered event %s (retry %s)", event_id, retry)
                deps.metrics.event("slack", "redelivery")
                return BoltResponse(status=200, body="")
            return await next_()

        @app.command(COMMAND)
        async def checkpost(ack: AsyncAck, command: dict[str, Any]) -> None:
            deps.metrics.event("slack", "command")
            await commands.checkpost(deps, ack, command)

        @app.view(blocks.CHECKPOST_CALLBACK)
        async def checkpost_modal(ack: AsyncAck, view: dict[str, Any]) -> None:
            deps.metrics.event("slack", "view_submission")
            await commands.checkpost_modal_submitted(deps, ack, view)

        @app.shortcut(blocks.SHORTCUT_CALLBACK)
        async def check_this_post(ack: AsyncAck, shortcut: dict[str, Any]) -> None:
            deps.metrics.event("slack", "shortcut")
            await commands.check_this_post(deps, ack, shortcut)

        @app.action(DISPUTE_ACTION)
        async def dispute_button(ack: AsyncAck, body: dict[str, Any]) -> None:
            deps.metrics.event("slack", "block_actions")
            await disputes.button_pressed(deps, ack, body)

        @app.view(blocks.DISPUTE_CALLBACK)
        async def dispute_reason(ack: AsyncAck, view: dict[str, Any]) -> None:
            deps.metrics.event("slack", "view_submission")
            await disputes.reason_submitted(deps, ack, view)

        @app.event("message")
        async def message(event: dict[str, Any], context: AsyncBoltContext) -> None:
            deps.metrics.event("slack", "message")
            await events.on_message(deps, event, context)

        @app.event("app_mention")
        async def app_mention(event: dict[str, Any], context: AsyncBoltContext) -> None:
            deps.metrics.event("slack", "app_mention")
            await events.on_app_mention(deps, event, context)

        @app.event("app_home_opened")
        async def app_home_opened(event: dict[str, Any]) -> None:
            deps.metrics.event("slack", "app_home_opened")
            await events.on_app_home_opened(deps, event)

    # -- the web server's view of the adapter ------------------------------------------------------------
    def register(self, web_app: web.Application) -> None:
        self.deps.metrics = web_app.get(METRICS_KEY, self.deps.metrics)
        self.deps.audit = web_app.get(AUDIT_KEY, self.deps.audit)
        if self.socket_mode:
            web_app.on_startup.append(self._connect_socket)
        else:
            web_app.router.add_post(EVENTS_PATH, self.handle)
        web_app.on_cleanup.append(self._close)

    def status(self) -> dict[str, Any]:
        return {
            "mode": "socket" if self.socket_mode else "http",
            "path": None if self.socket_mode else EVENTS_PATH,
        }

    async def idle(self, timeout: float = 5.0) -> None:
        """Wait until the work begun for requests already acknowledged has finished."""
        await self.deps.inflight.idle(timeout)

    async def handle(self, request: web.Request) -> web.Response:
        """POST /slack/events: verify, parse, then let Bolt dispatch (it acknowledges within 3 s)."""
        raw = await request.read()
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            body = None
        if body is None or not self._signed(body, timestamp, signature):
            logger.warning("rejected a Slack request: missing, wrong or stale signature (%d bytes)", len(raw))
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            bolt_request = AsyncBoltRequest(
                body=body, query=request.query_string, headers=dict(_headers(request))
            )
        except Exception as exc:  # Bolt parses JSON and forms and assumes an object: anything else fails here
            logger.warning(
                "rejected a Slack request: malformed body (%s, %d bytes)", type(exc).__name__, len(raw)
            )
            return web.json_response({"error": "malformed body"}, status=400)
        if not _well_formed(bolt_request.body):
            logger.warning("rejected a Slack request: not a Slack payload (%d bytes)", len(raw))
            return web.json_response({"error": "malformed body"}, status=400)
        try:
            bolt_response = await self.app.async_dispatch(bolt_request)
        except Exception as exc:  # a signed but strange payload must not crash the server
            self.deps.metrics.error("slack", "dispatch")
            logger.warning(
                "could not handle a Slack %s payload: %s", _kind(bolt_request.body), type(exc).__name__
            )
            return web.json_response({"error": "unhandled payload"}, status=400)
        if bolt_response.status == 404:
            logger.warning("ignored a Slack %s payload this app does not handle", _kind(bolt_request.body))
        return await to_aiohttp_response(bolt_response)

    def _signed(self, body: str, timestamp: str, signature: str) -> bool:
        # is_valid checks the v0 HMAC and that the timestamp is within five minutes of now.
        try:
            verifier = self._verifier
            if verifier is None or not timestamp or not signature:
                return False
            return bool(verifier.is_valid(body, timestamp, signature))
        except ValueError:  # a timestamp that is not a number
            return False

    # -- Socket Mode and shutdown ------------------------------------------------------------------------
    async def _connect_socket(self, _: web.Application) -> None:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        self._socket = AsyncSocketModeHandler(
            self.app, self.settings.app_token, logger=quiet_logger("adapters.slack.socket")
        )
        # The Socket Mode client retries (and logs, quietly) by itself if Slack refuses or is unreachable.
        await self._socket.connect_async()
        logger.info("Socket Mode started")

    async def _close(self, _: web.Application) -> None:
        # Shutting down: the requests are answered, but work Slack was already told is done must finish.
        try:
            await self.idle(SHUTDOWN_DRAIN_SECONDS)
        except TimeoutError:
            logger.warning("stopped with Slack work still running after %.0f s", SHUTDOWN_DRAIN_SECONDS)
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None


def _headers(request: web.Request) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    for name, value in request.headers.items():
        headers.setdefault(name.lower(), []).append(value)
    return headers


def _well_formed(body: Any) -> bool:
    """The shape Bolt relies on: an object, and an event envelope's event an object too."""
    if not isinstance(body, dict) or not body:
        return False
    if body.get("type") == "event_callback" and not isinstance(body.get("event"), dict):
        return False
    return all(isinstance(body.get(k), dict) for k in ("view", "message", "user", "team") if k in body)


def _kind(body: dict[str, Any]) -> str:
    """What sort of payload this was, for logs: never its text."""
    if "command" in body:
        return f"command {str(body.get('command'))[:40]}"
    kind = str(body.get("type") or "untyped")[:40]
    event = body.get("event")
    if isinstance(event, dict):
        kind += f"/{str(event.get('type'))[:40]}"
    return kind
