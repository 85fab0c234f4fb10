"""Editing sources: create, update, delete and restore, with their text, dates and citations.

Dates and citations are found in the text and `reported_on` is worked out as the loader does
(app.ingest.validate). Once appearances or page furniture point into a text, it no longer
changes. Each function runs inside the request's transaction and records what it did in the
history (the row with its dates and citations); none commits.
"""

import datetime as dt
import hashlib
from typing import Any, NamedTuple

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import flag_modified

from app.contradictions.writes import rederive
from app.curation.editing import check_version
from app.curation.history import (
    Row,
    delete_object,
    record,
    require_alive,
    reserved,
    restore_object,
    row_of,
    table_of,
    tombstone,
)
from app.documents.dates import DateRefused, date_row, day_and_time, reporting_date
from app.documents.spans import Document, NotPlaced
from app.models import (
    Actor,
    Appearance,
    Source,
    SourceCitation,
    SourceDate,
    SourceFurniture,
    Statement,
)
from app.models.enums import ActorKind, ChangeAction, DateKind, ReviewStatus
from app.shared.dating import redate, reported_by
from app.shared.writes import invalid, restorable
from app.web.auth import Editor
from app.web.errors import Conflict, NotFound

TABLE = table_of(Source)
STATEMENTS = table_of(Statement)
DATES = table_of(SourceDate)
Cited = aliased(Source, name="cited")


class DateToWrite(NamedTuple):
    kind: DateKind
    printed: str
    day: dt.date
    at: dt.datetime | None
    occurrence: int | None
    note: str | None


class CiteToWrite(NamedTuple):
    source: str
    evidence: str | None
    occurrence: int | None


def source_by_slug(session: Session, slug: str) -> Source:
    """The live source SLUG names: 410 if it was deleted, 404 otherwise."""
    source = session.scalars(select(Source).where(Source.slug == slug)).first()
    if source is None:
        require_alive(session, "source", slug)
        raise NotFound.slug_of("source", slug)
    return source


def _snapshot(session: Session, source_id: int) -> Row | None:
    """The source as the history shows it: its row, its dates and what it cites."""
    row = row_of(TABLE, source_id, session)
    if row is None:
        return None
    date_ids = session.scalars(
        select(SourceDate.id).where(SourceDate.source_id == source_id).order_by(SourceDate.id)
    )
    dates = [row_of(DATES, i, session) or {} for i in date_ids]
    cites = session.execute(
        select(Cited.slug, SourceCitation.evidence, SourceCitation.span_start)
        .join(Cited, Cited.id == SourceCitation.cited_source_id)
        .where(SourceCitation.source_id == source_id)
        .order_by(SourceCitation.id)
    )
    return {
        **row,
        "dates": [{k: v for k, v in d.items() if k not in ("id", "source_id")} for d in dates],
        "cites": [{"source": c.slug, "evidence": c.evidence, "start": c.span_start} for c in cites],
    }


def _outlet_id(session: Session, slug: str | None) -> int | None:
    if slug is None:
        return None
    found = session.execute(select(Actor.id, Actor.kind).where(Actor.slug == slug)).one_or_none()
    if found is None:
        raise invalid("outlet", f"there is no actor '{slug}'")
    if found.kind != ActorKind.outlet:
        raise invalid("outlet", f"'{slug}' is a {found.kind}, not an outlet")
    return int(found.id)


def _at(prefix: str, name: str) -> str:
    """The field an error names: a given item's own field, or `text` for a stored one being
    found again in a new text."""
    return prefix if prefix == "text" else f"{prefix}.{name}"


def _place(
    doc: Document | None, field: str, words: str, occurrence: int | None
) -> tuple[int | None, int | None]:
    """Where WORDS stand in the text (none without a text); 422 naming FIELD if not there."""
    if doc is None:
        return None, None
    try:
        return doc.place(words, occurrence=occurrence, article_only=False)
    except NotPlaced as exc:
        again = "; it was in the old text: give `dates` and `cites` anew" if field == "text" else ""
        raise invalid(field, f"{exc}{again}") from exc


