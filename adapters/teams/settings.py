"""Teams settings, from the environment only: the Bot Framework's own variables, and dev mode.

    MicrosoftAppId          the Azure Bot's app (client) id; without it Teams is off, unless dev mode
    MicrosoftAppPassword    its client secret (SingleTenant, MultiTenant)
    MicrosoftAppType        SingleTenant (default), MultiTenant or UserAssignedMSI
    MicrosoftAppTenantId    the tenant of a SingleTenant or UserAssignedMSI app
    THINKTWICE_TEAMS_DEV=1  no app id: accept unauthenticated activities (Bot Framework Emulator),
                            on loopback only

botframework-connector also reads a few endpoint overrides by name (for a
sovereign or private cloud, or a test's local key server); they are passed
through unchanged: TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL and the others in
`ENDPOINT_VARIABLES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace

APP_TYPES = {
    "singletenant": "SingleTenant",
    "multitenant": "MultiTenant",
    "userassignedmsi": "UserAssignedMSI",
}

# The names ConfigurationBotFrameworkAuthentication looks up on its configuration object.
ENDPOINT_VARIABLES = (
    "CHANNEL_SERVICE",
    "TO_CHANNEL_FROM_BOT_LOGIN_URL",
    "TO_CHANNEL_FROM_BOT_OAUTH_SCOPE",
    "TO_BOT_FROM_CHANNEL_TOKEN_ISSUER",
    "TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL",
    "TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL",
    "OAUTH_URL",
    "CALLER_ID",
)


@dataclass(frozen=True)
class TeamsSettings:
    app_id: str | None
    app_password: str | None
    app_type: str
    tenant_id: str | None
    dev_mode: bool
    endpoints: Mapping[str, str] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, dev: bool = False) -> TeamsSettings:
        def get(name: str) -> str | None:
            return (env.get(name) or "").strip() or None

        raw_type = get("MicrosoftAppType") or "SingleTenant"
        app_type = APP_TYPES.get(raw_type.lower())
        problems = []
        if app_type is None:
            problems.append(
                f"MicrosoftAppType must be one of {', '.join(APP_TYPES.values())}, not {raw_type!r}"
            )
            app_type = "SingleTenant"
        return cls(
            app_id=get("MicrosoftAppId"),
            app_password=get("MicrosoftAppPassword"),
            app_type=app_type,
            tenant_id=get("MicrosoftAppTenantId"),
            dev_mode=dev or get("THINKTWICE_TEAMS_DEV") == "1",
            endpoints={name: value for name in ENDPOINT_VARIABLES if (value := get(name))},
            problems=tuple(problems),
        )

    @property
    def authenticated(self) -> bool:
        """With an app id every activity must carry a valid Bot Framework token; dev mode only without one."""
        return self.app_id is not None

    @property
    def enabled(self) -> bool:
        return self.authenticated or self.dev_mode

    def missing(self) -> list[str]:
        """The variables still needed for the app type (none in dev mode without an app id)."""
        if not self.authenticated:
            return [] if self.dev_mode else ["MicrosoftAppId"]
        needed: dict[str, str | None] = {}
        if self.app_type in ("SingleTenant", "MultiTenant"):
            needed["MicrosoftAppPassword"] = self.app_password
        if self.app_type in ("SingleTenant", "UserAssignedMSI"):
            needed["MicrosoftAppTenantId"] = self.tenant_id
        return [name for name, value in needed.items() if not value]

    def configured(self) -> bool:
        return self.enabled and not self.missing() and not self.problems

    def bot_framework_configuration(self) -> SimpleNamespace:
        """The object ConfigurationBotFrameworkAuthentication reads its settings from, by attribute."""
        if self.authenticated:
            credentials = {
                "APP_ID": self.app_id,
                "APP_PASSWORD": self.app_password,
                "APP_TYPE": self.app_type,
                "APP_TENANTID": self.tenant_id,
            }
        else:
            # No app id: MultiTenant without credentials is botframework-connector's "auth disabled".
            credentials = {"APP_TYPE": "MultiTenant"}
        return SimpleNamespace(**credentials, **self.endpoints)
