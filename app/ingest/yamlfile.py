"""YAML with line numbers: every value's line is kept, keyed by its path in the document."""

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path = tuple[str | int, ...]


class YamlError(ValueError):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def load_with_lines(text: str) -> tuple[Any, dict[Path, int]]:
    """The data of a YAML document and the (1-based) line where each value starts."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError(f"not valid YAML: {exc.problem}", mark.line + 1 if mark else None) from exc
    if node is None:
        raise YamlError("the file is empty", 1)
    lines: dict[Path, int] = {}
    constructor = SafeConstructor()
    return _build(node, (), lines, constructor), lines


def _build(node: Node, path: Path, lines: dict[Path, int], constructor: SafeConstructor) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, MappingNode):
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise YamlError(f"keys must be text, not {key!r}", key_node.start_mark.line + 1)
            if key in data:
                raise YamlError(f"key '{key}' appears twice", key_node.start_mark.line + 1)
            data[key] = _build(value_node, (*path, key), lines, constructor)
        return data
    if isinstance(node, SequenceNode):
        return [_build(item, (*path, i), lines, constructor) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    return constructor.construct_object(node, deep=True)


def line_of(lines: dict[Path, int], path: Path) -> int | None:
    """The line of PATH, or of its nearest enclosing value that has one."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def dotted(path: Path) -> str:
    """statements[3].appearances[0].quote"""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
