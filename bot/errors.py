"""The one error hierarchy of thinktwice.

    ThinktwiceError            every error a person may see; str() is one sentence
    ├── InputError             the text, question or line given cannot be used
    ├── UnknownProfileError    no rulebook with that profile id
    ├── RulebookError          a rulebook is broken; carries file:line problems
    ├── ConfigError            the configuration file or environment is broken
    └── DocumentError          a document given to `ingest` cannot be read

User-facing messages are sentences a person can act on; they never include a
traceback and never repeat the text being judged.
"""

from __future__ import annotations

from dataclasses import dataclass


class ThinktwiceError(Exception):
    """Base of every error thinktwice reports to a person."""


class InputError(ThinktwiceError):
    """Text, a question or a batch line that cannot be used as given."""


class UnknownProfileError(ThinktwiceError):
    def __init__(self, profile_id: str, known: list[str]) -> None:
        super().__init__(f"unknown profile {profile_id!r}; choose one of: {', '.join(known)}")
        self.profile_id = profile_id


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a YAML file, located by file and line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:  # not a file: an environment variable, say
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class _ProblemsError(ThinktwiceError):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RulebookError(_ProblemsError):
    """One or more rulebooks failed validation."""


class ConfigError(_ProblemsError):
    """The configuration file or an environment variable is invalid."""


class DocumentError(ThinktwiceError):
    """A policy document given to `ingest` could not be read."""
