"""Editing appearances: an appearance is given by its exact wording, and placed in its source's
text by the loader's own code (app.documents.spans), so that the API and the loader accept and
refuse the same quotes. Each function runs inside the request's transaction
(app.curation.editing.in_transaction) and records what it did; none commits.
"""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.curation.editing import check_version
from app.curation.history import (
    delete_object,
    record,
    require_alive,
    restore_object,
    row_of,
    table_of,
    tombstone,
    update_object,
)
from app.documents.spans import Document, NotPlaced
from app.models import (
    Appearance,
    Source,
    SourceFurniture,
    Statement,
)
from app.models.enums import ChangeAction, ReviewStatus
from app.shared.dating import redate
from app.shared.writes import Problems, check_reason, referenced, restorable
from app.web.auth import Editor
from app.web.errors import Conflict, NotFound

TABLE = table_of(Appearance)
# Columns an edit may set directly; the quote and its hints are placed, not set.
_PLAIN = ("mode", "note", "status", "status_reason")


def document(session: Session, source_id: int) -> Document | None:
    """The source's text with its page furniture, as the loader sees it; None without text."""
    text = session.scalar(select(Source.text).where(Source.id == source_id))
    if text is None:
        return None
    furniture = session.execute(
        select(SourceFurniture.span_start, SourceFurniture.span_end).where(
            SourceFurniture.source_id == source_id
        )
    )
    return Document(text, [(start, end) for start, end in furniture])


def placed(
    doc: Document,
    wording: dict[str, Any],
    at: str,
    problems: Problems,
    span: tuple[int, int] | None = None,
) -> dict[str, Any] | None:
    """The columns that place WORDING (quote, occurrence | after, attribution, hedge) in DOC,
    as the loader places them; None (and the problems, under AT) when something is not there.
    With SPAN, the quote is where it was and only the attribution and hedge are placed."""
    if span is None:
        try:
            span = doc.place(
                wording["quote"], occurrence=wording.get("occurrence"), after=wording.get("after")
            )
        except NotPlaced as exc:
            problems.add(f"{at}quote", str(exc))
            return None
    columns: dict[str, Any] = {
        "quote": wording["quote"],
        "span_start": span[0],
        "span_end": span[1],
    }
    found = True
    for field in ("attribution", "hedge"):
        words = wording.get(field)
        try:
            near = doc.nearest(words, span) if words else None
        except NotPlaced as exc:
            problems.add(f"{at}{field}", str(exc))
            found = False
            continue
        columns[field] = words
        columns[f"{field}_start"] = near[0] if near else None
        columns[f"{field}_end"] = near[1] if near else None
    return columns if found else None


def new_report_status(
    given: ReviewStatus | None, of: ReviewStatus, at: str, problems: Problems
) -> ReviewStatus:
    """The status of a new report of a statement whose status is OF: as GIVEN, else the
    statement's (proposed for a statement not confirmed). A report is not confirmed before its
    statement: reads would show it as confirmed beside a statement still under review."""
    if of == ReviewStatus.confirmed:
        return given or ReviewStatus.confirmed
    if given == ReviewStatus.confirmed:
        problems.add(
            f"{at}status",
            f"a new report of a {of.value} statement is proposed until the statement is "
            "confirmed (confirming it confirms its proposed reports): leave the status out, "
            "or confirm the statement",
        )
    return given or ReviewStatus.proposed


def planned(
    session: Session,
    fields: dict[str, Any],
    at: str,
    problems: Problems,
    statement_status: ReviewStatus = ReviewStatus.confirmed,
) -> dict[str, Any] | None:
    """The row of a new appearance (AppearanceCreate's fields) of a statement whose status is
    STATEMENT_STATUS, placed in its source's text; None (and the problems, under AT) when it
    cannot be."""
    fields = {
        **fields,
        "status": new_report_status(fields.get("status"), statement_status, at, problems),
    }
    check_reason(fields["status"], fields.get("status_reason"), f"{at}status_reason", problems)
    source_id = referenced(session, Source, fields["source"], f"{at}source", problems)
    if source_id is None:
        return None
    doc = document(session, source_id)
    if doc is None:
        problems.add(f"{at}source", f"the source '{fields['source']}' has no text to quote from")
        return None
    columns = placed(doc, fields, at, problems)
    if columns is None:
        return None
    return {"source_id": source_id, **columns, **{k: fields.get(k) for k in _PLAIN}}


def _place_free(session: Session, statement_id: int, row: dict[str, Any], own: int = 0) -> None:
    taken = session.scalar(
        select(Appearance.id).where(
            Appearance.statement_id == statement_id,
            Appearance.source_id == row["source_id"],
            Appearance.span_start == row["span_start"],
            Appearance.id != own,
        )
    )
    if taken is not None:
        raise Conflict(f"Appearance {taken} of this statement is at that place of the source.")


def insert_appearance(
    session: Session, editor: Editor, statement_id: int, row: dict[str, Any]
) -> int:
    """Add a planned appearance to a statement, and record it; its id."""
    _place_free(session, statement_id, row)
    appearance = Appearance(statement_id=statement_id, **row)
    session.add(appearance)
    session.flush()
    after = row_of(TABLE, appearance.id, session)
    record(session, editor, ChangeAction.create, "appearance", appearance.id, None, after=after)
    return appearance.id


def confirmed_reports(session: Session, statement_id: int, besides: int = 0) -> int:
    """How many of the statement's appearances are confirmed, BESIDES one (an id) left out."""
    count = session.scalar(
        select(func.count(Appearance.id)).where(
            Appearance.statement_id == statement_id,
            Appearance.status == ReviewStatus.confirmed,
            Appearance.id != besides,
        )
    )
    return count or 0