def _occurrence(old: str | None, words: str | None, start: int | None) -> int | None:
    """Which occurrence of WORDS in the OLD text starts at START: found again in a new text."""
    if old is None or words is None or start is None:
        return None
    starts = Document(old, []).occurrences(words)
    return starts.index(start) + 1 if start in starts else None


def _placed_dates(doc: Document | None, dates: list[tuple[str, DateToWrite]]) -> list[Any]:
    """DATES ((field, date) pairs) found in the text, as the loader keeps them."""
    placed = []
    for field, d in dates:
        start, end = _place(doc, _at(field, "printed"), d.printed, d.occurrence)
        placed.append((d.kind, d.printed, d.day, d.at, start, end, d.note))
    return placed


def _write_dates(session: Session, source: Source, placed: list[Any]) -> None:
    """Replace the source's dates with PLACED ones."""
    rows = []
    for kept in placed:
        row = date_row(source.slug, kept)
        del row["source"]
        rows.append({**row, "source_id": source.id})
    session.execute(delete(SourceDate).where(SourceDate.source_id == source.id))
    if rows:
        session.execute(insert(SourceDate), rows)


def _cite_rows(
    session: Session, slug: str, doc: Document | None, cites: list[tuple[str, CiteToWrite]]
) -> list[Row]:
    """CITES ((field, citation) pairs) of source SLUG, resolved and found in the text."""
    rows, seen = [], set()
    for field, c in cites:
        cited = session.scalar(select(Source.id).where(Source.slug == c.source))
        if cited is None:
            raise invalid(_at(field, "source"), f"there is no source '{c.source}'")
        if c.source == slug:
            raise invalid(_at(field, "source"), "a source cannot cite itself")
        if cited in seen:
            raise invalid(_at(field, "source"), f"'{c.source}' is cited twice")
        seen.add(cited)
        start: int | None = None
        end: int | None = None
        if c.evidence is not None:
            if doc is None:
                raise invalid(
                    _at(field, "evidence"),
                    f"the evidence of the citation of '{c.source}' needs the source's text",
                )
            start, end = _place(doc, _at(field, "evidence"), c.evidence, c.occurrence)
        rows.append(
            {"cited_source_id": cited, "evidence": c.evidence, "span_start": start, "span_end": end}
        )
    return rows


def _write_cites(session: Session, source: Source, rows: list[Row]) -> None:
    """Replace what the source cites with ROWS."""
    session.execute(delete(SourceCitation).where(SourceCitation.source_id == source.id))
    if rows:
        session.execute(insert(SourceCitation), [{**r, "source_id": source.id} for r in rows])


def _dates_given(dates: list[dict[str, Any]]) -> list[tuple[str, DateToWrite]]:
    given = []
    for i, d in enumerate(dates):
        day, at = day_and_time(d["value"])
        date = DateToWrite(d["kind"], d["printed"], day, at, d.get("occurrence"), d.get("note"))
        given.append((f"dates.{i}", date))
    return given


def _cites_given(cites: list[dict[str, Any]]) -> list[tuple[str, CiteToWrite]]:
    return [
        (f"cites.{i}", CiteToWrite(c["source"], c.get("evidence"), c.get("occurrence")))
        for i, c in enumerate(cites)
    ]


def _dates_kept(session: Session, source: Source) -> list[tuple[str, DateToWrite]]:
    """The stored dates, to be found again in a new text (a 422 names `text` if one is not)."""
    rows = session.scalars(
        select(SourceDate).where(SourceDate.source_id == source.id).order_by(SourceDate.id)
    )
    return [
        (
            "text",
            DateToWrite(
                d.kind,
                d.printed,
                d.day,
                d.at,
                _occurrence(source.text, d.printed, d.span_start),
                d.note,
            ),
        )
        for d in rows
    ]


def _cites_kept(session: Session, source: Source) -> list[tuple[str, CiteToWrite]]:
    """The stored citations, their evidence to be found again in a new text."""
    rows = session.execute(
        select(Cited.slug, SourceCitation.evidence, SourceCitation.span_start)
        .join(Cited, Cited.id == SourceCitation.cited_source_id)
        .where(SourceCitation.source_id == source.id)
        .order_by(SourceCitation.id)
    )
    return [
        (
            "text",
            CiteToWrite(c.slug, c.evidence, _occurrence(source.text, c.evidence, c.span_start)),
        )
        for c in rows
    ]


