"""Nudges in mirrored channels: a quiet reminder to the poster alone, in their 1:1 chat with the bot.

The app sees every channel message through resource-specific consent
(ChannelMessage.Read.Group). A message in a channel that mirrors Yammer or Lync
is scanned by the core; if it earns a nudge, the poster gets it privately: a
proactive message in their personal chat (the stored conversation reference, or
a 1:1 chat created for it). Teams has no ephemeral messages, so if that fails
(the app is not installed for them, the connector refuses) the fallback is a
threaded reply that @mentions the poster only. At most one nudge per person,
channel and category within the cool-down; redeliveries were dropped earlier.
"""

from __future__ import annotations

import asyncio
import html
import logging
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import (
    Activity,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
    Mention,
)

from bot.types import Nudge

from . import cards
from .deps import Deps
from .mirror import GENERAL
from .outbound import SEND_TIMEOUT_SECONDS, card_message, describe, post, reply, text_message
from .validation import field

logger = logging.getLogger(__name__)

TEAMS_CHANNEL = "msteams"


def channel_of(activity: Activity) -> tuple[str | None, str | None]:
    """(channel id, team id) of a channel message, from its channelData."""
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    channel, team = field(data, "channel"), field(data, "team")
    channel_id = channel.get("id") or data.get("teamsChannelId")
    team_id = team.get("id") or data.get("teamsTeamId")
    return (str(channel_id) if channel_id else None), (str(team_id) if team_id else None)


def tenant_of(activity: Activity) -> str:
    tenant = field(activity.channel_data, "tenant")
    conversation = activity.conversation
    return str(tenant.get("id") or (conversation.tenant_id if conversation else None) or "")


async def nudge_if_needed(deps: Deps, context: TurnContext, text: str) -> None:
    activity = context.activity
    poster = activity.from_property
    channel_id, team_id = channel_of(activity)
    if not channel_id or poster is None or not poster.id or not text.strip():
        return

    async def list_channels(team: str) -> dict[str, str]:
        # TeamsInfo's channel list is a synchronous HTTP call: keep it off the event loop.
        connector = await TeamsInfo.get_teams_connector_client(context)
        found = await asyncio.wait_for(
            asyncio.to_thread(lambda: connector.teams.get_teams_channels(team).conversations),
            SEND_TIMEOUT_SECONDS,
        )
        return {str(c.id): str(c.name or GENERAL) for c in found or [] if c.id}

    if not await deps.mirrors.is_mirrored(channel_id, team_id, list_channels):
        return
    tenant = tenant_of(activity)
    person = poster.aad_object_id or poster.id
    nudge = await deps.deduper.due_nudge(deps.bot, text, "teams", tenant, person, channel_id)
    if nudge is None:
        return
    if await _send_privately(deps, context, tenant, poster, nudge):
        logger.info("nudged a poster privately in %s (%s)", channel_id, ", ".join(nudge.categories))
    elif await _reply_in_thread(deps, context, poster, nudge):
        logger.info("nudged a poster in a thread in %s (%s)", channel_id, ", ".join(nudge.categories))
    else:
        deps.metrics.error("teams", "nudge")
        return
    for category in nudge.categories:
        deps.metrics.nudge("teams", category)
    if deps.audit is not None:
        deps.audit.record_nudge(deps.bot.profile().id, "teams", nudge.categories)


async def _send_privately(
    deps: Deps, context: TurnContext, tenant: str, poster: ChannelAccount, nudge: Nudge
) -> bool:
    reference = await deps.chats.get(tenant, poster.id) or await _create_personal_chat(
        deps, context, tenant, poster
    )
    if reference is None:
        return False
    profile = deps.bot.profile()
    sent: list[bool] = []

    async def send(proactive: TurnContext) -> None:
        message = card_message(cards.nudge_card(nudge, profile))
        sent.append(await post(proactive, message, "private nudge"))

    try:
        # Bounded as a whole too: getting the connector's token may wait on Entra ID.
        await asyncio.wait_for(
            deps.cloud.continue_conversation(reference, send, bot_app_id=deps.app_id),
            2 * SEND_TIMEOUT_SECONDS,
        )
    except Exception as exc:  # no connector for the reference's service URL, say
        logger.warning("Teams private nudge failed: %s", describe(exc))
        return False
    if not (sent and sent[0]):
        await deps.chats.forget(tenant, poster.id)  # stale or refused: create it afresh next time
        return False
    return True


async def _create_personal_chat(
    deps: Deps, context: TurnContext, tenant: str, poster: ChannelAccount
) -> ConversationReference | None:
    """Open (or find: Teams answers with the existing one) the poster's 1:1 chat with the bot."""
    activity = context.activity
    bot_account = activity.recipient
    parameters = ConversationParameters(
        is_group=False,
        bot=bot_account,
        members=[ChannelAccount(id=poster.id)],
        tenant_id=tenant or None,
        channel_data={"tenant": {"id": tenant}} if tenant else None,
    )
    created: list[str] = []

    async def remember(new: TurnContext) -> None:
        created.append(str(new.activity.conversation.id))

    try:
        await asyncio.wait_for(
            deps.cloud.create_conversation(
                deps.app_id,
                remember,
                parameters,
                channel_id=activity.channel_id or TEAMS_CHANNEL,
                service_url=activity.service_url,
            ),
            SEND_TIMEOUT_SECONDS,
        )
    except Exception as exc:  # not installed for this person (403), connector down: use the fallback
        logger.warning("Teams could not open a personal chat: %s", describe(exc))
        return None
    if not created:
        return None
    reference = ConversationReference(
        channel_id=activity.channel_id or TEAMS_CHANNEL,
        service_url=activity.service_url,
        conversation=ConversationAccount(
            id=created[0], conversation_type="personal", tenant_id=tenant or None
        ),
        bot=bot_account,
        user=ChannelAccount(id=poster.id, name=poster.name, aad_object_id=poster.aad_object_id),
    )
    await deps.chats.remember(tenant, poster.id, reference)
    return reference


async def _reply_in_thread(deps: Deps, context: TurnContext, poster: ChannelAccount, nudge: Nudge) -> bool:
    """The fallback: a reply in the message's thread that @mentions the poster and no one else."""
    name = poster.name or "there"
    tag = f"<at>{html.escape(name)}</at>"
    message = cards.thread_nudge_text(nudge, deps.bot.profile())
    mention: Any = Mention(mentioned=ChannelAccount(id=poster.id, name=name), text=tag, type="mention")
    return await reply(context, text_message(f"{tag} {message}", entities=[mention]), "threaded nudge")
