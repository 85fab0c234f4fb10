"""search index of the sources' texts: a researcher finds where a phrase appears in any article

SQLite: an FTS5 table over sources.text (external content: the text is not stored twice; the
index reads it from sources), kept in step by triggers named like the other search triggers
(the loader and the restore set those aside and index the rows themselves). PostgreSQL: a GIN
index on the text's tsvector, which PostgreSQL keeps in step itself. The tsvector is made by
search_source_tsv(): a text whose tsvector would pass PostgreSQL's 1 MB limit is indexed by its
first 100,000 characters rather than refused (docs/api.md says so). Its cost is declared high:
PostgreSQL then reads the index rather than make each text's tsvector again.

Revision ID: f4b8d2a6c9e1
Revises: a7d2e4c9b1f3
Create Date: 2026-12-07 08:00:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "f4b8d2a6c9e1"
down_revision: str | Sequence[str] | None = "a7d2e4c9b1f3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INSERT = "INSERT INTO search_index_sources(rowid, text) VALUES (new.id, new.text)"
_DELETE = (
    "INSERT INTO search_index_sources(search_index_sources, rowid, text) "
    "VALUES ('delete', old.id, old.text)"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_index_sources USING fts5(text, content = 'sources', "
            "content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER search_sources_insert AFTER INSERT ON sources "
            f"WHEN new.text IS NOT NULL BEGIN {_INSERT}; END"
        )
        op.execute(
            "CREATE TRIGGER search_sources_update AFTER UPDATE OF text ON sources BEGIN "
            "INSERT INTO search_index_sources(search_index_sources, rowid, text) "
            "SELECT 'delete', old.id, old.text WHERE old.text IS NOT NULL; "
            "INSERT INTO search_index_sources(rowid, text) "
            "SELECT new.id, new.text WHERE new.text IS NOT NULL; END"
        )
        op.execute(
            "CREATE TRIGGER search_sources_delete AFTER DELETE ON sources "
            f"WHEN old.text IS NOT NULL BEGIN {_DELETE}; END"
        )
        op.execute(
            "INSERT INTO search_index_sources(rowid, text) "
            "SELECT id, text FROM sources WHERE text IS NOT NULL"
        )
    else:
        op.execute(
            "CREATE FUNCTION search_source_tsv(body text) RETURNS tsvector "
            "LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 10000 AS $$ BEGIN "
            "RETURN to_tsvector('english'::regconfig, body); "
            "EXCEPTION WHEN program_limit_exceeded THEN "
            "RETURN to_tsvector('english'::regconfig, left(body, 100000)); END $$"
        )
        op.execute(
            "CREATE INDEX search_index_sources ON sources USING GIN (search_source_tsv(text))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER search_sources_{event}")
        op.execute("DROP TABLE search_index_sources")
    else:
        op.execute("DROP INDEX search_index_sources")
        op.execute("DROP FUNCTION search_source_tsv(text)")
