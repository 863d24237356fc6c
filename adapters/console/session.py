"""One console conversation: a line in, the bot's reply out (errbot `testbot` style).

`ConsoleSession.push(line)` translates a typed line into one core call and
renders the result as text. It holds only the conversation's state (the active
profile, whether the person has said /quit, the rules behind the last review
or nudge for /dispute); every judgement is the core's. With an `Audit`, each
review, nudge, answer and dispute is counted under platform `console`.
"""

from __future__ import annotations

import logging
import traceback
from collections import deque

from bot import render
from bot.audit import Audit
from bot.errors import ThinktwiceError
from bot.service import Thinktwice

logger = logging.getLogger(__name__)

HELP = """\
Commands:
  /checkpost TEXT   review TEXT as a draft post
  #mirror TEXT      treat TEXT as posted in a mirrored (Yammer or Lync) channel and show any nudge
  /dispute [WHY]    say the last review or nudge flagged something that is not a problem
  /profile ID       switch policy profile (/profile alone shows the active one)
  /profiles         list the policy profiles
  /help             this list
  /quit             leave (end of input works too)
Anything else is a question about the active profile's social media policy.
"""

PLATFORM = "console"
DISPUTE_HINT = "Not a problem? Say /dispute, and why if you like.\n"

_NOT_AVAILABLE = "Question answering is not available yet; try /checkpost TEXT to review a draft, or /help."
_FAILED = "Sorry, something went wrong on my side handling that line; it has been logged. Please try again."
_NOT_UTF8 = "That line is not valid UTF-8, so I cannot read it; check your terminal's encoding and try again."


class ConsoleSession:
    """A conversation with the bot: `push` a line, get the reply text (empty for a blank line)."""

    def __init__(
        self,
        bot: Thinktwice,
        profile_id: str | None = None,
        *,
        color: bool = False,
        audit: Audit | None = None,
    ) -> None:
        self.bot = bot
        self.audit = audit
        # (profile, rule ids) of the last review or nudge that found something: what /dispute disputes.
        self._disputable: tuple[str, tuple[str, ...]] | None = None
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
            if self.audit:
                self.audit.record_review(verdict.profile, PLATFORM, verdict)
            reply = render.verdict_text(rest, verdict, self.bot.profile(self.profile_id), color=self.color)
            return reply + self._offer_dispute(verdict.profile, tuple(f.rule for f in verdict.findings))
        if kind == "#mirror":
            if not rest:
                return "Say #mirror followed by a message as it would be posted in a mirrored channel.\n"
            nudge = self.bot.scan(rest, self.profile_id)
            if not nudge.nudge:
                return "No nudge: nothing in that message needs a reminder in a mirrored channel.\n"
            if self.audit:
                self.audit.record_nudge(self.profile_id, PLATFORM, nudge.categories)
            reply = f"Nudge ({', '.join(nudge.categories)}), sent privately to the poster:\n{nudge.message}\n"
            return reply + self._offer_dispute(self.profile_id, nudge.rules)
        if kind == "/dispute":
            return self._dispute(rest)
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
        if self.audit:
            self.audit.record_answer(answer.profile, PLATFORM, answer)
        return render.answer_text(answer)

    # -- the false-positive loop ---------------------------------------------------
    def _offer_dispute(self, profile_id: str, rules: tuple[str, ...]) -> str:
        self._disputable = (profile_id, rules) if rules else None
        return DISPUTE_HINT if rules else ""

    def _dispute(self, reason: str) -> str:
        if self._disputable is None:
            return (
                "Nothing to dispute: /dispute applies to the last review or nudge that flagged something.\n"
            )
        profile_id, rules = self._disputable
        self._disputable = None  # one dispute per review
        if self.audit:
            self.audit.record_dispute(profile_id, PLATFORM, rules, reason or None)
        names = ", ".join(dict.fromkeys(rules))
        return (
            f"Thanks, noted that {names} flagged something that is not a problem. Nothing else is needed.\n"
        )
