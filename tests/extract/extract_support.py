"""Helpers shared by the extraction tests: what the seed declares, and reading a draft."""

from functools import cache
from typing import Any

from seed_facts import SEED_ANNOTATIONS

from app.config import PROJECT_ROOT
from app.documents.spans import Document
from app.extract import gold
from app.extract.article import ArticleMeta
from app.extract.known import Known
from app.extract.pipeline import Extraction, extract
from app.ingest.spec import AnnotationFile

BENCH = PROJECT_ROOT / "bench" / "extract"
KYIV = BENCH / "dev" / "documents" / "kyiv-ledger-2024-02-14-kremlin-rejects-report.txt"


def seed_known() -> Known:
    """What a database holding the seed data knows (built from the seed files)."""
    return _seed_known()


@cache
def _seed_known() -> Known:
    known = Known()
    for path in sorted(SEED_ANNOTATIONS.glob("*.yaml")):
        gold.learn(known, gold.read(path).spec)
    return known


def run(text: str, known: Known | None = None, **meta: Any) -> Extraction:
    """Extract TEXT; the draft must always have the loader's shape."""
    result = extract(text, ArticleMeta(**meta), known)
    AnnotationFile.model_validate(result.draft)
    return result


def appearances(result: Extraction) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(statement, appearance) pairs of a draft."""
    return [(s, a) for s in result.draft["statements"] for a in s["appearances"]]


def statement_quoting(result: Extraction, words: str) -> dict[str, Any]:
    """The statement one of whose appearances quotes WORDS exactly."""
    found = [s for s, a in appearances(result) if a["quote"] == words]
    assert found, f"no appearance quotes {words!r}: {[a['quote'] for _, a in appearances(result)]}"
    return found[0]


def actor(result: Extraction, slug: str) -> dict[str, Any]:
    """A new actor the draft declares."""
    found = [a for a in result.draft["actors"] if a["slug"] == slug]
    assert found, f"no actor {slug}: {[a['slug'] for a in result.draft['actors']]}"
    return found[0]


def assert_placeable(text: str, result: Extraction) -> None:
    """Every quote, attribution and hedge is in the text, where the loader will look for it."""
    doc = Document(text, [])
    for _s, a in appearances(result):
        start, end = doc.place(a["quote"], occurrence=a.get("occurrence"), article_only=False)
        assert text[start:end] == a["quote"]
        for field in ("attribution", "hedge"):
            if a.get(field):
                assert a[field] in text
