"""Source queries: documents with their dates, citations, furniture, and what they report."""

from typing import Any

from sqlalchemy import Connection, func, select, tuple_
from sqlalchemy.orm import aliased

from app.errors import NotFound
from app.lookups import id_for_slug
from app.models import (
    Actor,
    Appearance,
    Source,
    SourceCitation,
    SourceDate,
    SourceFurniture,
    Statement,
)
from app.pagination import PageParams, page
from app.statements.service import (
    APPEARANCE_COLUMNS,
    STATEMENT_ROWS,
    actor_brief,
    appearance_fields,
    statement_brief,
)

Outlet = aliased(Actor, name="outlet")

_appearance_count = (
    select(func.count())
    .where(Appearance.source_id == Source.id)
    .correlate(Source)
    .scalar_subquery()
    .label("appearance_count")
)

_SOURCE_ROWS = select(
    Source.id,
    Source.slug,
    Source.title,
    Source.url,
    Source.byline,
    Source.language,
    Source.description,
    Source.sha256,
    Source.reported_on,
    (Source.text.is_not(None)).label("has_text"),
    Outlet.slug.label("outlet_slug"),
    Outlet.name.label("outlet_name"),
    Outlet.kind.label("outlet_kind"),
    _appearance_count,
).outerjoin(Outlet, Outlet.id == Source.outlet_id)


def _brief(row: Any) -> dict[str, Any]:
    return {
        "slug": row.slug,
        "title": row.title,
        "outlet": actor_brief(row.outlet_slug, row.outlet_name, row.outlet_kind),
        "reported_on": row.reported_on,
    }


def _source(row: Any) -> dict[str, Any]:
    return {
        **_brief(row),
        "url": row.url,
        "byline": row.byline,
        "language": row.language,
        "description": row.description,
        "sha256": row.sha256,
        "has_text": bool(row.has_text),
        "appearance_count": row.appearance_count,
    }


def list_sources(
    conn: Connection,
    params: PageParams,
    *,
    outlet: str | None = None,
    language: str | None = None,
) -> dict[str, Any]:
    """A page of sources in id order, optionally from one outlet or in one language."""
    query = _SOURCE_ROWS
    if outlet is not None:
        query = query.where(Source.outlet_id == id_for_slug(conn, "actor", outlet))
    if language is not None:
        query = query.where(Source.language == language)
    after = params.after()
    if after is not None:
        query = query.where(Source.id > after[0])
    rows = conn.execute(query.order_by(Source.id).limit(params.limit + 1)).all()
    kept, next_cursor = page(rows, params, lambda r: (r.id,))
    return {"items": [_source(r) for r in kept], "next_cursor": next_cursor}


def _span(start: int | None, end: int | None) -> dict[str, int] | None:
    return None if start is None or end is None else {"start": start, "end": end}


def _citations(conn: Connection, source_id: int, *, cited_by: bool) -> list[dict[str, Any]]:
    mine, theirs = (
        (SourceCitation.cited_source_id, SourceCitation.source_id)
        if cited_by
        else (SourceCitation.source_id, SourceCitation.cited_source_id)
    )
    rows = conn.execute(
        _SOURCE_ROWS.add_columns(
            SourceCitation.evidence, SourceCitation.span_start, SourceCitation.span_end
        )
        .join(SourceCitation, theirs == Source.id)
        .where(mine == source_id)
        .order_by(SourceCitation.id)
    )
    return [
        {
            "source": _brief(r),
            "evidence": None
            if r.evidence is None
            else {"text": r.evidence, "start": r.span_start, "end": r.span_end},
        }
        for r in rows
    ]


def get_source(conn: Connection, slug: str) -> dict[str, Any]:
    """One source in full: text, every printed date, what it cites and is cited by, furniture."""
    row = conn.execute(_SOURCE_ROWS.add_columns(Source.text).where(Source.slug == slug)).first()
    if row is None:
        raise NotFound(f"No source with slug '{slug}'.")
    dates = conn.execute(
        select(
            SourceDate.kind,
            SourceDate.printed,
            SourceDate.day,
            SourceDate.at,
            SourceDate.span_start,
            SourceDate.span_end,
            SourceDate.note,
        )
        .where(SourceDate.source_id == row.id)
        .order_by(SourceDate.id)
    )
    furniture = conn.execute(
        select(SourceFurniture.kind, SourceFurniture.span_start, SourceFurniture.span_end)
        .where(SourceFurniture.source_id == row.id)
        .order_by(SourceFurniture.span_start)
    )
    return {
        **_source(row),
        "text": row.text,
        "dates": [
            {
                "kind": d.kind,
                "printed": d.printed,
                "day": d.day,
                "at": d.at,
                "span": _span(d.span_start, d.span_end),
                "note": d.note,
            }
            for d in dates
        ],
        "cites": _citations(conn, row.id, cited_by=False),
        "cited_by": _citations(conn, row.id, cited_by=True),
        "furniture": [
            {"kind": f.kind, "span": {"start": f.span_start, "end": f.span_end}} for f in furniture
        ],
    }


def get_source_text(conn: Connection, slug: str) -> str:
    """The stored text of a source, or NotFound when it has none."""
    row = conn.execute(select(Source.text).where(Source.slug == slug)).first()
    if row is None:
        raise NotFound(f"No source with slug '{slug}'.")
    if row.text is None:
        raise NotFound(f"Source '{slug}' is cited, but its text is not held.")
    return str(row.text)


def source_appearances(conn: Connection, slug: str, params: PageParams) -> dict[str, Any]:
    """A page of what a source reports, in text order, each with the statement it reports."""
    source_id = id_for_slug(conn, "source", slug)
    query = (
        STATEMENT_ROWS.add_columns(*APPEARANCE_COLUMNS)
        .join(Appearance, Appearance.statement_id == Statement.id)
        .where(Appearance.source_id == source_id)
    )
    after = params.after(2)
    if after is not None:
        query = query.where(tuple_(Appearance.span_start, Appearance.id) > tuple_(*after))
    rows = conn.execute(
        query.order_by(Appearance.span_start, Appearance.id).limit(params.limit + 1)
    ).all()
    kept, next_cursor = page(rows, params, lambda r: (r.span_start, r.appearance_id))
    return {"items": [_source_appearance(r) for r in kept], "next_cursor": next_cursor}


def _source_appearance(row: Any) -> dict[str, Any]:
    return {**appearance_fields(row), "statement": statement_brief(row)}
