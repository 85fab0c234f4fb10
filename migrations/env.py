"""Alembic environment: the metadata comes from app.models, the URL from the settings."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from app.config import get_settings
from app.db.engine import make_engine
from app.models import Base

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


# Indexes a migration makes on SQLite alone (the models describe what both databases have):
# the statements again in speaker order (migration eda2dc8cb082).
SQLITE_ONLY_INDEXES = {"ix_statements_by_speaker"}


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """Leave the full-text index to its own migration: it is database-specific SQL (an FTS5
    table and its shadow tables on SQLite, a tsvector table on PostgreSQL). So are the
    SQLite-only indexes, and the sources' text index (search_source_texts: a GIN index on an
    expression on PostgreSQL)."""
    if type_ in ("table", "index") and name is not None and name.startswith("search_index"):
        return False
    return not (type_ == "index" and name in SQLITE_ONLY_INDEXES)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite alters tables by copying them; batch mode does that for us.
        render_as_batch=True,
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    # A caller (the tests, the CLI) may hand over its own connection.
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    engine = make_engine(config.attributes.get("url") or get_settings().database_url)
    with engine.connect() as conn:
        _configure(conn)
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=get_settings().database_url, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
