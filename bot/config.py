"""Configuration: one YAML file (THINKTWICE_CONFIG) with environment variables on top.

The file is validated like a rulebook and its errors say file:line. Secrets
(Slack and Teams credentials, and the Redis URL, which may hold a password)
come only from the environment and are masked whenever the configuration is
shown.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import jsonschema

from .errors import ConfigError, Problem
from .nudge import DEFAULT_NUDGE_CATEGORIES
from .types import CATEGORIES
from .yamlsource import load_yaml, schema_error_key

DEFAULT_COOLDOWN_SECONDS = 600
DEFAULT_ASK_THRESHOLD = 0.25
DEFAULT_REDIS_PREFIX = "thinktwice:"
REDIS_SCHEMES = ("redis", "rediss", "unix")

SECRET_VARIABLES = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "MicrosoftAppPassword",
    "THINKTWICE_REDIS_URL",
)

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "profile": {"type": "string", "minLength": 1},
        "org_domains": {"type": "array", "items": {"type": "string", "pattern": r"^[a-z0-9.-]+\.[a-z]+$"}},
        "nudge_categories": {"type": "array", "items": {"enum": list(CATEGORIES)}, "minItems": 1},
        "nudge_cooldown": {"type": "integer", "minimum": 0},
        "mirror_channels": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "data_dir": {"type": "string", "minLength": 1},
        "rules_dir": {"type": "string", "minLength": 1},
        "ask_threshold": {"type": "number", "minimum": 0, "maximum": 1},
        "redis_prefix": {"type": "string", "minLength": 1, "pattern": r"^\S+$"},
    },
}


def default_data_dir(env: Mapping[str, str]) -> Path:
    base = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME", str(Path.home()))) / ".local" / "share")
    return Path(base) / "thinktwice"


@dataclass(frozen=True)
class Config:
    profile: str = "dss"
    org_domains: tuple[str, ...] = ()
    nudge_categories: tuple[str, ...] = DEFAULT_NUDGE_CATEGORIES
    nudge_cooldown: int = DEFAULT_COOLDOWN_SECONDS
    mirror_channels: tuple[str, ...] = ()
    data_dir: Path = field(default_factory=lambda: default_data_dir(os.environ))
    rules_dir: Path | None = None
    ask_threshold: float = DEFAULT_ASK_THRESHOLD
    # Environment only (THINKTWICE_REDIS_URL): the URL may carry a password.
    redis_url: str | None = None
    redis_prefix: str = DEFAULT_REDIS_PREFIX
    source: str | None = None
    secrets: Mapping[str, str] = field(default_factory=dict)

    def shown(self) -> dict[str, Any]:
        """The effective configuration as plain data, secrets masked."""
        return {
            "config_file": self.source,
            "profile": self.profile,
            "org_domains": list(self.org_domains),
            "nudge_categories": list(self.nudge_categories),
            "nudge_cooldown": self.nudge_cooldown,
            "mirror_channels": list(self.mirror_channels),
            "data_dir": str(self.data_dir),
            "rules_dir": str(self.rules_dir) if self.rules_dir else "(built-in)",
            "ask_threshold": self.ask_threshold,
            "redis_url": mask_url(self.redis_url) if self.redis_url else "(not set: state kept in process)",
            "redis_prefix": self.redis_prefix,
            "secrets": {name: mask(self.secrets.get(name)) for name in SECRET_VARIABLES},
        }


def mask(value: str | None) -> str:
    if not value:
        return "(not set)"
    return f"set ({value[:4]}…, {len(value)} characters)" if len(value) > 8 else "set"


def mask_url(url: str) -> str:
    """A URL with its password (if any) replaced by `***`, fit for logs, /healthz and `config show`."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.hostname or ""
        if ":" in host:  # an IPv6 literal goes back in its brackets
            host = f"[{host}]"
        netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    except ValueError:  # a port that is not a number: show nothing that might be a secret
        return "(unparseable URL)"


