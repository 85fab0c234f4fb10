"""Malformed annotation documents, generated (hypothesis, malformed.py): `sayso load` and
`POST /ingest` take each or refuse it, on SQLite and PostgreSQL. Never a server error nor a
traceback; a refusal says where (file:line; errors[] naming the field, or the line and column),
and leaves the database exactly as it was; what is taken keeps every quote verbatim.

The examples follow from the test's name (derandomize): CI runs the same ones every time.
SAYSO_HYPOTHESIS_EXAMPLES sets how many, for a long run:

    SAYSO_HYPOTHESIS_EXAMPLES=1000 uv run --frozen pytest -n 0 -p no:timeout \\
        tests/hostile/test_malformed_documents.py

SAYSO_HYPOTHESIS_TALLY=FILE adds a line of JSON to FILE per test: its examples by case and by
outcome (taken, refused).
"""

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import Databases, in_process, sayso
from db_copies import add_keys
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from malformed import DOCUMENTS, SEED_NAMES, Example, Tally, malformed
from seed_facts import SEED_ANNOTATIONS
from sqlalchemy import inspect, text

from app.config import Settings
from app.db.engine import make_engine, session_scope
from app.ingest.loader import load
from app.main import create_app

# A load of the seed takes a second or so, an ingest a tenth of it: each test runs in well
# under a minute per backend. SAYSO_HYPOTHESIS_EXAMPLES sets both, for a long run.
LOAD_EXAMPLES, INGEST_EXAMPLES = (
    [int(os.environ["SAYSO_HYPOTHESIS_EXAMPLES"])] * 2
    if "SAYSO_HYPOTHESIS_EXAMPLES" in os.environ
    else [60, 100]
)


