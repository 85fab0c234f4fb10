"""A large load's files checked in worker processes: the same plan, problems and rows as one
process checking them (app/ingest/check.py)."""

import gc
import os
import pickle
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import sayso
from sqlalchemy import Engine
from test_loader import snapshot

from app.config import PROJECT_ROOT
from app.db.engine import session_scope
from app.ingest import check, loader
from app.ingest.loader import annotation_files, load
from app.ingest.plan import PlannedAppearance, PlannedStatement
from app.ingest.problems import ChecksStopped, InvalidAnnotations
from app.models.enums import ReviewStatus
from bench.generate import generate

RUN = 4  # files per worker run here: a corpus of ~100 files is then ~27 runs


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's generated corpus at 1,000 statements: ~100 files, with misreports."""
    out = tmp_path_factory.mktemp("corpus")
    stats = generate(1000, out, seed=3, progress=False)
    assert stats["misreports"] and stats["documents"] > 10 * RUN
    return out


@pytest.fixture
def corpus_copy(corpus: Path, tmp_path: Path) -> Path:
    shutil.copytree(corpus, tmp_path / "corpus")
    return tmp_path / "corpus" / "annotations"


@pytest.fixture(autouse=True)
def short_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "RUN", RUN)


def test_files_checked_in_workers_make_the_plan_one_process_makes(
    engine: Engine, corpus: Path
) -> None:
    files = annotation_files([corpus / "annotations"])
    here = check.check_here(files, lambda _: None)
    there = check.check_in_workers(files, ReviewStatus.confirmed, 2, lambda _: None)
    assert not isinstance(here, list) and not isinstance(there, list)
    with session_scope(engine) as session:
        expected, got = here.finish(session), there.finish(session)
    assert got.counts() == expected.counts() and got.contradictions
    assert got == expected  # every row, the appearances in the same order


def test_a_load_checked_in_workers_writes_every_row_once(engine: Engine, corpus: Path) -> None:
    files = annotation_files([corpus / "annotations"])
    here = check.check_here(files, lambda _: None)
    assert not isinstance(here, list)
    with session_scope(engine) as session:
        expected = here.finish(session).counts()
    with session_scope(engine) as session:
        counts = load(session, [corpus / "annotations"], workers=2)
    denials = orjson.loads((corpus / "samples.json").read_bytes())["stats"]["denial_pairs"]
    assert counts == {**expected, "contradictions": expected["contradictions"] + denials}
    before = snapshot(engine)
    assert len(before["statements"]) == expected["statements"] == 1000
    with session_scope(engine) as session:
        again = load(session, [corpus / "annotations"], workers=2)
    assert not any(again.values()), again
    assert snapshot(engine) == before


def _edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = orjson.loads(path.read_bytes())
    change(data)
    path.write_bytes(orjson.dumps(data))


def _misquote(data: dict[str, Any]) -> None:
    data["statements"][0]["appearances"][0]["quote"] = "words no document holds"


def _problems(engine: Engine, annotations: Path, count: int) -> list[str]:
    before = snapshot(engine)
    with pytest.raises(InvalidAnnotations) as refused, session_scope(engine) as session:
        load(session, [annotations], workers=count)
    assert snapshot(engine) == before  # nothing of the load was written
    return sorted(str(p) for p in refused.value.problems)


def test_problems_found_in_workers_are_those_one_process_finds(
    engine: Engine, corpus_copy: Path
) -> None:
    files = annotation_files([corpus_copy])
    first = files[0]
    first_actor = orjson.loads(first.read_bytes())["actors"][0]
    # A file some runs later that declares a statement.
    late = next(
        f
        for f in files[5 * RUN :]
        if any("ref" not in s for s in orjson.loads(f.read_bytes())["statements"])
    )

    def declare_again_and_refer_to_no_claim(data: dict[str, Any]) -> None:
        data.setdefault("actors", []).append(first_actor)
        next(s for s in data["statements"] if "ref" not in s)["claim"] = "no-such-claim"

    _edit(late, declare_again_and_refer_to_no_claim)
    found = _problems(engine, corpus_copy, 2)
    assert found == _problems(engine, corpus_copy, 1)
    slug = first_actor["slug"]
    assert any(
        p.startswith(f"{late}:") and f"actor '{slug}' is declared twice (also {first}:" in p
        for p in found
    ), found
    assert any(p.startswith(f"{late}:") and "unknown claim 'no-such-claim'" in p for p in found)


