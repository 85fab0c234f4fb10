"""What every domain's writes share: naming a wrong body field (one 422 that names them all),
resolving the slugs a body refers to, and refusing a restore whose references are gone. Each
runs inside the request's transaction (app.curation.editing.in_transaction); none commits."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.curation.history import tombstone
from app.models import Actor, Base, Change, Claim, ClaimRedirect, Source, Statement, Tombstone
from app.models.enums import ReviewStatus
from app.web.errors import Conflict, InvalidParameter

_KINDS: dict[type[Base], str] = {
    Actor: "actor",
    Claim: "claim",
    Source: "source",
    Statement: "statement",
}


class Problems:
    """The wrong fields of a request body, collected so that one answer names them all."""

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.found.append((field, message))

    def error(self) -> InvalidParameter:
        """The 422 that names every wrong field."""
        return InvalidParameter(
            "; ".join(f"body '{field}': {message}" for field, message in self.found),
            errors=[
                {"location": "body", "field": field, "message": message}
                for field, message in self.found
            ],
        )

    def check(self) -> None:
        """Raise the 422 if a field is wrong."""
        if self.found:
            raise self.error()


def invalid(field: str, message: str) -> InvalidParameter:
    """A 422 naming one body field."""
    problems = Problems()
    problems.add(field, message)
    return problems.error()


def referenced(
    session: Session, model: type[Base], slug: str, field: str, problems: Problems
) -> int | None:
    """The id of the MODEL row a body's FIELD names by SLUG; None (and a problem) if none.
    A merged claim's old slug names the claim it went into, as its URL does."""
    kind = _KINDS[model]
    column: Any = model.slug  # type: ignore[attr-defined]
    found = session.scalar(select(model.id).where(column == slug))  # type: ignore[attr-defined]
    if found is None and model is Claim:
        found = session.scalar(select(ClaimRedirect.claim_id).where(ClaimRedirect.old_slug == slug))
    if found is None:
        deleted = tombstone(session, kind, slug) is not None
        problems.add(field, f"the {kind} '{slug}' {'was deleted' if deleted else 'does not exist'}")
        return None
    return int(found)


def check_reason(status: ReviewStatus, reason: str | None, field: str, problems: Problems) -> None:
    """A rejection must say why (the database refuses one that does not, too)."""
    if status is ReviewStatus.rejected and reason is None:
        problems.add(field, "a rejected one needs a status_reason: say why")


def restorable(session: Session, grave: Tombstone) -> None:
    """Conflict, naming it, if a row a restore would put back refers to something gone since
    (deleted, or a claim merged into another): that must come back first."""
    deletion = session.get(Change, grave.change_id)
    assert deletion is not None and deletion.before is not None
    rows: dict[str, list[dict[str, Any]]] = deletion.before["rows"]
    coming = {(name, row["id"]) for name, found in rows.items() for row in found}
    for name, found in rows.items():
        table = Base.metadata.tables[name]
        for fk in table.foreign_keys:
            target = fk.column.table
            for row in found:
                value = row.get(fk.parent.name)
                if value is None or (target.name, value) in coming:
                    continue
                if session.execute(select(target.c.id).where(target.c.id == value)).first():
                    continue
                raise Conflict(f"It cannot come back: {_gone(session, target.name, value)}.")


def _gone(session: Session, table: str, row_id: int) -> str:
    """Why the row ROW_ID of TABLE is not there, in words."""
    kind = table.removesuffix("s")
    if table == "claims":
        into = session.scalar(
            select(Claim.slug)
            .join(ClaimRedirect, ClaimRedirect.claim_id == Claim.id)
            .where(ClaimRedirect.old_id == row_id)
        )
        if into is not None:
            return f"its claim was merged into '{into}' since; add it again there"
    grave = tombstone(session, kind, object_id=row_id)
    if grave is not None:
        name = f"'{grave.slug}'" if grave.slug else str(row_id)
        return f"the {kind} {name} it refers to was deleted since; restore that first"
    return f"the {kind} {row_id} it refers to is gone"