def keep_shown_with_a_source(session: Session, appearance: Appearance, change: str) -> None:
    """Conflict if APPEARANCE is the only confirmed report of a confirmed statement: reads show
    confirmed reports alone, and CHANGE ("rejecting it", ...) would show the statement with
    none."""
    if appearance.status != ReviewStatus.confirmed:
        return
    # The statement's row is locked first: two edits of its last two confirmed reports at once
    # (each seeing the other still confirmed) are taken one after the other on PostgreSQL
    # (SQLite runs one write transaction at a time anyway).
    slug, status = session.execute(
        select(Statement.slug, Statement.status)
        .where(Statement.id == appearance.statement_id)
        .with_for_update()
    ).one()
    if status != ReviewStatus.confirmed:
        return
    if confirmed_reports(session, appearance.statement_id, besides=appearance.id) == 0:
        raise Conflict(
            f"Appearance {appearance.id} is the only confirmed report of the confirmed statement "
            f"'{slug}'; {change} would show the statement with no source: confirm another of "
            "its appearances first, or change the statement's status."
        )


def confirm_reports(session: Session, editor: Editor, statement: Statement) -> None:
    """Confirm the proposed appearances of STATEMENT, which is being confirmed: a confirmed
    statement is shown with its confirmed reports, and needs one. A Conflict if it has none
    to be confirmed by (every one was rejected)."""
    proposed = session.scalars(
        select(Appearance)
        .where(Appearance.statement_id == statement.id, Appearance.status == ReviewStatus.proposed)
        .order_by(Appearance.id)
    ).all()
    if not proposed and confirmed_reports(session, statement.id) == 0:
        raise Conflict(
            f"The statement '{statement.slug}' has no report to be confirmed by: every one of "
            "its appearances was rejected. Confirm one of them first."
        )
    for appearance in proposed:
        update_object(
            session, editor, appearance, "appearance", None, {"status": ReviewStatus.confirmed}
        )


def appearance_by_id(session: Session, appearance_id: int) -> Appearance:
    """The live appearance: 410 if it was deleted, 404 if there is none."""
    appearance = session.get(Appearance, appearance_id)
    if appearance is None:
        require_alive(session, "appearance", object_id=appearance_id)
        raise NotFound(f"No appearance {appearance_id}.")
    return appearance


def update_appearance(
    session: Session, editor: Editor, appearance_id: int, version: int, changes: dict[str, Any]
) -> int:
    """Change an appearance at VERSION: its wording is placed again when it changes."""
    appearance = appearance_by_id(session, appearance_id)
    check_version(f"Appearance {appearance_id}", appearance.version, version)
    if changes.get("status", ReviewStatus.confirmed) != ReviewStatus.confirmed:
        keep_shown_with_a_source(session, appearance, f"making it {changes['status']}")
    problems = Problems()
    reason = changes.get("status_reason", appearance.status_reason)
    check_reason(changes.get("status", appearance.status), reason, "status_reason", problems)
    columns: dict[str, Any] | None = {}
    if {"quote", "occurrence", "after", "attribution", "hedge"} & changes.keys():
        doc = document(session, appearance.source_id)
        assert doc is not None  # an appearance's source has its text
        moved = bool({"quote", "occurrence", "after"} & changes.keys())
        wording = {
            "quote": appearance.quote,
            "attribution": appearance.attribution,
            "hedge": appearance.hedge,
            **changes,
        }
        here = None if moved else (appearance.span_start, appearance.span_end)
        columns = placed(doc, wording, "", problems, span=here)
    problems.check()
    assert columns is not None
    if columns:
        place = {"source_id": appearance.source_id, **columns}
        _place_free(session, appearance.statement_id, place, own=appearance.id)
    plain = {k: changes[k] for k in _PLAIN if k in changes}
    update_object(session, editor, appearance, "appearance", None, {**columns, **plain})
    if "status" in plain:
        redate(session, [appearance.statement_id])
    return appearance.id


def delete_appearance(session: Session, editor: Editor, appearance_id: int, version: int) -> None:
    """Delete an appearance (and the misreports that name it), unless it is its statement's
    last: a statement stays traceable to a source."""
    appearance = appearance_by_id(session, appearance_id)
    check_version(f"Appearance {appearance_id}", appearance.version, version)
    others = session.scalar(
        select(func.count(Appearance.id)).where(
            Appearance.statement_id == appearance.statement_id, Appearance.id != appearance.id
        )
    )
    if not others:
        slug = session.scalar(select(Statement.slug).where(Statement.id == appearance.statement_id))
        raise Conflict(
            f"Appearance {appearance_id} is the only report of statement '{slug}', which must "
            "stay traceable to a source: add another appearance first, or delete the statement."
        )
    keep_shown_with_a_source(session, appearance, "deleting it")
    statement_id = appearance.statement_id
    delete_object(session, editor, TABLE, "appearance", appearance.id, None, version)
    redate(session, [statement_id])


def restore_appearance(session: Session, editor: Editor, appearance_id: int) -> int:
    """Bring a deleted appearance back, as it was, with the misreports deleted with it."""
    grave = tombstone(session, "appearance", object_id=appearance_id)
    if grave is None:
        if session.get(Appearance, appearance_id) is not None:
            raise Conflict(f"The appearance {appearance_id} is not deleted.")
        raise NotFound(f"No appearance {appearance_id}.")
    restorable(session, grave)
    restore_object(session, editor, grave)
    statement_id = session.scalar(
        select(Appearance.statement_id).where(Appearance.id == appearance_id)
    )
    assert statement_id is not None
    redate(session, [statement_id])
    return appearance_id
