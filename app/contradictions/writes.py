"""Editing contradictions: curated ones (inconsistencies, misreports) are created, edited,
deleted and restored; denials follow from the stances, and are re-derived after every edit that
moves a stance or a claim, each one found or dropped recorded in the history.

Each function runs inside the request's transaction (app.curation.editing.in_transaction) and
records what it did; none commits.
"""

from collections.abc import Collection
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.contradictions.derive import refresh_denials
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
from app.models import Appearance, Contradiction, Statement
from app.models.enums import ChangeAction, ContradictionKind
from app.shared.writes import Problems, check_reason, referenced, restorable
from app.web.auth import Editor
from app.web.errors import Conflict, NotFound

TABLE = table_of(Contradiction)


def _denials_around(session: Session, claims: Collection[int]) -> dict[int, dict[str, Any]]:
    """The denials with a statement on CLAIMS on either side, as rows, by id."""
    on = select(Statement.id).where(Statement.claim_id.in_(list(claims)))
    ids = session.scalars(
        select(Contradiction.id).where(
            Contradiction.kind == ContradictionKind.denial,
            or_(Contradiction.statement_a_id.in_(on), Contradiction.statement_b_id.in_(on)),
        )
    )
    rows = {i: row_of(TABLE, i, session) for i in ids}
    return {i: row for i, row in rows.items() if row is not None}


def rederive(session: Session, editor: Editor, claims: Collection[int]) -> None:
    """Re-derive the denials around CLAIMS (claim ids) from the stances, and record each denial
    found or dropped as a change made by EDITOR's edit."""
    before = _denials_around(session, claims)
    refresh_denials(session, claims)
    after = _denials_around(session, claims)

    def pair(row: dict[str, Any] | None) -> Any:
        return None if row is None else (row["statement_a_id"], row["statement_b_id"])

    # Compared by what they pair, not by id alone: SQLite may give a new row a freed id.
    for dropped, row in before.items():
        if pair(row) != pair(after.get(dropped)):
            removed = {"rows": {TABLE.name: [row]}, "unlinked": []}
            record(session, editor, ChangeAction.delete, "contradiction", dropped, None, removed)
    for found, row in sorted(after.items()):
        if pair(row) != pair(before.get(found)):
            record(session, editor, ChangeAction.create, "contradiction", found, None, after=row)


def _statement(session: Session, slug: Any, field: str, problems: Problems) -> int | None:
    if not isinstance(slug, str):
        problems.add(field, "give a statement's slug")
        return None
    return referenced(session, Statement, slug, field, problems)


def _appearance(
    session: Session, appearance_id: Any, statement_id: int, field: str, problems: Problems
) -> int | None:
    if not isinstance(appearance_id, int):
        problems.add(field, "give the id of an appearance of the statement")
        return None
    of = session.scalar(select(Appearance.statement_id).where(Appearance.id == appearance_id))
    if of != statement_id:
        problems.add(
            field,
            f"appearance {appearance_id} does not exist"
            if of is None
            else f"appearance {appearance_id} reports another statement",
        )
        return None
    return appearance_id


def _sides(session: Session, fields: dict[str, Any], problems: Problems) -> dict[str, Any]:
    """The statements (and appearances) a new contradiction pairs, checked."""
    if fields["kind"] is ContradictionKind.inconsistency:
        if fields.get("statement") is not None:
            problems.add("statement", "an inconsistency names two statements as 'a' and 'b'")
        a = _statement(session, fields["a"], "a", problems)
        b = _statement(session, fields["b"], "b", problems)
        if a is not None and a == b:
            problems.add("b", "a statement cannot contradict itself")
        elif a is not None and b is not None:
            claims = session.scalars(select(Statement.claim_id).where(Statement.id.in_((a, b))))
            if len(set(claims)) == 1:
                problems.add(
                    "b",
                    "both statements are about the same claim: that is not an inconsistency "
                    "(a denial is found from the stances)",
                )
        return {"statement_a_id": a, "statement_b_id": b}
    if fields.get("statement") is None:
        problems.add("statement", "a misreport names the statement its two appearances report")
        return {}
    statement = _statement(session, fields["statement"], "statement", problems)
    if statement is None:
        return {}
    a = _appearance(session, fields["a"], statement, "a", problems)
    b = _appearance(session, fields["b"], statement, "b", problems)
    if a is not None and a == b:
        problems.add("b", "an appearance cannot misreport itself: name two different ones")
    return {
        "statement_a_id": statement,
        "statement_b_id": statement,
        "appearance_a_id": a,
        "appearance_b_id": b,
    }


