"""Editing claims: create, update, delete and restore, and merge one claim into another.

Each function runs inside the request's transaction (app.curation.editing.in_transaction) and
records what it did in the history; none commits.
"""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.contradictions.derive import refresh_denials
from app.curation.editing import check_version
from app.curation.history import (
    delete_object,
    now,
    record,
    require_alive,
    reserved,
    restore_object,
    row_of,
    table_of,
    tombstone,
    update_object,
)
from app.models import Claim, ClaimRedirect, Statement
from app.models.enums import ChangeAction
from app.web.auth import Editor
from app.web.errors import Conflict, InvalidParameter, NotFound

TABLE = table_of(Claim)
STATEMENTS = table_of(Statement)


def claim_by_slug(session: Session, slug: str) -> Claim:
    """The live claim SLUG names: 410 if it was deleted, 404 (or the merge's redirect, from the
    NotFound handler) otherwise."""
    claim = session.scalars(select(Claim).where(Claim.slug == slug)).first()
    if claim is None:
        require_alive(session, "claim", slug)
        raise NotFound.slug_of("claim", slug)
    return claim


def _slug_free(session: Session, slug: str) -> None:
    if session.scalar(select(Claim.id).where(Claim.slug == slug)) is not None:
        raise Conflict(f"A claim with slug '{slug}' exists already.")
    merged = session.scalar(select(ClaimRedirect.id).where(ClaimRedirect.old_slug == slug))
    if merged is not None:
        raise Conflict(f"The slug '{slug}' belongs to a claim merged into another; it redirects.")
    reserved(session, "claim", slug)


def create_claim(session: Session, editor: Editor, fields: dict[str, Any]) -> str:
    """A new claim; its slug."""
    _slug_free(session, fields["slug"])
    claim = Claim(**fields)
    session.add(claim)
    session.flush()
    record(
        session,
        editor,
        ChangeAction.create,
        "claim",
        claim.id,
        claim.slug,
        after=row_of(TABLE, claim.id, session),
    )
    return claim.slug


def update_claim(
    session: Session, editor: Editor, slug: str, version: int, fields: dict[str, Any]
) -> str:
    """Change a claim's text or note, if it is still at VERSION."""
    claim = claim_by_slug(session, slug)
    check_version(f"Claim '{slug}'", claim.version, version)
    update_object(session, editor, claim, "claim", slug, fields)
    return slug


def delete_claim(session: Session, editor: Editor, slug: str, version: int) -> None:
    """Delete a claim no statement is about (a tombstone keeps it restorable)."""
    claim = claim_by_slug(session, slug)
    check_version(f"Claim '{slug}'", claim.version, version)
    if session.scalar(select(Statement.id).where(Statement.claim_id == claim.id).limit(1)):
        raise Conflict(
            f"Statements are about claim '{slug}': delete or move them first, or merge the "
            "claim into another."
        )
    delete_object(session, editor, TABLE, "claim", claim.id, slug, version)


def restore_claim(session: Session, editor: Editor, slug: str) -> str:
    """Bring a deleted claim back, as it was."""
    grave = tombstone(session, "claim", slug)
    if grave is None:
        if session.scalar(select(Claim.id).where(Claim.slug == slug)) is not None:
            raise Conflict(f"The claim '{slug}' is not deleted.")
        raise NotFound.slug_of("claim", slug)
    restore_object(session, editor, grave)
    return slug


def merge_claim(session: Session, editor: Editor, slug: str, version: int, into: str) -> str:
    """Move every statement on claim SLUG to claim INTO, and leave SLUG redirecting there;
    returns the slug of the claim merged into."""
    claim = claim_by_slug(session, slug)
    check_version(f"Claim '{slug}'", claim.version, version)
    target_slug = session.scalar(
        select(Claim.slug)
        .join(ClaimRedirect, ClaimRedirect.claim_id == Claim.id)
        .where(ClaimRedirect.old_slug == into)
    )
    via = f" ('{into}' was merged into '{target_slug}')" if target_slug else ""
    target = claim_by_slug(session, target_slug or into)
    if target.id == claim.id:
        message = f"a claim cannot be merged into itself: '{slug}'{via}"
        raise InvalidParameter(
            f"body 'into': {message}",
            errors=[{"location": "body", "field": "into", "message": message}],
        )
    before = row_of(TABLE, claim.id, session)
    moved = list(session.scalars(select(Statement.id).where(Statement.claim_id == claim.id)))
    for statement_id in moved:
        statement_before = row_of(STATEMENTS, statement_id, session)
        session.execute(
            update(Statement)
            .where(Statement.id == statement_id)
            .values(claim_id=target.id, version=Statement.version + 1)
        )
        record(
            session,
            editor,
            ChangeAction.update,
            "statement",
            statement_id,
            statement_before["slug"] if statement_before else None,
            statement_before,
            row_of(STATEMENTS, statement_id, session),
        )
    # Claims merged into this one before now redirect to where it goes.
    session.execute(
        update(ClaimRedirect).where(ClaimRedirect.claim_id == claim.id).values(claim_id=target.id)
    )
    session.add(ClaimRedirect(old_slug=slug, old_id=claim.id, claim_id=target.id, merged_at=now()))
    session.delete(claim)
    session.flush()
    refresh_denials(session)
    merge = {"into": target.slug, "statements": len(moved)}
    record(session, editor, ChangeAction.merge, "claim", claim.id, slug, before, merge)
    record(
        session,
        editor,
        ChangeAction.merge,
        "claim",
        target.id,
        target.slug,
        after={"merged": slug, "statements": len(moved)},
    )
    return target.slug
