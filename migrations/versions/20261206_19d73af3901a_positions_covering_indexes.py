"""a claim's positions read from indexes alone: the statements' claim index carries each
statement's status and speaker, and a new appearances index its status and source

At a million statements a claim's positions read every statement row of the claim (for its
status and speaker) and every appearance row of those statements (for its status and source),
each on its own page of a 2 GB file: 0.08 ms of SQL, against 0.04 ms at 10k. From the indexes
alone it is 0.05 ms (bench/README.md). The statements' index keeps its order (claim, stance,
id), so the keyset pages of a claim's statements by stance read it as before.

Revision ID: 19d73af3901a
Revises: e6a9c3b1d7f2
Create Date: 2026-12-06 14:10:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "19d73af3901a"
down_revision: str | Sequence[str] | None = "e6a9c3b1d7f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_statements_claim_id_stance_id", "statements")
    op.create_index(
        "ix_statements_claim_id_stance_id_status_speaker_id",
        "statements",
        ["claim_id", "stance", "id", "status", "speaker_id"],
    )
    op.create_index(
        "ix_appearances_statement_id_status_source_id",
        "appearances",
        ["statement_id", "status", "source_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_appearances_statement_id_status_source_id", "appearances")
    op.drop_index("ix_statements_claim_id_stance_id_status_speaker_id", "statements")
    op.create_index("ix_statements_claim_id_stance_id", "statements", ["claim_id", "stance", "id"])
