"""search index: rows keyed by their text's length in words, then by what they index

The key was id * 4 + kind code; it becomes (words << 36) + id * 4 + kind code, words being the
text's spaces plus one. Both engines return matches in key order cheaply, so a search ranks the
first few hundred matches in that order, the shortest texts (see app/search/service.py), instead
of every match of a common word. The triggers compute the new key; rows already indexed are
re-keyed in place (old keys are below 2**36, new ones above: they cannot collide), and on
PostgreSQL the table is rewritten in key order (its searches take the first matches as stored).

Revision ID: c3f1a9d5e7b2
Revises: d5e8f2a4b6c1
Create Date: 2026-11-23 17:00:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "c3f1a9d5e7b2"
down_revision: str | Sequence[str] | None = "d5e8f2a4b6c1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, kind code, indexed column)
SOURCES = (
    ("appearances", 0, "quote"),
    ("claims", 1, "text"),
    ("actors", 2, "name"),
    ("actor_aliases", 3, "alias"),
)
LENGTH = "(CAST(length({0}) - length(replace({0}, ' ', '')) + 1 AS BIGINT) << 36)"


def _key(row: str, column: str, code: int, by_length: bool) -> str:
    """The key of the row ROW ('new' or 'old') of a table, in the new or the old form."""
    key = f"{row}.id * 4 + {code}"
    return f"{LENGTH.format(f'{row}.{column}')} + {key}" if by_length else key


def upgrade() -> None:
    _rekey(by_length=True)


def downgrade() -> None:
    _rekey(by_length=False)


def _rekey(by_length: bool) -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers(by_length)
        row_id = "rowid"
    else:
        for table, code, column in SOURCES:
            op.execute(_postgresql_function(table, code, column, by_length))
        row_id = "id"
    low = f"({row_id} & {(1 << 36) - 1})"
    new_key = f"{LENGTH.format('body')} + {low}" if by_length else low
    op.execute(f"UPDATE search_index SET {row_id} = {new_key}")
    if row_id == "id":
        # PostgreSQL's searches take the first matches as stored: store them in key order.
        op.execute("CLUSTER search_index USING search_index_pkey")


def _sqlite_triggers(by_length: bool) -> None:
    for table, code, column in SOURCES:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER search_{table}_{event}")
        new = f"{_key('new', column, code, by_length)}, new.{column}, {code}, new.id"
        old = _key("old", column, code, by_length)
        op.execute(
            f"CREATE TRIGGER search_{table}_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO search_index(rowid, body, kind, ref_id) VALUES ({new}); END"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_update AFTER UPDATE OF {column} ON {table} BEGIN "
            f"DELETE FROM search_index WHERE rowid = {old}; "
            f"INSERT INTO search_index(rowid, body, kind, ref_id) VALUES ({new}); END"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_delete AFTER DELETE ON {table} BEGIN "
            f"DELETE FROM search_index WHERE rowid = {old}; END"
        )


def _postgresql_function(table: str, code: int, column: str, by_length: bool) -> str:
    """The trigger function (as the search_bulk_load migration left it, with the new key)."""
    return (
        f"CREATE OR REPLACE FUNCTION search_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF current_setting('sayso.bulk_load', true) = 'on' THEN RETURN NULL; END IF; "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN "
        f"DELETE FROM search_index WHERE id = {_key('OLD', column, code, by_length)}; END IF; "
        f"IF TG_OP IN ('INSERT', 'UPDATE') THEN "
        f"INSERT INTO search_index (id, kind, ref_id, body) "
        f"VALUES ({_key('NEW', column, code, by_length)}, {code}, NEW.id, NEW.{column}); "
        f"END IF; RETURN NULL; END $$"
    )
