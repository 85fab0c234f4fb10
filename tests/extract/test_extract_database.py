"""The extractor against a real database (SQLite and PostgreSQL): a re-report of the seed story
lands on the seed's claims and statements, and its draft loads with the real loader."""

import os
from pathlib import Path

import yaml
from extract_support import KYIV, appearances, seed_known
from seed_facts import SEED_ANNOTATIONS
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.db.engine import session_scope
from app.extract.article import ArticleMeta
from app.extract.known_db import known_from_db
from app.extract.pipeline import Extraction, extract
from app.ingest.loader import load
from app.models import Appearance, Source, Statement

# The seed's statements the Kyiv Ledger's text reports again, in its own words.
REPORTED_AGAIN = {
    "kremlin-denies-putin-proposed-ceasefire",
    "peskov-denies-peace-proposals",
    "three-sources-us-rejected-ceasefire",
    "three-sources-putin-proposed-freeze",
    "senior-source-contacts-came-to-nothing",
    "us-source-denies-official-contact",
    "us-source-no-talks-without-ukraine",
}


def _from_db(engine: Engine, text: str, meta: ArticleMeta) -> Extraction:
    with Session(engine) as session:
        return extract(text, meta, lookup=lambda a: known_from_db(session, a, meta.outlet))


def _refs(result: Extraction) -> set[str]:
    return {s["ref"] for s in result.draft["statements"] if "ref" in s}


def test_a_re_report_lands_on_the_known_statements(seeded_engine: Engine) -> None:
    text = KYIV.read_text(encoding="utf-8")
    result = _from_db(seeded_engine, text, ArticleMeta(slug="kyiv-ledger-test"))
    assert _refs(result) >= REPORTED_AGAIN
    declined = [s for s in result.draft["statements"] if s.get("stance") == "declines_to_comment"]
    assert {s["claim"] for s in declined} == {"putin-signalled-ceasefire-2023"}
    zelenskyy = [s for s in result.draft["statements"] if s.get("speaker") == "volodymyr-zelenskyy"]
    assert zelenskyy, "a known actor is resolved even when his statement is new"


def test_the_database_and_the_seed_files_give_the_same_draft(seeded_engine: Engine) -> None:
    text = KYIV.read_text(encoding="utf-8")
    meta = ArticleMeta(slug="kyiv-ledger-test")
    from_db = _from_db(seeded_engine, text, meta)
    from_files = extract(text, meta, seed_known())
    assert from_db.draft == from_files.draft


def test_new_slugs_do_not_collide_with_the_database(seeded_engine: Engine) -> None:
    text = "Kremlin spokesman Dmitry Peskov said on Monday that the harvest had been poor."
    result = _from_db(
        seeded_engine, text, ArticleMeta(slug="indiatv-2024-02-14-putin-ceasefire-rejected")
    )
    # The source slug was given, so it is kept (loading it would be refused); every slug the
    # extractor made up itself is free.
    with Session(seeded_engine) as session:
        for s in result.draft["statements"]:
            assert session.scalar(select(Statement.id).where(Statement.slug == s["slug"])) is None


def test_the_draft_of_a_new_article_loads_with_the_seed(engine: Engine, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        load(session, [SEED_ANNOTATIONS])
    text = KYIV.read_text(encoding="utf-8")
    draft_path = tmp_path / "kyiv.yaml"
    document = os.path.relpath(KYIV, tmp_path)
    meta = ArticleMeta(slug="kyiv-ledger-test", title="Kremlin rejects report", document=document)
    result = _from_db(engine, text, meta)
    draft_path.write_text(yaml.safe_dump(result.draft, sort_keys=False, allow_unicode=True))
    with session_scope(engine) as session:
        counts = load(session, [draft_path])
    assert counts["appearances"] == len(appearances(result))
    with Session(engine) as session:
        source_id = session.scalar(select(Source.id).where(Source.slug == "kyiv-ledger-test"))
        stored = session.scalar(
            select(func.count()).select_from(Appearance).where(Appearance.source_id == source_id)
        )
        assert stored == len(appearances(result))
        peskov = session.scalar(
            select(func.count())
            .select_from(Appearance)
            .join(Statement, Statement.id == Appearance.statement_id)
            .where(Statement.slug == "peskov-denies-peace-proposals")
        )
        assert peskov == 2  # India TV's appearance, and now the Kyiv Ledger's
    with session_scope(engine) as session:
        again = load(session, [draft_path])
    assert not any(again.values())
