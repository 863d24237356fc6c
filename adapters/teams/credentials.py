"""Credentials for calls to the Bot Connector: one per app and audience, its token fetched in a thread.

botframework-connector 4.17.1 builds new `MicrosoftAppCredentials` (and with
them a new MSAL client and an empty token cache) for every incoming activity,
and msrest asks them for a token synchronously, on the event loop, as it sends.
So every reply would wait on a blocking round trip to Microsoft Entra ID. This
factory wraps the configured one: it keeps one credentials object per
(app id, audience, login endpoint), so MSAL's cache is reused, and fetches or
renews the token in a worker thread before handing the credentials out, so
msrest finds it cached. Token acquisition itself is still MSAL's.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from botframework.connector.auth import ServiceClientCredentialsFactory

logger = logging.getLogger(__name__)


class ReusedCredentialsFactory(ServiceClientCredentialsFactory):  # type: ignore[misc]
    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._credentials: dict[tuple[Any, ...], Any] = {}

    async def is_valid_app_id(self, app_id: str) -> bool:
        return bool(await self._inner.is_valid_app_id(app_id))

    async def is_authentication_disabled(self) -> bool:
        return bool(await self._inner.is_authentication_disabled())

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Any:
        key = (app_id, oauth_scope, login_endpoint, validate_authority)
        credentials = self._credentials.get(key)
        if credentials is None:
            credentials = await self._inner.create_credentials(
                app_id, oauth_scope, login_endpoint, validate_authority
            )
            self._credentials[key] = credentials
        if getattr(credentials, "microsoft_app_id", None):  # anonymous credentials (dev mode) have no token
            try:
                await asyncio.to_thread(credentials.get_access_token)
            except (
                Exception
            ) as exc:  # Entra ID unreachable or the secret refused: the send will fail and say so
                logger.warning("could not get a Bot Connector token: %s", type(exc).__name__)
        return credentials
