"""The "Not a problem?" submit from a review or nudge card, wherever the card was shown.

Personal chat and channel threads send it as a message activity with a value;
the message extension's task module sends it as a submitAction invoke. Both end
here and in adapters.dispute, which checks the token and records the dispute.
"""

from __future__ import annotations

import logging
from typing import Any

from botbuilder.core import TurnContext

from .. import dispute
from . import cards
from .deps import Deps
from .outbound import reply, text_message

logger = logging.getLogger(__name__)


async def disputed(deps: Deps, context: TurnContext | None, value: dict[str, Any]) -> bool:
    """Record a "Not a problem?" card submit; False when value is not one.

    The thanks goes to personal chats only: in a channel the submit came from a threaded
    nudge, and a public reply would tell everyone about it.
    """
    if value.get("thinktwice") != cards.DISPUTE_MARKER:
        return False
    token = dispute.decode(value.get(cards.DISPUTE_MARKER))
    if token is None:
        logger.warning("ignored a dispute submit whose token is not one of ours")
        return True
    dispute.record(deps.audit, token, "teams", value.get(cards.DISPUTE_REASON_INPUT))
    deps.metrics.event("teams", "dispute")
    if context is not None and (context.activity.conversation.conversation_type or "personal") == "personal":
        await reply(context, text_message(cards.dispute_thanks(token)), "dispute thanks")
    return True
