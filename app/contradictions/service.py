"""Contradictions: reading them with both sides in full (app/contradictions/derive.py finds the
denials)."""

from functools import cache

from sqlalchemy import ColumnElement, bindparam, or_, select, union
from sqlalchemy.orm import aliased

from app.contradictions.schemas import ContradictionRead, ContradictionSide
from app.curation.addresses import as_deletion, deletion_of, gone
from app.db.reads import SQL, AnySelect, ReadDB, Row
from app.db.review import Review, confirmed, unconfirmed
from app.models import Appearance, Contradiction, Statement
from app.models.enums import ContradictionKind, ReviewStatus
from app.shared.briefs import StatementRead
from app.shared.lookups import id_of, require
from app.shared.statement_rows import (
    STATEMENT_ROWS,
    affiliates,
    appearances_of,
    fetch_statements,
    statements_in,
)
from app.web.errors import NotFound
from app.web.pagination import Page, PageParams, page

Holder = aliased(Statement, name="holder")
Denier = aliased(Statement, name="denier")

COLUMNS = (
    Contradiction.id,
    Contradiction.kind,
    Contradiction.rationale,
    Contradiction.statement_a_id,
    Contradiction.statement_b_id,
    Contradiction.appearance_a_id,
    Contradiction.appearance_b_id,
    Contradiction.status,
    Contradiction.status_reason,
    Contradiction.version,
)


def _reviewed(review: Review) -> list[ColumnElement[bool]]:
    """Which contradictions a list shows under REVIEW. Confirmed (the default): confirmed ones
    between confirmed statements and reports (a denial follows from stances, and shows once
    both are confirmed). Proposed or rejected: those that are, or that have a side (statement
    or named report) that is. All: every one."""
    sides = Statement.id.in_((Contradiction.statement_a_id, Contradiction.statement_b_id))
    reports = Appearance.id.in_((Contradiction.appearance_a_id, Contradiction.appearance_b_id))
    if review is Review.all:
        return []
    if review is Review.confirmed:
        return [
            confirmed(Contradiction.status),
            ~select(Statement.id).where(sides, unconfirmed(Statement.status)).exists(),
            ~select(Appearance.id).where(reports, unconfirmed(Appearance.status)).exists(),
        ]
    status = ReviewStatus(review.value)
    return [
        or_(
            Contradiction.status == status,
            select(Statement.id).where(sides, Statement.status == status).exists(),
            select(Appearance.id).where(reports, Appearance.status == status).exists(),
        )
    ]


# A contradiction shown with confirmed data alone (by its address, to a reader without drafts).
CONFIRMED = tuple(_reviewed(Review.confirmed))


@cache
def _list_queries(
    claim: bool, actor: bool, include_affiliated: bool, kind: bool, after: bool, review: Review
) -> tuple[SQL, tuple[SQL, SQL]]:
    """The page of contradictions, and the statements on either side of it."""
    query: AnySelect = select(*COLUMNS).where(*_reviewed(review))
    if claim:
        about = select(Statement.id).where(Statement.claim_id == id_of("claim", "claim"))
        query = query.where(
            or_(Contradiction.statement_a_id.in_(about), Contradiction.statement_b_id.in_(about))
        )
    if actor:
        speakers = Statement.speaker_id == id_of("actor", "actor")
        if include_affiliated:
            speakers = speakers | Statement.speaker_id.in_(affiliates("actor"))
        said = select(Statement.id).where(speakers)
        query = query.where(
            or_(Contradiction.statement_a_id.in_(said), Contradiction.statement_b_id.in_(said))
        )
    if kind:
        query = query.where(Contradiction.kind == bindparam("kind"))
    if after:
        query = query.where(Contradiction.id > bindparam("after"))
    query = query.order_by(Contradiction.id).limit(bindparam("limit"))
    found = query.subquery("found")
    sides = union(select(found.c.statement_a_id), select(found.c.statement_b_id))
    return SQL(query), statements_in(select(sides.subquery().c[0]), review)