def _reported(
    dates: list[Any], given: dt.date | None, basis: str | None
) -> tuple[dt.date | None, str | None]:
    """The source's `reported_on` and its basis, as the loader works them out
    (app.documents.dates.reporting_date): a 422 where its dates do not allow what is given."""
    try:
        return reporting_date(dates, given, basis)
    except DateRefused as exc:
        raise invalid(exc.field, str(exc)) from exc


def _sha256(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode()).hexdigest()


def create_source(session: Session, editor: Editor, fields: dict[str, Any]) -> str:
    """A new source with its text, dates and citations; its slug."""
    slug: str = fields["slug"]
    if session.scalar(select(Source.id).where(Source.slug == slug)) is not None:
        raise Conflict(f"A source with slug '{slug}' exists already.")
    reserved(session, "source", slug)
    text = fields["text"]
    doc = None if text is None else Document(text, [])
    dates = _placed_dates(doc, _dates_given(fields["dates"]))
    cites = _cite_rows(session, slug, doc, _cites_given(fields["cites"]))
    source = Source(
        slug=slug,
        title=fields["title"],
        outlet_id=_outlet_id(session, fields["outlet"]),
        url=fields["url"],
        byline=fields["byline"],
        language=fields["language"],
        description=fields["description"],
        text=text,
        sha256=_sha256(text),
    )
    source.reported_on, source.reported_on_basis = _reported(
        dates, fields["reported_on"], fields["reported_on_basis"]
    )
    session.add(source)
    session.flush()
    _write_dates(session, source, dates)
    _write_cites(session, source, cites)
    after = _snapshot(session, source.id)
    record(session, editor, ChangeAction.create, "source", source.id, slug, after=after)
    return slug


def _text_is_free(session: Session, source: Source) -> None:
    """Conflict if anything points into the source's text by its offsets."""
    for model, what in ((Appearance, "appearance(s)"), (SourceFurniture, "page furniture span(s)")):
        n = session.scalar(
            select(func.count()).select_from(model).where(model.source_id == source.id)
        )
        if n:
            raise Conflict(
                f"{n} {what} point into the text of source '{source.slug}' by their offsets: "
                "its text can no longer change."
            )


def update_source(
    session: Session, editor: Editor, slug: str, version: int, fields: dict[str, Any]
) -> str:
    """Change a source's fields, if it is still at VERSION; `dates` and `cites` replace the
    lists. A new text is refused once appearances point into the old one."""
    source = source_by_slug(session, slug)
    check_version(f"Source '{slug}'", source.version, version)
    before = _snapshot(session, source.id)
    # Everything is read and checked before the row changes: a query in between would flush
    # it early, and bump its version twice.
    fields = dict(fields)
    if "outlet" in fields:
        fields["outlet_id"] = _outlet_id(session, fields.pop("outlet"))
    text = fields.pop("text", source.text)
    new_text = text != source.text
    if new_text:
        _text_is_free(session, source)
        fields.update(text=text, sha256=_sha256(text))
    doc = None if text is None else Document(text, [])
    # Dates and citations not given are found again in a new text.
    dates_given = "dates" in fields
    dates = _dates_given(fields.pop("dates")) if dates_given else None
    if dates is None and new_text:
        dates = _dates_kept(session, source)
    placed = None if dates is None else _placed_dates(doc, dates)
    cites = _cites_given(fields.pop("cites")) if "cites" in fields else None
    if cites is None and new_text:
        cites = _cites_kept(session, source)
    cite_rows = None if cites is None else _cite_rows(session, slug, doc, cites)
    # New dates, or a reporting date given, work the reporting date out again from what the
    # body gives (dates kept for a new text keep it as it is).
    dated = {"reported_on", "reported_on_basis"} & fields.keys()
    if dates_given or dated:
        if placed is None:
            known = list(
                session.execute(
                    select(SourceDate.kind, SourceDate.printed, SourceDate.day).where(
                        SourceDate.source_id == source.id
                    )
                )
            )
        else:
            known = placed
        fields["reported_on"], fields["reported_on_basis"] = _reported(
            known, fields.pop("reported_on", None), fields.pop("reported_on_basis", None)
        )
    reported_before = source.reported_on
    for name, value in fields.items():
        setattr(source, name, value)
    # Dates and citations are not in the source's row: an edit of them alone still moves its
    # version. The row goes first, so that a concurrent edit is refused (412) before they
    # change.
    flag_modified(source, "slug")
    session.flush()
    if placed is not None:
        _write_dates(session, source, placed)
    if cite_rows is not None:
        _write_cites(session, source, cite_rows)
    if source.reported_on != reported_before:
        redate(session, reported_by(session, source.id))
    after = _snapshot(session, source.id)
    record(session, editor, ChangeAction.update, "source", source.id, slug, before, after)
    return slug


