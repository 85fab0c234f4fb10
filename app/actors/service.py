"""Actor queries: lists findable by any alias, and one actor with its members and counts."""

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import aliased

from app.errors import NotFound
from app.lookups import contains_pattern
from app.models import Actor, ActorAlias, Statement, alias_key
from app.models.enums import ActorKind
from app.pagination import PageParams, page

Affiliation = aliased(Actor, name="affiliation")

_ACTOR_ROWS = select(
    Actor.id,
    Actor.slug,
    Actor.name,
    Actor.kind,
    Actor.description,
    Actor.group_size,
    Actor.knowledge,
    Affiliation.slug.label("affiliation_slug"),
    Affiliation.name.label("affiliation_name"),
    Affiliation.kind.label("affiliation_kind"),
).outerjoin(Affiliation, Affiliation.id == Actor.affiliation_id)


def _aliases(conn: Connection, actor_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    if actor_ids:
        rows = conn.execute(
            select(ActorAlias.actor_id, ActorAlias.alias)
            .where(ActorAlias.actor_id.in_(actor_ids))
            .order_by(ActorAlias.actor_id, ActorAlias.id)
        )
        for actor_id, alias in rows:
            found[actor_id].append(alias)
    return found


def _actor(row: Any, aliases: list[str]) -> dict[str, Any]:
    affiliation = None
    if row.affiliation_slug is not None:
        affiliation = {
            "slug": row.affiliation_slug,
            "name": row.affiliation_name,
            "kind": row.affiliation_kind,
        }
    return {
        "slug": row.slug,
        "name": row.name,
        "kind": row.kind,
        "description": row.description,
        "affiliation": affiliation,
        "aliases": aliases,
        "group_size": row.group_size,
        "knowledge": row.knowledge,
    }


def list_actors(
    conn: Connection,
    params: PageParams,
    *,
    q: str | None = None,
    alias: str | None = None,
    kind: ActorKind | None = None,
) -> dict[str, Any]:
    """A page of actors in id order; q matches any part of a name or alias, alias matches whole."""
    query = _ACTOR_ROWS
    if q is not None:
        pattern = contains_pattern(alias_key(q))
        named = select(ActorAlias.actor_id).where(ActorAlias.alias_key.like(pattern, escape="\\"))
        query = query.where(Actor.id.in_(named) | func.lower(Actor.name).like(pattern, escape="\\"))
    if alias is not None:
        named = select(ActorAlias.actor_id).where(ActorAlias.alias_key == alias_key(alias))
        query = query.where(Actor.id.in_(named) | (func.lower(Actor.name) == alias_key(alias)))
    if kind is not None:
        query = query.where(Actor.kind == kind)
    after = params.after()
    if after is not None:
        query = query.where(Actor.id > after[0])
    rows = conn.execute(query.order_by(Actor.id).limit(params.limit + 1)).all()
    kept, next_cursor = page(rows, params, lambda r: (r.id,))
    aliases = _aliases(conn, [r.id for r in kept])
    return {"items": [_actor(r, aliases[r.id]) for r in kept], "next_cursor": next_cursor}


def get_actor(conn: Connection, slug: str) -> dict[str, Any]:
    """One actor with its aliases, affiliation, members and statement counts."""
    row = conn.execute(_ACTOR_ROWS.where(Actor.slug == slug)).first()
    if row is None:
        raise NotFound(f"No actor with slug '{slug}'.")
    actor = _actor(row, _aliases(conn, [row.id])[row.id])
    members = conn.execute(
        select(Actor.slug, Actor.name, Actor.kind)
        .where(Actor.affiliation_id == row.id)
        .order_by(Actor.id)
    )
    actor["members"] = [m._asdict() for m in members]
    counts = conn.execute(
        select(Statement.stance, func.count())
        .where(Statement.speaker_id == row.id)
        .group_by(Statement.stance)
    )
    actor["stance_counts"] = {str(stance): n for stance, n in counts}
    actor["statement_count"] = sum(actor["stance_counts"].values())
    return actor
