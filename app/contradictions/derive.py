"""The contradictions sayso finds itself: a denial for every statement that denies a claim that
another asserts. Run by the loader after a load and by every edit that changes a stance or a
claim; it writes, so it lives apart from the reads in service.py."""

from collections.abc import Collection

from sqlalchemy import delete, func, insert, literal, or_, select
from sqlalchemy.orm import Session

from app.contradictions.service import Denier, Holder
from app.db.ids import first_not_reused
from app.models import Base, Contradiction, Statement
from app.models.enums import POSITIVE_STANCES, ContradictionKind, ReviewStatus, Stance


def refresh_denials(session: Session, claims: Collection[int] | None = None) -> tuple[int, int]:
    """Record a denial for every (positive, denying) pair of statements on one claim, in SQL.

    Denials that no longer follow from the stances are removed, but for rejected ones. With
    CLAIMS (claim ids), only the denials around those claims are looked at: an edit need not
    rescan the database.
    Returns (added, removed).
    """
    conn = session.connection()
    pair = (
        (Denier.claim_id == Holder.claim_id)
        & (Denier.stance == Stance.denies)
        & Holder.stance.in_(POSITIVE_STANCES)
    )
    recorded = (
        select(Contradiction.id)
        .where(Contradiction.kind == ContradictionKind.denial)
        .where(Contradiction.statement_a_id == Holder.id)
        .where(Contradiction.statement_b_id == Denier.id)
    )
    still_follows = (
        select(Holder.id)
        .join(Denier, pair)
        .where(Holder.id == Contradiction.statement_a_id)
        .where(Denier.id == Contradiction.statement_b_id)
    )
    # A denial a person rejected stays, hidden as every rejected row is, whether it follows or
    # not: were it dropped, it would be found again, unreviewed, when the stances come back.
    stale = (
        delete(Contradiction)
        .where(Contradiction.kind == ContradictionKind.denial)
        .where(Contradiction.status != ReviewStatus.rejected)
        .where(~still_follows.exists())
    )
    if claims is not None:
        # A statement moved off a claim is on the other claim given now: either side will do.
        around = select(Statement.id).where(Statement.claim_id.in_(list(claims)))
        stale = stale.where(
            or_(Contradiction.statement_a_id.in_(around), Contradiction.statement_b_id.in_(around))
        )
    removed = conn.execute(stale).rowcount
    # No rationale is stored: it is said when read (_said), from the statements as they are then.
    new_pairs = (
        select(literal(ContradictionKind.denial.value), Holder.id, Denier.id)
        .join(Denier, pair)
        .where(~recorded.exists())
    )
    if claims is not None:
        new_pairs = new_pairs.where(Holder.claim_id.in_(list(claims)))
    columns = ["kind", "statement_a_id", "statement_b_id"]
    if conn.dialect.name != "sqlite":
        # psycopg reports no rowcount for INSERT ... SELECT: the rows are counted in the query.
        added = insert(Contradiction).from_select(columns, new_pairs).returning(Contradiction.id)
        counted = select(func.count()).select_from(added.cte("added"))
        return conn.execute(counted).scalar_one(), removed
    first = first_not_reused(conn, Base.metadata.tables["contradictions"])
    if first is not None:
        # Ids above every deleted denial's (app.db.ids): SQLite would reuse them. Only
        # then are they numbered here: that sorts every new pair (a million at a time on a
        # first load), where SQLite's own next ids are free.
        new_pairs = new_pairs.add_columns(
            (literal(first - 1) + func.row_number().over(order_by=(Holder.id, Denier.id))).label(
                "id"
            )
        )
        columns.append("id")
    return conn.execute(insert(Contradiction).from_select(columns, new_pairs)).rowcount, removed
