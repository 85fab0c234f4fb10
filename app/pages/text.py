"""A source's text cut into pieces for the page: each piece is a run of characters covered by
the same marks (quotes, attributions, hedges, page furniture), so that overlapping marks need no
nested or crossing elements, and the pieces of one quote, read in order, give the quote exactly.

Offsets are Unicode code points, as Python's str indexes them and as the API gives spans."""

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# What a mark is, as a CSS class: a quote (linked to its statement), the words that attribute
# it ('said Putin'), the source's hedge ('reportedly'), and text that is not the article.
QUOTE, ATTRIBUTION, HEDGE, FURNITURE = "quote", "attribution", "hedge", "furniture"


@dataclass(frozen=True)
class Mark:
    kind: str
    start: int
    end: int
    appearance: int | None = None
    statement: str | None = None


@dataclass
class Piece:
    """A run of text and the marks over all of it."""

    text: str
    kinds: list[str] = field(default_factory=list)
    appearances: list[int] = field(default_factory=list)
    # The statement a click on the piece opens: that of the first quote over it.
    statement: str | None = None

    @property
    def css(self) -> str:
        return " ".join(dict.fromkeys(self.kinds))


def marks_of(
    appearances: Iterable[Mapping[str, Any]], furniture: Iterable[Mapping[str, Any]]
) -> list[Mark]:
    """The marks of a source's appearances (as the API gives them) and its furniture."""
    marks: list[Mark] = []
    for a in appearances:
        statement = (a.get("statement") or {}).get("slug")
        span = a.get("span") or {}
        if "start" in span and "end" in span:
            marks.append(Mark(QUOTE, span["start"], span["end"], a.get("id"), statement))
        for kind in (ATTRIBUTION, HEDGE):
            located = a.get(kind)
            if located:
                marks.append(Mark(kind, located["start"], located["end"], a.get("id"), statement))
    for f in furniture:
        span = f.get("span") or {}
        if "start" in span and "end" in span:
            marks.append(Mark(FURNITURE, span["start"], span["end"]))
    return marks


def pieces(text: str, marks: Sequence[Mark]) -> list[Piece]:
    """TEXT cut at every mark's ends; each piece with the marks that cover it."""
    kept = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    cuts = sorted({0, len(text), *(m.start for m in kept), *(m.end for m in kept)})
    found: list[Piece] = []
    for start, end in itertools.pairwise(cuts):
        piece = Piece(text[start:end])
        for m in kept:
            if m.start <= start and end <= m.end:
                piece.kinds.append(m.kind)
                if m.kind == QUOTE and m.appearance is not None:
                    piece.appearances.append(m.appearance)
                    piece.statement = piece.statement or m.statement
        found.append(piece)
    return found


def around(text: str, start: int, end: int, width: int = 160) -> tuple[str, str, str]:
    """The words before TEXT[start:end], the span itself and the words after, about WIDTH
    characters each side, cut at a space where there is one."""
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    if start - width > 0 and " " in before:
        before = "…" + before[before.index(" ") + 1 :]
    if end + width < len(text) and " " in after:
        after = after[: after.rindex(" ")] + "…"
    return before, text[start:end], after


_WORD = re.compile(r"\w+", re.UNICODE)


def query_words(query: str) -> list[str]:
    """The words of a search, lower-cased, to mark in its hits."""
    return [w.lower() for w in _WORD.findall(query)]


def marked_words(text: str, words: Iterable[str]) -> list[tuple[str, bool]]:
    """TEXT as runs, each saying whether it is one of WORDS (compared lower-cased; a word also
    matches a longer one it begins: 'reject' marks 'rejected', as the search stems it)."""
    wanted = tuple(w.lower() for w in words if w)
    runs: list[tuple[str, bool]] = []
    at = 0
    for match in _WORD.finditer(text):
        if wanted and match.group().lower().startswith(wanted):
            if match.start() > at:
                runs.append((text[at : match.start()], False))
            runs.append((match.group(), True))
            at = match.end()
    if at < len(text):
        runs.append((text[at:], False))
    return runs
