"""Statement queries: one statement in full, and filtered, keyset-paged lists of them."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, select
from sqlalchemy.orm import aliased

from app.lookups import id_for_slug
from app.models import Actor, Appearance, Claim, Source, Statement
from app.models.enums import ActorKind, Stance
from app.pagination import PageParams, page

Speaker = aliased(Actor, name="speaker")
Recipient = aliased(Actor, name="recipient")
Outlet = aliased(Actor, name="outlet")

STATEMENT_ROWS = (
    select(
        Statement.id,
        Statement.slug,
        Statement.stance,
        Statement.said_on,
        Statement.context,
        Statement.via,
        Statement.note,
        Speaker.slug.label("speaker_slug"),
        Speaker.name.label("speaker_name"),
        Speaker.kind.label("speaker_kind"),
        Claim.slug.label("claim_slug"),
        Claim.text.label("claim_text"),
        Recipient.slug.label("recipient_slug"),
        Recipient.name.label("recipient_name"),
        Recipient.kind.label("recipient_kind"),
    )
    .join(Speaker, Speaker.id == Statement.speaker_id)
    .join(Claim, Claim.id == Statement.claim_id)
    .outerjoin(Recipient, Recipient.id == Statement.recipient_id)
)

APPEARANCE_COLUMNS = (
    Appearance.id.label("appearance_id"),
    Appearance.statement_id,
    Appearance.quote,
    Appearance.mode,
    Appearance.span_start,
    Appearance.span_end,
    Appearance.attribution,
    Appearance.attribution_start,
    Appearance.attribution_end,
    Appearance.hedge,
    Appearance.hedge_start,
    Appearance.hedge_end,
    Appearance.note.label("appearance_note"),
)


def actor_brief(slug: str | None, name: str | None, kind: str | None) -> dict[str, Any] | None:
    return None if slug is None else {"slug": slug, "name": name, "kind": kind}


def statement_brief(row: Any) -> dict[str, Any]:
    """A statement without its appearances, from a row of STATEMENT_ROWS."""
    return {
        "slug": row.slug,
        "stance": row.stance,
        "speaker": actor_brief(row.speaker_slug, row.speaker_name, row.speaker_kind),
        "claim": {"slug": row.claim_slug, "text": row.claim_text},
        "said_on": row.said_on,
        "context": row.context,
        "recipient": actor_brief(row.recipient_slug, row.recipient_name, row.recipient_kind),
        "via": row.via,
        "note": row.note,
    }


def appearance_fields(row: Any) -> dict[str, Any]:
    """Where and how a source worded a statement, with the spans a front end highlights."""
    return {
        "id": row.appearance_id,
        "quote": row.quote,
        "mode": row.mode,
        "span": {"start": row.span_start, "end": row.span_end},
        "attribution": _located(row.attribution, row.attribution_start, row.attribution_end),
        "hedge": _located(row.hedge, row.hedge_start, row.hedge_end),
        "note": row.appearance_note,
    }


def _located(text: str | None, start: int | None, end: int | None) -> dict[str, Any] | None:
    return None if text is None else {"text": text, "start": start, "end": end}


def appearances_of(conn: Connection, statement_ids: Iterable[int]) -> dict[int, list[Any]]:
    """Every appearance of the given statements, each with its source, oldest report first."""
    ids = list(statement_ids)
    found: dict[int, list[Any]] = defaultdict(list)
    if not ids:
        return found
    rows = conn.execute(
        select(
            *APPEARANCE_COLUMNS,
            Source.slug.label("source_slug"),
            Source.title.label("source_title"),
            Source.reported_on.label("source_reported_on"),
            Outlet.slug.label("outlet_slug"),
            Outlet.name.label("outlet_name"),
            Outlet.kind.label("outlet_kind"),
        )
        .join(Source, Source.id == Appearance.source_id)
        .outerjoin(Outlet, Outlet.id == Source.outlet_id)
        .where(Appearance.statement_id.in_(ids))
        .order_by(Appearance.statement_id, Source.reported_on, Source.id, Appearance.span_start)
    )
    for row in rows:
        item = appearance_fields(row)
        item["source"] = {
            "slug": row.source_slug,
            "title": row.source_title,
            "outlet": actor_brief(row.outlet_slug, row.outlet_name, row.outlet_kind),
            "reported_on": row.source_reported_on,
        }
        found[row.statement_id].append(item)
    return found


def statements_by_ids(conn: Connection, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Full statements (with appearances) keyed by id."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = conn.execute(STATEMENT_ROWS.where(Statement.id.in_(wanted))).all()
    appearances = appearances_of(conn, wanted)
    return {row.id: {**statement_brief(row), "appearances": appearances[row.id]} for row in rows}


def get_statement(conn: Connection, slug: str) -> dict[str, Any]:
    """One statement with its speaker, claim and every appearance."""
    statement_id = id_for_slug(conn, "statement", slug)
    return statements_by_ids(conn, [statement_id])[statement_id]


@dataclass(frozen=True)
class StatementFilter:
    """What a list of statements may be narrowed to; every field is optional and they combine."""

    claim: str | None = None
    speaker: str | None = None
    include_affiliated: bool = False
    affiliated_with: str | None = None
    stance: Stance | None = None
    unnamed: bool | None = None
    source: str | None = None


def affiliates(conn: Connection, actor_id: int) -> Any:
    """A subquery of the actors affiliated with ACTOR_ID, directly or through others."""
    tree = (
        select(Actor.id).where(Actor.affiliation_id == actor_id).cte("affiliates", recursive=True)
    )
    member = aliased(Actor)
    tree = tree.union(select(member.id).join(tree, member.affiliation_id == tree.c.id))
    return select(tree.c.id)


def _filtered(conn: Connection, f: StatementFilter) -> Select[*tuple[Any, ...]]:
    query = STATEMENT_ROWS
    if f.claim is not None:
        query = query.where(Statement.claim_id == id_for_slug(conn, "claim", f.claim))
    if f.speaker is not None:
        speaker_id = id_for_slug(conn, "actor", f.speaker)
        if f.include_affiliated:
            query = query.where(
                (Statement.speaker_id == speaker_id)
                | Statement.speaker_id.in_(affiliates(conn, speaker_id))
            )
        else:
            query = query.where(Statement.speaker_id == speaker_id)
    if f.affiliated_with is not None:
        root = id_for_slug(conn, "actor", f.affiliated_with)
        query = query.where(Statement.speaker_id.in_(affiliates(conn, root)))
    if f.stance is not None:
        query = query.where(Statement.stance == f.stance)
    if f.unnamed is not None:
        is_unnamed = Speaker.kind == ActorKind.unnamed
        query = query.where(is_unnamed if f.unnamed else ~is_unnamed)
    if f.source is not None:
        source_id = id_for_slug(conn, "source", f.source)
        reported = select(Appearance.statement_id).where(Appearance.source_id == source_id)
        query = query.where(Statement.id.in_(reported))
    return query


def list_statements(conn: Connection, f: StatementFilter, params: PageParams) -> dict[str, Any]:
    """A page of statements matching F, in id order, each with its appearances."""
    query = _filtered(conn, f)
    after = params.after()
    if after is not None:
        query = query.where(Statement.id > after[0])
    rows = conn.execute(query.order_by(Statement.id).limit(params.limit + 1)).all()
    kept, next_cursor = page(rows, params, lambda r: (r.id,))
    appearances = appearances_of(conn, (r.id for r in kept))
    items = [{**statement_brief(r), "appearances": appearances[r.id]} for r in kept]
    return {"items": items, "next_cursor": next_cursor}
