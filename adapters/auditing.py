"""The server's one audit (bot/audit): opened with the app, handed to the adapters, closed last.

Adapters find it as `web_app[AUDIT_KEY]` when they register, and count reviews,
nudges, answers and disputes through it. Counts are buffered in memory and written
every second by a thread, and at a graceful stop: a crash can lose the last second.
If the audit cannot be opened (the data directory is not writable) the bot still
serves: it says so loudly at start-up and in /healthz, and counts nothing, rather
than refusing to help.
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from bot.audit import Audit, AuditUnavailable, open_audit
from bot.service import Thinktwice

logger = logging.getLogger(__name__)

AUDIT_KEY = web.AppKey("thinktwice_audit", Audit)
FLUSH_SECONDS = 1.0


def install_audit(web_app: web.Application, bot: Thinktwice) -> Audit | None:
    """Open the audit for bot's configuration and keep it on the app; None when it cannot be opened."""
    try:
        # Buffered: a request never waits on a disk write (an SQLite checkpoint can stall for tens of
        # milliseconds); a thread writes every second, and a graceful stop writes what is left.
        audit = open_audit(bot.config, flush_interval=FLUSH_SECONDS)
    except AuditUnavailable as exc:
        logger.error("audit unavailable, nothing will be counted: %s", exc)
        return None
    web_app[AUDIT_KEY] = audit
    return audit


def close_on_cleanup(web_app: web.Application, audit: Audit | None) -> None:
    """Close the audit at clean-up; called after the adapters register, so their last counts land."""
    if audit is None:
        return

    async def close(_: web.Application) -> None:
        await audit.aclose()

    web_app.on_cleanup.append(close)


def audit_status(audit: Audit | None) -> dict[str, Any]:
    """For /healthz: whether counts are being stored, and how many wait for the store."""
    if audit is None:
        return {"recording": False}
    return {"recording": True, "healthy": audit.healthy, "pending": audit.pending()}
