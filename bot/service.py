"""The core as one object: built once at start-up, then pure calls from any adapter.

Adapters (Slack, Teams, console, CLI) hold one `Thinktwice` and call `review`,
`scan` and `ask`. It loads and compiles the rulebooks once; a broken rulebook
stops start-up with its file:line message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .config import Config
from .engine import ProfileRules, compile_profiles, review
from .nudge import decide
from .rulebook import Rulebooks, load_rulebooks
from .textinput import MAX_QUESTION_CHARS, check_text
from .types import Answer, Nudge, Profile, Verdict

if TYPE_CHECKING:
    from .answering import Answerer


class Thinktwice:
    def __init__(self, config: Config, rulebooks: Rulebooks) -> None:
        self.config = config
        self.rulebooks = rulebooks
        self._compiled: dict[str, ProfileRules] = compile_profiles(rulebooks, config.org_domains)
        self._answerer: Answerer | None = None
        # Fail at start-up, not on the first message, if the default profile is unknown.
        self.rulebooks.profile(config.profile)

    @classmethod
    def start(cls, config: Config) -> Thinktwice:
        """Load the configured rulebooks (RulebookError if broken) and compile them."""
        return cls(config, load_rulebooks(config.rules_dir))

    # -- profiles -------------------------------------------------------------
    def profile(self, profile_id: str | None = None) -> Profile:
        return self.rulebooks.profile(profile_id or self.config.profile)

    def profiles(self) -> list[Profile]:
        return [self.rulebooks.profiles[k] for k in sorted(self.rulebooks.profiles)]

    def _rules(self, profile_id: str | None) -> ProfileRules:
        return self._compiled[self.profile(profile_id).id]

    # -- the three things the bot does -----------------------------------------
    def review(self, text: str, profile_id: str | None = None) -> Verdict:
        """Review a draft post (InputError for empty or oversized text)."""
        return review(check_text(text), self._rules(profile_id))

    def scan(self, text: str, profile_id: str | None = None) -> Nudge:
        """Decide whether a message in a mirrored channel earns a private nudge."""
        return decide(check_text(text, what="message"), self._rules(profile_id), self.config.nudge_categories)

    def ask(self, question: str, profile_id: str | None = None) -> Answer:
        """Answer a question from the profile's own policy, or abstain honestly."""
        check_text(question, what="question", limit=MAX_QUESTION_CHARS)
        return self.answerer().answer(question, self.profile(profile_id).id)

    def answerer(self) -> Answerer:
        # Built on first use so that review-only paths (scan, checkpost) start fast.
        if self._answerer is None:
            from .answering import Answerer

            self._answerer = Answerer.build(self.rulebooks, self.config.data_dir, self.config.ask_threshold)
        return self._answerer
