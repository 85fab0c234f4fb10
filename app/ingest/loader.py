"""The seed loader: annotation files in, validated as a batch, written in one transaction."""

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session

from app.ingest.parse import AnnotatedFile, parse_file
from app.ingest.problems import InvalidAnnotations, Problem
from app.ingest.validate import validate
from app.ingest.write import write_plan
from app.models.enums import ReviewStatus

Progress = Callable[[str], None]


def annotation_files(paths: Iterable[Path]) -> list[Path]:
    """The annotation files named: files as given, folders searched for *.yaml, *.yml, *.json."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
        else:
            found.append(path)
    return found


def load(
    session: Session, paths: Iterable[Path], progress: Progress = lambda _: None
) -> dict[str, int]:
    """Validate every annotation file under PATHS, then write them all, or raise and write nothing.

    Loading what is already in the database writes nothing; returns how many rows were added.
    """
    files = annotation_files(paths)
    if not files:
        raise InvalidAnnotations(
            [
                Problem(Path(str(p)), None, "", "no annotation files (*.yaml, *.json) found")
                for p in paths
            ]
        )
    with _no_cyclic_gc():
        return _load(session, files, progress)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause Python's cycle collector: a load builds millions of objects that live until it
    ends, and the collector rescanning them all, again and again, made loading quadratic.
    Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(session: Session, files: list[Path], progress: Progress) -> dict[str, int]:
    parsed: list[AnnotatedFile] = []
    problems: list[Problem] = []
    for n, path in enumerate(files, 1):
        result = parse_file(path)
        if isinstance(result, list):
            problems += result
        else:
            parsed.append(result)
        progress(f"[{n}/{len(files)}] read {path}")
    if problems:
        raise InvalidAnnotations(problems)
    return load_parsed(session, parsed, progress=progress)


def load_parsed(
    session: Session,
    parsed: list[AnnotatedFile],
    status: ReviewStatus = ReviewStatus.confirmed,
    progress: Progress = lambda _: None,
) -> dict[str, int]:
    """Validate parsed files as one batch and write them (what they add is STATUS where a file
    does not say), or raise InvalidAnnotations and write nothing."""
    plan = validate(session, parsed, status)
    progress("validated: " + ", ".join(f"{v} new {k}" for k, v in plan.counts().items()))
    return write_plan(session, plan, progress)
