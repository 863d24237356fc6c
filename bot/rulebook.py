"""Load and validate the rulebooks: one YAML file per profile plus shared detectors.

A rulebook directory holds `detectors.yaml` (vocabulary and rules every profile
uses) and one `<profile>.yaml` per organisation (its clauses, contact, words
and any rules of its own). Validation is a JSON Schema for shape plus checks
the schema cannot express (regexes compile, ids are unique, citations exist).
Every problem is reported as `file:line: what is wrong`, all at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from .detectors import DETECTORS
from .errors import Problem, RulebookError, UnknownProfileError
from .types import CATEGORIES, Clause, Profile
from .yamlsource import YamlDocument, load_yaml, schema_error_key

SHARED_FILE = "detectors.yaml"
REWRITES = ("redact", "drop-sentence", "add-disclaimer", "none")
SETTINGS = ("any", "post", "channel")
CONDITIONS = ("disclaimer_required",)

_ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"}
_REGEX_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}
_NEAR = {
    "type": "object",
    "additionalProperties": False,
    "required": ["patterns"],
    "properties": {"patterns": _REGEX_LIST, "window": {"type": "integer", "minimum": 1, "maximum": 2000}},
}
RULE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "category", "explanation"],
    "properties": {
        "id": _ID,
        "category": {"enum": list(CATEGORIES)},
        "severity": {"enum": ["stop", "caution"]},
        "explanation": {"type": "string", "minLength": 10},
        "detector": {"enum": sorted(DETECTORS)},
        "patterns": _REGEX_LIST,
        "case_sensitive": {"type": "boolean"},
        "near": _NEAR,
        "requires": _REGEX_LIST,
        "unless": _REGEX_LIST,
        "unless_near": _NEAR,
        "whole_post": {"type": "boolean"},
        "applies_if": {"enum": list(CONDITIONS)},
        "profiles": {"type": "array", "items": _ID, "minItems": 1},
        "setting": {"enum": list(SETTINGS)},
        "cites": {"type": "array", "items": _ID, "minItems": 1},
        "rewrite": {"enum": list(REWRITES)},
        "redact_with": {"type": "string"},
        "note": {"type": "string"},
    },
    "oneOf": [{"required": ["detector"]}, {"required": ["patterns"]}, {"required": ["whole_post"]}],
}
_VOCABULARY = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
    "propertyNames": {"pattern": "^[a-z_]+$"},
}
SHARED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["rules"],
    "properties": {"vocabulary": _VOCABULARY, "rules": {"type": "array", "items": RULE_SCHEMA}},
}
PROFILE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "name", "short_name", "contact", "clauses"],
    "properties": {
        "id": _ID,
        "name": {"type": "string", "minLength": 1},
        "short_name": {"type": "string", "minLength": 1},
        "contact": {"type": "string", "minLength": 1},
        "org_domains": {"type": "array", "items": {"type": "string", "pattern": r"^[a-z0-9.-]+\.[a-z]+$"}},
        "disclaimer_required": {"type": "boolean"},
        "vocabulary": _VOCABULARY,
        "highlights": {"type": "array", "items": {"type": "string"}},
        "clauses": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "section", "heading", "summary"],
                "properties": {
                    "id": _ID,
                    "section": {"type": "string", "minLength": 1},
                    "heading": {"type": "string", "minLength": 1},
                    "summary": {"type": "string", "minLength": 10},
                    "categories": {"type": "array", "items": {"enum": list(CATEGORIES)}},
                },
            },
        },
        "rules": {"type": "array", "items": RULE_SCHEMA},
    },
}

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class RuleSpec:
    """A rule as written in a rulebook, before its patterns are compiled for a profile."""

    id: str
    category: str
    explanation: str
    source: str  # file:line, so "why did it say that?" has an answer
    severity: str | None = None
    detector: str | None = None
    patterns: tuple[str, ...] = ()
    case_sensitive: bool = False
    near: tuple[tuple[str, ...], int] | None = None
    requires: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    unless_near: tuple[tuple[str, ...], int] | None = None
    whole_post: bool = False
    applies_if: str | None = None
    profiles: tuple[str, ...] = ()
    setting: str = "any"
    cites: tuple[str, ...] = ()
    rewrite: str | None = None
    redact_with: str | None = None


@dataclass(frozen=True)
class Rulebooks:
    """Every profile, the shared vocabulary, and the rules that apply to each profile."""

    profiles: dict[str, Profile]
    rules: dict[str, tuple[RuleSpec, ...]]
    vocabulary: dict[str, dict[str, tuple[str, ...]]]
    source: str
    default_profile: str = "dss"
    files: tuple[str, ...] = field(default_factory=tuple)

    def profile(self, profile_id: str) -> Profile:
        try:
            return self.profiles[profile_id]
        except KeyError:
            raise UnknownProfileError(profile_id, sorted(self.profiles)) from None


def builtin_rules_dir() -> Path:
    """The built-in rulebooks: bot/rules/ when installed, the repository's rules/ in a checkout."""
    packaged = Path(__file__).with_name("rules")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"