def list_contradictions(
    db: ReadDB,
    params: PageParams,
    *,
    claim: str | None = None,
    actor: str | None = None,
    include_affiliated: bool = False,
    kind: ContradictionKind | None = None,
    review: Review = Review.confirmed,
) -> Page[ContradictionRead]:
    """A page of contradictions touching a claim and/or an actor, each with both sides in full
    (their reports as REVIEW shows them)."""
    after = params.after()
    query, sides = _list_queries(
        claim is not None,
        actor is not None,
        include_affiliated,
        kind is not None,
        after is not None,
        review,
    )
    values = {
        "claim": claim,
        "actor": actor,
        "kind": kind,
        "after": after[0] if after else None,
        "limit": params.limit + 1,
    }
    rows = db.all(query, values)
    if not rows:
        require(db, ("claim", claim), ("actor", actor))
    kept, next_cursor = page(rows, params, lambda r: (r["id"],))
    statements = fetch_statements(db, sides, values) if kept else {}
    return {"items": _with_sides(kept, statements), "next_cursor": next_cursor}


def _with_sides(rows: list[Row], statements: dict[int, StatementRead]) -> list[ContradictionRead]:

    def side(statement_id: int, appearance_id: int | None) -> ContradictionSide:
        statement = statements[statement_id]
        appearance = next((a for a in statement["appearances"] if a["id"] == appearance_id), None)
        return {"statement": statement, "appearance": appearance}

    return [
        {
            "id": r["id"],
            "kind": r["kind"],
            "rationale": _said(r, statements),
            "a": side(r["statement_a_id"], r["appearance_a_id"]),
            "b": side(r["statement_b_id"], r["appearance_b_id"]),
            "status": r["status"],
            "status_reason": r["status_reason"],
            "version": r["version"],
        }
        for r in rows
    ]


def _said(row: Row, statements: dict[int, StatementRead]) -> str:
    """A contradiction's rationale: as stored, or for a denial sayso found (none stored), said
    from its two statements as they are now."""
    if row["rationale"] is not None:
        return str(row["rationale"])
    holder, denier = statements[row["statement_a_id"]], statements[row["statement_b_id"]]
    return (
        f"Opposite stances on one claim: {holder['speaker']['name']} ({holder['stance']}) "
        f"and {denier['speaker']['name']} (denies): {holder['claim']['text']}"
    )


_by_id = select(*COLUMNS).where(Contradiction.id == bindparam("id"))
# By whether drafts are shown: whatever its review status, or shown with confirmed data alone.
_ONE = {True: SQL(_by_id), False: SQL(_by_id.where(*CONFIRMED))}
_ONE_SIDES = select(
    union(
        select(Contradiction.statement_a_id).where(Contradiction.id == bindparam("id")),
        select(Contradiction.statement_b_id).where(Contradiction.id == bindparam("id")),
    )
    .subquery()
    .c[0]
)
# Both sides, with every report (drafts shown) or with their confirmed reports.
_ONE_STATEMENTS = {
    True: (SQL(STATEMENT_ROWS.where(Statement.id.in_(_ONE_SIDES))), appearances_of(_ONE_SIDES)),
    False: statements_in(_ONE_SIDES),
}
_DELETED = deletion_of("contradiction")


def get_contradiction(db: ReadDB, id: int, *, drafts: bool = False) -> ContradictionRead:
    """One contradiction with both sides in full: with DRAFTS, whatever their review status,
    with every report; else one shown with confirmed data alone, as lists show it (a draft is
    not found)."""
    row = db.one(_ONE[drafts], {"id": id})
    if row is None:
        deletion = db.one(_DELETED, {"id": id})
        if deletion is not None:
            raise gone("contradiction", id, str(id), as_deletion(deletion))
        raise NotFound(f"No contradiction {id}.")
    statements = fetch_statements(db, _ONE_STATEMENTS[drafts], {"id": id})
    return _with_sides([row], statements)[0]
