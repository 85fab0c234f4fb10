"""YAML with line numbers: every value's line is kept, keyed by its path in the document.

Read safely, whatever the file holds: no aliases (`*name`: the annotation format never needs
them, and a few lines of aliases to aliases can stand for billions of values), no nesting past
MAX_DEPTH (the parser recurses), no control characters but tab, newline and carriage return;
a value that cannot be read as its tag says (a timestamp such as 2024-02-30, say). Each is a
YamlError with its line, never another exception.
"""

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app.web.nesting import MAX_DEPTH

Path = tuple[str | int, ...]
# What YAML does not allow in a file (its reader's own rule): the control characters but tab,
# newline, carriage return and next-line; surrogates; U+FFFE and U+FFFF.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_PLAIN_COLLECTIONS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


class YamlError(ValueError):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


class _Composer(yaml.SafeLoader):
    """The safe loader's composer, refusing aliases and nesting past MAX_DEPTH."""

    depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent):
            raise YamlError(
                f"'*{event.anchor}' is an alias: the annotation format has none (write the "
                "value out)",
                line,
            )
        if not isinstance(event, CollectionStartEvent):
            return super().compose_node(parent, index)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise YamlError(f"nested deeper than {MAX_DEPTH} levels", line)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load_with_lines(text: str) -> tuple[Any, dict[Path, int]]:
    """The data of a YAML document and the (1-based) line where each value starts."""
    node = _compose(text)
    if node is None:
        raise YamlError("the file is empty", 1)
    lines: dict[Path, int] = {}
    constructor = SafeConstructor()
    return _build(node, (), lines, constructor), lines


def load(text: str) -> Any:
    """The data of a YAML document (None if it has none), read as safely as load_with_lines
    reads it (yaml.safe_load expands aliases without bound)."""
    node = _compose(text)
    return None if node is None else _build(node, (), {}, SafeConstructor())


def _compose(text: str) -> Node | None:
    refused = _NOT_PRINTABLE.search(text)
    if refused:
        before = text[: refused.start()]
        line = len(_LINE_BREAK.findall(before)) + 1
        column = len(before) - max(before.rfind("\n"), before.rfind("\r"))
        raise YamlError(f"column {column}: {_character(refused.group())}", line)
    composer = _Composer(text)
    try:
        node: Node | None = composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError(f"not valid YAML: {exc.problem}", mark.line + 1 if mark else None) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"not valid YAML: {exc}", None) from exc
    finally:
        composer.dispose()
    return node


def _character(c: str) -> str:
    code = ord(c)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return (
            f"a control character (U+{code:04X}); none is allowed but tab, newline and "
            "carriage return"
        )
    return f"the character U+{code:04X}, which YAML does not allow"


def _build(node: Node, path: Path, lines: dict[Path, int], constructor: SafeConstructor) -> Any:
    lines[path] = node.start_mark.line + 1
    if node.tag not in _PLAIN_COLLECTIONS and not isinstance(node, ScalarNode):
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise YamlError(
            f"cannot read a {'mapping' if isinstance(node, MappingNode) else 'list'} as {tag}: "
            "not a tag of the annotation format",
            node.start_mark.line + 1,
        )
    if isinstance(node, MappingNode):
        data: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlError(
                    "keys must be text, not a list or a mapping", key_node.start_mark.line + 1
                )
            key = _scalar(key_node, constructor)
            if not isinstance(key, str):
                raise YamlError(f"keys must be text, not {key!r}", key_node.start_mark.line + 1)
            if key in data:
                raise YamlError(f"key '{key}' appears twice", key_node.start_mark.line + 1)
            data[key] = _build(value_node, (*path, key), lines, constructor)
        return data
    if isinstance(node, SequenceNode):
        return [_build(item, (*path, i), lines, constructor) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    return _scalar(node, constructor)


def _scalar(node: ScalarNode, constructor: SafeConstructor) -> Any:
    """The value of a scalar, as its tag (implicit or written) reads it."""
    try:
        return constructor.construct_object(node, deep=True)
    except Exception as exc:  # whatever a tag's constructor raises: the file's value is wrong
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        reason = ""  # a KeyError or an AttributeError says nothing a reader can use
        if isinstance(exc, yaml.MarkedYAMLError):
            reason = "not a tag of the annotation format"
        elif isinstance(exc, ValueError):
            reason = str(exc)
        raise YamlError(
            f"cannot read {node.value!r} as {tag}" + (f": {reason}" if reason else ""),
            node.start_mark.line + 1,
        ) from exc


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
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part or '""'  # a key that is empty still names a place
            out += f".{name}" if out else name
    return out