def _schema_problems(doc: YamlDocument, schema: dict[str, Any]) -> list[Problem]:
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for err in sorted(validator.iter_errors(doc.data), key=lambda e: doc.line(schema_error_key(e))):
        where = "/".join(str(p) for p in err.absolute_path) or "top level"
        if err.validator == "oneOf" and isinstance(err.instance, dict):
            message = "a rule needs exactly one of 'detector', 'patterns' or 'whole_post'"
        elif (err.validator == "enum" and err.absolute_path and err.absolute_path[-1] == "category") or (
            err.validator == "enum" and len(err.absolute_path) >= 2 and err.absolute_path[-2] == "categories"
        ):
            message = f"unknown category {err.instance!r}; expected one of {', '.join(CATEGORIES)}"
        elif err.validator == "enum" and err.absolute_path and err.absolute_path[-1] == "detector":
            message = f"unknown detector {err.instance!r}; expected one of {', '.join(sorted(DETECTORS))}"
        elif err.validator == "additionalProperties" or err.validator == "required":
            message = f"{where}: {err.message}"
        else:
            message = f"{where}: {err.message}"
        problems.append(doc.problem(schema_error_key(err), message))
    return problems


def _expand(pattern: str, vocabulary: dict[str, tuple[str, ...]]) -> str | None:
    """Replace {name} with an alternation of the vocabulary words; None if a name is unknown."""
    missing = False

    def sub(m: re.Match[str]) -> str:
        nonlocal missing
        words = vocabulary.get(m.group(1))
        if words is None:
            missing = True
            return m.group(0)
        return "(?:" + "|".join(_word_pattern(w) for w in sorted(words, key=len, reverse=True)) + ")"

    out = _PLACEHOLDER.sub(sub, pattern)
    return None if missing else out


def _word_pattern(word: str) -> str:
    # Vocabulary entries are plain words unless written as /regex/.
    if len(word) > 2 and word.startswith("/") and word.endswith("/"):
        return word[1:-1]
    return re.escape(word).replace(r"\ ", r"\s+")


def expand_pattern(pattern: str, vocabulary: dict[str, tuple[str, ...]]) -> str:
    expanded = _expand(pattern, vocabulary)
    if expanded is None:
        raise KeyError(pattern)
    return expanded


def _rule_specs(doc: YamlDocument, items: list[dict[str, Any]], key: str) -> list[RuleSpec]:
    specs = []
    for i, r in enumerate(items):
        near = r.get("near")
        unless_near = r.get("unless_near")
        specs.append(
            RuleSpec(
                id=r["id"],
                category=r["category"],
                explanation=r["explanation"],
                source=f"{Path(doc.path).name}:{doc.line((key, i))}",
                severity=r.get("severity"),
                detector=r.get("detector"),
                patterns=tuple(r.get("patterns", ())),
                case_sensitive=bool(r.get("case_sensitive", False)),
                near=(tuple(near["patterns"]), int(near.get("window", 60))) if near else None,
                requires=tuple(r.get("requires", ())),
                unless=tuple(r.get("unless", ())),
                unless_near=(tuple(unless_near["patterns"]), int(unless_near.get("window", 60)))
                if unless_near
                else None,
                whole_post=bool(r.get("whole_post", False)),
                applies_if=r.get("applies_if"),
                profiles=tuple(r.get("profiles", ())),
                setting=r.get("setting", "any"),
                cites=tuple(r.get("cites", ())),
                rewrite=r.get("rewrite"),
                redact_with=r.get("redact_with"),
            )
        )
    return specs


