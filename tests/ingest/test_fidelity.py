"""Data fidelity, checked in the database itself: every quote is verbatim in its source's stored
text, every statement is traceable to a source, every stored text is the document's bytes."""

import hashlib

from seed_facts import document_path, seed_files
from sqlalchemy import Engine, select

from app.models import Appearance, Source, SourceCitation, SourceDate, Statement


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
