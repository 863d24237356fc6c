"""The Bot Framework's token signing keys, fetched in a worker thread instead of on the event loop.

botframework-connector 4.17.1 validates an incoming token against signing keys
it fetches from an OpenID metadata document with blocking `requests` calls, and
no timeout, from inside a coroutine: once a day, and again (at most hourly)
when a token names a key it has not seen. Either would stall every request in
the server while it waits. Before each validation we make sure its cache is
fresh (and knows the token's key, if that key exists) by refreshing it here in
a thread, with a timeout; so its own refresh never runs on the event loop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import urllib.request
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import jwt
from botframework.connector.auth import AuthenticationConstants, GovernmentConstants, JwtTokenExtractor

from .settings import TeamsSettings

logger = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 10.0
# botframework-connector refreshes inline after a day; refresh well before that.
MAX_AGE = timedelta(hours=12)
# A token naming an unknown key triggers a refresh at most this often (tokens are cheap to forge).
UNKNOWN_KEY_RETRY_SECONDS = 300.0


def metadata_urls(settings: TeamsSettings) -> tuple[str, ...]:
    """The OpenID metadata documents the connector will validate tokens against, for these settings."""
    names = ("TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL", "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL")
    overrides = tuple(settings.endpoints[name] for name in names if name in settings.endpoints)
    if overrides:
        return overrides
    cloud = (
        GovernmentConstants
        if settings.endpoints.get("CHANNEL_SERVICE") == GovernmentConstants.CHANNEL_SERVICE
        else AuthenticationConstants
    )
    return (cloud.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL, cloud.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL)


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=FETCH_TIMEOUT_SECONDS) as response:
        return json.loads(response.read().decode("utf-8"))


def _fetch_into(metadata: Any) -> None:
    """What the connector's `_OpenIdMetadata._refresh` does, with a timeout (runs in a worker thread)."""
    keys_url = _get_json(metadata.url)["jwks_uri"]
    keys = _get_json(keys_url)["keys"]
    metadata.keys = keys
    metadata.last_updated = datetime.now()


def _key_id(auth_header: str) -> str | None:
    parts = auth_header.split(" ")
    if len(parts) != 2:
        return None
    try:
        kid = jwt.get_unverified_header(parts[1]).get("kid")
    except jwt.PyJWTError:
        return None
    return kid if isinstance(kid, str) else None


class SigningKeys:
    def __init__(self, metadata_urls: Iterable[str]) -> None:
        self.urls = tuple(metadata_urls)
        self._lock = asyncio.Lock()
        self._last_attempt: dict[str, float] = {}

    def _metadata(self, url: str) -> Any:
        # The connector keeps one metadata object per URL in a class-level cache; this fills that one.
        return JwtTokenExtractor.get_open_id_metadata(url)

    async def refresh(self, url: str) -> None:
        self._last_attempt[url] = time.monotonic()
        try:
            await asyncio.to_thread(_fetch_into, self._metadata(url))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning("could not fetch the Bot Framework signing keys: %s", type(exc).__name__)

    async def before_validation(self, auth_header: str) -> None:
        """Refresh, off the event loop, whatever the connector would otherwise refresh on it."""
        kid = _key_id(auth_header)
        async with self._lock:  # one refresh at a time; the others find the cache fresh
            for url in self.urls:
                metadata = self._metadata(url)
                stale = metadata.last_updated < datetime.now() - MAX_AGE
                unknown = kid is not None and all(key.get("kid") != kid for key in metadata.keys or [])
                recently_tried = time.monotonic() - self._last_attempt.get(url, float("-inf")) < (
                    UNKNOWN_KEY_RETRY_SECONDS
                )
                if stale or (unknown and not recently_tried):
                    await self.refresh(url)

    async def warm(self) -> None:
        """Fetch every key set once (at start-up, so the first request does not wait for it)."""
        async with self._lock:
            for url in self.urls:
                await self.refresh(url)
