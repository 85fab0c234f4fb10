"""How deep a JSON text nests its arrays and objects: a bound on what is read at the door.

Python's parsers recurse into nested values: JSON nested 1,000 levels deep exhausts the
interpreter's stack (a RecursionError), YAML 500 levels. No input of this API comes near: an
annotation file nests 5 or 6 levels, a request body fewer. MAX_DEPTH is far beyond what they
need, and far short of any recursion limit.
"""

import re

MAX_DEPTH = 64

# A JSON string (or one left open at the end of the text), matched without backtracking, so
# that scanning stays linear whatever the text.
_STRING = rb'"(?:[^"\\]++|\\[\s\S])*+"?'
_STRINGS = re.compile(_STRING)
_TOKENS = re.compile(_STRING + rb"|[\[\]{}]")
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_OPENING = (ord("["), ord("{"))


def too_deep(raw: bytes, limit: int = MAX_DEPTH) -> int | None:
    """Where (the offset of the bracket) RAW, a JSON text, opens an array or object more than
    LIMIT levels deep; None if it nests no deeper. Brackets inside strings do not count. A text
    that is not JSON gets an answer too, and its parser says what is wrong with it."""
    # The strings and everything but the brackets removed (C speed: ~15 ms a megabyte), then
    # the brackets counted until the limit.
    depth = 0
    for c in _STRINGS.sub(b"", raw).translate(None, _NOT_BRACKETS):
        if c in _OPENING:
            depth += 1
            if depth > limit:
                return _locate(raw, limit)
        else:
            depth -= 1
    return None


def _locate(raw: bytes, limit: int) -> int:
    """The offset of the first bracket past LIMIT levels (slower: on the refusal's path)."""
    depth = 0
    for token in _TOKENS.finditer(raw):
        c = raw[token.start()]
        if c in _OPENING:
            depth += 1
            if depth > limit:
                return token.start()
        elif c != ord('"'):
            depth -= 1
    raise AssertionError("too_deep found it")


def line_and_column(raw: bytes, offset: int) -> tuple[int, int]:
    """The (1-based) line and column of the byte at OFFSET."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1
