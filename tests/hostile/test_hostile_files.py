"""Hostile annotation files: `sayso load` refuses each with `file:line: message` (never a
traceback, never a file read for minutes or into gigabytes), and writes nothing."""

import hashlib
import json
import os
import re
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from seed_facts import SEED_ANNOTATIONS
from sqlalchemy import Engine, text

from app.config import PROJECT_ROOT
from app.db.engine import session_scope
from app.ingest.loader import load
from app.ingest.problems import InvalidAnnotations
from app.models import Base

FIRST = sorted(p.name for p in SEED_ANNOTATIONS.glob("*.yaml"))[0]
# What a `sayso load` may use here: its own needs are ~150 MB of address space (PostgreSQL's
# driver and thread stacks included); a file expanding aliases would need gigabytes.
MEMORY_CAP = 1_500_000_000
# A load of the seed takes a few seconds; a billion laughs, left to expand, minutes.
LOAD_TIMEOUT_S = 60

# 396 bytes that a YAML reader expanding aliases takes for 10^9 values.
BILLION_LAUGHS = """\
format: sayso/1
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table."""
    with engine.connect() as conn:
        return {
            name: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {name}"))), key=repr)
            for name in Base.metadata.tables
        }


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of seed_data/ (annotations and documents, same layout)."""
    shutil.copytree(PROJECT_ROOT / "seed_data", tmp_path / "seed_data")
    return tmp_path / "seed_data" / "annotations"


def as_json(path: Path) -> Path:
    """PATH (a seed YAML file) rewritten as JSON, the bulk format."""
    data = yaml.safe_load(path.read_text())
    path.unlink()
    path = path.with_suffix(".json")
    path.write_text(json.dumps(data, indent=2, default=str))
    return path


def insert_at(marker: str, new: str) -> Callable[[str], str]:
    """A change that puts NEW in place of the first MARKER."""

    def change(text: str) -> str:
        assert marker in text, f"the seed file no longer holds {marker!r}"
        return text.replace(marker, new, 1)

    return change


@dataclass
class Hostile:
    """A file made hostile, and what its refusal must say."""

    change: Callable[[str], str]  # the text of a seed file -> the hostile text
    at: str | None  # a text on the line the problem must name (None: the first line)
    message: str  # a regex the message must match
    suffix: str = ".yaml"  # ".json": the seed file in the bulk format first


DEEP = 1_000
HOSTILE = {
    "a NUL byte": Hostile(
        insert_at("title: Putin's suggestion", "title: Putin's\x00 suggestion"),
        "title: Putin",
        r"control character \(U\+0000\)",
    ),
    "a bell and an escape": Hostile(
        insert_at("title: Putin's suggestion", "title: Putin's \x07\x1b[31m suggestion"),
        "title: Putin",
        r"control character \(U\+0007\)",
    ),
    "a character YAML does not allow": Hostile(
        insert_at("title: Putin's suggestion", "title: Putin's \ufffe suggestion"),
        "title: Putin",
        r"U\+FFFE",
    ),
    "flow nesting 1,000 deep": Hostile(
        insert_at("url: null", "url: " + "[" * DEEP + "]" * DEEP),
        "url: [[[",
        r"nested deeper than 64 levels",
    ),
    "block nesting 600 deep": Hostile(
        # source: (level 2) url: (3) - (4) ...: each line says its level.
        insert_at(
            "url: null\n",
            "url:\n" + "".join("  " * (i + 1) + f"- # level {i + 3}\n" for i in range(600)),
        ),
        "- # level 65",
        r"nested deeper than 64 levels",
    ),
    "an alias": Hostile(
        lambda text: insert_at("byline: null", "byline: *who")(
            insert_at("url: null", "url: &who null")(text)
        ),
        "byline: *who",
        r"'\*who' is an alias",
    ),
    "a day no calendar has": Hostile(
        insert_at("value: 2024-12-22", "value: 2024-02-30"),
        "value: 2024-02-30",
        r"cannot read '2024-02-30' as !!timestamp: day is out of range",
    ),
    "a Python object's tag": Hostile(
        insert_at("url: null", "url: !!python/object/apply:os.system ['echo pwned']"),
        "url: !!python",
        r"not a tag of the annotation format",
    ),
    "a NUL written as an escape": Hostile(
        insert_at("byline: null", 'byline: "Aveek\\0Banerjee"'),
        "byline:",
        r"should match pattern",
    ),
    "a group too large to store": Hostile(
        insert_at("group_size: 3", "group_size: 99999999999999999999"),
        "group_size: 9999",
        r"less than or equal to 2147483647",
    ),
    "JSON nested 1,000 deep": Hostile(
        insert_at('"url": null', '"url": ' + "[" * DEEP + "]" * DEEP),
        '"url": [[[',
        r"nested deeper than 64 levels",
        ".json",
    ),
    "JSON nested past its parser's limit": Hostile(
        insert_at('"url": null', '"url": ' + "[" * 5 * DEEP + "]" * 5 * DEEP),
        '"url": [[[',
        r"nested deeper than 64 levels",
        ".json",
    ),
    "a NUL written as a JSON escape": Hostile(
        insert_at('"byline": null', '"byline": "Aveek\\u0000Banerjee"'),
        '"byline":',
        r"should match pattern",
        ".json",
    ),
    # JSON that YAML cannot read: its lines cannot be worked out, but what is wrong is said.
    "JSON with a character YAML does not allow, and a mistake": Hostile(
        insert_at('"byline": null', '"byline": "\ufffe", "bylines": 1'),
        None,
        r"Extra inputs are not permitted",
        ".json",
    ),
    "JSON with a key twice, and a mistake": Hostile(
        insert_at('"byline": null', '"byline": "A", "byline": "B", "bylines": 1'),
        None,
        r"Extra inputs are not permitted",
        ".json",
    ),
}


# Only ever read by a `sayso load` whose memory and time are capped (see below).
CAPPED_ONLY = {
    "a billion laughs": Hostile(lambda _text: BILLION_LAUGHS, "b: &b", r"'\*a' is an alias"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_with_its_line_and_nothing_is_written(
    name: str, engine: Engine, seed_copy: Path
) -> None:
    case = HOSTILE[name]
    with session_scope(engine) as session:  # something in the database already
        load(session, [seed_copy / FIRST])
    before = snapshot(engine)
    path = seed_copy / FIRST
    if case.suffix == ".json":
        path = as_json(path)
    hostile = case.change(path.read_text())
    path.write_text(hostile)

    with pytest.raises(InvalidAnnotations) as caught, session_scope(engine) as session:
        load(session, [seed_copy])

    assert snapshot(engine) == before
    problem = next((p for p in caught.value.problems if re.search(case.message, p.message)), None)
    assert problem is not None, caught.value.problems
    assert problem.file == path
    if case.at is not None:
        marked = [n for n, line in enumerate(hostile.splitlines(), 1) if case.at in line]
        assert problem.line in marked, (problem, marked[:3])


def test_a_document_holding_a_nul_is_refused(engine: Engine, seed_copy: Path) -> None:
    path = seed_copy / FIRST
    document = seed_copy.parent / "documents" / FIRST.replace(".yaml", ".txt")
    text_ = document.read_bytes()
    hostile = text_.replace(b"Moscow", b"Mos\x00cow", 1)
    document.write_bytes(hostile)
    old_sha, new_sha = (hashlib.sha256(t).hexdigest() for t in (text_, hostile))
    path.write_text(path.read_text().replace(old_sha, new_sha))
    before = snapshot(engine)
    with pytest.raises(InvalidAnnotations) as caught, session_scope(engine) as session:
        load(session, [seed_copy])
    assert snapshot(engine) == before
    [problem] = caught.value.problems
    nul_line = hostile[: hostile.index(b"\x00")].count(b"\n") + 1
    assert problem.field == "source.document"
    assert problem.message.endswith(f"has a NUL on line {nul_line}"), problem


def test_a_file_that_is_not_utf8_is_refused_with_its_line(engine: Engine, seed_copy: Path) -> None:
    path = seed_copy / FIRST
    raw = path.read_bytes()
    at = raw.index(b"title: Putin")
    path.write_bytes(raw[:at] + b"\xff" + raw[at:])
    with pytest.raises(InvalidAnnotations) as caught, session_scope(engine) as session:
        load(session, [seed_copy])
    [problem] = caught.value.problems
    assert problem.line == raw[:at].count(b"\n") + 1, problem
    assert problem.message == f"is not UTF-8 text (invalid start byte at byte {at})"


def sayso_capped(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`sayso ARGS` with its memory capped and a time limit: a load that starts expanding a
    file without bound fails fast instead of taking the machine."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env={**os.environ, "SAYSO_DATABASE_URL": db_url},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=LOAD_TIMEOUT_S,
        preexec_fn=cap,
    )


def test_sayso_load_says_file_and_line_never_a_traceback(
    db_url: str, engine: Engine, seed_copy: Path
) -> None:
    # One load of several hostile files: each is reported, with its line.
    seed = (seed_copy / FIRST).read_text()
    json_seed = as_json(seed_copy / FIRST).read_text()
    cases = {**HOSTILE, **CAPPED_ONLY}
    files: dict[Path, tuple[Hostile, str]] = {}
    for n, name in enumerate(
        ["a NUL byte", "flow nesting 1,000 deep", "a billion laughs", "JSON nested 1,000 deep"]
    ):
        case = cases[name]
        path = seed_copy / f"hostile_{n}{case.suffix}"
        hostile = case.change(json_seed if case.suffix == ".json" else seed)
        path.write_text(hostile)
        files[path] = (case, hostile)
    before = snapshot(engine)

    result = sayso_capped(db_url, "load", str(seed_copy))

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    for path, (case, hostile) in files.items():
        found = re.search(re.escape(str(path)) + r":(\d+): (.*)", result.stderr)
        assert found, (path, result.stderr)
        assert re.search(case.message, found.group(2)), result.stderr
        if case.at is not None:
            assert case.at in hostile.splitlines()[int(found.group(1)) - 1]
    assert "nothing was written" in result.stderr
    assert snapshot(engine) == before


def test_sayso_extract_refuses_aliases_in_its_metadata(tmp_path: Path) -> None:
    # The article's metadata (`sayso extract --meta`) is read as safely as an annotation.
    article = tmp_path / "article.txt"
    article.write_text("Ana Silva said on Monday that the bridge would reopen in May.\n")
    meta = tmp_path / "meta.yaml"
    meta.write_text(BILLION_LAUGHS)
    result = sayso_capped(
        "sqlite:///" + str(tmp_path / "none.db"),
        "extract",
        str(article),
        "--meta",
        str(meta),
        "--no-db",
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert f"error: {meta}:3: '*a' is an alias" in result.stderr, result.stderr
