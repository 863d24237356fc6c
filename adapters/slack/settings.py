"""Slack credentials and endpoints, from the environment only (secrets never come from files)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class SlackSettings:
    bot_token: str | None
    signing_secret: str | None
    app_token: str | None
    api_url: str

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> SlackSettings:
        def get(name: str) -> str | None:
            return (env.get(name) or "").strip() or None

        api_url = get("SLACK_API_URL") or DEFAULT_API_URL
        return cls(
            bot_token=get("SLACK_BOT_TOKEN"),
            signing_secret=get("SLACK_SIGNING_SECRET"),
            app_token=get("SLACK_APP_TOKEN"),
            # slack-sdk joins method names onto the base URL, so it must end in a slash.
            api_url=api_url if api_url.endswith("/") else api_url + "/",
        )

    def missing(self, *, socket: bool) -> list[str]:
        """The variables still needed for HTTP (events URL) or Socket Mode."""
        needed = {"SLACK_BOT_TOKEN": self.bot_token}
        if socket:
            needed["SLACK_APP_TOKEN"] = self.app_token
        else:
            needed["SLACK_SIGNING_SECRET"] = self.signing_secret
        return [name for name, value in needed.items() if not value]

    def configured(self, *, socket: bool) -> bool:
        return not self.missing(socket=socket)
