"""The Slack app manifests create the app the code expects, in HTTP and Socket Mode alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from adapters.slack.app import COMMAND, EVENTS_PATH
from adapters.slack.blocks import SHORTCUT_CALLBACK

MANIFESTS = Path(__file__).resolve().parent.parent / "manifest"


def _load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((MANIFESTS / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize("name", ["slack.yaml", "slack-socket.yaml"])
def test_when_the_manifest_is_read_then_it_declares_what_the_code_handles(name: str) -> None:
    manifest = _load(name)
    features, settings = manifest["features"], manifest["settings"]
    assert [c["command"] for c in features["slash_commands"]] == [COMMAND]
    assert features["slash_commands"][0]["should_escape"] is False
    (shortcut,) = features["shortcuts"]
    assert (shortcut["type"], shortcut["callback_id"], shortcut["name"]) == (
        "message",
        SHORTCUT_CALLBACK,
        "Check this post",
    )
    assert features["app_home"]["home_tab_enabled"] is True
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "message.channels",
        "message.groups",
        "message.im",
        "app_mention",
        "app_home_opened",
    }
    assert settings["interactivity"]["is_enabled"] is True
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "commands",
        "chat:write",
        "app_mentions:read",
        "channels:history",
        "groups:history",
        "im:history",
        "channels:read",
        "groups:read",
    }


def test_when_http_and_socket_manifests_are_compared_then_only_the_transport_differs() -> None:
    http, socket = _load("slack.yaml"), _load("slack-socket.yaml")
    assert http["settings"]["socket_mode_enabled"] is False
    assert socket["settings"]["socket_mode_enabled"] is True
    for url in (
        http["settings"]["event_subscriptions"]["request_url"],
        http["settings"]["interactivity"]["request_url"],
        http["features"]["slash_commands"][0]["url"],
    ):
        assert url.endswith(EVENTS_PATH)
    del http["features"]["slash_commands"][0]["url"]
    del http["settings"]["event_subscriptions"]["request_url"]
    del http["settings"]["interactivity"]["request_url"]
    http["settings"]["socket_mode_enabled"] = True
    assert http == socket
