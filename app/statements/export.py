"""Statements flattened for researchers, one row per appearance, streamed as CSV or NDJSON.

Rows come a batch at a time, each batch a query of its own on a connection of the export's own
(ReadDB.apart), from where the last one ended (keyset, in the order of the appearances' unique
index): memory stays flat whatever the size of the export, and between two batches the export
holds no transaction. A client that reads slowly then pins nothing in the database (an open
SQLite read kept the WAL from being checkpointed; a PostgreSQL one stayed "idle in
transaction"). The price: an export made while the database is edited is not one snapshot; each
batch shows it as it was when that batch was read, and no row comes twice.
"""

import csv
import io
from collections.abc import Generator, Iterator
from functools import cache
from typing import Any

import orjson
from sqlalchemy import bindparam, select, tuple_

from app.db.reads import SQL, AnySelect, Apart, ReadDB
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


# The appearances' unique index (statement, source, place): the rows' order, and where the next
# batch begins.
KEY = (Appearance.statement_id, Appearance.source_id, Appearance.span_start)
# Rows a query reads, by database. Each PostgreSQL query starts its joins afresh: a full
# NDJSON export at 100k statements took 9-11 s in batches of 1,000, 3.5-6.5 s in batches of
# 5,000, 4.4-7.1 s from one cursor as before (a busy two-core machine, two runs each). SQLite's
# batches of 1,000 cost no more than its one cursor did. Rows are handed on CHUNK_ROWS at a time.
BATCH_ROWS = {"sqlite": 1000, "postgresql": 5000}
CHUNK_ROWS = 1000
_AFTER = tuple_(*(bindparam(f"after_{i}") for i in range(len(KEY))))


@cache
def _query(shape: tuple[str, ...], first: bool) -> SQL:
    """The next batch of the export (FIRST: its first batch); each row is COLUMNS then KEY."""
    query: AnySelect = (
        select(*COLUMNS, *KEY)
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
    if not first:
        # The statement's bound said again on the statements' side: PostgreSQL merge-joined
        # them from the first statement for every batch (a walk from the start each time).
        query = query.where(tuple_(*KEY) > _AFTER, Statement.id >= _AFTER.clauses[0])
    # Statements in id order, each one's appearances by source and place: the order of the
    # appearances' unique index, so the rows come as the index is read. Ordered by appearance
    # id, SQLite sorted the whole export in a temporary B-tree before its first row (tens of MB
    # of the worker's memory, and seconds before the first byte at a million statements).
    return SQL(query.order_by(*KEY).limit(bindparam("batch_rows", CHUNK_ROWS)))


def _rows(db: Apart, f: StatementFilter) -> Iterator[list[tuple[Any, ...]]]:
    """The export's rows (COLUMNS), CHUNK_ROWS at a time."""
    shape, params = f.shape(), f.params()
    size = BATCH_ROWS[db.dialect]
    after: dict[str, Any] = {}
    width = len(COLUMNS)
    while True:
        query, read, last = _query(shape, not after), 0, None
        for chunk in db.rows(query, {**params, **after, "batch_rows": size}, CHUNK_ROWS):
            yield [row[:width] for row in chunk]
            read, last = read + len(chunk), chunk[-1]
        if read < size or last is None:
            return
        after = {f"after_{i}": value for i, value in enumerate(last[width:])}


def csv_lines(db: ReadDB, f: StatementFilter) -> Generator[str, None, None]:
    """The export as CSV text, a batch of rows at a time, header first. Its connection is opened
    at the first chunk and closed when the generator is closed or ends."""
    with db.apart() as conn:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(HEADER)
        for chunk in _rows(conn, f):
            writer.writerows(chunk)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        if buffer.tell():  # no row: the header alone
            yield buffer.getvalue()


def ndjson_lines(db: ReadDB, f: StatementFilter) -> Generator[bytes, None, None]:
    """The export as NDJSON, one JSON object per line (its connection as csv_lines')."""
    with db.apart() as conn:
        for chunk in _rows(conn, f):
            yield b"".join(
                orjson.dumps(dict(zip(HEADER, row, strict=True))) + b"\n" for row in chunk
            )
