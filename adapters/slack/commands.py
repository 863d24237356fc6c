"""/checkpost, its modal, and the "Check this post" message shortcut.

Every handler acknowledges first (Slack allows three seconds) and then does the
work: the review goes back through the command's response_url as an ephemeral
message, or into a modal. The draft is judged by the core, never here.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot.errors import InputError

from . import blocks
from .deps import Deps
from .text import plain
from .webapi import call, respond

logger = logging.getLogger(__name__)

HELP_WORDS = frozenset({"help", "-h", "--help", "?", "usage"})


def _review(deps: Deps, text: str) -> blocks.Rendered:
    profile = deps.bot.profile()
    try:
        verdict = deps.bot.review(text)
    except InputError as exc:
        return blocks.error_message(str(exc))
    deps.count_review(verdict)
    return blocks.review_message(text, verdict, profile)


async def checkpost(deps: Deps, ack: AsyncAck, command: dict[str, Any]) -> None:
    """`/checkpost help`, `/checkpost` alone (the modal), or `/checkpost <draft>` (ephemeral review)."""
    async with deps.inflight.track():
        raw = str(command.get("text") or "")
        word = raw.strip().lower()
        if word in HELP_WORDS:
            help_text = blocks.help_message(deps.bot.profile())
            await ack(response_type="ephemeral", text=help_text.text, blocks=help_text.blocks)
            return
        await ack()
        if not word:
            # trigger_id is good for three seconds: open the modal before anything else.
            view = blocks.draft_modal(deps.bot.profile())
            await call("views.open", deps.client.views_open(trigger_id=command.get("trigger_id"), view=view))
            return
        rendered = _review(deps, plain(raw))
        logger.info("checkpost reviewed a %d-character draft", len(raw))
        await respond(str(command.get("response_url")), rendered.text, rendered.blocks)


async def checkpost_modal_submitted(deps: Deps, ack: AsyncAck, view: dict[str, Any]) -> None:
    """The modal's Check button: the result replaces the input in the same modal."""
    async with deps.inflight.track():
        values = ((view.get("state") or {}).get("values") or {}).get(blocks.DRAFT_BLOCK) or {}
        text = str((values.get(blocks.DRAFT_ACTION) or {}).get("value") or "")
        try:
            verdict = deps.bot.review(text)
        except InputError as exc:
            await ack(
                response_action="errors", errors={blocks.DRAFT_BLOCK: blocks.error_message(str(exc)).text}
            )
            return
        deps.count_review(verdict)
        logger.info("checkpost modal reviewed a %d-character draft", len(text))
        await ack(response_action="update", view=blocks.review_modal(text, verdict, deps.bot.profile()))


async def check_this_post(deps: Deps, ack: AsyncAck, shortcut: dict[str, Any]) -> None:
    """Message shortcut: review that message's text and show the result in a modal."""
    async with deps.inflight.track():
        await ack()
        text = plain(str((shortcut.get("message") or {}).get("text") or ""))
        profile = deps.bot.profile()
        try:
            verdict = deps.bot.review(text)
            deps.count_review(verdict)
            view = blocks.review_modal(text, verdict, profile)
        except InputError:
            view = blocks.notice_modal("Post check", "That message has no text to check.")
        logger.info("message shortcut reviewed a %d-character message", len(text))
        await call("views.open", deps.client.views_open(trigger_id=shortcut.get("trigger_id"), view=view))
