"""Review status in reads: what readers see is confirmed data, unless they ask for the rest."""

from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, ColumnElement
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from app.models.enums import ReviewStatus


class Review(StrEnum):
    """Which rows a list shows, by where they stand in review (`review=`)."""

    confirmed = "confirmed"
    proposed = "proposed"
    rejected = "rejected"
    all = "all"


class _Likely(FunctionElement[bool]):
    """A condition true of most rows. SQLite's planner, without statistics, takes every
    condition to narrow a table a lot, and would start a join from the table a status test is
    on; likely() tells it otherwise. Other databases see the bare condition."""

    type = Boolean()
    inherit_cache = True
    name = "likely"


@compiles(_Likely)
def _bare(element: _Likely, compiler: SQLCompiler, **kw: Any) -> str:
    return f"({compiler.process(element.clauses, **kw)})"


@compiles(_Likely, "sqlite")
def _sqlite(element: _Likely, compiler: SQLCompiler, **kw: Any) -> str:
    return f"likely({compiler.process(element.clauses, **kw)})"


def confirmed(status: Any) -> ColumnElement[bool]:
    """STATUS (a status column) is 'confirmed': true of most rows."""
    return _Likely(status == ReviewStatus.confirmed)


def unconfirmed(status: Any) -> ColumnElement[bool]:
    """STATUS is anything but 'confirmed'."""
    condition: ColumnElement[bool] = status != ReviewStatus.confirmed
    return condition
