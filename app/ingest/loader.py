"""The seed loader: annotation files in, validated as a batch, written in one transaction."""

import gc
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session

from app.ingest.check import MIN_FILES, check_here, check_in_workers, worker_count
from app.ingest.parse import AnnotatedFile
from app.ingest.plan import Plan
from app.ingest.problems import InvalidAnnotations, Problem
from app.ingest.validate import validate
from app.ingest.write import write_plan
from app.models.enums import ReviewStatus

log = logging.getLogger("sayso.load")
Progress = Callable[[str], None]
# Who the history says created what `sayso load` (and the seed at start-up) loads.
LOADED_BY = "sayso load"


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
    session: Session,
    paths: Iterable[Path],
    progress: Progress = lambda _: None,
    workers: int | None = None,
) -> dict[str, int]:
    """Validate every annotation file under PATHS, then write them all, or raise and write nothing
    (InvalidAnnotations: what is wrong in which file; ChecksStopped: a checking process died).

    Loading what is already in the database writes nothing; returns how many rows were added.
    WORKERS: how many processes check the files (app/ingest/check.py); by default one per core
    for a large load, none for a small one.
    """
    files = annotation_files(paths)
    if not files:
        raise InvalidAnnotations(
            [
                Problem(Path(str(p)), None, "", "no annotation files (*.yaml, *.json) found")
                for p in paths
            ]
        )
    started = time.perf_counter()
    try:
        with _no_cyclic_gc():
            added = _load(session, files, progress, workers)
    except InvalidAnnotations as exc:
        log_refused(exc.problems, time.perf_counter() - started, files=len(files))
        raise
    log_loaded(f"{len(files)} file(s)", added, time.perf_counter() - started, files=len(files))
    return added


def log_loaded(what: str, added: dict[str, int], seconds: float, **fields: object) -> None:
    """The log's line for a load that went through (logger `sayso.load`): WHAT was loaded, the
    rows ADDED by kind, and how long it took; FIELDS go into a JSON line as they are."""
    counts = ", ".join(f"{n} {kind}" for kind, n in added.items() if n) or "nothing new"
    ms = round(seconds * 1000, 1)
    log.info(
        "loaded %s in %.0f ms: %s",
        what,
        ms,
        counts,
        extra={**fields, "added": added, "duration_ms": ms, "outcome": "loaded"},
    )


def log_refused(problems: list[Problem], seconds: float, **fields: object) -> None:
    """The log's lines for a load refused (logger `sayso.load`, at WARNING): one for each file
    with problems (how many, and the first), then one for the load, which wrote nothing."""
    by_file: dict[Path, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    ms = round(seconds * 1000, 1)
    for file, found in by_file.items():
        log.warning(
            "refused %s: %d problem(s), the first: %s",
            file,
            len(found),
            found[0],
            extra={"file": str(file), "problems": len(found), "first_problem": str(found[0])},
        )
    log.warning(
        "load refused in %.0f ms: %d problem(s) in %d file(s); nothing written",
        ms,
        len(problems),
        len(by_file),
        extra={
            **fields,
            "problems": len(problems),
            "refused_files": len(by_file),
            "duration_ms": ms,
            "outcome": "refused",
        },
    )


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


def _load(
    session: Session, files: list[Path], progress: Progress, workers: int | None
) -> dict[str, int]:
    workers = workers or (worker_count() if len(files) >= MIN_FILES else 1)
    if workers > 1:
        checked = check_in_workers(files, ReviewStatus.confirmed, workers, progress)
    else:
        checked = check_here(files, progress)
    if isinstance(checked, list):
        raise InvalidAnnotations(checked)
    plan = checked.finish(session)
    del checked  # what it knows of the batch is not needed to write it: let that go first
    return _write(session, plan, progress, LOADED_BY)


def load_parsed(
    session: Session,
    parsed: list[AnnotatedFile],
    status: ReviewStatus = ReviewStatus.confirmed,
    progress: Progress = lambda _: None,
) -> dict[str, int]:
    """Validate parsed files as one batch and write them (what they add is STATUS where a file
    does not say), or raise InvalidAnnotations and write nothing."""
    return _write(session, validate(session, parsed, status), progress)


def _write(
    session: Session, plan: Plan, progress: Progress, loaded_by: str | None = None
) -> dict[str, int]:
    progress("validated: " + ", ".join(f"{v} new {k}" for k, v in plan.counts().items()))
    return write_plan(session, plan, progress, loaded_by)
