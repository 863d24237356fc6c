"""`adapters.serve`: which routes the one server mounts for which settings."""

from __future__ import annotations

import pytest

from adapters.serve import ADAPTERS_KEY, build_web_app
from bot.config import load_config
from bot.service import Thinktwice

OPERATIONS = {"/healthz", "/readyz", "/metrics"}


@pytest.fixture(autouse=True)
def _clean_env(isolated_env: pytest.MonkeyPatch) -> None:
    """A data directory of the test's own (the server opens its audit there), no stray settings."""


def _paths(env: dict[str, str], *, socket: bool = False) -> set[str]:
    web_app = build_web_app(Thinktwice.start(load_config()), env, slack_socket=socket)
    return {r.resource.canonical for r in web_app.router.routes() if r.resource is not None}


def test_when_slack_http_is_configured_then_events_and_the_operations_routes_are_served() -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "secret"}
    assert _paths(env) == {"/slack/events", *OPERATIONS}


def test_when_socket_mode_is_asked_then_no_public_events_route_is_mounted() -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}
    web_app = build_web_app(Thinktwice.start(load_config()), env, slack_socket=True)
    assert web_app[ADAPTERS_KEY]["slack"].status() == {"mode": "socket", "path": None}
    assert _paths(env, socket=True) == OPERATIONS


def test_when_slack_is_half_configured_then_only_the_operations_routes_are_served() -> None:
    assert _paths({"SLACK_BOT_TOKEN": "xoxb-1"}) == OPERATIONS
