"""The seed loader: annotation files in, validated as a batch, written in one transaction."""

import gc
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from sqlalchemy.orm import Session

from app.ingest.check import MIN_FILES, check_here, check_in_workers, worker_count, worker_pool
from app.ingest.parse import AnnotatedFile
from app.ingest.plan import Plan
from app.ingest.problems import InvalidAnnotations, Problem
from app.ingest.validate import validate
from app.ingest.write import LoadWriter, write_plan
from app.models.enums import ReviewStatus

log = logging.getLogger("sayso.load")
Progress = Callable[[str], None]
# Who the history says created what `sayso load` (and the seed at start-up) loads.
LOADED_BY = "sayso load"
# Files a load checks and writes at a time (_load): about 190,000 statements of the bench's
# corpus; a load's peak RSS (its workers' included) was 1.1 GB at 1M statements and 1.4 GB at 2M,
# against 3.7 GB for 1M in one batch (bench/README.md, "10M on PostgreSQL").
BATCH_FILES = 20_000


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
    batch_files: int | None = None,
) -> dict[str, int]:
    """Validate every annotation file under PATHS, then write them all, or raise and write nothing
    (InvalidAnnotations: what is wrong in which file; ChecksStopped: a checking process died).

    Loading what is already in the database writes nothing; returns how many rows were added.
    WORKERS: how many processes check the files (app/ingest/check.py); by default one per core
    for a large load, none for a small one. BATCH_FILES (by default BATCH_FILES): a load of more
    files is checked and written in batches of that many, in the caller's one transaction (see
    _load: all or nothing still).
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
            added = _load(session, files, progress, workers, batch_files or BATCH_FILES)
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
    session: Session, files: list[Path], progress: Progress, workers: int | None, batch: int
) -> dict[str, int]:
    """Check and write FILES in batches of BATCH files, each checked as a whole (against the
    database as the batches before left it) before it is written, all in the caller's one
    transaction: a problem in any batch raises, and the caller rolls back what the batches
    before wrote. A load holds one batch's rows at a time, not all of its rows (at 10M
    statements they would not fit in memory); what a file refers to must be declared in its
    batch, a batch before, or the database (as for a load made after another)."""
    workers = workers or (worker_count() if min(len(files), batch) >= MIN_FILES else 1)
    batches = [files[i : i + batch] for i in range(0, len(files), batch)]
    with ExitStack() as stack:
        # Batches share one pool of workers; one batch's checks start and stop their own (the
        # workers' memory is let go before the rows are written).
        pool = (
            stack.enter_context(worker_pool(workers)) if workers > 1 and len(batches) > 1 else None
        )
        writer = stack.enter_context(LoadWriter(session, progress, LOADED_BY))
        for n, files_n in enumerate(batches):
            if len(batches) > 1:
                progress(f"batch {n + 1}/{len(batches)}: {len(files_n)} files from {files_n[0]}")
            if workers > 1:
                checked = check_in_workers(
                    files_n, ReviewStatus.confirmed, workers, progress, pool=pool
                )
            else:
                checked = check_here(files_n, progress)
            if isinstance(checked, list):
                raise InvalidAnnotations(checked, _unchecked(batches, n))
            if n:
                writer.between_batches()
            try:
                plan = checked.finish(session)
            except InvalidAnnotations as exc:
                raise InvalidAnnotations(exc.problems, _unchecked(batches, n)) from None
            del checked  # what it knows of the batch is not needed to write it: let that go
            progress("validated: " + ", ".join(f"{v} new {k}" for k, v in plan.counts().items()))
            writer.write(plan)
            if n + 1 < len(batches):
                # What the checks read of the database (ORM objects, which hold reference cycles
                # that the paused cycle collector leaves) is let go before the next batch: it
                # kept ~40 MB a batch of 20,000 files at 2M statements.
                session.expunge_all()
                gc.collect()
    return writer.counts


def _unchecked(batches: list[list[Path]], failed: int) -> str | None:
    """What a load checked in batches says of the files it did not check, when batch FAILED
    (counted from 0) has a problem."""
    rest = sum(len(b) for b in batches[failed + 1 :])
    if len(batches) == 1:
        return None
    return (
        f"this load was checked in batches of {len(batches[0])} files (sayso load "
        f"--batch-files), and batch {failed + 1} of {len(batches)} (from {batches[failed][0]}) "
        f"has the problems above; {rest} files after it were not checked. A file may refer "
        "only to what its batch, a batch before it or the database declares."
    )


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
