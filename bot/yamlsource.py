"""Read a YAML file and remember the line of every value, so that errors can say file:line.

Used for rulebooks and the configuration file alike: the data comes back as
plain Python values plus a map from each value's path to its line number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDocument:
    path: str
    data: Any
    lines: dict[PathKey, int]

    def line(self, key: Iterable[str | int]) -> int:
        """The line of the value at key, or of its nearest ancestor that has one."""
        parts = tuple(key)
        while parts:
            if parts in self.lines:
                return self.lines[parts]
            parts = parts[:-1]
        return self.lines.get((), 1)

    def problem(self, key: Iterable[str | int], message: str) -> Problem:
        return Problem(self.path, self.line(key), message)


def _construct(node: yaml.Node, key: PathKey, lines: dict[PathKey, int], path: str) -> Any:
    lines[key] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for k_node, v_node in node.value:
            k = (
                yaml.safe_load(yaml.serialize(k_node))
                if not isinstance(k_node, yaml.ScalarNode)
                else k_node.value
            )
            if not isinstance(k, str):
                k = str(k)
            if k in out:
                raise _Located(Problem(path, k_node.start_mark.line + 1, f"duplicate key {k!r}"))
            out[k] = _construct(v_node, (*key, k), lines, path)
            lines[(*key, k)] = k_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*key, i), lines, path) for i, item in enumerate(node.value)]
    # Scalars: let PyYAML's safe constructor decide the type (int, bool, str...).
    return (
        yaml.SafeLoader(yaml.serialize(node)).get_single_data()
        if node.tag != "tag:yaml.org,2002:str"
        else node.value
    )


class _Located(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def parse_yaml(text: str, path: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse YAML text; on a syntax error return the problem with its line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "not valid YAML"
        return None, [Problem(path, line, f"YAML syntax error: {what}")]
    except yaml.YAMLError as exc:
        return None, [Problem(path, 1, f"YAML syntax error: {exc}")]
    lines: dict[PathKey, int] = {}
    if node is None:
        return YamlDocument(path, None, {(): 1}), []
    try:
        data = _construct(node, (), lines, path)
    except _Located as exc:
        return None, [exc.problem]
    return YamlDocument(path, data, lines), []


def load_yaml(path: Path | str) -> tuple[YamlDocument | None, list[Problem]]:
    """Read and parse a YAML file; unreadable files and bad UTF-8 are problems too."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        return None, [Problem(str(p), 1, f"cannot read the file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(str(p), line, "the file is not valid UTF-8")]
    return parse_yaml(text, str(p))


def schema_error_key(err: Any) -> tuple[str | int, ...]:
    """Where a jsonschema error points in the document.

    An unexpected key is reported by jsonschema at the mapping that holds it; point at
    the key itself, so the message names the line a person has to change.
    """
    path = tuple(err.absolute_path)
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        allowed = set(err.schema.get("properties", {}))
        extra = [k for k in err.instance if k not in allowed]
        if extra:
            return (*path, extra[0])
    return path
