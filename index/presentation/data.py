"""Reading the presentation data files with the line of every item, for file:line messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from index.model import Problem

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser is ~7x faster: start-up time


def load_with_lines(path: Path, display: str, problems: list[Problem]) -> Any:
    """The YAML document as plain data, with (value, line) pairs for scalars in sequences and
    mapping keys; None (and a problem) when the file is missing or not YAML."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except OSError as exc:
        problems.append(Problem(display, 1, f"cannot read file: {exc}"))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(display, mark.line + 1 if mark else 1, f"invalid YAML: {exc}"))
        return None
    return _plain(node, display, problems) if node is not None else None


class Lined(str):
    """A string that remembers the line it was read from."""

    line: int

    def __new__(cls, value: str, line: int) -> Lined:
        text = super().__new__(cls, value)
        text.line = line
        return text


def _plain(node: yaml.Node, display: str, problems: list[Problem]) -> Any:
    if isinstance(node, yaml.MappingNode):
        mapping: dict = {}
        for key_node, value_node in node.value:
            key = _plain(key_node, display, problems)
            if key in mapping:  # YAML would silently keep the last one
                line = key_node.start_mark.line + 1
                problems.append(Problem(display, line, f"duplicate key '{key}' (also at line {line_of(key)})"))
                continue
            mapping[key] = _plain(value_node, display, problems)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, display, problems) for item in node.value]
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return Lined(str(node.value), node.start_mark.line + 1)


def line_of(value: Any, default: int = 1) -> int:
    return getattr(value, "line", default)