def _regex_problems(
    doc: YamlDocument, key: str, specs: list[RuleSpec], vocabularies: list[dict[str, tuple[str, ...]]]
) -> list[Problem]:
    problems = []
    for i, spec in enumerate(specs):
        fields: list[tuple[str, tuple[str, ...]]] = [
            ("patterns", spec.patterns),
            ("requires", spec.requires),
            ("unless", spec.unless),
        ]
        if spec.near:
            fields.append(("near", spec.near[0]))
        if spec.unless_near:
            fields.append(("unless_near", spec.unless_near[0]))
        for name, patterns in fields:
            for j, pattern in enumerate(patterns):
                flat = name in ("patterns", "requires", "unless")
                path: tuple[str | int, ...] = (key, i, name, j) if flat else (key, i, name, "patterns", j)
                for vocab in vocabularies:
                    expanded = _expand(pattern, vocab)
                    if expanded is None:
                        names = ", ".join(sorted(set(_PLACEHOLDER.findall(pattern)) - set(vocab)))
                        problems.append(
                            doc.problem(path, f"rule {spec.id!r}: unknown vocabulary {{{names}}}")
                        )
                        break
                    try:
                        re.compile(expanded)
                    except re.error as exc:
                        problems.append(doc.problem(path, f"rule {spec.id!r}: bad regex: {exc}"))
                        break
                    if _NESTED_QUANTIFIER.search(pattern):
                        problems.append(
                            doc.problem(
                                path,
                                f"rule {spec.id!r}: a repeated group that itself repeats can backtrack "
                                "catastrophically; rewrite it without nesting",
                            )
                        )
                        break
    return problems


# A group ending in + or * that is itself followed by + or * or {n,}: (a+)+ and friends.
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*]\)[+*]|\((?:[^()\\]|\\.)*[+*]\)\{\d+,\}")


def load_rulebooks(directory: Path | str | None = None) -> Rulebooks:
    """Load every rulebook in directory (default: the built-in ones) or raise RulebookError."""
    rulebooks, problems = check_rulebooks(directory)
    if problems or rulebooks is None:
        raise RulebookError(problems)
    return rulebooks


