"""The message extension's action command "Check post", from the compose box or a message's … menu.

    composeExtension/fetchTask     -> a task module with the draft box (prefilled with the message's
                                      text when invoked on a message)
    composeExtension/submitAction  -> the review, as an Adaptive Card in the same task module

Both are invokes: Teams waits for the answer in the HTTP response body, which
these functions build as plain dicts. Only the person who invoked it sees it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.errors import InputError

from .. import dispute
from . import cards
from .deps import Deps
from .disputes import disputed
from .text import plain

logger = logging.getLogger(__name__)

CHECK_POST = "checkPost"
FETCH_TASK = "composeExtension/fetchTask"
SUBMIT_ACTION = "composeExtension/submitAction"
TASK_TITLE = "Check post"


def _task(title: str, content: cards.Card) -> dict[str, Any]:
    return {
        "task": {
            "type": "continue",
            "value": {"title": title, "width": "large", "height": "large", "card": cards.attachment(content)},
        }
    }


def _message(text: str) -> dict[str, Any]:
    """Close the task module with a short message."""
    return {"task": {"type": "message", "value": text}}


def message_text(value: dict[str, Any]) -> str:
    """The text of the message the action was invoked on (Teams sends it as HTML), or ''."""
    payload = value.get("messagePayload")
    body = payload.get("body") if isinstance(payload, dict) else None
    content = body.get("content") if isinstance(body, dict) else None
    return plain(content) if isinstance(content, str) else ""


async def fetch_task(deps: Deps, value: dict[str, Any]) -> dict[str, Any]:
    draft = message_text(value) if value.get("commandContext") == "message" else ""
    logger.info("message extension opened the draft box (%s)", "prefilled" if draft else "empty")
    return _task(TASK_TITLE, cards.draft_card(deps.bot.profile(), draft))


async def submit_action(deps: Deps, value: dict[str, Any]) -> dict[str, Any]:
    bot = deps.bot
    data = value.get("data")
    if isinstance(data, dict) and data.get("thinktwice") == cards.DISPUTE_MARKER:
        # "Not a problem?" on the review shown in the task module: record it and close with thanks.
        await disputed(deps, None, data)
        token = dispute.decode(data.get(cards.DISPUTE_MARKER))
        return _message(cards.dispute_thanks(token) if token is not None else "Thanks.")
    draft = data.get(cards.DRAFT_INPUT) if isinstance(data, dict) else None
    text = draft if isinstance(draft, str) else ""
    profile = bot.profile()
    try:
        verdict = bot.review(text)
    except InputError as exc:
        return (
            _task(TASK_TITLE, cards.draft_card(profile, text))
            if not text.strip()
            else _message(cards.sentence(str(exc)))
        )
    logger.info("message extension reviewed a %d-character draft", len(text))
    deps.count_review(verdict)
    return _task("Post check", cards.review_card(text, verdict, profile))


# Action command ids (as in the manifest's composeExtensions) and what answers each invoke.
ActionHandler = Callable[[Deps, dict[str, Any]], Awaitable[dict[str, Any]]]
ACTION_COMMANDS: dict[str, dict[str, ActionHandler]] = {
    CHECK_POST: {FETCH_TASK: fetch_task, SUBMIT_ACTION: submit_action},
}
