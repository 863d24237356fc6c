"""The bot's turn logic: one method per activity type, each translating to a core call and back.

    message          personal chat: `checkpost <draft>`, `checkpost`, `help`, or a question;
                     channel: nudges in mirrored channels, and answers when the bot is @mentioned
    messageUpdate    an edited channel message is scanned again
    invoke           the message extension's "Check post" (fetchTask, submitAction); others ignored
    (card submits)   "Not a problem?" on a review or nudge card records a dispute (adapters.dispute)
    conversationUpdate / installationUpdate
                     remember where a person's 1:1 chat is; keep channel names current

Messages from bots (ourselves included) are never answered or nudged.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.schema import Activity

from bot.errors import InputError

from . import cards
from .deps import Deps
from .disputes import disputed
from .extension import ACTION_COMMANDS
from .nudges import channel_of, nudge_if_needed, tenant_of
from .outbound import card_message, reply, text_message
from .text import plain
from .validation import field

logger = logging.getLogger(__name__)

PERSONAL = "personal"
CHANNEL = "channel"
_COMMAND_WORD = re.compile(r"^/?([A-Za-z]+)\b[\s:]*(.*)$", re.DOTALL)
_CHANNEL_EVENTS = frozenset({"channelCreated", "channelRenamed", "channelRestored"})
_PRIVATE_ONLY = (
    "Post checks are private: send me checkpost in a personal chat, "
    "or choose Check post from the message's … menu."
)


def _from_bot(activity: Activity) -> bool:
    sender = activity.from_property
    return sender is None or sender.role == "bot" or str(sender.id or "").startswith("28:")


def _bot_mentions(activity: Activity) -> list[str]:
    """The `<at>...</at>` spans in the text that @mention this bot."""
    found = []
    for entity in activity.entities or []:
        props = getattr(entity, "additional_properties", None) or {}
        mentioned = field(props, "mentioned")
        if entity.type == "mention" and mentioned.get("id") == (
            activity.recipient.id if activity.recipient else None
        ):
            found.append(str(props.get("text") or ""))
    return found


# -- commands (as listed in the manifest's commandLists) -----------------------------------------------
async def _checkpost(deps: Deps, context: TurnContext, draft: str, private: bool) -> None:
    profile = deps.bot.profile()
    if not private:
        await reply(context, text_message(_PRIVATE_ONLY), "checkpost pointer")
        return
    if not draft.strip():
        await reply(context, card_message(cards.draft_card(profile)), "draft box")
        return
    await _review(deps, context, draft)


async def _help(deps: Deps, context: TurnContext, _: str, private: bool) -> None:
    content = cards.help_card(deps.bot.profile(), deps.bot.config.nudge_categories)
    await reply(context, card_message(content), "help")


Command = Callable[[Deps, TurnContext, str, bool], Awaitable[None]]
COMMANDS: dict[str, Command] = {"checkpost": _checkpost, "help": _help}
# Commands that take no text: "help me decide whether I can post this" is a question, not `help`.
_BARE_COMMANDS = frozenset({"help"})


async def _review(deps: Deps, context: TurnContext, draft: str) -> None:
    profile = deps.bot.profile()
    try:
        verdict = deps.bot.review(draft)
    except InputError as exc:
        await reply(context, text_message(cards.sentence(str(exc))), "review error")
        return
    logger.info("checkpost reviewed a %d-character draft", len(draft))
    deps.count_review(verdict)
    content = cards.review_card(draft, verdict, profile)
    await reply(context, card_message(content), "review")


async def _answer(deps: Deps, context: TurnContext, question: str) -> None:
    profile = deps.bot.profile()
    try:
        # Off the event loop: the first question builds the answering index.
        answer = await asyncio.to_thread(deps.bot.ask, question)
    except InputError as exc:
        await reply(context, text_message(cards.sentence(str(exc))), "answer error")
        return
    except Exception as exc:  # answering must never take the bot down; the reply says whom to ask
        logger.error("answering failed: %s", type(exc).__name__)
        await reply(context, text_message(cards.unavailable_sentence(profile)), "answer")
        return
    if deps.audit is not None:
        deps.audit.record_answer(answer.profile, "teams", answer)
    if await reply(context, card_message(cards.answer_card(answer, profile)), "answer"):
        logger.info("answered a question (%s)", "abstained" if answer.abstained else "answered")


async def _converse(deps: Deps, context: TurnContext, text: str, *, private: bool) -> None:
    """A command if the first word names one, else a question."""
    match = _COMMAND_WORD.match(text)
    word, rest = (match.group(1).lower(), match.group(2)) if match else ("", "")
    command = COMMANDS.get(word)
    if command is not None and not (word in _BARE_COMMANDS and rest.strip()):
        await command(deps, context, rest, private)
    elif text.strip():
        await _answer(deps, context, text)
    else:
        await _help(deps, context, "", private)


class TeamsBot(ActivityHandler):  # type: ignore[misc]
    def __init__(self, deps: Deps) -> None:
        super().__init__()
        self.deps = deps

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if _from_bot(activity):
            return
        kind = activity.conversation.conversation_type or PERSONAL
        value = activity.value if isinstance(activity.value, dict) else {}
        if await disputed(self.deps, turn_context, value):
            return
        if kind == PERSONAL:
            await self._remember_chat(activity)
            if value.get("thinktwice") == cards.SUBMIT_MARKER["thinktwice"]:  # the draft box's Check button
                draft = value.get(cards.DRAFT_INPUT)
                await _review(self.deps, turn_context, draft if isinstance(draft, str) else "")
                return
            await _converse(
                self.deps,
                turn_context,
                plain(activity.text or "", drop_mentions=_bot_mentions(activity)),
                private=True,
            )
            return
        mentions = _bot_mentions(activity)
        if mentions:
            await _converse(
                self.deps, turn_context, plain(activity.text or "", drop_mentions=mentions), private=False
            )
        if kind == CHANNEL:
            await nudge_if_needed(self.deps, turn_context, plain(activity.text or ""))

    async def on_message_update_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
        if _from_bot(activity) or data.get("eventType") != "editMessage":
            return
        if (activity.conversation.conversation_type or PERSONAL) == CHANNEL:
            await nudge_if_needed(self.deps, turn_context, plain(activity.text or ""))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        activity = turn_context.activity
        value: dict[str, Any] = activity.value if isinstance(activity.value, dict) else {}
        handlers = ACTION_COMMANDS.get(str(value.get("commandId")))
        answer = handlers.get(str(activity.name)) if handlers else None
        if answer is None or value.get("botMessagePreviewAction"):
            logger.info("acknowledged and ignored a Teams invoke %s", str(activity.name)[:60])
            return InvokeResponse(status=200)
        return InvokeResponse(status=200, body=await answer(self.deps, value))

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        kind = activity.conversation.conversation_type or PERSONAL
        bot_id = activity.recipient.id if activity.recipient else None
        if kind == PERSONAL and any(m.id == bot_id for m in activity.members_added or []):
            await self._remember_chat(activity)
            content = cards.help_card(self.deps.bot.profile(), self.deps.bot.config.nudge_categories)
            await reply(turn_context, card_message(content), "welcome")
            return
        data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
        channel_id, team_id = channel_of(activity)
        if data.get("eventType") in _CHANNEL_EVENTS and channel_id and team_id:
            await self.deps.mirrors.learn(team_id, channel_id, field(data, "channel").get("name"))

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        if (turn_context.activity.conversation.conversation_type or PERSONAL) == PERSONAL:
            await self._remember_chat(turn_context.activity)

    async def _remember_chat(self, activity: Activity) -> None:
        sender = activity.from_property
        if sender is not None and sender.id:
            reference = TurnContext.get_conversation_reference(activity)
            reference.activity_id = None
            await self.deps.chats.remember(tenant_of(activity), sender.id, reference)