def check_rulebooks(path: Path | str | None = None) -> tuple[Rulebooks | None, list[Problem]]:
    """Validate a rulebook directory, or one profile file checked against the built-in shared file."""
    base = Path(path) if path is not None else builtin_rules_dir()
    if base.is_file():
        if base.name == SHARED_FILE:
            shared_path, profile_paths = (
                base,
                sorted(p for p in builtin_rules_dir().glob("*.yaml") if p.name != SHARED_FILE),
            )
        else:
            shared_path, profile_paths = base.parent / SHARED_FILE, [base]
            if not shared_path.exists():
                shared_path = builtin_rules_dir() / SHARED_FILE
    elif base.is_dir():
        shared_path = base / SHARED_FILE
        profile_paths = sorted(p for p in base.glob("*.yaml") if p.name != SHARED_FILE)
    else:
        return None, [Problem(str(base), 1, "no such rulebook file or directory")]

    problems: list[Problem] = []
    shared_doc, found = load_yaml(shared_path)
    problems += found
    if shared_doc is not None:
        problems += _schema_problems(shared_doc, SHARED_SCHEMA)
    if not profile_paths:
        problems.append(Problem(str(base), 1, "no profile rulebooks (<profile>.yaml) found"))
    profile_docs = []
    for p in profile_paths:
        doc, found = load_yaml(p)
        problems += found
        if doc is not None:
            schema_problems = _schema_problems(doc, PROFILE_SCHEMA)
            problems += schema_problems
            if not schema_problems:
                profile_docs.append(doc)
    if problems or shared_doc is None:
        return None, problems

    shared_vocab = {k: tuple(v) for k, v in (shared_doc.data.get("vocabulary") or {}).items()}
    shared_specs = _rule_specs(shared_doc, shared_doc.data["rules"], "rules")
    profiles: dict[str, Profile] = {}
    rules: dict[str, tuple[RuleSpec, ...]] = {}
    vocabularies: dict[str, dict[str, tuple[str, ...]]] = {}
    seen_rule_ids: dict[str, str] = {}
    for i, spec in enumerate(shared_specs):
        if spec.id in seen_rule_ids:
            problems.append(shared_doc.problem(("rules", i, "id"), f"duplicate rule id {spec.id!r}"))
        seen_rule_ids[spec.id] = spec.source
        if spec.cites:
            problems.append(
                shared_doc.problem(
                    ("rules", i, "cites"), "shared rules cite each profile's own clauses; drop 'cites'"
                )
            )

    for doc in profile_docs:
        data = doc.data
        pid = data["id"]
        if Path(doc.path).stem != pid:
            problems.append(
                doc.problem(("id",), f"profile id {pid!r} must match the file name {Path(doc.path).name!r}")
            )
        if pid in profiles:
            problems.append(doc.problem(("id",), f"duplicate profile id {pid!r}"))
        clauses: list[Clause] = []
        clause_ids: set[str] = set()
        category_clauses: dict[str, list[str]] = {}
        for i, c in enumerate(data["clauses"]):
            if c["id"] in clause_ids:
                problems.append(doc.problem(("clauses", i, "id"), f"duplicate clause id {c['id']!r}"))
            clause_ids.add(c["id"])
            cats = tuple(c.get("categories", ()))
            clauses.append(Clause(c["id"], str(c["section"]), c["heading"], c["summary"], cats))
            for cat in cats:
                category_clauses.setdefault(cat, []).append(c["id"])
        vocab = dict(shared_vocab)
        vocab.update({k: tuple(v) for k, v in (data.get("vocabulary") or {}).items()})
        vocab.setdefault("org_domains", tuple(data.get("org_domains", ())) or ("gov.au",))
        own_specs = _rule_specs(doc, data.get("rules", []), "rules")
        own_ids: dict[str, str] = {}
        for i, spec in enumerate(own_specs):
            if spec.id in own_ids:
                problems.append(
                    doc.problem(
                        ("rules", i, "id"), f"duplicate rule id {spec.id!r} (also {own_ids[spec.id]})"
                    )
                )
            own_ids.setdefault(spec.id, spec.source)
            if spec.id in seen_rule_ids:
                problems.append(
                    doc.problem(
                        ("rules", i, "id"), f"duplicate rule id {spec.id!r} (also {seen_rule_ids[spec.id]})"
                    )
                )
            for cid in spec.cites:
                if cid not in clause_ids:
                    problems.append(
                        doc.problem(("rules", i, "cites"), f"rule {spec.id!r} cites unknown clause {cid!r}")
                    )
            if not spec.cites and spec.category not in category_clauses:
                problems.append(
                    doc.problem(
                        ("rules", i, "category"),
                        f"missing citation: rule {spec.id!r} is about {spec.category!r} but no clause of "
                        f"{pid!r} backs that category; add it to a clause's categories or give 'cites'",
                    )
                )
        problems += _regex_problems(doc, "rules", own_specs, [vocab])
        vocabularies[pid] = vocab
        profiles[pid] = Profile(
            id=pid,
            name=data["name"],
            short_name=data["short_name"],
            contact=data["contact"],
            clauses=tuple(clauses),
            org_domains=tuple(data.get("org_domains", ())),
            category_clauses={k: tuple(v) for k, v in category_clauses.items()},
            vocabulary=vocab,
            disclaimer_required=bool(data.get("disclaimer_required", False)),
            highlights=tuple(data.get("highlights", ())),
        )
        applicable = [s for s in shared_specs if not s.profiles or pid in s.profiles]
        rules[pid] = tuple(applicable + own_specs)
    problems += _regex_problems(
        shared_doc, "rules", shared_specs, list(vocabularies.values()) or [shared_vocab]
    )
    for i, spec in enumerate(shared_specs):
        for pid in spec.profiles:
            if profiles and pid not in profiles and base.is_dir():
                problems.append(
                    shared_doc.problem(
                        ("rules", i, "profiles"), f"rule {spec.id!r} names unknown profile {pid!r}"
                    )
                )
    if problems:
        return None, problems
    files = (str(shared_path), *(d.path for d in profile_docs))
    default = "dss" if "dss" in profiles else sorted(profiles)[0]
    return Rulebooks(profiles, rules, vocabularies, str(base), default, files), []
