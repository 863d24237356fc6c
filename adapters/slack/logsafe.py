"""Loggers for slack-bolt and slack-sdk that can never write message text.

Bolt logs the whole request body at INFO when a signature fails, and both
libraries log request and response bodies at DEBUG. Message text may be the
very secret we are catching, so the loggers handed to Bolt and the Web API
client stop everything below WARNING, and what they do say at WARNING or
above has any payload (anything from the first `{` or `body:` on) withheld.
There is deliberately no switch to turn this off: our own log lines never carry
text, so they are the ones to debug with.
"""

from __future__ import annotations

import logging

from ..logsafe import REDACT_PAYLOADS as _FILTER
from ..logsafe import RedactPayloads

__all__ = ["RedactPayloads", "quiet_library_loggers", "quiet_logger"]


def quiet_logger(name: str) -> logging.Logger:
    """A logger for a Slack library to use: WARNING and up only, payloads withheld.

    Bolt copies this logger's level and filters to every logger it derives from
    it (one per middleware and listener), so the rule reaches all of them.
    """
    logger = logging.getLogger(name)
    logger.setLevel(logging.WARNING)
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return logger


def quiet_library_loggers() -> None:
    """The same rule on every slack_bolt / slack_sdk logger that exists, and their parents.

    For the module-level loggers a logger cannot be passed to (Bolt sets their
    level from the root logger's when it creates them, so a DEBUG root would
    otherwise let them talk).
    """
    names = [n for n in logging.root.manager.loggerDict if n.startswith(("slack_bolt", "slack_sdk"))]
    for name in ["slack_bolt", "slack_sdk", *names]:
        quiet_logger(name)
