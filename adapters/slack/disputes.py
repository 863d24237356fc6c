"""The "Not a problem?" button on reviews and nudges: ask for an optional reason, then record it.

The button opens a small modal (pushed over the review when the review is itself
a modal); sending it records one dispute per rule through adapters.dispute. A
button value that is not ours is ignored.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from .. import dispute
from . import blocks
from .deps import Deps
from .webapi import call

logger = logging.getLogger(__name__)


async def button_pressed(deps: Deps, ack: AsyncAck, body: dict[str, Any]) -> None:
    async with deps.inflight.track():
        await ack()
        actions = body.get("actions") or [{}]
        token = dispute.decode((actions[0] or {}).get("value"))
        if token is None:
            logger.warning("ignored a dispute button whose value is not one of ours")
            return
        view = blocks.dispute_modal(token)
        trigger_id = body.get("trigger_id")
        # A review shown in a modal gets the question pushed on top of it; a message gets a new modal.
        if (body.get("container") or {}).get("type") == "view":
            await call("views.push", deps.client.views_push(trigger_id=trigger_id, view=view))
        else:
            await call("views.open", deps.client.views_open(trigger_id=trigger_id, view=view))


async def reason_submitted(deps: Deps, ack: AsyncAck, view: dict[str, Any]) -> None:
    async with deps.inflight.track():
        await ack()
        token = dispute.decode(view.get("private_metadata"))
        if token is None:
            logger.warning("ignored a dispute whose metadata is not one of ours")
            return
        values = ((view.get("state") or {}).get("values") or {}).get(blocks.REASON_BLOCK) or {}
        reason = (values.get(blocks.REASON_ACTION) or {}).get("value")
        dispute.record(deps.audit, token, "slack", reason)
        deps.metrics.event("slack", "dispute")