def test_a_span_that_cannot_be_placed_in_a_worker_is_reported_where_it_is(
    engine: Engine, corpus_copy: Path
) -> None:
    later = annotation_files([corpus_copy])[-1]
    _edit(later, _misquote)
    found = _problems(engine, corpus_copy, 2)
    assert found == _problems(engine, corpus_copy, 1)
    assert found == [
        f"{later}:1: statements[0].appearances[0].quote: 'words no document holds' is not in "
        "the document"
    ]


def test_a_file_that_cannot_be_parsed_in_a_worker_is_all_that_is_reported(
    engine: Engine, corpus_copy: Path
) -> None:
    files = annotation_files([corpus_copy])
    broken, misquoted = files[3 * RUN], files[-1]
    broken.write_bytes(broken.read_bytes()[:-2])  # cut short: not JSON any more
    _edit(misquoted, _misquote)
    found = _problems(engine, corpus_copy, 2)
    assert found == _problems(engine, corpus_copy, 1)
    assert len(found) == 1 and found[0].startswith(f"{broken}:1: not valid JSON")


def test_a_reload_that_differs_from_what_is_stored_is_reported_where_it_differs(
    engine: Engine, corpus_copy: Path
) -> None:
    """Where an appearance stands is kept as its file's number in the batch: a worker's run
    counts its files from 0, the loader from where the run begins."""
    with session_scope(engine) as session:
        load(session, [corpus_copy], workers=2)
    files = annotation_files([corpus_copy])
    later = files[-2]
    statements = orjson.loads(later.read_bytes())["statements"]
    i = len(statements) - 1
    mode = statements[i]["appearances"][0]["mode"]

    def remode(data: dict[str, Any]) -> None:
        data["statements"][i]["appearances"][0]["mode"] = (
            "indirect" if mode == "direct" else "direct"
        )

    _edit(later, remode)
    found = _problems(engine, corpus_copy, 2)
    assert found == _problems(engine, corpus_copy, 1)
    assert len(found) == 1
    assert found[0].startswith(f"{later}:1: statements[{i}].appearances[0]: appearance of ")
    assert "already in the database with other mode" in found[0]


def test_sayso_load_checks_in_workers_from_the_command_line(db_url: str, corpus: Path) -> None:
    """The command's workers are started afresh (spawn): each imports the app and checks its
    run, and the command's own process writes."""
    result = sayso(db_url, "load", "--workers", "2", str(corpus / "annotations"))
    assert result.returncode == 0, result.stderr
    assert "checked " in result.stderr  # the workers' progress, not the reading loop's
    assert "1000 statements" in result.stderr.splitlines()[-1], result.stderr
    refused = sayso(db_url, "load", "--workers", "0", str(corpus / "annotations"))
    assert refused.returncode == 2 and "--workers" in refused.stderr, refused.stderr


