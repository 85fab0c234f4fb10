"""on SQLite, an actor's statements read from one index: the statements' rows again, in speaker
order

A page of an actor's statements read each statement's row from the table, where an actor's
statements lie wherever their files put them: at a million statements that is a page of the
2.2 GB file a statement, most outside the worker's page cache, each fetched with a system call.
Stored again in (speaker, id) order, a page's statements sit on one or two pages of this index
(76 MB more at a million statements); the page's SQL took 0.31 → 0.28 ms at 1M and did not
change at 10k, and served it took 3-7% off an actor's page at 1M (bench/README.md).

SQLite only: PostgreSQL's actor pages grew 1.18x-1.20x without it (bench/RESULTS.md), and a
B-tree entry there is limited to a third of a page, which a long context or note would pass.
migrations/env.py leaves it out of the comparison with the models (SQLITE_ONLY_INDEXES).

Revision ID: eda2dc8cb082
Revises: 19d73af3901a
Create Date: 2026-12-06 19:30:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "eda2dc8cb082"
down_revision: str | Sequence[str] | None = "19d73af3901a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # The key (speaker, id), then the status a page filters on, then every other column.
        op.create_index(
            "ix_statements_by_speaker",
            "statements",
            [
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
            ],
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_statements_by_speaker", "statements")
