"""retired ids: the highest id a deletion removed from each table, so that none is given twice

Filled from the deletions already recorded (each tombstone's change holds the rows it removed).

Revision ID: d5e8f2a4b6c1
Revises: b7d2e4a6c8f0
Create Date: 2026-11-23 17:10:00

"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d5e8f2a4b6c1"
down_revision: str | None = "b7d2e4a6c8f0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    retired = op.create_table(
        "retired_ids",
        sa.Column("table_name", sa.String(length=63), nullable=False),
        sa.Column("max_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", name=op.f("pk_retired_ids")),
    )
    highest: dict[str, int] = {}
    deletions = op.get_bind().execute(
        sa.text(
            "SELECT c.before FROM changes c JOIN tombstones t ON t.change_id = c.id "
            "WHERE c.action = 'delete'"
        )
    )
    for (before,) in deletions:
        removed = json.loads(before) if isinstance(before, str) else before
        for table, rows in (removed or {}).get("rows", {}).items():
            top = max(row["id"] for row in rows)
            highest[table] = max(highest.get(table, 0), top)
    if highest:
        op.bulk_insert(retired, [{"table_name": t, "max_id": n} for t, n in highest.items()])


def downgrade() -> None:
    op.drop_table("retired_ids")
