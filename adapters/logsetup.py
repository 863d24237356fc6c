"""Where the server's log goes and how each line looks: text (default) or one JSON object per line.

    thinktwice serve --log-format json       (or THINKTWICE_LOG_FORMAT=json)
    {"time": "2026-11-21T19:40:00.123Z", "level": "INFO", "logger": "adapters.slack.events",
     "message": "nudged a poster in C0MIRROR1 (contact-details)"}

Fields passed with `extra={...}` are added to the object as they are. What
is logged is decided where it is logged: our own lines never carry message
text, and the Slack libraries' loggers are muted by `adapters.slack.logsafe`;
this module only formats, so the two formats say exactly the same things.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import IO, Any

LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Every attribute a LogRecord has without `extra`; anything else on a record came from `extra`.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, then any extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")[:-6] + "Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # default=str: an extra field JSON cannot hold is written as its str(), not dropped with the line.
        return json.dumps(entry, ensure_ascii=False, default=str)


class _Ours(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler this module installed: configuring again replaces it rather than doubling lines."""


def log_settings(env: Mapping[str, str], log_format: str | None) -> tuple[str, str]:
    """(format, level): the flag, else THINKTWICE_LOG_FORMAT / THINKTWICE_LOG_LEVEL, else text and INFO.

    ValueError with one sentence when a value is not one we know.
    """
    chosen = (log_format or env.get("THINKTWICE_LOG_FORMAT") or "text").strip().lower()
    if chosen not in LOG_FORMATS:
        raise ValueError(f"the log format must be one of {', '.join(LOG_FORMATS)}, not {chosen!r}")
    level = (env.get("THINKTWICE_LOG_LEVEL") or "INFO").strip().upper()
    if level not in LOG_LEVELS:
        raise ValueError(f"THINKTWICE_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}")
    return chosen, level


def configure_logging(log_format: str = "text", level: str = "INFO", stream: IO[str] | None = None) -> None:
    """Send the root logger to `stream` (standard error) in this format, replacing an earlier call's."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _Ours)]:
        root.removeHandler(handler)
    handler = _Ours(stream if stream is not None else sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
