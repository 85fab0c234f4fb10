"""denial rationale said when read: a denial sayso found stores none (NULL)

Each denial stored its rationale, "Opposite stances on one claim: <speaker> (<stance>) and
<speaker> (denies): <claim>": about 190 bytes a denial, 13% of a database of a million
statements, and stale once an actor was renamed or a claim reworded. The API now says it from
the statements as they are when read (app/contradictions/service.py). A rationale a person wrote
or edited stays stored: other kinds must have one (the new CHECK).

Denials already stored lose their generated text here, unless the change history shows an
edit of the contradiction (then what is stored may be a person's). On SQLite the table is
made again from its stored definition (a column's NOT NULL cannot be dropped in place); it
has no triggers, and nothing refers to it.

Revision ID: e6a9c3b1d7f2
Revises: c3f1a9d5e7b2
Create Date: 2026-12-06 12:20:00

"""

import re
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e6a9c3b1d7f2"
down_revision: str | Sequence[str] | None = "c3f1a9d5e7b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENERATED = "Opposite stances on one claim: "


def _of(side: str, column: str, join: str = "") -> str:
    """A column of a contradiction's statement SIDE (a or b), or of what JOIN adds to it."""
    return (
        f"(SELECT {column} FROM statements AS s {join} "
        f"WHERE s.id = contradictions.statement_{side}_id)"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_on_sqlite(lambda sql: _add_check(sql.replace(NOT_NULL, NULLABLE, 1)))
    else:
        op.alter_column("contradictions", "rationale", existing_type=sa.Text(), nullable=True)
        op.create_check_constraint(op.f(CHECK_NAME), "contradictions", CHECK)
    op.execute(
        "UPDATE contradictions SET rationale = NULL "
        f"WHERE kind = 'denial' AND rationale LIKE '{GENERATED}%' AND NOT EXISTS ("
        "SELECT 1 FROM changes WHERE changes.object_type = 'contradiction' "
        "AND changes.object_id = contradictions.id AND changes.action = 'update')"
    )


def downgrade() -> None:
    speaker = "JOIN actors AS a ON a.id = s.speaker_id"
    op.execute(
        f"UPDATE contradictions SET rationale = '{GENERATED}' || "
        f"{_of('a', 'a.name', speaker)} || ' (' || {_of('a', 's.stance')} || ') and ' || "
        f"{_of('b', 'a.name', speaker)} || ' (denies): ' || "
        f"{_of('a', 'c.text', 'JOIN claims AS c ON c.id = s.claim_id')} "
        "WHERE rationale IS NULL"
    )
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_on_sqlite(
            lambda sql: sql.replace(f",{_CONSTRAINT}", "", 1).replace(NULLABLE, NOT_NULL, 1)
        )
    else:
        op.drop_constraint(op.f(CHECK_NAME), "contradictions", type_="check")
        op.alter_column("contradictions", "rationale", existing_type=sa.Text(), nullable=False)


NOT_NULL, NULLABLE = "rationale TEXT NOT NULL,", "rationale TEXT,"
CHECK_NAME, CHECK = "ck_contradictions_rationale_given", "kind = 'denial' OR rationale IS NOT NULL"
_CONSTRAINT = f"\n\tCONSTRAINT {CHECK_NAME} CHECK ({CHECK})"


def _add_check(sql: str) -> str:
    """SQL (a CREATE TABLE) with the new CHECK as its last table constraint."""
    body, closing = sql.rsplit(")", 1)
    return f"{body.rstrip()},{_CONSTRAINT}\n){closing}"


def _rebuild_on_sqlite(change: Callable[[str], str]) -> None:
    """Make the table again from its stored definition as CHANGE rewrites it (SQLite cannot
    change a column's NOT NULL in place), keeping every other column and constraint where it
    is, and its indexes. Alembic's batch mode would move the column constraints into the table's,
    which SQLite's DROP COLUMN then refuses (the curation revision's downgrade drops two)."""
    conn = op.get_bind()
    table = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'contradictions'"
    ).scalar_one()
    indexes = (
        conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contradictions' "
            "AND sql IS NOT NULL"
        )
        .scalars()
        .all()
    )
    new = change(table)
    assert new != table, "the contradictions table is not as this revision expects"
    # The name as stored: quoted once the table was renamed into place.
    op.execute(
        re.sub(r'^CREATE TABLE ("?)contradictions\1', "CREATE TABLE contradictions_new", new)
    )
    op.execute("INSERT INTO contradictions_new SELECT * FROM contradictions")
    op.execute("DROP TABLE contradictions")
    op.execute("ALTER TABLE contradictions_new RENAME TO contradictions")
    for index in indexes:
        op.execute(index)
