"""What a load will write: rows keyed by slug, with references still given as slugs."""

import datetime as dt
from array import array
from dataclasses import dataclass, field, fields
from functools import partial
from typing import Any, NamedTuple

from app.models.enums import QuoteMode, ReviewStatus, Stance

Row = dict[str, Any]


class PlannedStatement(NamedTuple):
    """A new statement, in its table's column order, by slugs. Statements and appearances are
    most of a large load: a tuple takes a tenth of a dict's memory."""

    slug: str
    speaker: str
    claim: str
    stance: Stance
    said_on: dt.date | None
    context: str | None
    recipient: str | None
    via: str | None
    note: str | None
    status: ReviewStatus
    status_reason: str | None


class PlannedAppearance(NamedTuple):
    """A new appearance, in its table's column order, by slugs; spans are placed."""

    statement: str
    source: str
    quote: str
    mode: QuoteMode
    span_start: int
    span_end: int
    attribution: str | None
    attribution_start: int | None
    attribution_end: int | None
    hedge: str | None
    hedge_start: int | None
    hedge_end: int | None
    note: str | None
    status: ReviewStatus
    status_reason: str | None


@dataclass
class Origins:
    """Which file each new object of a plan comes from (an index into FILES): by slug for
    actors, claims and sources; for statements and appearances, in the plan's order (arrays of
    file numbers, for a million statements' worth); a contradiction's is in its row."""

    files: list[str]
    named: dict[str, dict[str, int]]
    statements: "array[int]"
    appearances: "array[int]"


# Review status is curation's to change: a reload does not compare it.
UNCOMPARED = ("status", "status_reason")


@dataclass
class Plan:
    """Every row a batch of annotation files adds, in the order they must be written."""

    actors: dict[str, Row] = field(default_factory=dict)
    claims: dict[str, Row] = field(default_factory=dict)
    sources: dict[str, Row] = field(default_factory=dict)
    source_dates: list[Row] = field(default_factory=list)
    citations: list[Row] = field(default_factory=list)
    furniture: list[Row] = field(default_factory=list)
    statements: dict[str, PlannedStatement] = field(default_factory=dict)
    appearances: list[PlannedAppearance] = field(default_factory=list)
    contradictions: list[Row] = field(default_factory=list)
    # Set by the validator once the plan is whole (not a list of rows: add and clear skip it).
    origins: Origins | None = None

    def counts(self) -> dict[str, int]:
        return {
            "actors": len(self.actors),
            "claims": len(self.claims),
            "sources": len(self.sources),
            "statements": len(self.statements),
            "appearances": len(self.appearances),
            "contradictions": len(self.contradictions),
        }

    def add(self, other: "Plan") -> None:
        """Take in OTHER's rows, after this plan's (a slug in both keeps OTHER's row)."""
        for f in fields(self):
            if f.name == "origins":
                continue
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, dict):
                mine.update(theirs)
            else:
                mine += theirs

    def __getstate__(self) -> dict[str, Any]:
        """The plan as a check worker sends it back (app/ingest/check.py): its statements and
        appearances as plain tuples. A named tuple is pickled and unpickled through Python-level
        calls, one a row: for a million statements' 3.15M rows that cost the workers ~4.5 s of
        CPU time and the checks ~2.7 s (bench/README.md)."""
        state = dict(self.__dict__)
        state["statements"] = list(map(tuple, self.statements.values()))
        state["appearances"] = list(map(tuple, self.appearances))
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        statements = map(partial(tuple.__new__, PlannedStatement), state["statements"])
        self.statements = {s.slug: s for s in statements}
        self.appearances = list(
            map(partial(tuple.__new__, PlannedAppearance), state["appearances"])
        )

    def clear(self) -> None:
        """Let every row go, once written: a large load's rows are most of its memory."""
        for f in fields(self):
            if f.name != "origins":
                getattr(self, f.name).clear()
        self.origins = None

    def is_empty(self) -> bool:
        return not any(self.counts().values()) and not (
            self.source_dates or self.citations or self.furniture
        )


def as_row(planned: PlannedStatement | PlannedAppearance) -> Row:
    """A planned row as a dict of the fields a reload compares with what is stored."""
    return {k: v for k, v in planned._asdict().items() if k not in UNCOMPARED}
