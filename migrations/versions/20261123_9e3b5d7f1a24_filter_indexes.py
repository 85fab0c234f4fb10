"""filter indexes: statements by stance or by the day said, sources by language, contradictions
by kind; actors by their name as aliases are matched (a new column, name_key)

Revision ID: 9e3b5d7f1a24
Revises: 7c2d4e6f8a10
Create Date: 2026-11-23 15:25:15.621968

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9e3b5d7f1a24"
down_revision: str | None = "7c2d4e6f8a10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _name_key(name: str) -> str:
    # app.models.actor_alias.alias_key as of this revision (a migration does not import the app).
    return " ".join(name.casefold().split())


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # SQLite's batch mode would rebuild the table and lose the search triggers on it: add the
    # column in place instead (NOT NULL needs a default there), and fill it in.
    op.add_column(
        "actors",
        sa.Column(
            "name_key", sa.String(300), nullable=not sqlite, server_default="" if sqlite else None
        ),
    )
    actors = sa.table(
        "actors",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.select(actors.c.id, actors.c.name)).all()
    if rows:
        conn.execute(
            actors.update().where(actors.c.id == sa.bindparam("actor_id")),
            [{"actor_id": id_, "name_key": _name_key(name)} for id_, name in rows],
        )
    if not sqlite:
        op.alter_column("actors", "name_key", existing_type=sa.String(300), nullable=False)
    op.create_index("ix_actors_name_key", "actors", ["name_key"])
    op.create_index("ix_contradictions_kind_id", "contradictions", ["kind", "id"])
    op.create_index("ix_sources_language", "sources", ["language"])
    op.create_index("ix_statements_said_on_id", "statements", ["said_on", "id"])
    op.create_index("ix_statements_stance_id", "statements", ["stance", "id"])


def downgrade() -> None:
    op.drop_index("ix_statements_stance_id", "statements")
    op.drop_index("ix_statements_said_on_id", "statements")
    op.drop_index("ix_sources_language", "sources")
    op.drop_index("ix_contradictions_kind_id", "contradictions")
    op.drop_index("ix_actors_name_key", "actors")
    # In place on SQLite too (3.35+), for the same reason as above.
    op.execute("ALTER TABLE actors DROP COLUMN name_key")
