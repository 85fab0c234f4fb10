"""The seed loader: annotation files in, validated as a batch, written in one transaction."""

import gc
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session

from app.ingest.parse import AnnotatedFile, Read, parse_file, read_ahead
from app.ingest.plan import Plan
from app.ingest.problems import InvalidAnnotations, Problem
from app.ingest.validate import BatchValidator, validate
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
    # Each file is planned as it is read and then let go: a load holds its rows, not its files.
    validator = BatchValidator(session)
    problems: list[Problem] = []
    step = max(len(files) // 100, 1)  # a line a file slowed large loads down
    for n, (path, read) in enumerate(_read_ahead(files), 1):
        result = parse_file(path, read)
        if isinstance(result, list):
            problems += result
        elif not problems:  # with a file that cannot be read, only those are reported
            validator.add(result)
        if n % step == 0 or n in (1, len(files)):
            progress(f"[{n}/{len(files)}] read {path}")
    if problems:
        raise InvalidAnnotations(problems)
    plan = validator.finish()
    del validator  # what it knows of the batch is not needed to write it: let that go first
    return _write(session, plan, progress)


def _read_ahead(files: list[Path], ahead: int = 64) -> Iterator[tuple[Path, Read]]:
    """Each file with its bytes, read in a thread up to AHEAD files before it is wanted: the
    disk's waits then overlap the checks of the files before."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: deque[tuple[Path, Future[Read]]] = deque()
        for path in files:
            pending.append((path, pool.submit(read_ahead, path)))
            if len(pending) > ahead:
                done, read = pending.popleft()
                yield done, read.result()
        while pending:
            done, read = pending.popleft()
            yield done, read.result()


def load_parsed(
    session: Session,
    parsed: list[AnnotatedFile],
    status: ReviewStatus = ReviewStatus.confirmed,
    progress: Progress = lambda _: None,
) -> dict[str, int]:
    """Validate parsed files as one batch and write them (what they add is STATUS where a file
    does not say), or raise InvalidAnnotations and write nothing."""
    return _write(session, validate(session, parsed, status), progress)


def _write(session: Session, plan: Plan, progress: Progress) -> dict[str, int]:
    progress("validated: " + ", ".join(f"{v} new {k}" for k, v in plan.counts().items()))
    return write_plan(session, plan, progress)
