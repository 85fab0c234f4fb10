"""Data fidelity, checked in the database itself: every quote is verbatim in its source's stored
text, every statement is traceable to a source, every stored text is the document's bytes."""

import hashlib

from seed_facts import document_path, seed_files
from sqlalchemy import Engine, select

from app.models import Appearance, Source, SourceCitation, SourceDate, Statement
from app.search.index import SOURCES, row_key


def test_every_stored_span_holds_its_text_verbatim(seeded_engine: Engine) -> None:
    with seeded_engine.connect() as conn:
        texts = dict(conn.execute(select(Source.id, Source.text)).all())
        rows = conn.execute(select(Appearance)).all()
        assert rows
        for a in rows:
            text = texts[a.source_id]
            assert text[a.span_start : a.span_end] == a.quote
            if a.attribution is not None:
                assert text[a.attribution_start : a.attribution_end] == a.attribution
            if a.hedge is not None:
                assert text[a.hedge_start : a.hedge_end] == a.hedge
        for d in conn.execute(select(SourceDate)).all():
            assert texts[d.source_id][d.span_start : d.span_end] == d.printed
        for c in conn.execute(select(SourceCitation)).all():
            if c.evidence is not None:
                assert texts[c.source_id][c.span_start : c.span_end] == c.evidence


def test_every_statement_is_reported_by_a_source_with_text(seeded_engine: Engine) -> None:
    with seeded_engine.connect() as conn:
        orphans = conn.execute(
            select(Statement.slug).where(
                ~Statement.id.in_(
                    select(Appearance.statement_id)
                    .join(Source, Source.id == Appearance.source_id)
                    .where(Source.text.is_not(None))
                )
            )
        ).all()
    assert orphans == []


def test_stored_texts_are_the_documents_byte_for_byte(seeded_engine: Engine) -> None:
    with seeded_engine.connect() as conn:
        stored = dict(conn.execute(select(Source.slug, Source.text)).all())
        digests = dict(conn.execute(select(Source.slug, Source.sha256)).all())
    for f in seed_files():
        raw = document_path(f).read_bytes()
        slug = f["source"]["slug"]
        assert stored[slug].encode("utf-8") == raw
        assert digests[slug] == hashlib.sha256(raw).hexdigest() == f["source"]["sha256"]


def test_the_search_index_holds_every_searchable_text_once(seeded_engine: Engine) -> None:
    """Bulk loads index in bulk, later writes through triggers: both must write the same rows
    (keyed as the search_index migrations' triggers do)."""
    row_id = "rowid" if seeded_engine.dialect.name == "sqlite" else "id"
    expected = " UNION ALL ".join(
        f"SELECT {row_key(column, 'id', code)} AS k, {code} AS kind, id AS ref_id, "
        f"{column} AS body FROM {table}"
        for table, code, column in SOURCES
    )
    with seeded_engine.connect() as conn:
        indexed = sorted(
            map(
                tuple,
                conn.exec_driver_sql(f"SELECT {row_id}, kind, ref_id, body FROM search_index"),
            )
        )
        wanted = sorted(map(tuple, conn.exec_driver_sql(expected)))
    assert indexed == wanted
    assert len(wanted) > 100


def test_a_row_written_after_the_load_is_indexed_by_its_trigger(engine: Engine) -> None:
    from seed_facts import SEED_ANNOTATIONS

    from app.db.engine import session_scope
    from app.ingest.loader import load

    with session_scope(engine) as session:
        load(session, [SEED_ANNOTATIONS])
    row_id = "rowid" if engine.dialect.name == "sqlite" else "id"
    with engine.begin() as conn:
        claim_id = conn.exec_driver_sql(
            "INSERT INTO claims (slug, text) VALUES ('a-new-claim', 'Zanzibar is a moon') "
            "RETURNING id"
        ).scalar_one()
        found = conn.exec_driver_sql(
            f"SELECT {row_id}, kind, ref_id, body FROM search_index WHERE ref_id = {claim_id}"
        ).all()
    # Keyed by its length in words (4), then by id and kind code (app/search/index.py).
    key = (4 << 36) + claim_id * 4 + 1
    assert (key, 1, claim_id, "Zanzibar is a moon") in [tuple(r) for r in found]