def _not_recorded(session: Session, kind: ContradictionKind, sides: dict[str, Any]) -> None:
    """Conflict if the contradiction is recorded already (an inconsistency either way round)."""
    orders = [sides]
    if kind is ContradictionKind.inconsistency:
        a, b = sides["statement_a_id"], sides["statement_b_id"]
        orders.append({"statement_a_id": b, "statement_b_id": a})
    for order in orders:
        found = session.scalar(
            select(Contradiction.id).where(
                Contradiction.kind == kind,
                *(getattr(Contradiction, column) == value for column, value in order.items()),
            )
        )
        if found is not None:
            raise Conflict(f"Contradiction {found} records this already.")


def create_contradiction(session: Session, editor: Editor, fields: dict[str, Any]) -> int:
    """A new inconsistency or misreport; its id."""
    problems = Problems()
    check_reason(fields["status"], fields.get("status_reason"), "status_reason", problems)
    sides = _sides(session, fields, problems)
    problems.check()
    _not_recorded(session, fields["kind"], sides)
    contradiction = Contradiction(
        kind=fields["kind"],
        rationale=fields["rationale"],
        status=fields["status"],
        status_reason=fields.get("status_reason"),
        **sides,
    )
    session.add(contradiction)
    session.flush()
    after = row_of(TABLE, contradiction.id, session)
    record(
        session, editor, ChangeAction.create, "contradiction", contradiction.id, None, None, after
    )
    return contradiction.id


def contradiction_by_id(session: Session, contradiction_id: int) -> Contradiction:
    """The live contradiction: 410 if it was deleted, 404 if there is none."""
    contradiction = session.get(Contradiction, contradiction_id)
    if contradiction is None:
        require_alive(session, "contradiction", object_id=contradiction_id)
        raise NotFound(f"No contradiction {contradiction_id}.")
    return contradiction


def update_contradiction(
    session: Session, editor: Editor, contradiction_id: int, version: int, changes: dict[str, Any]
) -> int:
    """Change a contradiction's rationale or review status, if it is still at VERSION."""
    contradiction = contradiction_by_id(session, contradiction_id)
    check_version(f"Contradiction {contradiction_id}", contradiction.version, version)
    problems = Problems()
    status = changes.get("status", contradiction.status)
    reason = changes.get("status_reason", contradiction.status_reason)
    check_reason(status, reason, "status_reason", problems)
    problems.check()
    update_object(session, editor, contradiction, "contradiction", None, changes)
    return contradiction.id


def delete_contradiction(
    session: Session, editor: Editor, contradiction_id: int, version: int
) -> None:
    """Delete a curated contradiction (a tombstone keeps it restorable)."""
    contradiction = contradiction_by_id(session, contradiction_id)
    check_version(f"Contradiction {contradiction_id}", contradiction.version, version)
    if contradiction.kind is ContradictionKind.denial:
        raise Conflict(
            "A denial follows from the stances, and would be found again: reject it (status "
            "'rejected' with a reason), or change the stance of one of its statements."
        )
    delete_object(session, editor, TABLE, "contradiction", contradiction.id, None, version)


def restore_contradiction(session: Session, editor: Editor, contradiction_id: int) -> int:
    """Bring a deleted contradiction back, as it was."""
    grave = tombstone(session, "contradiction", object_id=contradiction_id)
    if grave is None:
        if session.get(Contradiction, contradiction_id) is not None:
            raise Conflict(f"The contradiction {contradiction_id} is not deleted.")
        raise NotFound(f"No contradiction {contradiction_id}.")
    restorable(session, grave)
    restore_object(session, editor, grave)
    return contradiction_id
