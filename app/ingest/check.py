"""Checking a load's files, one by one, into a validator: in this process, or in workers.

Most of a load's checking is per file (parsing, the format's checks, the document's SHA-256,
placing every span) and single-threaded Python. So a large load hands runs of consecutive files
to one worker process per core; each checks its run with a validator of its own, and the
loader's validator takes in what each found, in file order (BatchValidator.merge), then checks
the batch as a whole as it would have (BatchValidator.finish).

This also keeps the loading process's memory compact: what the checks allocate and let go
(parsed files, decoded JSON) is the workers'. The rows the plan holds are then most of what is
freed before the search index and the denials are built, and SQLite's work there runs at the
speed it has in a fresh process (beside a heap the checks had left fragmented it ran ~1.6x
slower: bench/README.md).
"""

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from pathlib import Path

from app.ingest.parse import Read, parse_file, read_ahead
from app.ingest.problems import ChecksStopped, Problem
from app.ingest.validate import BatchValidator
from app.models.enums import ReviewStatus

Progress = Callable[[str], None]
# Fewer files than this are checked in the loading process: starting workers costs ~1 s.
MIN_FILES = 2_000
# Files per run handed to a worker: enough that sending its rows back is cheap per file, few
# enough that the loader takes runs in while the workers check the next ones.
RUN = 256


def worker_count() -> int:
    """The cores this process may use (one worker each); where the system does not say which
    (macOS), every core."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def check_files(
    files: Iterable[tuple[Path, Read]],
    status: ReviewStatus,
    checked: Callable[[int, Path], None] = lambda _n, _path: None,
) -> BatchValidator | list[Problem]:
    """Parse and check FILES (each with its bytes, as read) in order: a validator
    holding what they declare and add, or the problems of the files that cannot be read or
    parsed (then only those). CHECKED is told of each file done. Each file is planned as it
    is read and then let go: a load holds its rows, not its files."""
    validator = BatchValidator(status)
    problems: list[Problem] = []
    for n, (path, read) in enumerate(files, 1):
        result = parse_file(path, read)
        if isinstance(result, list):
            problems += result
        elif not problems:
            validator.add(result)
        checked(n, path)
    return problems or validator


def check_here(files: list[Path], progress: Progress) -> BatchValidator | list[Problem]:
    """Check FILES in this process, reading ahead of the checks (see check_files)."""
    step = max(len(files) // 100, 1)  # a line a file slowed large loads down

    def checked(n: int, path: Path) -> None:
        if n % step == 0 or n in (1, len(files)):
            progress(f"[{n}/{len(files)}] read {path}")

    return check_files(_read_ahead(files), ReviewStatus.confirmed, checked)


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


def check_run(paths: list[Path], status: ReviewStatus) -> BatchValidator | list[Problem]:
    """What a worker does: check a run of files, reading ahead of the checks (see
    check_files)."""
    return check_files(_read_ahead(paths), status)


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """WORKERS processes to check files in. They are started afresh: the loader's own state
    (its connection, its threads) is not copied into them, so a script that loads must start
    from `if __name__ == "__main__":`. They run without the cycle collector, as the loader does
    (app/ingest/loader.py): what a run builds has no cycles and is freed by reference counting
    once its result is sent, and the collector rescanning a run's objects as they pile up took
    a fifth of the workers' time (the checks of a million statements: 50 s, now 41 s)."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(workers, mp_context=context, initializer=gc.disable)


def check_in_workers(
    files: list[Path],
    status: ReviewStatus,
    workers: int,
    progress: Progress,
    run: int | None = None,
    pool: ProcessPoolExecutor | None = None,
) -> BatchValidator | list[Problem]:
    """Check FILES in runs of RUN files (by default, RUN) in WORKERS processes (POOL's, if
    given: a load checked in batches keeps its workers from one batch to the next): one
    validator holding what every run found, in file order, or the problems of the files that
    cannot be read or parsed (then only those)."""
    run = run or RUN
    validator = BatchValidator(status)
    problems: list[Problem] = []
    runs = [files[i : i + run] for i in range(0, len(files), run)]
    done = 0
    try:
        with ExitStack() as owned:
            if pool is None:
                pool = owned.enter_context(worker_pool(workers))
            found = pool.map(check_run, runs, [status] * len(runs))
            for paths, part in zip(runs, found, strict=True):
                if isinstance(part, list):
                    problems += part
                elif not problems:
                    validator.merge(part)
                done += len(paths)
                progress(f"[{done}/{len(files)}] checked {paths[-1]}")
    except BrokenProcessPool as exc:
        checked = f"{done} of {len(files)} files checked" + (
            f", up to {files[done - 1]}" if done else ""
        )
        raise ChecksStopped(
            "a process checking the files stopped before it was done (killed, or out of "
            f"memory?): {checked}; nothing was written"
        ) from exc
    return problems or validator
