"""A large load checked and written in batches of files (app/ingest/loader.py): the database one
load of the same files makes, all of it or nothing, with one batch's rows held at a time."""

import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import sayso
from db_copies import Databases
from sqlalchemy import Engine, text
from test_loader import snapshot

from app.db.engine import make_engine, session_scope
from app.ingest import check, loader
from app.ingest.loader import annotation_files, load
from app.ingest.plan import Plan
from app.ingest.problems import InvalidAnnotations
from app.ingest.write import LoadWriter
from bench.generate import generate

BATCH = 7  # files a batch here: a corpus of ~100 files is then ~15 batches


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's generated corpus at 1,000 statements: ~100 files, with misreports and
    statements reported again in later files (references across batches)."""
    out = tmp_path_factory.mktemp("corpus")
    stats = generate(1000, out, seed=3, progress=False)
    assert stats["misreports"] and stats["documents"] > 10 * BATCH
    return out


@pytest.fixture
def corpus_copy(corpus: Path, tmp_path: Path) -> Path:
    shutil.copytree(corpus, tmp_path / "corpus")
    return tmp_path / "corpus" / "annotations"


@pytest.fixture
def other_engine(databases: Databases) -> Any:
    """A second fresh database of the same backend."""
    url = databases.fresh()
    engine = make_engine(url)
    yield engine
    engine.dispose()
    databases.drop(url)


def database(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table; the history's rows without the instant they were written (and
    their ids: a batch's history is written with the batch), and the contradictions without their
    ids (the denials are numbered in the order PostgreSQL's plan of their query finds them)."""
    rows = snapshot(engine)
    rows["contradictions"] = sorted((row[1:] for row in rows["contradictions"]), key=repr)
    history = "SELECT who, object_type, object_id, object_slug, action, note FROM changes"
    with engine.connect() as conn:
        rows["changes"] = sorted(map(tuple, conn.execute(text(history))), key=repr)
    return rows


def _load(engine: Engine, annotations: Path, **options: Any) -> dict[str, int]:
    with session_scope(engine) as session:
        return load(session, [annotations], **options)


def _edit(path: Path, change: Any) -> None:
    data = orjson.loads(path.read_bytes())
    change(data)
    path.write_bytes(orjson.dumps(data))


@pytest.mark.parametrize("workers", [1, 2])
def test_a_load_in_batches_makes_the_database_one_load_makes(
    engine: Engine,
    other_engine: Engine,
    corpus: Path,
    monkeypatch: pytest.MonkeyPatch,
    workers: int,
) -> None:
    annotations = corpus / "annotations"
    whole = _load(engine, annotations, batch_files=10_000)
    said: list[str] = []
    monkeypatch.setattr(check, "RUN", 3)  # several worker runs a batch, one pool throughout
    with session_scope(other_engine) as session:
        batched = load(session, [annotations], said.append, workers=workers, batch_files=BATCH)
    batches = -(-len(annotation_files([annotations])) // BATCH)
    assert any(line.startswith(f"batch {batches}/{batches}: ") for line in said), said
    assert batched == whole and whole["statements"] == 1000 and whole["contradictions"]
    assert database(other_engine) == database(engine)
    # And loading it again, in batches, writes nothing.
    assert not any(_load(other_engine, annotations, batch_files=BATCH).values())
    assert database(other_engine) == database(engine)


def test_each_batch_is_written_before_the_next_is_read(
    engine: Engine, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loader's memory is one batch's rows: each plan written holds only its batch's."""
    written: list[int] = []
    write = LoadWriter.write

    def counting(self: LoadWriter, plan: Plan) -> None:
        written.append(len(plan.statements) + len(plan.appearances))
        write(self, plan)

    monkeypatch.setattr(LoadWriter, "write", counting)
    counts = _load(engine, corpus / "annotations", batch_files=BATCH)
    files = len(annotation_files([corpus / "annotations"]))
    assert len(written) == -(-files // BATCH)
    assert sum(written) == counts["statements"] + counts["appearances"]
    assert max(written) < (counts["statements"] + counts["appearances"]) / 5


def test_a_problem_in_a_later_batch_writes_nothing_of_the_batches_before(
    db_url: str, corpus_copy: Path
) -> None:
    files = annotation_files([corpus_copy])
    later = files[-1]

    def misquote(data: dict[str, Any]) -> None:
        data["statements"][0]["appearances"][0]["quote"] = "words no document holds"

    _edit(later, misquote)
    engine = make_engine(db_url)
    try:
        before = database(engine)
        done = sayso(db_url, "load", "--batch-files", str(BATCH), str(corpus_copy))
        assert done.returncode == 1
        assert database(engine) == before  # the batches before were rolled back
    finally:
        engine.dispose()
    batches = -(-len(files) // BATCH)
    assert (
        f"{later}:1: statements[0].appearances[0].quote: 'words no document holds' is not in "
        in done.stderr
    ), done.stderr
    assert "1 problem(s); nothing was written" in done.stderr
    assert f"batch {batches} of {batches}" in done.stderr and "0 files after it" in done.stderr


def test_a_problem_in_an_early_batch_says_which_files_were_not_checked(
    engine: Engine, corpus_copy: Path
) -> None:
    files = annotation_files([corpus_copy])
    _edit(files[BATCH], lambda d: d["statements"][0].update(stance="shouts"))
    before = database(engine)
    with pytest.raises(InvalidAnnotations) as refused:
        _load(engine, corpus_copy, batch_files=BATCH)
    assert database(engine) == before
    assert [str(p).split(":")[0] for p in refused.value.problems] == [str(files[BATCH])]
    assert refused.value.note is not None
    assert f"batch 2 of {-(-len(files) // BATCH)} (from {files[BATCH]})" in refused.value.note
    assert f"{len(files) - 2 * BATCH} files after it were not checked" in refused.value.note


def test_a_reference_to_a_later_batch_is_refused_as_unknown(
    engine: Engine, other_engine: Engine, corpus_copy: Path
) -> None:
    """A file may refer only to what its batch or a batch before declares (one load of the
    same files takes references to any of them)."""
    files = annotation_files([corpus_copy])
    later = next(d for f in reversed(files) if (d := orjson.loads(f.read_bytes())).get("claims"))
    claim = later["claims"][0]["slug"]
    first = files[0]
    _edit(first, lambda d: next(s for s in d["statements"] if "ref" not in s).update(claim=claim))
    assert _load(other_engine, corpus_copy, batch_files=10_000)["statements"] == 1000
    before = database(engine)
    with pytest.raises(InvalidAnnotations) as refused:
        _load(engine, corpus_copy, batch_files=BATCH)
    assert database(engine) == before
    assert any(
        str(p).startswith(f"{first}:") and f"unknown claim '{claim}'" in str(p)
        for p in refused.value.problems
    ), refused.value.problems
    assert refused.value.note is not None and "batch 1 of" in refused.value.note


def test_a_load_of_fewer_files_than_a_batch_is_one_batch(
    engine: Engine, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader, "BATCH_FILES", 10_000)
    said: list[str] = []
    with session_scope(engine) as session:
        load(session, [corpus / "annotations"], said.append)
    assert not any(line.startswith("batch ") for line in said)