def examples(n: int) -> Any:
    return settings(
        max_examples=n,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


# What the database holds when an example is tried: nothing, the first seed file (the second
# refers to it), or the whole seed (then the seed files themselves add nothing).
STATES = ("empty", "first file", "seeded")
# Problems about a file or a body as a whole (no field to name); each says where, or needs not.
WHOLE = re.compile(
    r"not valid JSON: .*\(column \d+\)|is not UTF-8 text|an annotation file is a mapping"
    r"|nested deeper than 64 levels \(line \d+, column \d+\)"
)


def fingerprint(url: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and a hash of its rows (the search index's and the history's
    too): equal fingerprints, the same data."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            found = {}
            for table in sorted(inspect(conn).get_table_names()):
                rows = sorted(
                    repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                    for row in conn.execute(text(f'SELECT * FROM "{table}"'))
                )
                digest = hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass"))
                found[table] = (len(rows), digest.hexdigest())
            return found
    finally:
        engine.dispose()  # no connection left open: `sayso load` writes an SQLite file alone


def assert_faithful(url: str) -> None:
    """Every stored quote, attribution and hedge is the text at its span in its source."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT s.text, a.quote, a.span_start, a.span_end, a.attribution,"
                    " a.attribution_start, a.attribution_end, a.hedge, a.hedge_start,"
                    " a.hedge_end FROM appearances a JOIN sources s ON s.id = a.source_id"
                )
            ).all()
    finally:
        engine.dispose()
    for document, *spans in rows:
        for quoted, start, end in zip(spans[::3], spans[1::3], spans[2::3], strict=True):
            if quoted is not None:
                assert document[start:end] == quoted, (quoted, start, end)


class Stock:
    """A database in each state, made when first wanted and replaced once something was
    written to it (so that each example starts from the state it drew)."""

    def __init__(self, databases: Databases) -> None:
        self.databases = databases
        self.urls: dict[str, str] = {}

    def url(self, state: str) -> str:
        if state not in self.urls:
            if state == "empty":
                self.urls[state] = self.databases.fresh()
            elif state == "seeded":
                self.urls[state] = self.databases.seeded()
            else:
                first = self.databases.template("first seed file", _load_first)[0]
                self.urls[state] = self.databases.fresh(first)
        return self.urls[state]

    def spoil(self, state: str) -> None:
        self.databases.drop(self.urls.pop(state))

    def close(self) -> None:
        for state in list(self.urls):
            self.spoil(state)


def _load_first(url: str) -> None:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            load(session, [SEED_ANNOTATIONS / SEED_NAMES[0]])
    finally:
        engine.dispose()


@pytest.fixture
def stock(databases: Databases) -> Iterator[Stock]:
    made = Stock(databases)
    yield made
    made.close()


def report(test: str, backend: str, tally: Tally, count: int) -> None:
    where = os.environ.get("SAYSO_HYPOTHESIS_TALLY")
    if where:
        with open(where, "a") as out:
            line = {"test": test, "backend": backend, "examples": count, "rows": tally.rows()}
            out.write(json.dumps(line) + "\n")


# -- sayso load ---------------------------------------------------------------------------------


def write_folder(root: Path, example: Example) -> Path:
    """The seed's files under ROOT (annotations/, documents/), EXAMPLE in place of its seed
    file: the folder to load."""
    shutil.rmtree(root, ignore_errors=True)
    annotations, documents = root / "annotations", root / "documents"
    annotations.mkdir(parents=True)
    documents.mkdir()
    for name in SEED_NAMES:
        if name != example.seed:
            shutil.copyfile(SEED_ANNOTATIONS / name, annotations / name)
        document = DOCUMENTS[name] if name != example.seed else example.document
        (documents / name.replace(".yaml", ".txt")).write_bytes(document)
    (annotations / example.name).write_bytes(example.raw)
    return annotations


def assert_refusal_says_where(stderr: str, folder: Path) -> None:
    """`sayso load`'s refusal: how many problems, and each as `file:line: ...` (a JSON file
    that YAML cannot read has no lines worked out: its file, and what is wrong)."""
    header = re.search(r"^error: (\d+) problem\(s\); nothing was written:$", stderr, re.M)
    assert header, stderr
    said = re.findall(rf"^  {re.escape(str(folder))}/([^\s:]+?)(?::(\d+))?: ", stderr, re.M)
    assert len(said) == int(header[1]), stderr
    for name, line in said:
        assert line or name.endswith(".json"), stderr


def test_sayso_load_takes_or_refuses_every_malformed_file(
    stock: Stock, backend: str, tmp_path: Path
) -> None:
    tally = Tally()

    @given(example=malformed(for_ingest=False), state=st.sampled_from(STATES))
    @examples(LOAD_EXAMPLES)
    def check(example: Example, state: str) -> None:
        url = stock.url(state)
        folder = write_folder(tmp_path / "load", example)
        before = fingerprint(url)
        ran = sayso(url, "load", str(folder))
        said = ran.stdout + ran.stderr
        assert "Traceback" not in said, said
        assert ran.returncode in (0, 1), said
        if ran.returncode == 1:
            tally.add(example, "refused")
            assert_refusal_says_where(ran.stderr, folder)
            assert fingerprint(url) == before, "a refused load wrote to the database"
        else:
            tally.add(example, "taken")
            assert_faithful(url)
            if fingerprint(url) != before:
                stock.spoil(state)

    check()
    report("sayso load", backend, tally, LOAD_EXAMPLES)


# -- POST /ingest -------------------------------------------------------------------------------


class Served:
    """The app on each state's database, in this process, and a client with an editor's key."""

    def __init__(self, stock: Stock) -> None:
        self.stock = stock
        self.running: dict[str, tuple[ExitStack, httpx.Client]] = {}

    def client(self, state: str) -> httpx.Client:
        if state not in self.running:
            url = self.stock.url(state)
            key = add_keys(url)["editor"]
            stack = ExitStack()
            maker: Callable[..., httpx.Client] = stack.enter_context(
                in_process(create_app(Settings(database_url=url)))
            )
            self.running[state] = (stack, maker(Authorization=f"Bearer {key}"))
        return self.running[state][1]

    def spoil(self, state: str) -> None:
        stack, _ = self.running.pop(state)
        stack.close()
        self.stock.spoil(state)

    def close(self) -> None:
        for stack, _ in self.running.values():
            stack.close()


def assert_problem_says_where(response: httpx.Response) -> None:
    assert response.headers["content-type"] == "application/problem+json", response.text
    body = response.json()
    assert body["status"] == response.status_code, body
    if response.status_code != 422:
        return
    assert body["errors"], body
    for error in body["errors"]:
        assert error["location"] in ("body", "query"), body
        assert error["message"], body
        where = error["field"] or re.match(r"line \d+: ", error["message"])
        assert where or WHOLE.search(error["message"]), body


STATUSES = [None, "proposed", "confirmed", "rejected", "no-such-status"]


def test_ingest_takes_or_refuses_every_malformed_body(stock: Stock, backend: str) -> None:
    tally = Tally()
    served = Served(stock)

    @given(
        example=malformed(for_ingest=True),
        state=st.sampled_from(STATES),
        status=st.sampled_from(STATUSES),
    )
    @examples(INGEST_EXAMPLES)
    def check(example: Example, state: str, status: str | None) -> None:
        client = served.client(state)
        url = stock.url(state)
        before = fingerprint(url)
        response = client.post(
            "/ingest", content=example.raw, params={"status": status} if status else {}
        )
        assert "Traceback" not in response.text, response.text
        assert response.status_code in (200, 201, 409, 413, 422), response.text
        if response.status_code >= 400:
            tally.add(example, "refused")
            assert_problem_says_where(response)
            assert fingerprint(url) == before, "a refused ingest wrote to the database"
        else:
            tally.add(example, "taken")
            assert_faithful(url)
            if fingerprint(url) != before:
                served.spoil(state)

    try:
        check()
    finally:
        served.close()
    report("POST /ingest", backend, tally, INGEST_EXAMPLES)
