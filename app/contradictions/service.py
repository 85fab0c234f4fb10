"""Contradictions: reading them with both sides in full, and finding denials from the stances."""

from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select
from sqlalchemy.orm import Session, aliased

from app.lookups import id_for_slug
from app.models import Actor, Claim, Contradiction, Statement
from app.models.enums import POSITIVE_STANCES, ContradictionKind, Stance
from app.pagination import PageParams, page
from app.statements.service import affiliates, statements_by_ids

Holder = aliased(Statement, name="holder")
Denier = aliased(Statement, name="denier")
HolderSpeaker = aliased(Actor, name="holder_speaker")
DenierSpeaker = aliased(Actor, name="denier_speaker")


def list_contradictions(
    conn: Connection,
    params: PageParams,
    *,
    claim: str | None = None,
    actor: str | None = None,
    include_affiliated: bool = False,
    kind: ContradictionKind | None = None,
) -> dict[str, Any]:
    """A page of contradictions touching a claim and/or an actor, each with both sides in full."""
    query = select(
        Contradiction.id,
        Contradiction.kind,
        Contradiction.rationale,
        Contradiction.statement_a_id,
        Contradiction.statement_b_id,
        Contradiction.appearance_a_id,
        Contradiction.appearance_b_id,
    )
    if claim is not None:
        about = select(Statement.id).where(Statement.claim_id == id_for_slug(conn, "claim", claim))
        query = query.where(
            or_(Contradiction.statement_a_id.in_(about), Contradiction.statement_b_id.in_(about))
        )
    if actor is not None:
        actor_id = id_for_slug(conn, "actor", actor)
        speakers = Statement.speaker_id == actor_id
        if include_affiliated:
            speakers = speakers | Statement.speaker_id.in_(affiliates(conn, actor_id))
        said = select(Statement.id).where(speakers)
        query = query.where(
            or_(Contradiction.statement_a_id.in_(said), Contradiction.statement_b_id.in_(said))
        )
    if kind is not None:
        query = query.where(Contradiction.kind == kind)
    after = params.after()
    if after is not None:
        query = query.where(Contradiction.id > after[0])
    rows = conn.execute(query.order_by(Contradiction.id).limit(params.limit + 1)).all()
    kept, next_cursor = page(rows, params, lambda r: (r.id,))
    return {"items": _with_sides(conn, kept), "next_cursor": next_cursor}


def _with_sides(conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
    statements = statements_by_ids(
        conn, [r.statement_a_id for r in rows] + [r.statement_b_id for r in rows]
    )

    def side(statement_id: int, appearance_id: int | None) -> dict[str, Any]:
        statement = statements[statement_id]
        appearance = next((a for a in statement["appearances"] if a["id"] == appearance_id), None)
        return {"statement": statement, "appearance": appearance}

    return [
        {
            "id": r.id,
            "kind": r.kind,
            "rationale": r.rationale,
            "a": side(r.statement_a_id, r.appearance_a_id),
            "b": side(r.statement_b_id, r.appearance_b_id),
        }
        for r in rows
    ]


def refresh_denials(session: Session) -> tuple[int, int]:
    """Record a denial for every (positive, denying) pair of statements on one claim.

    Denials that no longer follow from the stances are removed. Returns (added, removed).
    """
    pairs = (
        select(
            Holder.id.label("a"),
            Denier.id.label("b"),
            HolderSpeaker.name.label("holder_name"),
            Holder.stance.label("holder_stance"),
            DenierSpeaker.name.label("denier_name"),
            Claim.text.label("claim_text"),
        )
        .join(Denier, (Denier.claim_id == Holder.claim_id) & (Denier.stance == Stance.denies))
        .join(HolderSpeaker, HolderSpeaker.id == Holder.speaker_id)
        .join(DenierSpeaker, DenierSpeaker.id == Denier.speaker_id)
        .join(Claim, Claim.id == Holder.claim_id)
        .where(Holder.stance.in_(POSITIVE_STANCES))
    )
    wanted = {(r.a, r.b): r for r in session.execute(pairs)}
    existing = {
        (r.statement_a_id, r.statement_b_id): r.id
        for r in session.execute(
            select(
                Contradiction.id, Contradiction.statement_a_id, Contradiction.statement_b_id
            ).where(Contradiction.kind == ContradictionKind.denial)
        )
    }
    stale = [cid for pair, cid in existing.items() if pair not in wanted]
    if stale:
        session.execute(delete(Contradiction).where(Contradiction.id.in_(stale)))
    new = [
        {
            "kind": ContradictionKind.denial,
            "statement_a_id": a,
            "statement_b_id": b,
            "rationale": f"Opposite stances on one claim: {r.holder_name} ({r.holder_stance}) "
            f"and {r.denier_name} (denies): {r.claim_text}",
        }
        for (a, b), r in wanted.items()
        if (a, b) not in existing
    ]
    if new:
        session.execute(insert(Contradiction), new)
    return len(new), len(stale)
