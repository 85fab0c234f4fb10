"""`sayso extract` then `sayso load`, as a person runs them; `sayso eval-extract` prints its
figures for both halves."""

import os
import re
from pathlib import Path

import yaml
from conftest import sayso
from extract_support import BENCH

from app.extract import evaluate

ARTICLE = BENCH / "dev" / "documents" / "trackside-2025-07-18-osei-suspended.txt"


def test_extract_then_load(seeded_db_url: str, tmp_path: Path) -> None:
    db_url = seeded_db_url
    meta = tmp_path / "meta.yaml"
    meta.write_text(
        yaml.safe_dump(
            {
                "slug": "trackside-osei-test",
                "title": "Sprinter Amara Osei provisionally suspended after positive test",
                "outlet": "trackside-test",
                "outlet_name": "Trackside",
            }
        )
    )
    draft = tmp_path / "draft.yaml"
    made = sayso(db_url, "extract", str(ARTICLE), "--meta", str(meta), "--out", str(draft))
    assert made.returncode == 0, made.stderr
    assert re.search(r"\d+ statement\(s\) drafted", made.stderr)
    text = draft.read_text()
    assert text.startswith("# Draft made by `sayso extract`")
    data = yaml.safe_load(text)
    assert data["source"]["document"] == os.path.relpath(ARTICLE, tmp_path)
    assert data["source"]["outlet"] == "trackside-test"
    assert [f["kind"] for f in data["source"]["furniture"]] == ["advertisement", "teaser"]
    loaded = sayso(db_url, "load", str(draft))
    assert loaded.returncode == 0, loaded.stderr
    assert "loaded: " in loaded.stderr and "statements" in loaded.stderr


def test_extract_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    article = tmp_path / "latin1.txt"
    article.write_bytes("Le porte-parole a d\xe9clar\xe9".encode("latin-1"))
    made = sayso(f"sqlite:///{tmp_path / 'no.db'}", "extract", str(article), "--no-db")
    assert made.returncode == 1
    assert "not UTF-8" in made.stderr


def test_eval_extract_prints_both_halves(tmp_path: Path) -> None:
    run = sayso(f"sqlite:///{tmp_path / 'no.db'}", "eval-extract", "--no-speed")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    header = next(line for line in lines if line.strip().startswith("dev"))
    assert header.split() == ["dev", "held-out"]
    for label in ("statement precision", "statement recall", "speaker accuracy", "denial recall"):
        row = next(line for line in lines if line.startswith(label))
        values = [float(v) for v in re.findall(r"\b[01]\.\d{3}\b", row)]
        assert len(values) == 2 and all(0 <= v <= 1 for v in values), row


def test_the_dev_half_scores_what_the_documentation_reports() -> None:
    """A regression guard: the rules were tuned on the dev half; a change that loses much of
    what they find there shows here (the held-out figures are reported, never asserted)."""
    dev = evaluate.evaluate(["dev"])["dev"]
    assert dev.precision >= 0.9 and dev.recall >= 0.8


def test_span_overlap_is_intersection_over_union() -> None:
    assert evaluate.overlap((0, 10), (5, 15)) == 5 / 15
    assert evaluate.overlap((0, 10), (0, 10)) == 1.0
    assert evaluate.overlap((0, 10), (10, 20)) == 0.0
