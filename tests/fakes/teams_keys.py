"""A local OpenID key server and Bot Framework-style tokens signed with a test RSA key.

botframework-connector fetches the signing keys with blocking `requests` calls
(and thinktwice does it from a worker thread), so this server runs in its own
thread, not on the test's event loop. It serves

    GET /openid   {"issuer": ..., "jwks_uri": ".../keys"}   (TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL)
    GET /keys     {"keys": [the public key as a JWK, endorsed for msteams]}

and `token(...)` signs what the Bot Framework Connector sends: RS256, the app id
as audience, its issuer, the serviceUrl claim, a short expiry.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"
APP_ID = "3f0b6a52-8c1e-4d7a-9b2f-5e6d7c8b9a01"
TENANT_ID = "72f988bf-0000-4000-8000-00000000a11d"
KEY_ID = "thinktwice-test-key"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class KeyServer:
    def __init__(self) -> None:
        self.key = new_key()
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                if self.path == "/openid":
                    body: dict[str, Any] = {"issuer": ISSUER, "jwks_uri": f"{server.url}/keys"}
                elif self.path == "/keys":
                    jwk = json.loads(RSAAlgorithm.to_jwk(server.key.public_key()))
                    body = {"keys": [{**jwk, "kid": KEY_ID, "use": "sig", "endorsements": ["msteams"]}]}
                else:
                    self.send_error(404)
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        # A short poll interval: shutdown() waits for the serving loop to notice.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> KeyServer:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/openid"

    def settings(self) -> dict[str, str]:
        """The server's environment: a SingleTenant app whose tokens are checked against this server."""
        return {
            "MicrosoftAppId": APP_ID,
            "MicrosoftAppPassword": "test-secret-not-used",
            "MicrosoftAppTenantId": TENANT_ID,
            "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL": self.metadata_url,
            "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER": ISSUER,
            "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE": "https://api.botframework.com",
            "TO_CHANNEL_FROM_BOT_LOGIN_URL": f"https://login.microsoftonline.com/{TENANT_ID}",
        }

    def token(
        self,
        service_url: str,
        *,
        audience: str = APP_ID,
        issuer: str = ISSUER,
        key: rsa.RSAPrivateKey | None = None,
        expires_in: int = 600,
        kid: str = KEY_ID,
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": issuer,
            "aud": audience,
            "serviceurl": service_url,
            "nbf": now - 60,
            "iat": now - 60,
            "exp": now + expires_in,
        }
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": kid})
