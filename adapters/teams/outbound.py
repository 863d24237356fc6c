"""Sending to Teams through the Bot Connector: replies, messages to a conversation, errors survived.

A connector that is down, slow or refusing (403 when the app is not installed
for a person, 404 for a deleted conversation) must not take the bot down: each
send is bounded in time, and a failure is logged by kind and HTTP status
(never the payload) and reported as False.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, Attachment

from .cards import CONTENT_TYPE, Card

logger = logging.getLogger(__name__)

SEND_TIMEOUT_SECONDS = 10.0


def describe(exc: BaseException) -> str:
    """An exception as a log line may show it: its kind and any HTTP status, not its message."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    return f"{type(exc).__name__} (HTTP {status})" if status else type(exc).__name__


def card_message(content: Card, *, summary: str | None = None) -> Activity:
    """A message carrying one Adaptive Card; `summary` is what notifications show."""
    return Activity(
        type="message",
        attachments=[Attachment(content_type=CONTENT_TYPE, content=content)],
        summary=summary or content.get("fallbackText"),
    )


def text_message(text: str, **fields: Any) -> Activity:
    return Activity(type="message", text=text, text_format="markdown", **fields)


async def reply(context: TurnContext, activity: Activity, what: str) -> bool:
    """Reply in the conversation (and thread) the incoming activity came from."""
    try:
        await asyncio.wait_for(context.send_activity(activity), SEND_TIMEOUT_SECONDS)
    except Exception as exc:  # the connector is unreachable or refused: logged, survived
        logger.warning("Teams %s failed: %s", what, describe(exc))
        return False
    return True


async def post(context: TurnContext, activity: Activity, what: str) -> bool:
    """Post a new message (not a reply) to the turn's conversation: a proactive turn's 1:1 chat."""
    connector = context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
    incoming = context.activity
    activity.conversation = incoming.conversation
    activity.from_property = incoming.recipient
    activity.recipient = incoming.from_property
    activity.channel_id = incoming.channel_id
    activity.service_url = incoming.service_url
    try:
        await asyncio.wait_for(
            connector.conversations.send_to_conversation(incoming.conversation.id, activity),
            SEND_TIMEOUT_SECONDS,
        )
    except Exception as exc:  # the connector is unreachable or refused: logged, survived
        logger.warning("Teams %s failed: %s", what, describe(exc))
        return False
    return True
