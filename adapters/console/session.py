"""One console conversation: a line in, the bot's reply out (errbot `testbot` style).

`ConsoleSession.push(line)` translates a typed line into one core call and
renders the result as text. It holds only the conversation's state (the active
profile, whether the person has said /quit); every judgement is the core's.
"""

from __future__ import annotations

import logging
import traceback
from collections import deque

from bot import render
from bot.errors import ThinktwiceError
from bot.service import Thinktwice

logger = logging.getLogger(__name__)

HELP = """\
Commands:
  /checkpost TEXT   review TEXT as a draft post
  #mirror TEXT      treat TEXT as posted in a mirrored (Yammer or Lync) channel and show any nudge
  /profile ID       switch policy profile (/profile alone shows the active one)
  /profiles         list the policy profiles
  /help             this list
  /quit             leave (end of input works too)
Anything else is a question about the active profile's social media policy.
"""

_NOT_AVAILABLE = "Question answering is not available yet; try /checkpost TEXT to review a draft, or /help."
_FAILED = "Sorry, something went wrong on my side handling that line; it has been logged. Please try again."
_NOT_UTF8 = "That line is not valid UTF-8, so I cannot read it; check your terminal's encoding and try again."


class ConsoleSession:
    """A conversation with the bot: `push` a line, get the reply text (empty for a blank line)."""

    def __init__(self, bot: Thinktwice, profile_id: str | None = None, *, color: bool = False) -> None:
        self.bot = bot
        self.profile_id = bot.profile(profile_id).id  # UnknownProfileError for a bad id
        self.color = color
        self.done = False
        self._outbox: deque[str] = deque()

    # -- errbot-style conversation API ------------------------------------------
    def push(self, line: str) -> str:
        """Handle one typed line and return the reply; never raises for anything the person types."""
        reply = self._reply(line)
        if reply:
            self._outbox.append(reply)
        return reply

    def pop(self) -> str:
        """The oldest reply not yet popped (IndexError when there is none)."""
        return self._outbox.popleft()

    def banner(self) -> str:
        profile = self.bot.profile(self.profile_id)
        return (
            f"thinktwice console: checking against the {profile.name} ({profile.id}).\n"
            "Ask a question about the policy, or type /checkpost followed by a draft. /help lists commands.\n"
        )

    # -- translation -------------------------------------------------------------
    def _reply(self, line: str) -> str:
        line = line.strip()
        if not line:
            return ""
        if any("\udc80" <= ch <= "\udcff" for ch in line):  # undecodable bytes (surrogateescape)
            return _NOT_UTF8 + "\n"
        command, _, rest = line.partition(" ")
        kind = command.lower() if command.startswith(("/", "#")) else "question"
        rest = rest.strip()
        try:
            return self._dispatch(kind, rest, line)
        except ThinktwiceError as exc:
            return f"{exc}\n"
        except Exception as exc:  # the console must outlive any bug in the core
            # Log the kind of failure and where, never the message text (it may be the secret).
            logger.error("console: %s while handling a %s line", type(exc).__name__, kind)
            logger.debug("".join(traceback.format_tb(exc.__traceback__)))
            return _FAILED + "\n"

    def _dispatch(self, kind: str, rest: str, line: str) -> str:
        if kind == "/checkpost":
            if not rest:
                return "Say /checkpost followed by the draft you want checked.\n"
            verdict = self.bot.review(rest, self.profile_id)
            return render.verdict_text(rest, verdict, self.bot.profile(self.profile_id), color=self.color)
        if kind == "#mirror":
            if not rest:
                return "Say #mirror followed by a message as it would be posted in a mirrored channel.\n"
            nudge = self.bot.scan(rest, self.profile_id)
            if not nudge.nudge:
                return "No nudge: nothing in that message needs a reminder in a mirrored channel.\n"
            return f"Nudge ({', '.join(nudge.categories)}), sent privately to the poster:\n{nudge.message}\n"
        if kind == "/profile":
            if rest:
                self.profile_id = self.bot.profile(rest).id
                profile = self.bot.profile(self.profile_id)
                return f"Switched to {profile.id}: {profile.name}.\n"
            profile = self.bot.profile(self.profile_id)
            return f"Active profile: {profile.id} ({profile.name}). Say /profile ID to switch.\n"
        if kind == "/profiles":
            return "".join(
                f"{'*' if p.id == self.profile_id else ' '} {p.id:8} {p.name}\n" for p in self.bot.profiles()
            )
        if kind == "/help":
            return HELP
        if kind in ("/quit", "/exit"):
            self.done = True
            return "Bye.\n"
        if kind.startswith("/"):
            return f"Unknown command {kind}; type /help for the list.\n"
        return self._ask(line)

    def _ask(self, question: str) -> str:
        try:
            answer = self.bot.ask(question, self.profile_id)
        except (ImportError, AttributeError, NotImplementedError) as exc:
            logger.info("console: question answering unavailable (%s)", type(exc).__name__)
            return _NOT_AVAILABLE + "\n"
        return render.answer_text(answer)
