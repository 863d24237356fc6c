"""The Slack Web API client: base URL from settings, retries that honour Retry-After, errors survived.

A rate-limited call (HTTP 429) is retried after exactly the `Retry-After` the
server asked for (capped, so a silly value cannot park a handler for an hour).
Other API errors (`channel_not_found`, `not_in_channel`, ...) are logged by
error code and swallowed by `call`: one failed reply must not take the bot down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from .logsafe import quiet_logger
from .settings import SlackSettings

logger = logging.getLogger(__name__)

MAX_RETRY_AFTER_SECONDS = 30.0


class RetryAfterHandler(AsyncRetryHandler):
    """Retry a 429 once or twice, waiting what Retry-After says (no jitter, capped)."""

    def __init__(self, max_retry_count: int = 2, max_wait: float = MAX_RETRY_AFTER_SECONDS) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait = max_wait

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and response.status_code == 429

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        wait = 1.0
        if response is not None:
            for name, values in response.headers.items():
                if name.lower() == "retry-after" and values:
                    with contextlib.suppress(ValueError):
                        wait = max(0.0, float(values[0]))
        wait = min(wait, self.max_wait)
        method = request.url.rsplit("/", 1)[-1]
        logger.warning("Slack rate-limited %s; retrying in %.1f s", method, wait)
        state.next_attempt_requested = True
        await asyncio.sleep(wait)
        state.increment_current_attempt()


def configure_client(client: AsyncWebClient, settings: SlackSettings) -> AsyncWebClient:
    """Point Bolt's Web API client at SLACK_API_URL, with Retry-After retries.

    Bolt built it with the app's logger, which `logsafe` has already made quiet.
    """
    client.base_url = settings.api_url
    client.retry_handlers = [AsyncConnectionErrorRetryHandler(), RetryAfterHandler()]
    client.timeout = 10
    return client


async def call(what: str, request: Awaitable[Any]) -> Any | None:
    """Await one Web API call; on a Slack error log the error code (never the payload) and return None."""
    try:
        return await request
    except SlackApiError as exc:
        code = exc.response.get("error") if exc.response is not None else None
        status = exc.response.status_code if exc.response is not None else "?"
        logger.warning("Slack %s failed: %s (HTTP %s)", what, code or "unknown error", status)
    except (TimeoutError, OSError, aiohttp.ClientError) as exc:
        logger.warning("Slack %s failed: %s", what, type(exc).__name__)
    return None


async def respond(
    response_url: str, text: str, blocks: list[dict[str, Any]], *, ephemeral: bool = True
) -> None:
    """Post to a slash command's response_url (ephemeral by default); failures are logged, not raised."""
    webhook = AsyncWebhookClient(
        response_url,
        logger=quiet_logger("adapters.slack.sdk"),
        retry_handlers=[AsyncConnectionErrorRetryHandler(), RetryAfterHandler()],
        timeout=10,
    )
    try:
        response = await webhook.send(
            text=text, blocks=blocks, response_type="ephemeral" if ephemeral else "in_channel"
        )
    except (TimeoutError, OSError, aiohttp.ClientError) as exc:
        logger.warning("Slack response_url post failed: %s", type(exc).__name__)
        return
    if response.status_code != 200:
        logger.warning("Slack response_url post failed: HTTP %s", response.status_code)
