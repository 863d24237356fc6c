"""`thinktwice serve`: one aiohttp server for every configured chat platform.

    GET  /healthz        200 and a small JSON status (always)
    POST /slack/events   Slack events, commands, interactivity (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)
    (Socket Mode)        --slack-socket with SLACK_APP_TOKEN: Slack over an outbound websocket instead
    POST /api/messages   Teams activities (MicrosoftAppId and friends; or dev mode, loopback only)

Each platform is a `WebAdapter`: it adds its routes and start-up/clean-up hooks
to the one web application. An adapter with `loopback_only` set (Teams in dev
mode, unauthenticated) makes the server listen on 127.0.0.1 only, and its
`warning` is printed at start-up.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Mapping
from typing import Any, Protocol

from aiohttp import web

from bot.service import Thinktwice

logger = logging.getLogger(__name__)

DEFAULT_PORT = 3978
LOOPBACK = "127.0.0.1"
EXIT_OK = 0
EXIT_USAGE = 2


class WebAdapter(Protocol):
    name: str

    def register(self, web_app: web.Application) -> None:
        """Add routes and start-up/clean-up hooks to the server."""
        ...

    def status(self) -> dict[str, Any]:
        """A few words for /healthz (never a secret)."""
        ...


_SLACK_VARIABLES = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN")

ADAPTERS_KEY = web.AppKey("thinktwice_adapters", dict[str, Any])
BOT_KEY = web.AppKey("thinktwice_bot", Thinktwice)


def _adapters(
    bot: Thinktwice, env: Mapping[str, str], *, slack_socket: bool, teams_dev: bool = False
) -> tuple[list[WebAdapter], list[str]]:
    """The adapters the environment configures, and the variables missing for the ones it does not."""
    adapters: list[WebAdapter] = []
    missing: list[str] = []
    if slack_socket or any(env.get(name) for name in _SLACK_VARIABLES):
        from .slack import SlackAdapter, SlackSettings

        settings = SlackSettings.from_env(env)
        if settings.configured(socket=slack_socket):
            adapters.append(SlackAdapter(bot, settings, socket_mode=slack_socket))
        else:
            missing += settings.missing(socket=slack_socket)
    else:
        missing += ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN" if slack_socket else "SLACK_SIGNING_SECRET"]
    from .teams.settings import TeamsSettings  # no botbuilder import until Teams is configured

    teams = TeamsSettings.from_env(env, dev=teams_dev)
    if teams.configured():
        from .teams.app import TeamsAdapter

        adapters.append(TeamsAdapter(bot, teams))
    else:
        missing += [*teams.missing(), *teams.problems]
        if teams.app_id:  # meant to be on: say why it is not, even if Slack runs
            logger.warning("Teams is not served: %s", "; ".join([*teams.problems, *teams.missing()]))
    return adapters, missing


def _loopback_only(adapters: list[WebAdapter]) -> bool:
    """Does any adapter accept unauthenticated requests (Teams dev mode), so that only this host may call?"""
    return any(getattr(a, "loopback_only", False) for a in adapters)


def _web_app(bot: Thinktwice, adapters: list[WebAdapter]) -> web.Application:
    web_app = web.Application(client_max_size=1024 * 1024)
    web_app[BOT_KEY] = bot
    web_app[ADAPTERS_KEY] = {a.name: a for a in adapters}
    for adapter in adapters:
        adapter.register(web_app)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "status": "ok",
                "profile": bot.config.profile,
                "adapters": {a.name: a.status() for a in adapters},
            }
        )

    web_app.router.add_get("/healthz", healthz)
    return web_app


def build_web_app(
    bot: Thinktwice, env: Mapping[str, str], *, slack_socket: bool = False, teams_dev: bool = False
) -> web.Application:
    """The server's application for these settings (tests start it on loopback).

    The adapters it mounts are in `web_app[ADAPTERS_KEY]`, by name.
    """
    adapters, _ = _adapters(bot, env, slack_socket=slack_socket, teams_dev=teams_dev)
    return _web_app(bot, adapters)


def run_server(
    bot: Thinktwice,
    *,
    port: int | None,
    slack_socket: bool,
    env: Mapping[str, str],
    teams_dev: bool = False,
) -> int:
    """Serve until interrupted; 2, after naming the missing variables, when nothing is configured."""
    adapters, missing = _adapters(bot, env, slack_socket=slack_socket, teams_dev=teams_dev)
    if not adapters:
        sys.stderr.write(
            "thinktwice serve: no chat platform is configured; set "
            + ", ".join(missing)
            + (" (Socket Mode)" if slack_socket else "")
            + " in the environment\n"
        )
        return EXIT_USAGE
    if port is None:
        raw = (env.get("PORT") or "").strip()
        if raw and not raw.isdigit():
            sys.stderr.write(f"thinktwice serve: PORT must be a port number, not {raw!r}\n")
            return EXIT_USAGE
        port = int(raw) if raw else DEFAULT_PORT
    web_app = _web_app(bot, adapters)
    host = LOOPBACK if _loopback_only(adapters) else None
    for warning in filter(None, (getattr(a, "warning", None) for a in adapters)):
        sys.stderr.write(f"\n{warning}\n\n")
    names = ", ".join(f"{a.name} ({a.status().get('mode', 'on')})" for a in adapters)
    where = f"{host}:{port}" if host else f"port {port}"
    print(f"thinktwice serving {names} on {where} with the {bot.config.profile} profile", flush=True)
    try:
        web.run_app(web_app, host=host, port=port, print=None, handle_signals=True)
    except (KeyboardInterrupt, asyncio.CancelledError):
        pass
    except OSError as exc:  # the port is taken, or not ours to bind
        sys.stderr.write(f"thinktwice serve: cannot listen on port {port}: {exc.strerror or exc}\n")
        return 1
    return EXIT_OK
