"""a statement's date for filters and timelines (said, else first reported), a source's
reporting date with its basis, and a note on changes (a load's)

`said_from` / `said_to` compared `said_on`, which most statements lack (44 of the 48 seed
statements): such a statement fell out of every period. `statements.dated_on` is the day it was
said where the text says, else the earliest `reported_on` of the sources of its appearances
(rejected ones aside), kept by every write and load that moves it, and indexed for the filters
in place of `said_on`. SQLite's copy of the statements in speaker order (eda2dc8cb082) carries
it too, so that an actor's pages still read that index alone.

`sources.reported_on_basis` says why a source is dated as it is where that is not a
publication date the page prints. The seed's Dan Tri source was dated 12 June 2024 by a page
date that its own note says is not its publication date: it is dated by its text (on or after
12 February 2024), as its annotation now says.

Revision ID: a7d2e4c9b1f3
Revises: eda2dc8cb082
Create Date: 2026-12-07 07:30:00

"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7d2e4c9b1f3"
down_revision: str | Sequence[str] | None = "eda2dc8cb082"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What app/documents/dates.py says of a source dated by another date than its publication's.
UPDATED = "The page prints no publication date: dated by the date it says it was updated ({})."
PAGE = (
    "The page prints no publication date: dated by the date it shows without a label ({}), "
    "which may be when the page was rendered or archived rather than published."
)
DAN_TRI = "dantri-2024-putin-ceasefire-revealed"
DAN_TRI_SHA256 = "b987bf3667c26d208ed727176147667d9a0eb0ed1fc7d4d30f001ab8cf8c44cd"
DAN_TRI_BASIS = (
    'The page prints no publication date: the one date it shows, "12 June 2024" at its top '
    "without a label, is not it (see that date's note). Dated by its text: the latest day it "
    'names is 12 February 2024 (Carlson "at a conference in Dubai on February 12"), and it '
    'places Putin\'s interview with Carlson "early last week": it was published on or after '
    "12 February 2024, in that week. The earliest such day is taken."
)
BY_SPEAKER = [
    "speaker_id",
    "id",
    "status",
    "claim_id",
    "recipient_id",
    "slug",
    "stance",
    "said_on",
    "version",
    "via",
    "context",
    "note",
    "status_reason",
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.add_column("statements", sa.Column("dated_on", sa.Date(), nullable=True))
    op.add_column("sources", sa.Column("reported_on_basis", sa.Text(), nullable=True))
    op.add_column("changes", sa.Column("note", sa.Text(), nullable=True))
    # Sources dated by an updated or a page date say so (the earliest of that kind, as read).
    for kind, template in (("page", PAGE), ("updated", UPDATED)):
        op.execute(
            sa.text(
                "UPDATE sources SET reported_on_basis = "
                "(SELECT CAST(:before AS TEXT) || d.printed || CAST(:after AS TEXT) FROM source_dates d "
                " WHERE d.source_id = sources.id AND d.kind = :kind "
                " ORDER BY d.day, d.id LIMIT 1) "
                "WHERE reported_on IS NOT NULL "
                "AND EXISTS (SELECT 1 FROM source_dates d "
                "  WHERE d.source_id = sources.id AND d.kind = :kind) "
                "AND NOT EXISTS (SELECT 1 FROM source_dates d "
                "  WHERE d.source_id = sources.id AND d.kind = 'published')"
            ).bindparams(
                kind=kind,
                before=template.split("{}")[0],
                after=template.split("{}")[1],
            )
        )
    op.execute(
        sa.text(
            "UPDATE sources SET reported_on = :day, reported_on_basis = :basis "
            "WHERE slug = :slug AND sha256 = :sha256 AND reported_on = :old"
        ).bindparams(
            sa.bindparam("day", sa.Date()),
            sa.bindparam("old", sa.Date()),
            day=dt.date(2024, 2, 12),
            old=dt.date(2024, 6, 12),
            basis=DAN_TRI_BASIS,
            slug=DAN_TRI,
            sha256=DAN_TRI_SHA256,
        )
    )
    op.execute(
        "UPDATE statements SET dated_on = COALESCE(said_on, "
        "(SELECT MIN(s.reported_on) FROM appearances a JOIN sources s ON s.id = a.source_id "
        " WHERE a.statement_id = statements.id AND a.status <> 'rejected'))"
    )
    op.drop_index("ix_statements_said_on_id", "statements")
    op.create_index("ix_statements_dated_on_id", "statements", ["dated_on", "id"])
    if sqlite:
        op.drop_index("ix_statements_by_speaker", "statements")
        columns = list(BY_SPEAKER)
        columns.insert(columns.index("said_on") + 1, "dated_on")
        op.create_index("ix_statements_by_speaker", "statements", columns)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.drop_index("ix_statements_by_speaker", "statements")
    op.drop_index("ix_statements_dated_on_id", "statements")
    op.create_index("ix_statements_said_on_id", "statements", ["said_on", "id"])
    # Both databases' own DROP COLUMN (SQLite's batch copy of a table would drop its search
    # triggers); the columns' indexes are gone first.
    op.execute("ALTER TABLE changes DROP COLUMN note")
    op.execute("ALTER TABLE sources DROP COLUMN reported_on_basis")
    op.execute("ALTER TABLE statements DROP COLUMN dated_on")
    if sqlite:
        op.create_index("ix_statements_by_speaker", "statements", BY_SPEAKER)
