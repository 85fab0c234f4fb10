"""Bad annotation files are refused with file, line and field, and nothing of them is written."""

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import sayso
from seed_facts import SEED_ANNOTATIONS
from sqlalchemy import Engine
from test_loader import load_paths, snapshot

from app.config import PROJECT_ROOT
from app.ingest.problems import InvalidAnnotations

FIRST, SECOND = (p.name for p in sorted(SEED_ANNOTATIONS.glob("*.yaml")))


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of seed_data/ (annotations and documents, same layout)."""
    shutil.copytree(PROJECT_ROOT / "seed_data", tmp_path / "seed_data")
    return tmp_path / "seed_data" / "annotations"


@dataclass
class Breakage:
    """How to break one seed file, and what the loader must then say."""

    file: str
    change: Callable[[str], str]  # the file's text -> the broken text
    marker: str  # a text on the line the error must point at, after the change
    field: str  # a regex the reported field must match
    message: str  # a regex the message must match


def replace_first(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, f"the seed file no longer contains {old!r}"
        return text.replace(old, new, 1)

    return change


def replace_last(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, f"the seed file no longer contains {old!r}"
        head, _, tail = text.rpartition(old)
        return head + new + tail

    return change


BREAKAGES = {
    "quote not in the text": Breakage(
        FIRST,
        replace_first("quote: No. It is not true", "quote: No. It is not false"),
        "It is not false",
        r"^statements\[\d+\]\.appearances\[0\]\.quote$",
        r"is not in the document",
    ),
    "quote in page furniture": Breakage(
        FIRST,
        replace_first("quote: No. It is not true", "quote: Advertisement"),
        "quote: Advertisement",
        r"^statements\[\d+\]\.appearances\[0\]\.quote$",
        r"only in page furniture",
    ),
    "ambiguous quote": Breakage(
        FIRST,
        replace_first("quote: No. It is not true", "quote: Vladimir Putin"),
        "quote: Vladimir Putin",
        r"\.quote$",
        r"occurs \d+ times .*'occurrence' or 'after'",
    ),
    "unknown actor": Breakage(
        FIRST,
        replace_first("speaker: dmitry-peskov", "speaker: dmitri-peskov"),
        "dmitri-peskov",
        r"^statements\[\d+\]\.speaker$",
        r"unknown actor 'dmitri-peskov'",
    ),
    "unknown stance": Breakage(
        FIRST,
        replace_first("stance: denies", "stance: refutes"),
        "stance: refutes",
        r"^statements\[\d+\]\.stance$",
        r"'asserts'.*'declines_to_comment'",
    ),
    "unknown field": Breakage(
        FIRST,
        replace_first("stance: denies", "stance: denies\n    speeker: kremlin"),
        "speeker",
        r"^statements\[\d+\]\.speeker$",
        r"Extra inputs are not permitted",
    ),
    "duplicate slug": Breakage(
        SECOND,
        replace_first(
            "\nclaims:\n", "\nclaims:\n  - slug: us-rejected-putin-ceasefire\n    text: X.\n"
        ),
        "slug: us-rejected-putin-ceasefire",
        r"^claims\[0\]\.slug$",
        r"claim 'us-rejected-putin-ceasefire' is declared twice \(also .*" + re.escape(FIRST),
    ),
    "malformed YAML": Breakage(
        FIRST,
        replace_first("stance: denies", "stance: [denies"),
        "",
        r"^$",
        r"not valid YAML",
    ),
    "a denial written in a file": Breakage(
        FIRST,
        replace_first("  - kind: inconsistency", "  - kind: denial"),
        "kind: denial",
        r"^contradictions\[\d+\]$",
        r"sayso finds denials from the stances: a file only records a rejected one",
    ),
    "a confirmed statement with no confirmed appearance": Breakage(
        FIRST,
        replace_first(
            "        attribution: Kremlin spokesman Dmitry Peskov said\n",
            "        attribution: Kremlin spokesman Dmitry Peskov said\n        status: proposed\n",
        ),
        "slug: peskov-denies-peace-proposals",
        r"^statements\[\d+\]\.status$",
        r"statement 'peskov-denies-peace-proposals' is confirmed but none of its appearances is",
    ),
    "misreport of an appearance that does not exist": Breakage(
        SECOND,
        replace_last("including through his opponents\n", "including through his friends\n"),
        "through his friends",
        r"^contradictions\[0\]\.b\.quote$",
        r"has no appearance in 'dantri-2024-putin-ceasefire-revealed'",
    ),
    "a reporting date over a printed publication date": Breakage(
        FIRST,
        replace_first(
            "  cites:\n    - source: reuters",
            "  reported_on: 2024-02-13\n  reported_on_basis: A guess.\n"
            "  cites:\n    - source: reuters",
        ),
        "reported_on: 2024-02-13",
        r"^source\.reported_on$",
        r"prints its publication date \('Feb 14, 2024 23:55 IST'\)",
    ),
    "a reporting date's basis without the date": Breakage(
        SECOND,
        replace_first("  reported_on: 2024-02-12\n", ""),
        "reported_on_basis:",
        r"^source\.reported_on_basis$",
        r"give the reported_on it explains",
    ),
}


@pytest.mark.parametrize("name", BREAKAGES)
def test_a_broken_file_is_refused_and_nothing_is_written(
    name: str, engine: Engine, seed_copy: Path
) -> None:
    breakage = BREAKAGES[name]
    # Something is in the database already: the first document, loaded on its own.
    if breakage.file == SECOND:
        load_paths(engine, seed_copy / FIRST)
    before = snapshot(engine)
    path = seed_copy / breakage.file
    broken = breakage.change(path.read_text())
    path.write_text(broken)

    with pytest.raises(InvalidAnnotations) as caught:
        load_paths(engine, seed_copy)

    assert snapshot(engine) == before
    problem = next(p for p in caught.value.problems if re.search(breakage.message, p.message))
    assert problem.file == path
    assert re.search(breakage.field, problem.field), problem
    if breakage.marker:
        marked = [n for n, line in enumerate(broken.splitlines(), 1) if breakage.marker in line]
        assert problem.line in marked, problem
    else:
        assert problem.line is not None


def test_a_changed_document_is_refused_by_its_sha256(engine: Engine, seed_copy: Path) -> None:
    document = seed_copy.parent / "documents" / FIRST.replace(".yaml", ".txt")
    document.write_bytes(document.read_bytes() + b"\n")
    before = snapshot(engine)
    with pytest.raises(InvalidAnnotations) as caught:
        load_paths(engine, seed_copy)
    assert snapshot(engine) == before
    [problem] = caught.value.problems
    assert problem.field == "source.sha256"
    assert "changed since it was annotated" in problem.message
    assert (
        problem.line is not None
        and "sha256:" in ((seed_copy / FIRST).read_text().splitlines()[problem.line - 1])
    )


def test_every_problem_of_a_file_is_reported_at_once(engine: Engine, seed_copy: Path) -> None:
    path = seed_copy / FIRST
    text = path.read_text().replace("speaker: dmitry-peskov", "speaker: nobody-known")
    path.write_text(text.replace("claim: us-rejected-putin-ceasefire", "claim: no-such-claim"))
    with pytest.raises(InvalidAnnotations) as caught:
        load_paths(engine, seed_copy)
    messages = [p.message for p in caught.value.problems]
    assert any("unknown actor 'nobody-known'" in m for m in messages)
    assert any("unknown claim 'no-such-claim'" in m for m in messages)


def test_the_cli_names_file_line_and_field(db_url: str, seed_copy: Path) -> None:
    path = seed_copy / FIRST
    path.write_text(path.read_text().replace("quote: No. It is not true", "quote: Not there"))
    result = sayso(db_url, "load", str(seed_copy))
    assert result.returncode == 1
    assert re.search(
        re.escape(str(path)) + r":\d+: statements\[\d+\]\.appearances\[0\]\.quote: 'Not there' is "
        r"not in the document",
        result.stderr,
    ), result.stderr
    assert "nothing was written" in result.stderr


def test_the_cli_loads_then_reports_nothing_new(db_url: str) -> None:
    def run() -> str:
        result = sayso(db_url, "load", str(SEED_ANNOTATIONS))
        assert result.returncode == 0, result.stderr
        return result.stderr

    first = run()
    assert re.search(r"loaded: \d+ actors, \d+ claims, \d+ sources, \d+ statements", first)
    assert "[1/2] read" in first and "[2/2] read" in first  # progress
    assert "loaded: nothing new" in run()


def test_json_annotations_load_and_report_lines_too(engine: Engine, seed_copy: Path) -> None:
    """The bulk format: the same fields in JSON syntax, with errors located by line as well."""
    import json

    import yaml

    for path in sorted(seed_copy.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        path.with_suffix(".json").write_text(json.dumps(data, indent=2, default=str))
        path.unlink()
    first = seed_copy / FIRST.replace(".yaml", ".json")
    text = first.read_text()
    first.write_text(text.replace('"No. It is not true"', '"No. It is not false"'))
    with pytest.raises(InvalidAnnotations) as caught:
        load_paths(engine, seed_copy)
    [problem] = caught.value.problems
    assert problem.file == first
    assert "It is not false" in first.read_text().splitlines()[problem.line - 1]  # type: ignore[operator]
    first.write_text(text)
    counts = load_paths(engine, seed_copy)
    assert counts["statements"] > 0 and counts["appearances"] > counts["statements"]


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (
            "    recipient: reuters\n    appearances:\n      - quote: Putin's suggestion",
            "    recipient: reuters\n    context: Added later.\n    appearances:\n"
            "      - quote: Putin's suggestion",
            r"^statements\[\d+\]$",
            r"statement 'three-sources-us-rejected-ceasefire' is already in the database with "
            r"other context",
        ),
        (
            "        occurrence: 2\n        mode: indirect\n        hedge: allegedly",
            "        occurrence: 2\n        mode: direct\n        hedge: allegedly",
            r"^statements\[\d+\]\.appearances\[0\]$",
            r"appearance of 'three-sources-us-rejected-ceasefire' is already in the database "
            r"with other mode",
        ),
        (
            "  byline: null\n",
            "  byline: Aveek Banerjee\n",
            r"^source$",
            r"source 'indiatv-2024-02-14-putin-ceasefire-rejected' is already in the database "
            r"with other byline",
        ),
        (
            "      note: Printed at the top of the page without a label",
            "      note: Printed at the top of the page",
            r"^source$",
            r"with other dates",
        ),
    ],
    ids=["statement", "appearance", "source", "source dates"],
)
def test_a_reload_that_differs_from_the_database_is_refused(
    engine: Engine, seed_copy: Path, old: str, new: str, field: str, message: str
) -> None:
    """What is stored already is compared, never overwritten: the file is pointed at."""
    load_paths(engine, seed_copy)
    before = snapshot(engine)
    path = seed_copy / FIRST
    path.write_text(replace_first(old, new)(path.read_text()))
    with pytest.raises(InvalidAnnotations) as caught:
        load_paths(engine, seed_copy)
    assert snapshot(engine) == before
    [problem] = caught.value.problems
    assert problem.file == path
    assert re.search(field, problem.field), problem
    assert re.search(message, problem.message), problem
    assert problem.line is not None


def test_a_json_file_whose_document_is_missing_is_refused(engine: Engine, seed_copy: Path) -> None:
    """The bulk path reads documents ahead of the checks: a missing one is still reported."""
    import json

    import yaml

    for path in sorted(seed_copy.glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        path.with_suffix(".json").write_text(json.dumps(data, indent=2, default=str))
        path.unlink()
    (seed_copy.parent / "documents" / FIRST.replace(".yaml", ".txt")).unlink()
    with pytest.raises(InvalidAnnotations) as caught:
        load_paths(engine, seed_copy)
    [problem] = caught.value.problems
    first = seed_copy / FIRST.replace(".yaml", ".json")
    assert (problem.file, problem.field) == (first, "source.document")
    assert "cannot read" in problem.message
    assert '"document"' in first.read_text().splitlines()[problem.line - 1]  # type: ignore[operator]
