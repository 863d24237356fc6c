"""The core as one object: built once at start-up, then pure calls from any adapter.

Adapters (Slack, Teams, console, CLI) hold one `Thinktwice` and call `review`,
`scan` and `ask`. It loads and compiles the rulebooks once; a broken rulebook
stops start-up with its file:line message.

`reload()` loads and compiles the rulebooks again off to the side and swaps
them in with one assignment, so a call in progress finishes on the rules it
started with and the next one sees the new rules whole. A broken rulebook is
refused (RulebookError, file:line) and the old rules stay in force.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .config import Config
from .engine import ProfileRules, compile_profiles, review
from .nudge import decide
from .rulebook import Rulebooks, load_rulebooks
from .textinput import MAX_QUESTION_CHARS, check_text
from .types import Answer, Nudge, Profile, Verdict

if TYPE_CHECKING:
    from .answering import Answerer


class _Loaded:
    """One generation of rules: what a reload replaces as a whole."""

    def __init__(self, rulebooks: Rulebooks, compiled: dict[str, ProfileRules], generation: int) -> None:
        self.rulebooks = rulebooks
        self.compiled = compiled
        self.generation = generation
        self.loaded_at = time.time()
        # Built on first use (or by reload() when the previous generation had one), then never changed.
        self.answerer: Answerer | None = None


@dataclass(frozen=True)
class RulesStatus:
    """Which rules are in force, for /healthz and the reload report."""

    generation: int
    loaded_at: float
    files: int
    profiles: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "generation": self.generation,
            "loaded_at": self.loaded_at,
            "files": self.files,
            "profiles": list(self.profiles),
        }


class Thinktwice:
    def __init__(self, config: Config, rulebooks: Rulebooks) -> None:
        self.config = config
        self._loaded = self._compile(rulebooks, generation=1)
        # One answerer build at a time: two first questions at once would otherwise index twice.
        self._answerer_lock = threading.Lock()
        # One reload at a time, so two SIGHUPs in a row cannot swap in an older generation last.
        self._reload_lock = threading.Lock()

    @classmethod
    def start(cls, config: Config) -> Thinktwice:
        """Load the configured rulebooks (RulebookError if broken) and compile them."""
        return cls(config, load_rulebooks(config.rules_dir))

    def _compile(self, rulebooks: Rulebooks, generation: int) -> _Loaded:
        loaded = _Loaded(rulebooks, compile_profiles(rulebooks, self.config.org_domains), generation)
        # Refuse rules without the default profile (at start-up, or in a reload), not on the first message.
        rulebooks.profile(self.config.profile)
        return loaded

    # -- the rules in force -----------------------------------------------------
    @property
    def rulebooks(self) -> Rulebooks:
        return self._loaded.rulebooks

    def compiled_rules(self) -> dict[str, ProfileRules]:
        """Every profile's compiled rules in force (for tests and benchmarks that look inside)."""
        return dict(self._loaded.compiled)

    def rules_status(self) -> RulesStatus:
        loaded = self._loaded
        return RulesStatus(
            generation=loaded.generation,
            loaded_at=loaded.loaded_at,
            files=len(loaded.rulebooks.files),
            profiles=tuple(sorted(loaded.rulebooks.profiles)),
        )

    def reload(self) -> RulesStatus:
        """Load and compile the rulebooks again and put them in force; RulebookError leaves the old ones.

        Blocking (it reads files and compiles patterns, and rebuilds the answering
        index if one was built): the server calls it in a worker thread.
        """
        with self._reload_lock:
            old = self._loaded
            fresh = self._compile(load_rulebooks(self.config.rules_dir), old.generation + 1)
            if old.answerer is not None:
                # Questions were being answered: have the new index ready before the swap, so the
                # next question is not the one that pays for building it, and a broken FAQ is refused too.
                fresh.answerer = self._build_answerer(fresh.rulebooks)
            self._loaded = fresh  # the one atomic step
            return self.rules_status()

    # -- profiles -------------------------------------------------------------
    def profile(self, profile_id: str | None = None) -> Profile:
        return self.rulebooks.profile(profile_id or self.config.profile)

    def profiles(self) -> list[Profile]:
        profiles = self.rulebooks.profiles
        return [profiles[k] for k in sorted(profiles)]

    # -- the three things the bot does -----------------------------------------
    def review(self, text: str, profile_id: str | None = None) -> Verdict:
        """Review a draft post (InputError for empty or oversized text)."""
        loaded = self._loaded
        return review(check_text(text), _rules(loaded, profile_id or self.config.profile))

    def scan(self, text: str, profile_id: str | None = None) -> Nudge:
        """Decide whether a message in a mirrored channel earns a private nudge."""
        loaded = self._loaded
        return decide(
            check_text(text, what="message"),
            _rules(loaded, profile_id or self.config.profile),
            self.config.nudge_categories,
        )

    def ask(self, question: str, profile_id: str | None = None) -> Answer:
        """Answer a question from the profile's own policy, or abstain honestly."""
        check_text(question, what="question", limit=MAX_QUESTION_CHARS)
        answerer = self.answerer()
        return answerer.answer(question, answerer.rulebooks.profile(profile_id or self.config.profile).id)

    def answerer(self) -> Answerer:
        """The answerer for the rules in force, built on first use (thread-safe: built once)."""
        # Built on first use so that review-only paths (scan, checkpost) start fast.
        loaded = self._loaded
        if loaded.answerer is None:
            with self._answerer_lock:
                if loaded.answerer is None:
                    loaded.answerer = self._build_answerer(loaded.rulebooks)
        return loaded.answerer

    def _build_answerer(self, rulebooks: Rulebooks) -> Answerer:
        from .answering import Answerer

        return Answerer.build(rulebooks, self.config.data_dir, self.config.ask_threshold)


def _rules(loaded: _Loaded, profile_id: str) -> ProfileRules:
    # The profile is looked up in the same generation as its compiled rules, never across a swap.
    return loaded.compiled[loaded.rulebooks.profile(profile_id).id]
