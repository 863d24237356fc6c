"""`thinktwice serve`: one aiohttp server for every configured chat platform.

    GET  /healthz        200 and a small JSON status (always: liveness), the state store's included
    GET  /readyz         200 when ready for traffic, else 503 and why (adapters/readiness.py)
    GET  /metrics        Prometheus text format (adapters/metrics.py)
    POST /slack/events   Slack events, commands, interactivity (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)
    (Socket Mode)        --slack-socket with SLACK_APP_TOKEN: Slack over an outbound websocket instead
    POST /api/messages   Teams activities (MicrosoftAppId and friends; or dev mode, loopback only)

Each platform is a `WebAdapter`: it adds its routes and start-up/clean-up hooks
to the one web application. An adapter with `loopback_only` set (Teams in dev
mode, unauthenticated) makes the server listen on 127.0.0.1 only, and its
`warning` is printed at start-up.

Operations (`_operations`, `_serve`): metrics and readiness on every app;
for the real server also JSON or text logs, SIGHUP to reload the rulebooks
(adapters/reload.py), and a graceful stop on SIGTERM or SIGINT: the port
closes at once, requests in flight get up to `SHUTDOWN_TIMEOUT` seconds to
finish, work already acknowledged to Slack is drained, and the exit status is 0.

Every adapter gets the one state store built from the configuration
(`build_state_store`): in process by default, Redis with an in-process
fallback when THINKTWICE_REDIS_URL is set, so several instances share
redeliveries, cool-downs and channel lookups.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Mapping
from typing import Any, Protocol

from aiohttp import web

from bot.config import Config
from bot.service import Thinktwice

from .auditing import audit_status, close_on_cleanup, install_audit
from .logsetup import configure_logging, log_settings
from .metrics import install_metrics
from .readiness import READINESS_KEY, ReadinessCheck, install_readiness
from .reload import install_reload, pid_file
from .state import MemoryStateStore, StateStore

logger = logging.getLogger(__name__)

DEFAULT_PORT = 3978
LOOPBACK = "127.0.0.1"
EXIT_OK = 0
EXIT_USAGE = 2
# How long requests in flight may take to finish after SIGTERM before they are cut off.
SHUTDOWN_TIMEOUT = 10.0


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
STORE_KEY = web.AppKey("thinktwice_store", StateStore)


def build_state_store(config: Config) -> StateStore:
    """In-process state for one instance; Redis (falling back to memory while it is down) when configured."""
    if not config.redis_url:
        return MemoryStateStore()
    from .fallback_state import FallbackStateStore
    from .redis_state import RedisStateStore

    return FallbackStateStore(RedisStateStore(config.redis_url, prefix=config.redis_prefix))


def _adapters(
    bot: Thinktwice, env: Mapping[str, str], *, slack_socket: bool, store: StateStore, teams_dev: bool = False
) -> tuple[list[WebAdapter], list[str]]:
    """The adapters the environment configures, and the variables missing for the ones it does not."""
    adapters: list[WebAdapter] = []
    missing: list[str] = []
    if slack_socket or any(env.get(name) for name in _SLACK_VARIABLES):
        from .slack import SlackAdapter, SlackSettings

        settings = SlackSettings.from_env(env)
        if settings.configured(socket=slack_socket):
            adapters.append(SlackAdapter(bot, settings, socket_mode=slack_socket, store=store))
        else:
            missing += settings.missing(socket=slack_socket)
    else:
        missing += ["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN" if slack_socket else "SLACK_SIGNING_SECRET"]
    from .teams.settings import TeamsSettings  # no botbuilder import until Teams is configured

    teams = TeamsSettings.from_env(env, dev=teams_dev)
    if teams.configured():
        from .teams.app import TeamsAdapter

        adapters.append(TeamsAdapter(bot, teams, store=store))
    else:
        missing += [*teams.missing(), *teams.problems]
        if teams.app_id:  # meant to be on: say why it is not, even if Slack runs
            logger.warning("Teams is not served: %s", "; ".join([*teams.problems, *teams.missing()]))
    return adapters, missing


def _loopback_only(adapters: list[WebAdapter]) -> bool:
    """Does any adapter accept unauthenticated requests (Teams dev mode), so that only this host may call?"""
    return any(getattr(a, "loopback_only", False) for a in adapters)


def _operations(web_app: web.Application, bot: Thinktwice) -> None:
    """/metrics (and the timing middleware) and /readyz; before the adapters, which find the metrics here."""
    install_metrics(web_app)
    install_readiness(web_app, bot)


def _web_app(bot: Thinktwice, adapters: list[WebAdapter], store: StateStore) -> web.Application:
    web_app = web.Application(client_max_size=1024 * 1024)
    web_app[BOT_KEY] = bot
    _operations(web_app, bot)
    web_app[ADAPTERS_KEY] = {a.name: a for a in adapters}
    web_app[STORE_KEY] = store
    web_app[READINESS_KEY].append(_store_check(store))
    audit = install_audit(web_app, bot)
    for adapter in adapters:
        adapter.register(web_app)
    close_on_cleanup(web_app, audit)
    _manage_store(web_app, store)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "status": "ok",
                "profile": bot.config.profile,
                "adapters": {a.name: a.status() for a in adapters},
                "state": store.status(),
                "audit": audit_status(audit),
            }
        )

    web_app.router.add_get("/healthz", healthz)
    return web_app


def _store_check(store: StateStore) -> ReadinessCheck:
    """Ready while the shared state store is reachable: a configured Redis that is down fails the probe.

    The instance keeps serving on in-process state meanwhile; failing readiness lets a load
    balancer prefer instances that still share state, so redeliveries stay de-duplicated.
    """

    def check() -> tuple[bool, str]:
        backend = str(store.status().get("backend", "memory"))
        if store.ready():
            return True, f"state store reachable ({backend})"
        return False, f"state store unreachable ({backend}); using in-process state"

    return check


def _manage_store(web_app: web.Application, store: StateStore) -> None:
    """Open the store at start-up (Redis: probe it, then watch it); close it last at clean-up."""

    async def open_store(_: web.Application) -> None:
        await store.open()

    async def close_store(_: web.Application) -> None:
        await store.close()

    web_app.on_startup.append(open_store)
    # Appended after the adapters' clean-up hooks, so their last work can still use the store.
    web_app.on_cleanup.append(close_store)


def build_web_app(
    bot: Thinktwice, env: Mapping[str, str], *, slack_socket: bool = False, teams_dev: bool = False
) -> web.Application:
    """The server's application for these settings (tests start it on loopback).

    The adapters it mounts are in `web_app[ADAPTERS_KEY]`, by name, and the state store they share
    is `web_app[STORE_KEY]`.
    """
    store = build_state_store(bot.config)
    adapters, _ = _adapters(bot, env, slack_socket=slack_socket, store=store, teams_dev=teams_dev)
    return _web_app(bot, adapters, store)


def run_server(
    bot: Thinktwice,
    *,
    port: int | None,
    slack_socket: bool,
    env: Mapping[str, str],
    log_format: str | None = None,
    teams_dev: bool = False,
) -> int:
    """Serve until interrupted; 2, after naming the missing variables, when nothing is configured."""
    try:
        chosen_format, level = log_settings(env, log_format)
    except ValueError as exc:
        sys.stderr.write(f"thinktwice serve: {exc}\n")
        return EXIT_USAGE
    store = build_state_store(bot.config)
    adapters, missing = _adapters(bot, env, slack_socket=slack_socket, store=store, teams_dev=teams_dev)
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
    configure_logging(chosen_format, level)
    web_app = _web_app(bot, adapters, store)
    host = LOOPBACK if _loopback_only(adapters) else None
    for warning in filter(None, (getattr(a, "warning", None) for a in adapters)):
        sys.stderr.write(f"\n{warning}\n\n")
    names = ", ".join(f"{a.name} ({a.status().get('mode', 'on')})" for a in adapters)
    where = f"{host}:{port}" if host else f"port {port}"
    state = "shared state on Redis" if bot.config.redis_url else "in-process state"
    print(
        f"thinktwice serving {names} on {where} with the {bot.config.profile} profile and {state}",
        flush=True,
    )
    return _serve(web_app, bot, port, host)


def _serve(web_app: web.Application, bot: Thinktwice, port: int, host: str | None = None) -> int:
    """Run until SIGTERM or SIGINT, then stop gracefully; SIGHUP reloads the rulebooks meanwhile."""
    install_reload(web_app, bot, pid_file(bot.config.data_dir, port))
    try:
        # handle_signals: SIGTERM/SIGINT end run_app through its clean-up, which closes the port first,
        # then waits up to shutdown_timeout for the requests in flight, then runs on_cleanup.
        web.run_app(
            web_app, host=host, port=port, print=None, handle_signals=True, shutdown_timeout=SHUTDOWN_TIMEOUT
        )
    except (KeyboardInterrupt, asyncio.CancelledError):
        pass
    except OSError as exc:  # the port is taken, or not ours to bind
        sys.stderr.write(f"thinktwice serve: cannot listen on port {port}: {exc.strerror or exc}\n")
        return 1
    logger.info("thinktwice stopped")
    return EXIT_OK
