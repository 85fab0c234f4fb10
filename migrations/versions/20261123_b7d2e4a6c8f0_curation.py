"""curation: API keys, a version on every editable row, review status, the change history,
tombstones of deleted objects, and the slugs of merged claims

Columns are added in place on both databases (SQLite's batch mode would rebuild the tables and
lose the search triggers on them); SQLite accepts CHECK constraints on added columns.

Revision ID: b7d2e4a6c8f0
Revises: 9e3b5d7f1a24
Create Date: 2026-11-23 15:50:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7d2e4a6c8f0"
down_revision: str | None = "9e3b5d7f1a24"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EDITABLE = ("actors", "sources", "claims", "statements", "appearances", "contradictions")
REVIEWED = ("statements", "appearances", "contradictions")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", _enum("key_role", "editor", "admin"), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
        sa.UniqueConstraint("name", name=op.f("uq_api_keys_name")),
    )
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=True),
        sa.Column("who", sa.String(length=100), nullable=False),
        sa.Column("object_type", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("object_slug", sa.String(length=160), nullable=True),
        sa.Column(
            "action",
            _enum("change_action", "create", "update", "delete", "restore", "merge"),
            nullable=False,
        ),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["key_id"],
            ["api_keys.id"],
            name=op.f("fk_changes_key_id_api_keys"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    op.create_index(
        "ix_changes_object_type_object_id_id", "changes", ["object_type", "object_id", "id"]
    )
    op.create_table(
        "claim_redirects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("old_slug", sa.String(length=120), nullable=False),
        sa.Column("old_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claims.id"],
            name=op.f("fk_claim_redirects_claim_id_claims"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_redirects")),
        sa.UniqueConstraint("old_slug", name=op.f("uq_claim_redirects_old_slug")),
    )
    op.create_index("ix_claim_redirects_claim_id", "claim_redirects", ["claim_id"])
    op.create_table(
        "tombstones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("object_type", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=160), nullable=True),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["changes.id"],
            name=op.f("fk_tombstones_change_id_changes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tombstones")),
        sa.UniqueConstraint("object_type", "object_id", name="uq_tombstones_object"),
    )
    op.create_index("ix_tombstones_object_type_slug", "tombstones", ["object_type", "slug"])

    for table in EDITABLE:
        op.execute(f"ALTER TABLE {table} ADD COLUMN version INTEGER DEFAULT 1 NOT NULL")
    for table in REVIEWED:
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN status VARCHAR(32) DEFAULT 'confirmed' NOT NULL "
            f"CONSTRAINT ck_{table}_review_status "
            "CHECK (status IN ('proposed', 'confirmed', 'rejected'))"
        )
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN status_reason TEXT "
            f"CONSTRAINT ck_{table}_rejected_has_reason "
            "CHECK (status <> 'rejected' OR status_reason IS NOT NULL)"
        )


def downgrade() -> None:
    for table in REVIEWED:
        # The reason first: its CHECK reads status.
        op.execute(f"ALTER TABLE {table} DROP COLUMN status_reason")
        op.execute(f"ALTER TABLE {table} DROP COLUMN status")
    for table in EDITABLE:
        op.execute(f"ALTER TABLE {table} DROP COLUMN version")
    op.drop_index("ix_tombstones_object_type_slug", "tombstones")
    op.drop_table("tombstones")
    op.drop_index("ix_claim_redirects_claim_id", "claim_redirects")
    op.drop_table("claim_redirects")
    op.drop_index("ix_changes_object_type_object_id_id", "changes")
    op.drop_table("changes")
    op.drop_table("api_keys")
