"""`serve` with Teams: when /api/messages is mounted, how it authenticates, and where the server listens."""

from __future__ import annotations

from typing import Any

import pytest

from adapters import serve
from adapters.serve import ADAPTERS_KEY, build_web_app, run_server
from adapters.teams.settings import TeamsSettings
from bot.cli import main
from bot.config import load_config
from bot.service import Thinktwice

APP = {
    "MicrosoftAppId": "3f0b6a52-8c1e-4d7a-9b2f-5e6d7c8b9a01",
    "MicrosoftAppPassword": "secret",
    "MicrosoftAppTenantId": "72f988bf-0000-4000-8000-00000000a11d",
}


@pytest.fixture(autouse=True)
def _clean_env(isolated_env: pytest.MonkeyPatch) -> None:
    """A data directory of the test's own (the server opens its audit there), no stray settings."""


def _bot() -> Thinktwice:
    return Thinktwice.start(load_config())


def _paths(env: dict[str, str], **kwargs: Any) -> set[str]:
    web_app = build_web_app(_bot(), env, **kwargs)
    return {r.resource.canonical for r in web_app.router.routes() if r.resource is not None}


@pytest.mark.parametrize(
    ("env", "dev", "mounted"),
    [
        (APP, False, True),
        ({**APP, "MicrosoftAppType": "MultiTenant", "MicrosoftAppTenantId": ""}, False, True),
        ({"MicrosoftAppId": APP["MicrosoftAppId"]}, False, False),  # SingleTenant needs a secret and tenant
        ({}, False, False),  # no app id: Teams is off...
        ({}, True, True),  # ...unless dev mode is asked for with --teams-dev
        ({"THINKTWICE_TEAMS_DEV": "1"}, False, True),  # or THINKTWICE_TEAMS_DEV=1
        ({"THINKTWICE_TEAMS_DEV": "yes please"}, False, False),
        ({**APP, "MicrosoftAppType": "Sometimes"}, False, False),
    ],
)
def test_when_the_environment_configures_teams_then_api_messages_is_mounted(
    env: dict[str, str], dev: bool, mounted: bool
) -> None:
    assert ("/api/messages" in _paths(env, teams_dev=dev)) is mounted


def test_when_settings_are_read_then_single_tenant_is_the_default_and_missing_variables_are_named() -> None:
    settings = TeamsSettings.from_env({"MicrosoftAppId": "x"})
    assert settings.app_type == "SingleTenant"
    assert settings.missing() == ["MicrosoftAppPassword", "MicrosoftAppTenantId"]
    assert TeamsSettings.from_env(
        {"MicrosoftAppId": "x", "MicrosoftAppType": "userassignedmsi"}
    ).missing() == ["MicrosoftAppTenantId"]
    assert TeamsSettings.from_env({"MicrosoftAppType": "Nope"}).problems


def test_when_in_dev_mode_then_the_adapter_says_so_and_asks_for_loopback() -> None:
    web_app = build_web_app(_bot(), {}, teams_dev=True)
    teams = web_app[ADAPTERS_KEY]["teams"]
    assert teams.loopback_only is True and "UNAUTHENTICATED" in teams.warning
    assert teams.status() == {"mode": "dev (unauthenticated, loopback only)", "path": "/api/messages"}
    authenticated = build_web_app(_bot(), APP)[ADAPTERS_KEY]["teams"]
    assert authenticated.loopback_only is False and authenticated.warning is None


@pytest.mark.parametrize(("env", "dev", "host"), [({}, True, "127.0.0.1"), (APP, False, None)])
def test_when_serving_teams_then_dev_mode_binds_loopback_only_and_warns_loudly(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    dev: bool,
    host: str | None,
) -> None:
    bound: dict[str, Any] = {}
    monkeypatch.setattr(serve.web, "run_app", lambda app, **kwargs: bound.update(kwargs))
    assert run_server(_bot(), port=3978, slack_socket=False, env=env, teams_dev=dev) == 0
    assert bound["host"] == host
    err = capsys.readouterr().err
    assert ("UNAUTHENTICATED" in err) is dev


def test_when_serve_gets_teams_dev_on_the_command_line_then_teams_runs_in_dev_mode(
    isolated_env: pytest.MonkeyPatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr("adapters.serve.run_server", lambda bot, **kwargs: seen.update(kwargs) or 0)
    assert main(["serve", "--teams-dev"]) == 0
    assert seen["teams_dev"] is True


def test_when_nothing_is_configured_then_serve_names_the_teams_variable_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_server(_bot(), port=None, slack_socket=False, env={}) == 2
    assert "MicrosoftAppId" in capsys.readouterr().err


def test_when_teams_is_half_configured_then_a_warning_says_what_is_missing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    env = {"MicrosoftAppId": APP["MicrosoftAppId"], "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    assert "/api/messages" not in _paths(env)
    assert "MicrosoftAppPassword" in caplog.text and "MicrosoftAppTenantId" in caplog.text
