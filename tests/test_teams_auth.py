"""The authenticated path, offline: tokens signed with a test key, checked against a local key server.

With MicrosoftAppId set, every activity must carry a Bot Framework token for
this app, signed by a key the OpenID metadata publishes, for the activity's
serviceUrl. The metadata URL is botframework-connector's documented override
(TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL), pointed at a key server in a thread.
Outgoing calls need a token too: MSAL's token request (the network edge) is
replaced by a fixed token, which the fake connector must then receive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace

import pytest
from fakes.teams_harness import MIRROR, TeamsHarness, run
from fakes.teams_keys import APP_ID, KeyServer, new_key

from adapters.serve import ADAPTERS_KEY

BOT_TOKEN = "test-bot-connector-token"


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[KeyServer]:
    monkeypatch.setattr(
        "botframework.connector.auth.MicrosoftAppCredentials.get_access_token",
        lambda self, force_refresh=False: BOT_TOKEN,
    )

    def blocking_fetch(*args: object, **kwargs: object) -> None:
        raise AssertionError("the connector fetched signing keys itself, on the event loop")

    # The connector's own (blocking) refresh must never be needed: thinktwice keeps its cache fresh.
    monkeypatch.setattr(
        "botframework.connector.auth.jwt_token_extractor.requests", SimpleNamespace(get=blocking_fetch)
    )
    with KeyServer() as server:
        yield server


def test_when_the_token_is_good_then_the_activity_runs_and_replies_carry_the_bots_token(
    keys: KeyServer,
) -> None:
    async def scenario(h: TeamsHarness) -> None:
        token = keys.token(h.connector.service_url)
        status, _ = await h.send(h.personal_message("help"), {"Authorization": f"Bearer {token}"})
        assert status == 200
        (reply,) = h.connector.sent()
        assert reply.headers["Authorization"] == f"Bearer {BOT_TOKEN}"
        status, body = await h.send(
            h.invoke("composeExtension/fetchTask", {"commandId": "checkPost"}),
            {"Authorization": f"Bearer {token}"},
        )
        assert status == 200 and body["task"]["type"] == "continue"
        assert keys.requests.count("/keys") == 1  # fetched once (off the event loop), then cached

    run(scenario, auth=keys.settings())


def test_when_a_mirrored_channel_message_is_authenticated_then_the_proactive_nudge_is_authorised_too(
    keys: KeyServer,
) -> None:
    async def scenario(h: TeamsHarness) -> None:
        token = keys.token(h.connector.service_url)
        risky = h.channel_message("call me on 02 6146 2983")
        status, _ = await h.send(risky, {"Authorization": f"Bearer {token}"})
        assert status == 200
        assert [c.kind for c in h.connector.calls] == ["create_conversation", "send_to_conversation"]
        assert {c.headers["Authorization"] for c in h.connector.calls} == {f"Bearer {BOT_TOKEN}"}
        assert h.connector.calls[0].body["bot"]["id"] == risky["recipient"]["id"]

    run(scenario, auth=keys.settings(), THINKTWICE_MIRROR_CHANNELS=MIRROR)


BadToken = Callable[[KeyServer, str], str]


@pytest.mark.parametrize(
    ("case", "header"),
    [
        ("no token", lambda k, url: ""),
        ("not a bearer token", lambda k, url: f"Basic {k.token(url)}"),
        ("garbage", lambda k, url: "Bearer not.a.jwt"),
        ("signed by another key", lambda k, url: f"Bearer {k.token(url, key=new_key())}"),
        ("for another app", lambda k, url: f"Bearer {k.token(url, audience='another-app-id')}"),
        ("from another issuer", lambda k, url: f"Bearer {k.token(url, issuer='https://evil.example')}"),
        ("for another serviceUrl", lambda k, url: f"Bearer {k.token('https://evil.example/')}"),
        ("expired", lambda k, url: f"Bearer {k.token(url, expires_in=-3600)}"),
        ("naming an unknown key", lambda k, url: f"Bearer {k.token(url, kid='unknown-key')}"),
    ],
)
def test_when_the_token_is_missing_or_bad_then_401_and_nothing_runs(
    keys: KeyServer, case: str, header: BadToken
) -> None:
    async def scenario(h: TeamsHarness) -> None:
        value = header(keys, h.connector.service_url)
        for activity in (
            h.personal_message("help"),
            h.invoke("composeExtension/fetchTask", {"commandId": "checkPost"}),
        ):
            status, _ = await h.send(activity, {"Authorization": value} if value else {})
            assert status == 401, case
        assert h.connector.calls == []

    run(scenario, auth=keys.settings())


def test_when_an_app_id_is_configured_then_dev_mode_does_not_switch_authentication_off(
    keys: KeyServer,
) -> None:
    async def scenario(h: TeamsHarness) -> None:
        status, _ = await h.send(h.personal_message("help"))
        assert status == 401

    run(scenario, auth={**keys.settings(), "THINKTWICE_TEAMS_DEV": "1"})


def test_when_authenticated_then_the_server_may_listen_beyond_loopback(keys: KeyServer) -> None:
    async def scenario(h: TeamsHarness) -> None:
        assert h.web_app is not None
        adapter = h.web_app[ADAPTERS_KEY]["teams"]
        assert adapter.loopback_only is False and adapter.status()["mode"] == "authenticated"
        assert adapter.settings.app_id == APP_ID

    run(scenario, auth=keys.settings())
