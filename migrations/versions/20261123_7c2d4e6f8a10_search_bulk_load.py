"""search index: let a bulk load index its rows in one statement on PostgreSQL

The row triggers skip their work while the transaction has set `sayso.bulk_load` to 'on'; the
loader then indexes the rows it added with one INSERT ... SELECT per table (SQLite's loader
sets its triggers aside inside its transaction instead, which SQLite allows).

Revision ID: 7c2d4e6f8a10
Revises: 5a1c0f3e9b21
Create Date: 2026-11-23 13:50:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "7c2d4e6f8a10"
down_revision: str | Sequence[str] | None = "5a1c0f3e9b21"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCES = (
    ("appearances", 0, "quote"),
    ("claims", 1, "text"),
    ("actors", 2, "name"),
    ("actor_aliases", 3, "alias"),
)


def _function(table: str, code: int, column: str, skip_in_bulk: bool) -> str:
    skip = (
        "IF current_setting('sayso.bulk_load', true) = 'on' THEN RETURN NULL; END IF; "
        if skip_in_bulk
        else ""
    )
    return (
        f"CREATE OR REPLACE FUNCTION search_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN {skip}"
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN "
        f"DELETE FROM search_index WHERE id = OLD.id * 4 + {code}; END IF; "
        f"IF TG_OP IN ('INSERT', 'UPDATE') THEN "
        f"INSERT INTO search_index (id, kind, ref_id, body) "
        f"VALUES (NEW.id * 4 + {code}, {code}, NEW.id, NEW.{column}); END IF; "
        f"RETURN NULL; END $$"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, code, column in SOURCES:
            op.execute(_function(table, code, column, skip_in_bulk=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, code, column in SOURCES:
            op.execute(_function(table, code, column, skip_in_bulk=False))
