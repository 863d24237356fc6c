"""Load the answering knowledge: per-profile FAQ files, out-of-scope topics and the lexicon.

    rules/faq/<profile>.yaml   what each profile's policy says, as FAQ entries citing its clauses
    rules/faq/out-of-scope.yaml  topics people ask the bot that no social media policy covers
    rules/faq/lexicon.yaml     misspellings, synonyms and stop words for matching

Every problem is reported as `file:line: what is wrong`, all at once, through
RulebookError, like the rulebooks themselves.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jsonschema

from ..errors import Problem, RulebookError
from ..rulebook import Rulebooks, builtin_rules_dir
from ..types import Citation
from ..yamlsource import YamlDocument, load_yaml
from .text import Lexicon

log = logging.getLogger(__name__)

LEXICON_FILE = "lexicon.yaml"
OUT_OF_SCOPE_FILE = "out-of-scope.yaml"
# Leaves room in the 120-word chat bubble (SPEC) for the citation line.
MAX_ANSWER_WORDS = 95

EntryKind = Literal["faq", "document", "out-of-scope"]

_ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
_TEXTS = {"type": "array", "items": {"type": "string", "minLength": 1}}
FAQ_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["profile", "entries"],
    "properties": {
        "profile": _ID,
        "entries": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "cites", "answer", "questions"],
                "properties": {
                    "id": _ID,
                    "cites": {"type": "array", "items": _ID, "minItems": 1},
                    "answer": {"type": "string", "minLength": 10},
                    "questions": {**_TEXTS, "minItems": 2},
                    "keywords": _TEXTS,
                },
            },
        },
    },
}
OUT_OF_SCOPE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["topics"],
    "properties": {
        "topics": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "questions"],
                "properties": {"id": _ID, "questions": {**_TEXTS, "minItems": 1}, "keywords": _TEXTS},
            },
        }
    },
}
LEXICON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "spellings": {"type": "object", "additionalProperties": _TEXTS},
        "synonyms": {"type": "object", "additionalProperties": _TEXTS},
        "stopwords": _TEXTS,
    },
}


@dataclass(frozen=True)
class Entry:
    """One thing the bot can answer (or knows it must not), and the text it is matched on."""

    id: str
    kind: EntryKind
    answer: str
    citations: tuple[Citation, ...]
    questions: tuple[str, ...]
    keywords: tuple[str, ...] = ()
    source: str = ""  # file:line or document name, for "why did it say that?"
    body: str = ""  # a document section's own text, quoted in answers


@dataclass(frozen=True)
class Knowledge:
    """Everything answering knows before any organisation document is added."""

    entries: dict[str, tuple[Entry, ...]]  # profile id -> its FAQ entries
    out_of_scope: tuple[Entry, ...]
    lexicon: Lexicon


def faq_dir() -> Path:
    return builtin_rules_dir() / "faq"


def _validate(doc: YamlDocument, schema: dict[str, Any]) -> list[Problem]:
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for err in sorted(validator.iter_errors(doc.data), key=lambda e: doc.line(e.absolute_path)):
        where = "/".join(str(p) for p in err.absolute_path) or "top level"
        problems.append(doc.problem(err.absolute_path, f"{where}: {err.message}"))
    return problems


def _load(path: Path, schema: dict[str, Any]) -> tuple[YamlDocument | None, list[Problem]]:
    doc, problems = load_yaml(path)
    if doc is None:
        return None, problems
    problems = _validate(doc, schema)
    return (None if problems else doc), problems


def _lexicon(doc: YamlDocument | None) -> Lexicon:
    if doc is None:
        return Lexicon()
    data = doc.data
    spellings = {wrong: right for right, wrongs in data.get("spellings", {}).items() for wrong in wrongs}
    phrases = {
        v.lower(): canon.lower() for canon, variants in data.get("synonyms", {}).items() for v in variants
    }
    return Lexicon(spellings, phrases, frozenset(w.lower() for w in data.get("stopwords", ())))


def _faq_entries(doc: YamlDocument, rulebooks: Rulebooks) -> tuple[str, tuple[Entry, ...], list[Problem]]:
    data = doc.data
    pid = data["profile"]
    problems: list[Problem] = []
    if Path(doc.path).stem != pid:
        message = f"profile {pid!r} must match the file name {Path(doc.path).name!r}"
        problems.append(doc.problem(("profile",), message))
    if pid not in rulebooks.profiles:
        problems.append(doc.problem(("profile",), f"no rulebook for profile {pid!r}"))
        return pid, (), problems
    profile = rulebooks.profiles[pid]
    clause_ids = {c.id for c in profile.clauses}
    seen: set[str] = set()
    entries = []
    for i, e in enumerate(data["entries"]):
        if e["id"] in seen:
            problems.append(doc.problem(("entries", i, "id"), f"duplicate entry id {e['id']!r}"))
        seen.add(e["id"])
        for j, cid in enumerate(e["cites"]):
            if cid not in clause_ids:
                message = f"entry {e['id']!r} cites unknown clause {cid!r}"
                problems.append(doc.problem(("entries", i, "cites", j), message))
        n_words = len(e["answer"].split())
        if n_words > MAX_ANSWER_WORDS:
            problems.append(
                doc.problem(
                    ("entries", i, "answer"),
                    f"entry {e['id']!r}: answer of {n_words} words; keep it to {MAX_ANSWER_WORDS}",
                )
            )
        citations = tuple(profile.clause(cid).citation(pid) for cid in e["cites"] if cid in clause_ids)
        entries.append(
            Entry(
                id=e["id"],
                kind="faq",
                answer=" ".join(e["answer"].split()),
                citations=citations,
                questions=tuple(e["questions"]),
                keywords=tuple(e.get("keywords", ())),
                source=f"{Path(doc.path).name}:{doc.line(('entries', i))}",
            )
        )
    return pid, tuple(entries), problems


def load_knowledge(rulebooks: Rulebooks, directory: Path | None = None) -> Knowledge:
    """Load and check the FAQ files in directory (default: the built-in ones) or raise RulebookError."""
    base = directory if directory is not None else faq_dir()
    problems: list[Problem] = []
    lex_doc, found = _load(base / LEXICON_FILE, LEXICON_SCHEMA)
    problems += found
    oos_doc, found = _load(base / OUT_OF_SCOPE_FILE, OUT_OF_SCOPE_SCHEMA)
    problems += found
    out_of_scope: list[Entry] = []
    if oos_doc is not None:
        for i, t in enumerate(oos_doc.data["topics"]):
            out_of_scope.append(
                Entry(
                    id=f"out-of-scope-{t['id']}",
                    kind="out-of-scope",
                    answer="",
                    citations=(),
                    questions=tuple(t["questions"]),
                    keywords=tuple(t.get("keywords", ())),
                    source=f"{OUT_OF_SCOPE_FILE}:{oos_doc.line(('topics', i))}",
                )
            )
    entries: dict[str, tuple[Entry, ...]] = {}
    for path in sorted(base.glob("*.yaml")):
        if path.name in (LEXICON_FILE, OUT_OF_SCOPE_FILE):
            continue
        doc, found = _load(path, FAQ_SCHEMA)
        problems += found
        if doc is None:
            continue
        pid, profile_entries, found = _faq_entries(doc, rulebooks)
        problems += found
        entries[pid] = profile_entries
    if problems:
        raise RulebookError(problems)
    for pid in sorted(set(rulebooks.profiles) - set(entries)):
        # A custom rulebook may add a profile before anyone writes its FAQ: it still
        # answers from ingested documents and abstains on everything else.
        log.warning("no FAQ file for profile %s; it will answer only from ingested documents", pid)
    return Knowledge(entries, tuple(out_of_scope), _lexicon(lex_doc))
