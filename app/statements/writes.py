"""Editing statements: create one with where it is reported, edit and review it, add reports of
it, delete and restore it. An edit that moves a stance or a claim re-derives the denials around
the claims involved.

Each function runs inside the request's transaction (app.curation.editing.in_transaction) and
records what it did in the history; none commits.
"""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.appearances.writes import confirm_reports, insert_appearance, planned
from app.contradictions.writes import rederive
from app.curation.editing import check_version
from app.curation.history import (
    delete_object,
    record,
    require_alive,
    reserved,
    restore_object,
    row_of,
    table_of,
    tombstone,
    update_object,
)
from app.models import Actor, Claim, Statement
from app.models.enums import ChangeAction, ReviewStatus
from app.shared.dating import redate
from app.shared.writes import Problems, check_reason, referenced, restorable
from app.web.auth import Editor
from app.web.errors import Conflict, NotFound

TABLE = table_of(Statement)
# Body fields that name another object by slug, and the column that holds its id.
_REFERENCES: dict[str, tuple[type[Actor] | type[Claim], str]] = {
    "speaker": (Actor, "speaker_id"),
    "claim": (Claim, "claim_id"),
    "recipient": (Actor, "recipient_id"),
}
_OWN = ("stance", "said_on", "context", "via", "note", "status", "status_reason")


def statement_by_slug(session: Session, slug: str) -> Statement:
    """The live statement SLUG names: 410 if it was deleted, 404 otherwise."""
    statement = session.scalars(select(Statement).where(Statement.slug == slug)).first()
    if statement is None:
        require_alive(session, "statement", slug)
        raise NotFound.slug_of("statement", slug)
    return statement


def _columns(session: Session, fields: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """The statement columns FIELDS set: its own, and the ids of the objects it names."""
    columns = {name: fields[name] for name in _OWN if name in fields}
    for name, (model, column) in _REFERENCES.items():
        if name in fields:
            slug = fields[name]
            found = None if slug is None else referenced(session, model, slug, name, problems)
            columns[column] = found
    return columns


def create_statement(session: Session, editor: Editor, fields: dict[str, Any]) -> str:
    """A new statement and its appearances, each placed in its source's text; its slug."""
    slug: str = fields["slug"]
    if session.scalar(select(Statement.id).where(Statement.slug == slug)) is not None:
        raise Conflict(f"A statement with slug '{slug}' exists already.")
    reserved(session, "statement", slug)
    problems = Problems()
    columns = _columns(session, fields, problems)
    check_reason(fields["status"], fields.get("status_reason"), "status_reason", problems)
    rows: list[dict[str, Any]] = []
    places: set[tuple[int, int]] = set()
    for i, given in enumerate(fields["appearances"]):
        row = planned(session, given, f"appearances.{i}.", problems, fields["status"])
        if row is None:
            continue
        if (row["source_id"], row["span_start"]) in places:
            problems.add(f"appearances.{i}.quote", "the same appearance is given twice")
        places.add((row["source_id"], row["span_start"]))
        rows.append(row)
    if fields["status"] == ReviewStatus.confirmed and not any(
        a.get("status") in (None, ReviewStatus.confirmed) for a in fields["appearances"]
    ):
        problems.add(
            "status",
            "a confirmed statement is shown with its confirmed appearances: confirm one of"
            " them too, or propose the statement",
        )
    problems.check()
    statement = Statement(slug=slug, **columns)
    session.add(statement)
    session.flush()
    after = row_of(TABLE, statement.id, session)
    record(session, editor, ChangeAction.create, "statement", statement.id, slug, after=after)
    for row in rows:
        insert_appearance(session, editor, statement.id, row)
    redate(session, [statement.id])
    rederive(session, editor, {statement.claim_id})
    return slug


def update_statement(
    session: Session, editor: Editor, slug: str, version: int, changes: dict[str, Any]
) -> str:
    """Change a statement, if it is still at VERSION; a new stance or claim re-derives the
    denials around the claims it was and is on."""
    statement = statement_by_slug(session, slug)
    check_version(f"Statement '{slug}'", statement.version, version)
    problems = Problems()
    columns = _columns(session, changes, problems)
    reason = changes.get("status_reason", statement.status_reason)
    check_reason(changes.get("status", statement.status), reason, "status_reason", problems)
    problems.check()
    confirming = columns.get("status") == ReviewStatus.confirmed
    if confirming and statement.status != ReviewStatus.confirmed:
        confirm_reports(session, editor, statement)
    claims = {statement.claim_id, columns.get("claim_id", statement.claim_id)}
    update_object(session, editor, statement, "statement", slug, columns)
    if "said_on" in columns:
        redate(session, [statement.id])
    if {"stance", "claim_id"} & columns.keys():
        rederive(session, editor, claims)
    return slug


def add_appearance(session: Session, editor: Editor, slug: str, fields: dict[str, Any]) -> int:
    """A new appearance of the statement SLUG, placed in its source's text; its id."""
    statement = statement_by_slug(session, slug)
    problems = Problems()
    row = planned(session, fields, "", problems, statement.status)
    problems.check()
    assert row is not None
    appearance_id = insert_appearance(session, editor, statement.id, row)
    redate(session, [statement.id])
    return appearance_id


def delete_statement(session: Session, editor: Editor, slug: str, version: int) -> None:
    """Delete a statement with its appearances and contradictions (all restorable together)."""
    statement = statement_by_slug(session, slug)
    check_version(f"Statement '{slug}'", statement.version, version)
    delete_object(session, editor, TABLE, "statement", statement.id, slug, version)


def restore_statement(session: Session, editor: Editor, slug: str) -> str:
    """Bring a deleted statement back as it was, with what was deleted with it; the denials
    around its claim are derived again (its own may no longer follow)."""
    grave = tombstone(session, "statement", slug)
    if grave is None:
        if session.scalar(select(Statement.id).where(Statement.slug == slug)) is not None:
            raise Conflict(f"The statement '{slug}' is not deleted.")
        raise NotFound.slug_of("statement", slug)
    restorable(session, grave)
    restore_object(session, editor, grave)
    statement_id, claim_id = session.execute(
        select(Statement.id, Statement.claim_id).where(Statement.slug == slug)
    ).one()
    # Its sources may have been dated again meanwhile.
    redate(session, [statement_id])
    rederive(session, editor, {claim_id})
    return slug
