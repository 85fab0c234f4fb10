"""The schema's revision: where the migrations end, and where a database stands."""

from dataclasses import dataclass
from functools import cache

from alembic.script import ScriptDirectory
from sqlalchemy import text

from app.config import PROJECT_ROOT
from app.db.reads import SQL, ReadDB

MIGRATIONS = PROJECT_ROOT / "migrations"
_REVISIONS = SQL(text("SELECT version_num FROM alembic_version"))


@dataclass(frozen=True)
class Migrations:
    """The revisions the migrations end at (one: they are a single chain), and all they know."""

    heads: tuple[str, ...]
    known: frozenset[str]


@cache
def migrations() -> Migrations:
    """The migrations' revisions, read from their files once per process."""
    script = ScriptDirectory(str(MIGRATIONS))
    known = frozenset(rev.revision for rev in script.walk_revisions())
    return Migrations(tuple(sorted(script.get_heads())), known)


def database_revisions(reads: ReadDB) -> tuple[str, ...]:
    """The revisions the database's schema is at (Alembic's alembic_version table); it raises
    the driver's error if the database does not answer, or has no such table."""
    return tuple(sorted(str(row["version_num"]) for row in reads.all(_REVISIONS)))
