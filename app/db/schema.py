"""The schema's revision: where the migrations end, and where a database stands.

The revisions are read from the migration files' `revision` and `down_revision` lines, not
through Alembic's ScriptDirectory: importing Alembic (and Mako with it) and the migrations took
~10 MB more in each server worker, for two names. tests/ops/test_ready.py checks that both
readings agree.
"""

import ast
from dataclasses import dataclass
from functools import cache

from sqlalchemy import text

from app.config import PROJECT_ROOT
from app.db.reads import SQL, ReadDB

VERSIONS = PROJECT_ROOT / "migrations" / "versions"
_REVISIONS = SQL(text("SELECT version_num FROM alembic_version"))
_A_SOURCE = SQL(text("SELECT 1 AS one FROM sources LIMIT 1"))
_SOURCE = SQL(text("SELECT 1 AS one FROM sources WHERE slug = :slug"))


@dataclass(frozen=True)
class Migrations:
    """The revisions the migrations end at (one: they are a single chain), and all they know."""

    heads: tuple[str, ...]
    known: frozenset[str]


def _names(source: str) -> dict[str, object]:
    """The values a migration file gives `revision` and `down_revision`."""
    found: dict[str, object] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target: ast.expr = node.target
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        else:
            continue
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision"):
            assert node.value is not None
            found[target.id] = ast.literal_eval(node.value)
    return found


@cache
def migrations() -> Migrations:
    """The migrations' revisions, read from their files once per process."""
    below: dict[str, tuple[str, ...]] = {}
    for path in sorted(VERSIONS.glob("*.py")):
        names = _names(path.read_text())
        revision, down = names.get("revision"), names.get("down_revision")
        if not isinstance(revision, str):
            continue
        if isinstance(down, str):
            below[revision] = (down,)
        else:  # None for the first; a tuple where branches meet
            below[revision] = tuple(str(d) for d in down) if isinstance(down, tuple | list) else ()
    under = {rev for downs in below.values() for rev in downs}
    return Migrations(tuple(sorted(set(below) - under)), frozenset(below))


def database_revisions(reads: ReadDB) -> tuple[str, ...]:
    """The revisions the database's schema is at (Alembic's alembic_version table); it raises
    the driver's error if the database does not answer, or has no such table."""
    return tuple(sorted(str(row["version_num"]) for row in reads.all(_REVISIONS)))


def has_sources(reads: ReadDB) -> bool:
    """Whether the database holds a source (any data at all)."""
    return reads.one(_A_SOURCE) is not None


def missing_sources(reads: ReadDB, slugs: tuple[str, ...]) -> list[str]:
    """Those of SLUGS that no stored source has, in their order: one indexed look-up each (the
    seed's few, not a scan of every source)."""
    return [slug for slug in slugs if reads.one(_SOURCE, {"slug": slug}) is None]
