"""Events: questions in DMs and mentions, nudges in mirrored channels, and App Home.

A message in a channel that mirrors Yammer or Lync is scanned by the core; if it
earns a nudge the poster alone gets it (`chat.postEphemeral`), at most once per
category within the cool-down. Bots (ourselves included) are never nudged or
answered. Redelivered events are dropped earlier, in the app's middleware.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext

from bot.errors import InputError

from . import blocks
from .deps import Deps
from .text import plain
from .webapi import call

logger = logging.getLogger(__name__)

# Message subtypes that carry a person's words; others (joins, deletions, ...) are ignored.
_CARRIES_TEXT = frozenset({None, "message_changed", "thread_broadcast", "file_share", "me_message"})
# Changes that may change whether a channel says it mirrors Yammer or Lync.
_ABOUT_CHANGED = frozenset(
    {"channel_topic", "channel_purpose", "channel_name", "group_topic", "group_purpose"}
)
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")


def _from_bot(message: dict[str, Any], context: AsyncBoltContext) -> bool:
    user = message.get("user")
    return bool(
        message.get("bot_id")
        or message.get("subtype") == "bot_message"
        or user == "USLACKBOT"
        or (user is not None and user == context.bot_user_id)
    )


async def on_message(deps: Deps, event: dict[str, Any], context: AsyncBoltContext) -> None:
    async with deps.inflight.track():
        subtype = event.get("subtype")
        channel = str(event.get("channel") or "")
        if subtype in _ABOUT_CHANGED:
            await deps.mirrors.forget(channel)
            return
        if subtype not in _CARRIES_TEXT:
            return
        message = event.get("message") if subtype == "message_changed" else event
        if not isinstance(message, dict) or _from_bot(message, context):
            return
        channel_type = event.get("channel_type")
        if channel_type == "im":
            if subtype is None:  # a new question, not an edit of an old one
                await _answer(deps, event, str(event.get("text") or ""), context)
            return
        if channel_type == "mpim" or not channel:
            return
        previous = event.get("previous_message") or {}
        if subtype == "message_changed" and previous.get("text") == message.get("text"):
            return  # a link unfurled or a reaction changed: the words did not
        await _nudge_if_needed(deps, channel, message, context)


async def _nudge_if_needed(
    deps: Deps, channel: str, message: dict[str, Any], context: AsyncBoltContext
) -> None:
    user = message.get("user")
    text = plain(str(message.get("text") or ""))
    if not user or not text.strip() or not await deps.mirrors.is_mirrored(channel):
        return
    nudge = await deps.deduper.due_nudge(deps.bot, text, "slack", context.team_id or "", user, channel)
    if nudge is None:
        return
    rendered = blocks.nudge_message(nudge, deps.bot.profile())
    extra = {"thread_ts": message["thread_ts"]} if message.get("thread_ts") else {}
    sent = await call(
        "chat.postEphemeral",
        deps.client.chat_postEphemeral(
            channel=channel, user=user, text=rendered.text, blocks=rendered.blocks, **extra
        ),
    )
    if sent is None:
        deps.metrics.error("slack", "chat.postEphemeral")
        return
    logger.info("nudged a poster in %s (%s)", channel, ", ".join(nudge.categories))
    if deps.audit is not None:
        deps.audit.record_nudge(deps.bot.profile().id, "slack", nudge.categories)
    for category in nudge.categories:
        deps.metrics.nudge("slack", category)


async def on_app_mention(deps: Deps, event: dict[str, Any], context: AsyncBoltContext) -> None:
    async with deps.inflight.track():
        if _from_bot(event, context):
            return
        await _answer(deps, event, _MENTION.sub(" ", str(event.get("text") or "")), context)


async def _answer(deps: Deps, event: dict[str, Any], raw: str, context: AsyncBoltContext) -> None:
    """Answer a question in the thread it was asked in (a new thread under the question if none)."""
    profile = deps.bot.profile()
    question = " ".join(plain(raw).split())
    try:
        # Off the event loop: the first question builds the answering index.
        answer = await asyncio.to_thread(deps.bot.ask, question)
        if deps.audit is not None:
            deps.audit.record_answer(answer.profile, "slack", answer)
        rendered = blocks.answer_message(answer, profile)
    except InputError as exc:
        rendered = blocks.error_message(str(exc))
    except Exception as exc:  # answering must never take the bot down; the reply says whom to ask
        logger.error("answering failed: %s", type(exc).__name__)
        deps.metrics.error("slack", "answering")
        rendered = blocks.unavailable_answer(profile)
    thread_ts = event.get("thread_ts") or event.get("ts")
    sent = await call(
        "chat.postMessage",
        deps.client.chat_postMessage(
            channel=str(event.get("channel")), thread_ts=thread_ts, text=rendered.text, blocks=rendered.blocks
        ),
    )
    if sent is None:
        deps.metrics.error("slack", "chat.postMessage")
    else:
        logger.info("answered a question in %s", event.get("channel"))


async def on_app_home_opened(deps: Deps, event: dict[str, Any]) -> None:
    async with deps.inflight.track():
        if event.get("tab", "home") != "home" or not event.get("user"):
            return
        config = deps.bot.config
        view = blocks.home_view(deps.bot.profile(), config.nudge_categories)
        await call("views.publish", deps.client.views_publish(user_id=event["user"], view=view))
