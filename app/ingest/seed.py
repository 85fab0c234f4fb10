"""The seed at start-up (`sayso serve --load-seed`, what `make run` does): each seed file is
loaded where its source is not in the database yet, and a seed the database has moved on from
(edits and deletions made through the API) is served as it is, never reloaded over them.

A file whose source is stored is checked against the database, in a transaction that is rolled
back, so that the one line start-up prints can say how far the data has moved on from the files.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.db.engine import load_session
from app.ingest.check import check_here
from app.ingest.loader import annotation_files, load
from app.ingest.problems import InvalidAnnotations, Problem
from app.ingest.validate import STORED_DIFFERS
from app.models import Source

Progress = Callable[[str], None]


@dataclass
class SeedRun:
    """What start-up did with the seed."""

    loaded: dict[str, int] = field(default_factory=dict)
    # The stored objects that differ from the files (edited through the API), and the objects
    # of the files that are not stored (deleted through the API).
    edited: list[Problem] = field(default_factory=list)
    missing: dict[str, int] = field(default_factory=dict)

    def moved_on(self) -> str | None:
        """One line on how the database differs from the seed; None where it does not."""
        if not self.edited and not any(self.missing.values()):
            return None
        parts = []
        if self.edited:
            first = self.edited[0].message.split(";")[0]
            parts.append(f"{len(self.edited)} edited (first: {first})")
        gone = ", ".join(f"{what} ({n})" for what, n in self.missing.items() if n)
        if gone:
            parts.append(f"not there: {gone}")
        return (
            "the database has moved on from the seed through the API ("
            + "; ".join(parts)
            + "): serving it as it is; `sayso load seed_data/annotations` lists every difference"
        )


def _source_of(path: Path) -> str | None:
    """The slug of the document a seed file annotates (None if the file does not say)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = data.get("source") if isinstance(data, dict) else None
    slug = source.get("slug") if isinstance(source, dict) else None
    return slug if isinstance(slug, str) else None


def seed_sources(folder: Path) -> tuple[str, ...]:
    """The slugs of the sources the seed files under FOLDER annotate (what GET /ready looks for
    with SAYSO_READY_REQUIRES=seed); a file that cannot be read is left out: loading it says
    what is wrong with it."""
    slugs = []
    for path in annotation_files([folder]) if folder.is_dir() else []:
        try:
            slug = _source_of(path)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if slug is not None:
            slugs.append(slug)
    return tuple(slugs)


def load_seed(engine: Engine, folder: Path, progress: Progress = lambda _: None) -> SeedRun:
    """Load the seed files under FOLDER whose source is not stored yet; compare the others with
    the database. Raises InvalidAnnotations (nothing written) for a file that is wrong."""
    files = annotation_files([folder])
    with Session(engine) as session:
        stored = set(session.scalars(select(Source.slug)))
    there = [f for f in files if _source_of(f) in stored]
    new = [f for f in files if f not in there]
    run = SeedRun()
    if new:
        with load_session(engine) as session:
            run.loaded = load(session, new, progress=progress)
    if there:
        run.edited, run.missing = _differences(engine, there)
    return run


def _differences(engine: Engine, files: list[Path]) -> tuple[list[Problem], dict[str, int]]:
    """How the database differs from FILES, found by planning their load and writing nothing."""
    checked = check_here(files, lambda _: None)
    if isinstance(checked, list):
        raise InvalidAnnotations(checked)
    with Session(engine) as session:
        try:
            plan = checked.finish(session, writing=False)
        except InvalidAnnotations as exc:
            edited = [p for p in exc.problems if p.message.endswith(STORED_DIFFERS)]
            if len(edited) < len(exc.problems):
                raise
            return edited, {}
        finally:
            session.rollback()
    return [], plan.counts()
