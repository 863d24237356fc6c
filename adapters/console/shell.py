"""The terminal loop: read lines, push them through a ConsoleSession, write the replies.

Works the same through a pipe as at a keyboard; the banner and the prompt appear
only when standard input is a terminal, so piped output is just the replies.
"""

from __future__ import annotations

import contextlib
import io
from typing import TextIO

from bot.audit import Audit
from bot.errors import ThinktwiceError
from bot.service import Thinktwice

from .session import ConsoleSession

PROMPT = "you> "


def _tolerate_bad_utf8(stdin: TextIO) -> None:
    # A line of invalid UTF-8 should get a sentence, not end the session with a
    # UnicodeDecodeError: keep the bad bytes as surrogates and let the session say so.
    if isinstance(stdin, io.TextIOWrapper):
        with contextlib.suppress(ValueError, io.UnsupportedOperation):
            stdin.reconfigure(errors="surrogateescape")


def run_console(
    bot: Thinktwice,
    stdin: TextIO,
    stdout: TextIO,
    profile_id: str | None = None,
    audit: Audit | None = None,
) -> int:
    """Chat with the bot until /quit or end of input; returns the exit status.

    With `audit`, what the session does is counted (platform `console`).
    """
    interactive = stdin.isatty()
    try:
        session = ConsoleSession(bot, profile_id, color=interactive and stdout.isatty(), audit=audit)
    except ThinktwiceError as exc:  # an unknown profile id
        stdout.write(f"{exc}\n")
        return 2
    _tolerate_bad_utf8(stdin)
    if interactive:
        stdout.write(session.banner())
    try:
        while not session.done:
            if interactive:
                stdout.write(PROMPT)
                stdout.flush()
            line = stdin.readline()
            if not line:  # end of input
                if interactive:
                    stdout.write("\n")
                break
            reply = session.push(line)
            if reply:
                stdout.write(reply)
                if interactive:
                    stdout.write("\n")
                stdout.flush()
    except KeyboardInterrupt:
        stdout.write("\n")
    return 0
