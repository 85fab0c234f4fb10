"""Source queries: documents with their dates, citations, furniture, and what they report."""

from functools import cache

from sqlalchemy import bindparam, func, select, tuple_
from sqlalchemy.orm import aliased

from app.db.reads import SQL, AnySelect, ReadDB, Row, count, count_of, iso_instant
from app.db.review import confirmed
from app.models import (
    Actor,
    Appearance,
    Source,
    SourceCitation,
    SourceDate,
    SourceFurniture,
    Statement,
)
from app.models.enums import ReviewStatus
from app.shared.briefs import Located, SourceBrief
from app.shared.lookups import id_for_slug, id_of
from app.shared.statement_rows import (
    APPEARANCE_COLUMNS,
    STATEMENT_ROWS,
    appearance_fields,
    linked_actor,
    statement_brief,
)
from app.sources.schemas import CitationRead, SourceDetail, SourceRead, SourceUnderReview
from app.statements.schemas import SourceAppearance
from app.web.errors import NotFound
from app.web.pagination import ID, OFFSET, Page, PageParams, page

Outlet = aliased(Actor, name="outlet")

# Reports shown with confirmed data: confirmed ones of confirmed statements (a draft statement's
# report may be confirmed already, and is counted once the statement is).
_appearance_count = (
    select(func.count())
    .select_from(Appearance)
    .join(Statement, Statement.id == Appearance.statement_id)
    .where(
        Appearance.source_id == Source.id,
        confirmed(Appearance.status),
        confirmed(Statement.status),
    )
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
    Source.reported_on_basis,
    (Source.text.is_not(None)).label("has_text"),
    Outlet.slug.label("outlet_slug"),
    Outlet.name.label("outlet_name"),
    Outlet.kind.label("outlet_kind"),
    _appearance_count,
).outerjoin(Outlet, Outlet.id == Source.outlet_id)


def _brief(row: Row) -> SourceBrief:
    return {
        "slug": row["slug"],
        "title": row["title"],
        "outlet": linked_actor(row["outlet_slug"], row["outlet_name"], row["outlet_kind"]),
        "reported_on": row["reported_on"],
    }


def _source(row: Row) -> SourceRead:
    return {
        **_brief(row),
        "reported_on_basis": row["reported_on_basis"],
        "url": row["url"],
        "byline": row["byline"],
        "language": row["language"],
        "description": row["description"],
        "sha256": row["sha256"],
        "has_text": bool(row["has_text"]),
        "appearance_count": row["appearance_count"],
    }


def _matching(query: AnySelect, outlet: bool, language: bool) -> AnySelect:
    if outlet:
        query = query.where(Source.outlet_id == id_of("actor", "outlet"))
    if language:
        query = query.where(Source.language == bindparam("language"))
    return query


@cache
def _list_query(outlet: bool, language: bool, after: bool) -> SQL:
    query = _matching(_SOURCE_ROWS, outlet, language)
    if after:
        query = query.where(Source.id > bindparam("after"))
    return SQL(query.order_by(Source.id).limit(bindparam("limit")))


@cache
def _count_query(outlet: bool, language: bool) -> SQL:
    return count_of(_matching(select(Source.id), outlet, language))


def list_sources(
    db: ReadDB,
    params: PageParams,
    *,
    outlet: str | None = None,
    language: str | None = None,
) -> Page[SourceRead]:
    """A page of sources in id order, optionally from one outlet or in one language."""
    after = params.after()
    query = _list_query(outlet is not None, language is not None, after is not None)
    values = {
        "outlet": outlet,
        "language": language,
        "after": after[0] if after else None,
        "limit": params.limit + 1,
    }
    rows = db.all(query, values)
    if not rows and outlet is not None:
        id_for_slug(db, "actor", outlet)
    kept, next_cursor = page(rows, params, lambda r: (r["id"],))
    found: Page[SourceRead] = {"items": [_source(r) for r in kept], "next_cursor": next_cursor}
    if params.count:
        found["total"] = count(db, _count_query(outlet is not None, language is not None), values)
    return found


def _citations(cited_by: bool) -> SQL:
    mine, theirs = (
        (SourceCitation.cited_source_id, SourceCitation.source_id)
        if cited_by
        else (SourceCitation.source_id, SourceCitation.cited_source_id)
    )
    return SQL(
        _SOURCE_ROWS.add_columns(
            SourceCitation.evidence,
            SourceCitation.span_start.label("evidence_start"),
            SourceCitation.span_end.label("evidence_end"),
        )
        .join(SourceCitation, theirs == Source.id)
        .where(mine == bindparam("id"))
        .order_by(SourceCitation.id)
    )


_ONE = SQL(
    _SOURCE_ROWS.add_columns(Source.text, Source.version).where(Source.slug == bindparam("slug"))
)
_DATES = SQL(
    select(
        SourceDate.kind,
        SourceDate.printed,
        SourceDate.day,
        SourceDate.at,
        SourceDate.span_start,
        SourceDate.span_end,
        SourceDate.note,
    )
    .where(SourceDate.source_id == bindparam("id"))
    .order_by(SourceDate.id)
)
_FURNITURE = SQL(
    select(SourceFurniture.kind, SourceFurniture.span_start, SourceFurniture.span_end)
    .where(SourceFurniture.source_id == bindparam("id"))
    .order_by(SourceFurniture.span_start)
)
_CITES, _CITED_BY = _citations(cited_by=False), _citations(cited_by=True)


