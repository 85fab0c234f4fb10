"""Statements flattened for researchers, one row per appearance, streamed as CSV or NDJSON.

Rows come a chunk at a time from a cursor of their own (server-side on PostgreSQL), so memory
stays flat whatever the size of the export.
"""

import csv
import io
from collections.abc import Iterator
from functools import cache
from typing import Any

import orjson
from sqlalchemy import select

from app.db.reads import SQL, ReadDB
from app.models import Appearance, Claim, Source, Statement
from app.shared.statement_rows import Outlet, Recipient, Speaker
from app.statements.filters import StatementFilter
from app.statements.service import filtered, shown_appearances

COLUMNS = (
    Statement.slug.label("statement"),
    Speaker.slug.label("speaker"),
    Speaker.name.label("speaker_name"),
    Speaker.kind.label("speaker_kind"),
    Statement.stance,
    Claim.slug.label("claim"),
    Claim.text.label("claim_text"),
    Statement.said_on,
    # The date the said_from/said_to filters read: said_on, else the first report's day.
    Statement.dated_on,
    Recipient.slug.label("recipient"),
    Appearance.quote,
    Appearance.mode,
    Appearance.attribution,
    Appearance.hedge,
    Source.slug.label("source"),
    Outlet.slug.label("outlet"),
    Source.url,
    Source.reported_on,
    Appearance.span_start,
    Appearance.span_end,
)
HEADER = [c.key for c in COLUMNS]


@cache
def _query(shape: tuple[str, ...]) -> SQL:
    query = (
        select(*COLUMNS)
        .select_from(Statement)
        .join(Speaker, Speaker.id == Statement.speaker_id)
        .join(Claim, Claim.id == Statement.claim_id)
        .outerjoin(Recipient, Recipient.id == Statement.recipient_id)
        .join(Appearance, Appearance.statement_id == Statement.id)
        .join(Source, Source.id == Appearance.source_id)
        .outerjoin(Outlet, Outlet.id == Source.outlet_id)
    )
    # One row per appearance: only the appearances that meet the appearance filters.
    query = filtered(shape, query).where(*shown_appearances(shape))
    # Statements in id order, each one's appearances by source and place: the order of the
    # appearances' unique index, so the rows stream as the index is read. Ordered by appearance
    # id, SQLite sorted the whole export in a temporary B-tree before its first row (tens of MB
    # of the worker's memory, and seconds before the first byte at a million statements).
    return SQL(query.order_by(Appearance.statement_id, Appearance.source_id, Appearance.span_start))


def _rows(db: ReadDB, f: StatementFilter) -> Iterator[list[tuple[Any, ...]]]:
    return db.stream(_query(f.shape()), f.params())


def csv_lines(db: ReadDB, f: StatementFilter) -> Iterator[str]:
    """The export as CSV text, a chunk of rows at a time, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for chunk in _rows(db, f):
        writer.writerows(chunk)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def ndjson_lines(db: ReadDB, f: StatementFilter) -> Iterator[bytes]:
    """The export as NDJSON: one JSON object per line."""
    for chunk in _rows(db, f):
        yield b"".join(orjson.dumps(dict(zip(HEADER, row, strict=True))) + b"\n" for row in chunk)
