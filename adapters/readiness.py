"""`GET /readyz`: whether this instance should get traffic now, from checks any component can add.

`/healthz` says the process is alive; `/readyz` says it can do its job. Each
check is a callable in `web_app[READINESS_KEY]` returning `(ok, reason)`, or an
awaitable of that (for a check that must ask a server, such as Redis):

    web_app[READINESS_KEY].append(lambda: (store.up, "redis reachable" if store.up else "redis unreachable"))

Checks are added while the app is built, before it starts. All pass: 200 with
every reason; any fails (or raises, or takes longer than `CHECK_TIMEOUT`): 503
with the failing reasons, first one as `reason`. The rulebooks check is always
first. Reasons are operator text: never secrets, never message text.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.service import Thinktwice

logger = logging.getLogger(__name__)

ReadinessResult = tuple[bool, str]
ReadinessCheck = Callable[[], ReadinessResult | Awaitable[ReadinessResult]]

READINESS_KEY = web.AppKey("thinktwice_readiness", list[ReadinessCheck])

# A load balancer polls every few seconds: a check that hangs must fail the probe, not hang it.
CHECK_TIMEOUT = 2.0


def rulebooks_check(bot: Thinktwice) -> ReadinessCheck:
    def check() -> ReadinessResult:
        status = bot.rules_status()
        if not status.profiles:
            return False, "rulebooks are not loaded"
        return True, f"rulebooks loaded (generation {status.generation}, {len(status.profiles)} profiles)"

    return check


async def _run(check: ReadinessCheck) -> ReadinessResult:
    try:
        result = check()
        if inspect.isawaitable(result):
            result = await asyncio.wait_for(result, CHECK_TIMEOUT)
        ok, reason = result
        return bool(ok), str(reason)
    except TimeoutError:
        return False, f"{_name(check)} did not answer within {CHECK_TIMEOUT:g} s"
    except Exception as exc:  # a broken check means "not ready", never a 500
        logger.warning("readiness check %s failed: %s", _name(check), type(exc).__name__)
        return False, f"{_name(check)} failed ({type(exc).__name__})"


def _name(check: ReadinessCheck) -> str:
    return str(getattr(check, "__qualname__", None) or type(check).__name__)


def install_readiness(web_app: web.Application, bot: Thinktwice) -> None:
    """Serve `GET /readyz` from `web_app[READINESS_KEY]`, which starts with the rulebooks check."""
    web_app[READINESS_KEY] = [rulebooks_check(bot)]

    async def readyz(request: web.Request) -> web.Response:
        results = [await _run(check) for check in request.app[READINESS_KEY]]
        failing = [reason for ok, reason in results if not ok]
        body: dict[str, Any] = {
            "status": "not ready" if failing else "ready",
            "rules": bot.rules_status().as_dict(),
            "checks": [{"ok": ok, "reason": reason} for ok, reason in results],
        }
        if failing:
            body["reason"] = "; ".join(failing)
            return web.json_response(body, status=503)
        return web.json_response(body)

    web_app.router.add_get("/readyz", readyz)