def delete_source(session: Session, editor: Editor, slug: str, version: int) -> None:
    """Delete a source with its appearances (and the contradictions on them), citations,
    dates and furniture, and the statements reported nowhere else: a statement stays
    traceable to a source. A tombstone keeps it all restorable."""
    source = source_by_slug(session, slug)
    check_version(f"Source '{slug}'", source.version, version)
    # The statements it reports are locked first, as an edit of one of their reports locks
    # its statement (app.appearances.writes.keep_shown_with_a_source): on PostgreSQL the two
    # are then taken one after the other, each seeing what the other did.
    reported_here = select(Appearance.statement_id).where(Appearance.source_id == source.id)
    session.execute(select(Statement.id).where(Statement.id.in_(reported_here)).with_for_update())
    elsewhere = aliased(Appearance)
    reported_elsewhere = select(elsewhere.id).where(
        elsewhere.statement_id == Appearance.statement_id, elsewhere.source_id != source.id
    )
    only_here = session.scalars(
        select(Appearance.statement_id)
        .where(Appearance.source_id == source.id, ~reported_elsewhere.exists())
        .distinct()
    ).all()
    # A confirmed statement that other sources report, but not one of them confirmed, would
    # be shown with no report: that is for a person to settle first.
    confirmed_elsewhere = reported_elsewhere.where(elsewhere.status == ReviewStatus.confirmed)
    stranded = session.scalars(
        select(Statement.slug)
        .join(Appearance, Appearance.statement_id == Statement.id)
        .where(
            Appearance.source_id == source.id,
            Appearance.status == ReviewStatus.confirmed,
            Statement.status == ReviewStatus.confirmed,
            reported_elsewhere.exists(),
            ~confirmed_elsewhere.exists(),
        )
        .distinct()
        .order_by(Statement.slug)
    ).all()
    if stranded:
        named = ", ".join(f"'{s}'" for s in stranded)
        raise Conflict(
            f"The source '{slug}' has the only confirmed reports of the confirmed statements "
            f"{named}, which other sources report unconfirmed: confirm one of those "
            "appearances first, or change the statements' status."
        )
    also = [(STATEMENTS, statement_id) for statement_id in sorted(only_here)]
    reported = reported_by(session, source.id)
    delete_object(session, editor, TABLE, "source", source.id, slug, version, also)
    # The statements reported elsewhere too may have been dated by this source.
    redate(session, reported)


def restore_source(session: Session, editor: Editor, slug: str) -> str:
    """Bring a deleted source back as it was, with all that went with it."""
    grave = tombstone(session, "source", slug)
    if grave is None:
        if session.scalar(select(Source.id).where(Source.slug == slug)) is not None:
            raise Conflict(f"The source '{slug}' is not deleted.")
        raise NotFound.slug_of("source", slug)
    restorable(session, grave)
    change = restore_object(session, editor, grave)
    # Statements that went with it are back: the denials around their claims are derived
    # again, as when a statement is restored (one of theirs may no longer follow).
    claims = {row["claim_id"] for row in (change.after or {}).get(STATEMENTS.name, [])}
    source_id = session.scalar(select(Source.id).where(Source.slug == slug))
    assert source_id is not None
    redate(session, reported_by(session, source_id))
    if claims:
        rederive(session, editor, claims)
    return slug
