"""Configuration: one YAML file (THINKTWICE_CONFIG), environment variables on top, secrets masked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import DEFAULT_COOLDOWN_SECONDS, load_config
from bot.errors import ConfigError
from bot.nudge import DEFAULT_NUDGE_CATEGORIES

TOKEN = "xoxb-1111-2222-abcdefghijkl"


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "thinktwice.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


# -- the file ----------------------------------------------------------------------------------


def test_when_there_is_no_file_or_environment_then_the_defaults_apply() -> None:
    config = load_config({"HOME": "/home/someone"})
    assert config.profile == "dss"
    assert config.nudge_categories == DEFAULT_NUDGE_CATEGORIES == ("contact-details", "classified")
    assert config.nudge_cooldown == DEFAULT_COOLDOWN_SECONDS
    assert config.org_domains == () and config.mirror_channels == ()
    assert config.rules_dir is None
    assert config.data_dir == Path("/home/someone/.local/share/thinktwice")


def test_when_the_file_is_valid_then_its_values_apply(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "profile: act\norg_domains: [example.org]\nnudge_categories: [classified, privacy]\n"
        "nudge_cooldown: 30\nmirror_channels: [C0123, yammer-general]\ndata_dir: /srv/tt\n",
    )
    config = load_config({"THINKTWICE_CONFIG": path})
    assert config.profile == "act"
    assert config.org_domains == ("example.org",)
    assert config.nudge_categories == ("classified", "privacy")
    assert config.nudge_cooldown == 30
    assert config.mirror_channels == ("C0123", "yammer-general")
    assert config.data_dir == Path("/srv/tt")
    assert config.source == path


# (file text, line reported, words in the message)
BROKEN_FILES = [
    pytest.param("profile: act\norg_domains: [example.org\n", 3, "YAML syntax error", id="yaml-syntax"),
    pytest.param("profile: act\n  nudge_cooldown: 5\n", 2, "YAML syntax error", id="bad-indent"),
    pytest.param(
        "profile: act\nnudge_categories: [classified, gossip]\n",
        2,
        "'gossip' is not one of",
        id="unknown-category",
    ),
    pytest.param("profile: act\nnudge_cooldown: -5\n", 2, "nudge_cooldown", id="negative-cooldown"),
    pytest.param(
        "profile: act\nnudge_cooldown: soon\n", 2, "'soon' is not of type 'integer'", id="cooldown-word"
    ),
    pytest.param("profile: act\norg_domains: [Not A Domain]\n", 2, "org_domains/0", id="bad-domain"),
    pytest.param("profile: act\nprofile: dhs\n", 2, "duplicate key 'profile'", id="duplicate-key"),
    pytest.param("- just\n- a list\n", 1, "is not of type 'object'", id="not-a-mapping"),
    # An unknown key is reported at its own line.
    pytest.param("profile: act\n\ncolour: blue\n", 3, "'colour' was unexpected", id="unknown-key"),
]


@pytest.mark.parametrize(("text", "line", "message"), BROKEN_FILES)
def test_when_the_file_is_broken_then_the_error_says_file_and_line(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config({"THINKTWICE_CONFIG": path})
    assert any(str(p).startswith(f"{path}:{line}: ") and message in str(p) for p in info.value.problems), str(
        info.value
    )


@pytest.mark.parametrize(("text", "line", "message"), BROKEN_FILES)
def test_when_the_file_is_broken_then_every_command_exits_2_with_the_message(
    tmp_path: Path,
    isolated_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    text: str,
    line: int,
    message: str,
) -> None:
    path = write(tmp_path, text)
    isolated_env.setenv("THINKTWICE_CONFIG", path)
    for argv in (["config", "show"], ["checkpost", "hello"]):
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert err.startswith(f"thinktwice: {path}:")
        assert f"{path}:{line}: " in err and message in err
        assert "Traceback" not in err


def test_when_the_file_is_missing_then_it_says_it_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the file"):
        load_config({"THINKTWICE_CONFIG": str(tmp_path / "absent.yaml")})


def test_when_the_file_is_not_utf8_then_it_says_so(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"profile: act\nmirror_channels: [caf\xe9]\n")
    with pytest.raises(ConfigError, match=r"latin1.yaml:2: the file is not valid UTF-8"):
        load_config({"THINKTWICE_CONFIG": str(path)})


def test_when_the_file_is_empty_then_the_defaults_apply(tmp_path: Path) -> None:
    assert load_config({"THINKTWICE_CONFIG": write(tmp_path, "# nothing yet\n")}).profile == "dss"


# -- the environment --------------------------------------------------------------------------------


def test_when_environment_variables_are_set_then_they_override_the_file(tmp_path: Path) -> None:
    path = write(
        tmp_path, "profile: act\norg_domains: [example.org]\nnudge_cooldown: 30\nmirror_channels: [a]\n"
    )
    config = load_config(
        {
            "THINKTWICE_CONFIG": path,
            "THINKTWICE_PROFILE": "dibp",
            "THINKTWICE_ORG_DOMAINS": "Homeaffairs.gov.au, border.gov.au",
            "THINKTWICE_NUDGE_CATEGORIES": "classified,contact-details,privacy",
            "THINKTWICE_NUDGE_COOLDOWN": "0",
            "THINKTWICE_MIRROR_CHANNELS": "C1, C2 ,",
            "THINKTWICE_DATA_DIR": str(tmp_path / "d"),
            "THINKTWICE_RULES_DIR": str(tmp_path / "r"),
        }
    )
    assert config.profile == "dibp"
    assert config.org_domains == ("homeaffairs.gov.au", "border.gov.au")
    assert config.nudge_categories == ("classified", "contact-details", "privacy")
    assert config.nudge_cooldown == 0
    assert config.mirror_channels == ("C1", "C2")
    assert config.data_dir == tmp_path / "d"
    assert config.rules_dir == tmp_path / "r"


def test_when_an_override_is_empty_then_it_clears_the_list(tmp_path: Path) -> None:
    path = write(tmp_path, "mirror_channels: [a]\norg_domains: [example.org]\n")
    config = load_config(
        {"THINKTWICE_CONFIG": path, "THINKTWICE_MIRROR_CHANNELS": "", "THINKTWICE_ORG_DOMAINS": ""}
    )
    assert config.mirror_channels == () and config.org_domains == ()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("THINKTWICE_NUDGE_CATEGORIES", "classified,gossip", "unknown category 'gossip'"),
        ("THINKTWICE_NUDGE_COOLDOWN", "ten", "whole number of seconds"),
        ("THINKTWICE_NUDGE_COOLDOWN", "-1", "whole number of seconds"),
        ("THINKTWICE_ASK_THRESHOLD", "2", "between 0 and 1"),
    ],
)
def test_when_an_environment_variable_is_invalid_then_the_error_names_it(
    name: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_config({name: value})
    assert str(info.value).startswith(f"${name}: ")
    assert message in str(info.value)


def test_when_the_configured_profile_is_unknown_then_the_bot_refuses_to_start(
    isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    isolated_env.setenv("THINKTWICE_PROFILE", "nope")
    assert main(["checkpost", "hello"]) == 2
    assert (
        capsys.readouterr().err
        == "thinktwice: unknown profile 'nope'; choose one of: act, dhs, dibp, dss, vic-dhs\n"
    )


# -- config show -------------------------------------------------------------------------------------


def test_when_config_is_shown_then_secrets_are_masked(
    isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    isolated_env.setenv("SLACK_BOT_TOKEN", TOKEN)
    isolated_env.setenv("SLACK_SIGNING_SECRET", "0123456789abcdef0123456789abcdef")
    isolated_env.setenv("MicrosoftAppPassword", "short")
    for fmt in ("text", "json"):
        assert main(["config", "show", "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert TOKEN not in out and "abcdefghijkl" not in out
        assert "0123456789abcdef0123456789abcdef" not in out and "short" not in out
    shown = json.loads(out)
    assert shown["secrets"]["SLACK_BOT_TOKEN"] == f"set (xoxb…, {len(TOKEN)} characters)"
    assert shown["secrets"]["MicrosoftAppPassword"] == "set"
    assert shown["secrets"]["SLACK_APP_TOKEN"] == "(not set)"


def test_when_config_is_shown_then_the_effective_values_are_listed(
    tmp_path: Path, isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "profile: act\nnudge_cooldown: 30\n")
    isolated_env.setenv("THINKTWICE_CONFIG", path)
    isolated_env.setenv("THINKTWICE_NUDGE_COOLDOWN", "0")
    assert main(["config", "show"]) == 0
    out = capsys.readouterr().out
    assert f"config_file: {path}\n" in out
    assert "profile: act\n" in out
    assert "nudge_cooldown: 0\n" in out
    assert "rules_dir: (built-in)\n" in out
    assert "  SLACK_BOT_TOKEN: (not set)\n" in out


# -- Redis ----------------------------------------------------------------------------------------------


def test_when_a_redis_url_is_set_then_it_is_used_and_shown_without_its_password(
    isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "redis://:s3cret-pass-word@redis.internal:6380/2"
    assert load_config({"THINKTWICE_REDIS_URL": url}).redis_url == url
    isolated_env.setenv("THINKTWICE_REDIS_URL", url)
    isolated_env.setenv("THINKTWICE_REDIS_PREFIX", "tt-prod:")
    for fmt in ("text", "json"):
        assert main(["config", "show", "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert "s3cret" not in out
    shown = json.loads(out)
    assert shown["redis_url"] == "redis://:***@redis.internal:6380/2"
    assert shown["redis_prefix"] == "tt-prod:"


def test_when_no_redis_url_is_set_then_state_is_kept_in_process() -> None:
    config = load_config({})
    assert config.redis_url is None and config.redis_prefix == "thinktwice:"
    assert config.shown()["redis_url"].startswith("(not set")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("localhost:6379", "must start with redis://"),
        ("http://:pw-secret@host:6379", "must start with redis://"),
        ("redis://:pw-secret@host:port/0", "port must be a number"),
        ("redis://:pw-secret@/0", "needs a host"),
        ("redis://:pw-secret@host:6379/zero", "database after the host must be a number"),
    ],
)
def test_when_the_redis_url_is_invalid_then_the_error_names_the_variable_but_not_the_password(
    value: str, message: str
) -> None:
    with pytest.raises(ConfigError) as info:
        load_config({"THINKTWICE_REDIS_URL": value})
    assert str(info.value).startswith("$THINKTWICE_REDIS_URL: ")
    assert message in str(info.value) and "pw-secret" not in str(info.value)


def test_when_the_redis_prefix_is_set_in_the_file_then_it_applies(tmp_path: Path) -> None:
    path = write(tmp_path, "redis_prefix: 'tt-a:'\n")
    assert load_config({"THINKTWICE_CONFIG": path}).redis_prefix == "tt-a:"
    with pytest.raises(ConfigError, match="THINKTWICE_REDIS_PREFIX"):
        load_config({"THINKTWICE_REDIS_PREFIX": "has space"})