def redis_url_problem(url: str) -> str | None:
    """Why `url` is not a Redis URL the client can use, or None when it is."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "the port must be a number"
    if parts.scheme not in REDIS_SCHEMES:
        return "must start with redis://, rediss:// (TLS) or unix://, as in redis://:password@host:6379/0"
    if parts.scheme == "unix":
        return None if parts.path else "a unix:// URL needs the socket's path"
    if not parts.hostname:
        return "needs a host, as in redis://host:6379/0"
    if port == 0:
        return "the port must be between 1 and 65535"
    db = parts.path.strip("/")
    if db and not db.isdigit():
        return f"the database after the host must be a number, not {db!r}"
    return None


def _csv(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(",") if v.strip())


def load_config(env: Mapping[str, str] | None = None) -> Config:
    """The effective configuration: defaults, then the THINKTWICE_CONFIG file, then the environment."""
    env = os.environ if env is None else env
    config = Config(data_dir=default_data_dir(env))
    problems: list[Problem] = []
    path = env.get("THINKTWICE_CONFIG")
    if path:
        doc, problems = load_yaml(path)
        if doc is not None and doc.data is not None:
            validator = jsonschema.Draft202012Validator(CONFIG_SCHEMA)
            for err in validator.iter_errors(doc.data):
                where = "/".join(str(p) for p in err.absolute_path) or "top level"
                problems.append(doc.problem(schema_error_key(err), f"{where}: {err.message}"))
            if not problems:
                data = doc.data
                config = replace(
                    config,
                    profile=data.get("profile", config.profile),
                    org_domains=tuple(data.get("org_domains", ())),
                    nudge_categories=tuple(data.get("nudge_categories", config.nudge_categories)),
                    nudge_cooldown=int(data.get("nudge_cooldown", config.nudge_cooldown)),
                    mirror_channels=tuple(data.get("mirror_channels", ())),
                    data_dir=Path(data["data_dir"]).expanduser() if "data_dir" in data else config.data_dir,
                    rules_dir=Path(data["rules_dir"]).expanduser() if "rules_dir" in data else None,
                    ask_threshold=float(data.get("ask_threshold", config.ask_threshold)),
                    redis_prefix=str(data.get("redis_prefix", config.redis_prefix)),
                    source=str(path),
                )
    config, env_problems = _apply_env(config, env)
    problems += env_problems
    if problems:
        raise ConfigError(problems)
    return replace(config, secrets={k: env[k] for k in SECRET_VARIABLES if env.get(k)})


def _apply_env(config: Config, env: Mapping[str, str]) -> tuple[Config, list[Problem]]:
    problems: list[Problem] = []

    def bad(name: str, why: str) -> None:
        problems.append(Problem(f"${name}", 0, why))

    if env.get("THINKTWICE_PROFILE"):
        config = replace(config, profile=env["THINKTWICE_PROFILE"].strip())
    if "THINKTWICE_ORG_DOMAINS" in env:
        config = replace(config, org_domains=tuple(d.lower() for d in _csv(env["THINKTWICE_ORG_DOMAINS"])))
    if env.get("THINKTWICE_NUDGE_CATEGORIES"):
        cats = _csv(env["THINKTWICE_NUDGE_CATEGORIES"])
        unknown = [c for c in cats if c not in CATEGORIES]
        if unknown:
            bad(
                "THINKTWICE_NUDGE_CATEGORIES",
                f"unknown category {unknown[0]!r}; expected some of {', '.join(CATEGORIES)}",
            )
        else:
            config = replace(config, nudge_categories=cats)
    if env.get("THINKTWICE_NUDGE_COOLDOWN"):
        raw = env["THINKTWICE_NUDGE_COOLDOWN"].strip()
        if raw.isdigit():
            config = replace(config, nudge_cooldown=int(raw))
        else:
            bad("THINKTWICE_NUDGE_COOLDOWN", "must be a whole number of seconds (0 turns the cool-down off)")
    if "THINKTWICE_MIRROR_CHANNELS" in env:
        config = replace(config, mirror_channels=_csv(env["THINKTWICE_MIRROR_CHANNELS"]))
    if env.get("THINKTWICE_DATA_DIR"):
        config = replace(config, data_dir=Path(env["THINKTWICE_DATA_DIR"]).expanduser())
    if env.get("THINKTWICE_RULES_DIR"):
        config = replace(config, rules_dir=Path(env["THINKTWICE_RULES_DIR"]).expanduser())
    if env.get("THINKTWICE_ASK_THRESHOLD"):
        try:
            value = float(env["THINKTWICE_ASK_THRESHOLD"])
            if not 0 <= value <= 1:
                raise ValueError
            config = replace(config, ask_threshold=value)
        except ValueError:
            bad("THINKTWICE_ASK_THRESHOLD", "must be a number between 0 and 1")
    if env.get("THINKTWICE_REDIS_URL", "").strip():
        url = env["THINKTWICE_REDIS_URL"].strip()
        problem = redis_url_problem(url)
        if problem:  # the message never repeats the URL: it may carry a password
            bad("THINKTWICE_REDIS_URL", problem)
        else:
            config = replace(config, redis_url=url)
    if "THINKTWICE_REDIS_PREFIX" in env:
        prefix = env["THINKTWICE_REDIS_PREFIX"].strip()
        if prefix and not any(c.isspace() for c in prefix):
            config = replace(config, redis_prefix=prefix)
        else:
            bad("THINKTWICE_REDIS_PREFIX", "must be a key prefix without spaces, such as thinktwice:")
    return config, problems
