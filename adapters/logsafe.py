"""A logging filter for chat SDKs' loggers: nothing below WARNING, and no payload in what is left.

Chat SDKs (slack-bolt, slack-sdk, botbuilder, msrest) log request and response
bodies at DEBUG and sometimes whole payloads at INFO or WARNING. Message text
may be the very secret we are catching, so the loggers handed to them, or set
up for them, drop everything below WARNING and cut any payload (anything from
the first `{` or `body:` on) out of what they still say. Our own log lines never
carry text, so they are the ones to debug with; there is no switch to turn this off.
"""

from __future__ import annotations

import logging

# Payload-bearing fragments in SDK messages: dict reprs, JSON, `body: ...`.
_PAYLOAD_MARKERS = ("{", "body:", "body=", "payload")


class RedactPayloads(logging.Filter):
    """Drop library chatter below WARNING; cut any payload out of what is left."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return False
        message = record.getMessage()
        cut = min((i for i in (message.find(m) for m in _PAYLOAD_MARKERS) if i >= 0), default=-1)
        if cut >= 0:
            record.msg = message[:cut].rstrip() + " [payload withheld]"
            record.args = None
        return True


REDACT_PAYLOADS = RedactPayloads()


def quiet_logger(name: str) -> logging.Logger:
    """The named logger, at WARNING and up only, with payloads withheld."""
    logger = logging.getLogger(name)
    logger.setLevel(logging.WARNING)
    if REDACT_PAYLOADS not in logger.filters:
        logger.addFilter(REDACT_PAYLOADS)
    return logger


def quiet_library_loggers(*prefixes: str) -> None:
    """The same rule on the named libraries' loggers and on every logger under them that exists.

    A logger's filters do not apply to records its children pass up, so each
    child gets the filter itself (and takes WARNING as its level).
    """
    names = [n for n in logging.root.manager.loggerDict if n.startswith(tuple(f"{p}." for p in prefixes))]
    for name in [*prefixes, *names]:
        quiet_logger(name)
