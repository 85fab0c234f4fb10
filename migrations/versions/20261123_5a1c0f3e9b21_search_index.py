"""search index: full-text over quotes, claims, actor names and aliases

Each database's own engine: an FTS5 table on SQLite, a tsvector column with a GIN index on
PostgreSQL. Triggers keep the index in step with every write. A row's id encodes what it
indexes: id * 4 + (0 quote, 1 claim, 2 actor name, 3 actor alias).

Revision ID: 5a1c0f3e9b21
Revises: 48be1901d3ad
Create Date: 2026-11-23 13:30:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "5a1c0f3e9b21"
down_revision: str | Sequence[str] | None = "48be1901d3ad"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, kind code, indexed column)
SOURCES = (
    ("appearances", 0, "quote"),
    ("claims", 1, "text"),
    ("actors", 2, "name"),
    ("actor_aliases", 3, "alias"),
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _upgrade_sqlite()
    else:
        _upgrade_postgresql()


def _upgrade_sqlite() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "body, kind UNINDEXED, ref_id UNINDEXED, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )
    for table, code, column in SOURCES:
        row = f"new.id * 4 + {code}, new.{column}, {code}, new.id"
        op.execute(
            f"CREATE TRIGGER search_{table}_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO search_index(rowid, body, kind, ref_id) VALUES ({row}); END"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_update AFTER UPDATE OF {column} ON {table} BEGIN "
            f"DELETE FROM search_index WHERE rowid = old.id * 4 + {code}; "
            f"INSERT INTO search_index(rowid, body, kind, ref_id) VALUES ({row}); END"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_delete AFTER DELETE ON {table} BEGIN "
            f"DELETE FROM search_index WHERE rowid = old.id * 4 + {code}; END"
        )
        op.execute(
            f"INSERT INTO search_index(rowid, body, kind, ref_id) "
            f"SELECT id * 4 + {code}, {column}, {code}, id FROM {table}"
        )


def _upgrade_postgresql() -> None:
    op.execute(
        "CREATE TABLE search_index ("
        "id BIGINT PRIMARY KEY, kind SMALLINT NOT NULL, ref_id INTEGER NOT NULL, "
        "body TEXT NOT NULL, "
        "tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', body)) STORED)"
    )
    op.execute("CREATE INDEX ix_search_index_tsv ON search_index USING GIN (tsv)")
    for table, code, column in SOURCES:
        op.execute(
            f"CREATE FUNCTION search_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP IN ('UPDATE', 'DELETE') THEN "
            f"DELETE FROM search_index WHERE id = OLD.id * 4 + {code}; END IF; "
            f"IF TG_OP IN ('INSERT', 'UPDATE') THEN "
            f"INSERT INTO search_index (id, kind, ref_id, body) "
            f"VALUES (NEW.id * 4 + {code}, {code}, NEW.id, NEW.{column}); END IF; "
            f"RETURN NULL; END $$"
        )
        op.execute(
            f"CREATE TRIGGER search_{table} AFTER INSERT OR DELETE OR UPDATE OF {column} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION search_{table}()"
        )
        op.execute(
            f"INSERT INTO search_index (id, kind, ref_id, body) "
            f"SELECT id * 4 + {code}, {code}, id, {column} FROM {table}"
        )


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, _code, _column in SOURCES:
        if sqlite:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER search_{table}_{event}")
        else:
            op.execute(f"DROP TRIGGER search_{table} ON {table}")
            op.execute(f"DROP FUNCTION search_{table}()")
    op.execute("DROP TABLE search_index")