def test_a_load_is_checked_in_workers_from_a_number_of_files_on(
    engine: Engine, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By default a load of MIN_FILES files or more is checked in workers, one per core (two
    here, whatever the machine has); a smaller one in the loading process."""
    files = len(annotation_files([corpus / "annotations"]))
    monkeypatch.setattr(loader, "worker_count", lambda: 2)

    def progress_of_a_load(min_files: int) -> list[str]:
        monkeypatch.setattr(loader, "MIN_FILES", min_files)
        said: list[str] = []
        with session_scope(engine) as session:
            load(session, [corpus / "annotations"], progress=said.append)
        return said

    here = progress_of_a_load(files + 1)
    assert any(" read " in s for s in here) and not any(" checked " in s for s in here)
    there = progress_of_a_load(files)  # the same files again: checked, nothing new written
    assert any(" checked " in s for s in there) and not any(" read " in s for s in there)


def test_the_workers_check_without_the_cycle_collector_and_leave_no_cycles(
    corpus: Path,
) -> None:
    """The workers run with the cycle collector off (it took a fifth of their time): safe only
    because what a run builds is freed by reference counting, without cycles to collect."""
    with check.worker_pool(1) as pool:
        assert pool.submit(gc.isenabled).result() is False
    files = annotation_files([corpus / "annotations"])
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        checked = check.check_run(files, ReviewStatus.confirmed)
        assert not isinstance(checked, list) and checked.plan.appearances
        del checked
        assert gc.collect() == 0  # nothing the run built was left in a cycle
    finally:
        if was_enabled:
            gc.enable()


def test_a_plan_comes_back_from_a_worker_as_it_was_made(corpus: Path) -> None:
    """A worker's plan crosses to the loading process as plain tuples (app/ingest/plan.py):
    it arrives with the same rows, in the same order, as named tuples again."""
    checked = check.check_run(annotation_files([corpus / "annotations"]), ReviewStatus.confirmed)
    assert not isinstance(checked, list)
    plan = checked.plan
    back = pickle.loads(pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == plan and back.statements and back.appearances
    assert list(back.statements) == list(plan.statements)
    assert all(type(s) is PlannedStatement and s.slug == k for k, s in back.statements.items())
    assert all(type(a) is PlannedAppearance for a in back.appearances)
    assert back.appearances[0].quote == plan.appearances[0].quote


def _check_workers(pid: int) -> list[int]:
    """The check workers PID has started: its children started by multiprocessing's spawn
    (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            spawned = parent == pid and b"spawn_main" in (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue  # gone since listed
        if spawned:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds processes in /proc")
def test_a_check_worker_that_dies_stops_the_load_with_a_clear_error_and_writes_nothing(
    db_url: str, engine: Engine, corpus_copy: Path
) -> None:
    """A worker killed (as the out-of-memory killer would) while the files are checked: the
    command says so, and the database is as it was. A named pipe among the files, which no one
    writes to, keeps the checks from ending before the worker is killed."""
    before = snapshot(engine)
    (corpus_copy / "zzzz").mkdir()
    os.mkfifo(corpus_copy / "zzzz" / "stuck.json")
    command = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "load", "--workers", "2", str(corpus_copy)],
        env={**os.environ, "SAYSO_DATABASE_URL": db_url},
        cwd=PROJECT_ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while not workers and time.monotonic() < deadline:
            workers = _check_workers(command.pid)
            time.sleep(0.05)
        assert workers, "no worker process was started"
        os.kill(workers[0], signal.SIGKILL)
        _, stderr = command.communicate(timeout=60)
    finally:
        command.kill()
        command.wait()
    assert command.returncode == 1, stderr
    said = stderr.splitlines()[-1]
    assert said.startswith("error: a process checking the files stopped before it was done")
    files = len(annotation_files([corpus_copy]))
    assert f" of {files} files checked" in said and "nothing was written" in said, said
    assert snapshot(engine) == before


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds processes in /proc")
def test_a_stopped_check_says_which_files_were_checked(corpus_copy: Path) -> None:
    """Runs of four files here: every run but the named pipe's comes back checked, then a
    worker is killed. The error names the last file checked, as the progress did."""
    (corpus_copy / "zzzz").mkdir()
    os.mkfifo(corpus_copy / "zzzz" / "stuck.json")
    files = annotation_files([corpus_copy])
    said: list[str] = []
    before_the_pipe = len(files) - (len(files) - 1) % RUN - 1  # the files of the other runs

    def kill_a_worker_once_the_rest_is_checked() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if said and said[-1].startswith(f"[{before_the_pipe}/"):
                os.kill(_check_workers(os.getpid())[0], signal.SIGKILL)
                return
            time.sleep(0.05)
        with open(corpus_copy / "zzzz" / "stuck.json", "wb"):
            pass  # never got there: let the pipe's reader go, and the checks end (the test fails)

    killer = threading.Thread(target=kill_a_worker_once_the_rest_is_checked)
    killer.start()
    with pytest.raises(ChecksStopped) as stopped:
        check.check_in_workers(files, ReviewStatus.confirmed, 2, said.append)
    killer.join()
    last = files[before_the_pipe - 1]
    assert said[-1] == f"[{before_the_pipe}/{len(files)}] checked {last}"
    assert f"{before_the_pipe} of {len(files)} files checked, up to {last};" in str(stopped.value)