def _citation(row: Row) -> CitationRead:
    evidence: Located | None = None
    if row["evidence"] is not None:
        evidence = {
            "text": row["evidence"],
            "start": row["evidence_start"],
            "end": row["evidence_end"],
        }
    return {"source": _brief(row), "evidence": evidence}


def get_source(db: ReadDB, slug: str) -> SourceDetail:
    """One source in full: text, every printed date, what it cites and is cited by, furniture."""
    row = db.one(_ONE, {"slug": slug})
    if row is None:
        raise NotFound.slug_of("source", slug)
    key = {"id": row["id"]}
    return {
        **_source(row),
        "text": row["text"],
        "dates": [
            {
                "kind": d["kind"],
                "printed": d["printed"],
                "day": d["day"],
                "at": None if d["at"] is None else iso_instant(d["at"]),
                "span": None
                if d["span_start"] is None
                else {"start": d["span_start"], "end": d["span_end"]},
                "note": d["note"],
            }
            for d in db.all(_DATES, key)
        ],
        "cites": [_citation(c) for c in db.all(_CITES, key)],
        "cited_by": [_citation(c) for c in db.all(_CITED_BY, key)],
        "furniture": [
            {"kind": f["kind"], "span": {"start": f["span_start"], "end": f["span_end"]}}
            for f in db.all(_FURNITURE, key)
        ],
        "version": row["version"],
    }


_TEXT = SQL(select(Source.text, Source.sha256).where(Source.slug == bindparam("slug")))


def get_source_text(db: ReadDB, slug: str) -> tuple[str, str]:
    """The stored text of a source and its SHA-256, or NotFound when it has none."""
    row = db.one(_TEXT, {"slug": slug})
    if row is None:
        raise NotFound.slug_of("source", slug)
    if row["text"] is None:
        raise NotFound(f"Source '{slug}' is cited, but its text is not held.")
    return str(row["text"]), str(row["sha256"])


@cache
def _appearances_query(after: bool) -> SQL:
    query = (
        STATEMENT_ROWS.add_columns(*APPEARANCE_COLUMNS)
        .join(Appearance, Appearance.statement_id == Statement.id)
        .where(
            Appearance.source_id == id_of("source", "slug"),
            confirmed(Appearance.status),
            confirmed(Statement.status),
        )
    )
    if after:
        query = query.where(
            tuple_(Appearance.span_start, Appearance.id)
            > tuple_(bindparam("after_start"), bindparam("after_id"))
        )
    return SQL(query.order_by(Appearance.span_start, Appearance.id).limit(bindparam("limit")))


def source_appearances(db: ReadDB, slug: str, params: PageParams) -> Page[SourceAppearance]:
    """A page of what a source reports, in text order, each with the statement it reports."""
    after = params.after(OFFSET, ID)
    rows = db.all(
        _appearances_query(after is not None),
        {
            "slug": slug,
            "after_start": after[0] if after else None,
            "after_id": after[1] if after else None,
            "limit": params.limit + 1,
        },
    )
    if not rows:
        id_for_slug(db, "source", slug)
    kept, next_cursor = page(rows, params, lambda r: (r["span_start"], r["appearance_id"]))
    return {
        "items": [{**appearance_fields(r), "statement": statement_brief(r)} for r in kept],
        "next_cursor": next_cursor,
    }


_LATEST = SQL(
    _SOURCE_ROWS.where(Source.text.is_not(None))
    .order_by(Source.reported_on.desc().nulls_last(), Source.id.desc())
    .limit(bindparam("limit"))
)


def latest_sources(db: ReadDB, limit: int) -> list[SourceRead]:
    """The sources whose text is held, the latest reported first (undated ones last)."""
    return [_source(r) for r in db.all(_LATEST, {"limit": limit})]


# Sources by their oldest report still proposed (of a statement not rejected: a rejected
# statement leaves the review queue, its reports as they were).
_UNDER_REVIEW = SQL(
    select(Source.slug, Source.title, func.count().label("reports"))
    .join(Appearance, Appearance.source_id == Source.id)
    .join(Statement, Statement.id == Appearance.statement_id)
    .where(Appearance.status == ReviewStatus.proposed, Statement.status != ReviewStatus.rejected)
    .group_by(Source.id, Source.slug, Source.title)
    .order_by(func.min(Appearance.id))
    .limit(bindparam("limit"))
)


def sources_under_review(db: ReadDB, limit: int) -> list[SourceUnderReview]:
    """The sources with proposed reports, the one waiting longest first, and how many each has.
    (It scans the reports: their status has no index of its own. An editor's page.)"""
    return [
        {"slug": r["slug"], "title": r["title"], "reports": r["reports"]}
        for r in db.all(_UNDER_REVIEW, {"limit": limit})
    ]
