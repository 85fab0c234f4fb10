"""Actor queries: lists findable by any alias, and one actor with its members and counts."""

from collections import defaultdict
from functools import cache

from sqlalchemy import bindparam, func, select, union_all
from sqlalchemy.orm import aliased

from app.actors.schemas import ActorDetail, ActorRead, Opponent
from app.db.reads import SQL, AnySelect, ReadDB, Row, count, count_of
from app.db.review import confirmed
from app.models import Actor, ActorAlias, Contradiction, Statement, alias_key
from app.models.enums import ActorKind, ContradictionKind
from app.shared.briefs import ActorBrief
from app.shared.lookups import contains_pattern
from app.shared.statement_rows import actor_brief, linked_actor
from app.web.errors import NotFound
from app.web.pagination import Page, PageParams, page

Affiliation = aliased(Actor, name="affiliation")

_ACTOR_ROWS = select(
    Actor.id,
    Actor.slug,
    Actor.name,
    Actor.kind,
    Actor.description,
    Actor.group_size,
    Actor.knowledge,
    Actor.version,
    Affiliation.slug.label("affiliation_slug"),
    Affiliation.name.label("affiliation_name"),
    Affiliation.kind.label("affiliation_kind"),
).outerjoin(Affiliation, Affiliation.id == Actor.affiliation_id)


def _actor(row: Row, aliases: list[str]) -> ActorRead:
    return {
        "slug": row["slug"],
        "name": row["name"],
        "kind": row["kind"],
        "description": row["description"],
        "affiliation": linked_actor(
            row["affiliation_slug"], row["affiliation_name"], row["affiliation_kind"]
        ),
        "aliases": aliases,
        "group_size": row["group_size"],
        "knowledge": row["knowledge"],
    }


def _aliases_of(actor_ids: AnySelect) -> SQL:
    return SQL(
        select(ActorAlias.actor_id, ActorAlias.alias)
        .where(ActorAlias.actor_id.in_(actor_ids))
        .order_by(ActorAlias.actor_id, ActorAlias.id)
    )


def _group_aliases(rows: list[Row]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        found[row["actor_id"]].append(row["alias"])
    return found


def _filtered(query: AnySelect, q: bool, alias: bool, kind: bool, after: bool) -> AnySelect:
    if q:
        named = select(ActorAlias.actor_id).where(
            ActorAlias.alias_key.like(bindparam("q"), escape="\\")
        )
        query = query.where(Actor.id.in_(named) | Actor.name_key.like(bindparam("q"), escape="\\"))
    if alias:
        named = select(ActorAlias.actor_id).where(ActorAlias.alias_key == bindparam("alias"))
        query = query.where(Actor.id.in_(named) | (Actor.name_key == bindparam("alias")))
    if kind:
        query = query.where(Actor.kind == bindparam("kind"))
    if after:
        query = query.where(Actor.id > bindparam("after"))
    return query.order_by(Actor.id).limit(bindparam("limit"))


@cache
def _list_queries(q: bool, alias: bool, kind: bool, after: bool) -> tuple[SQL, SQL]:
    rows = _filtered(_ACTOR_ROWS, q, alias, kind, after)
    ids = _filtered(select(Actor.id), q, alias, kind, after)
    return SQL(rows), _aliases_of(ids)


@cache
def _count_query(q: bool, alias: bool, kind: bool) -> SQL:
    return count_of(_filtered(select(Actor.id), q, alias, kind, after=False))


def list_actors(
    db: ReadDB,
    params: PageParams,
    *,
    q: str | None = None,
    alias: str | None = None,
    kind: ActorKind | None = None,
) -> Page[ActorRead]:
    """A page of actors in id order; q matches any part of a name or alias, alias matches whole."""
    after = params.after()
    rows_sql, aliases_sql = _list_queries(
        q is not None, alias is not None, kind is not None, after is not None
    )
    values = {
        "q": contains_pattern(alias_key(q)) if q is not None else None,
        "alias": alias_key(alias) if alias is not None else None,
        "kind": kind,
        "after": after[0] if after else None,
        "limit": params.limit + 1,
    }
    rows = db.all(rows_sql, values)
    kept, next_cursor = page(rows, params, lambda r: (r["id"],))
    aliases = _group_aliases(db.all(aliases_sql, values)) if kept else {}
    found: Page[ActorRead] = {
        "items": [_actor(r, aliases.get(r["id"], [])) for r in kept],
        "next_cursor": next_cursor,
    }
    if params.count:
        shape = (q is not None, alias is not None, kind is not None)
        found["total"] = count(db, _count_query(*shape), values)
    return found


_ONE = SQL(_ACTOR_ROWS.where(Actor.slug == bindparam("slug")))
_ONE_ALIASES = _aliases_of(select(Actor.id).where(Actor.slug == bindparam("slug")))
_MEMBERS = SQL(
    select(Actor.slug, Actor.name, Actor.kind)
    .where(Actor.affiliation_id == bindparam("id"))
    .order_by(Actor.id)
)
_STANCE_COUNTS = SQL(
    select(Statement.stance, func.count().label("n"))
    .where(Statement.speaker_id == bindparam("id"), confirmed(Statement.status))
    .group_by(Statement.stance)
    # In one order whatever the plan: the answer (and its ETag) must not change with it.
    .order_by(Statement.stance)
)


# Who contradicts whom: a denial's speaker contradicts the speaker of the statement it denies
# (side b denies side a); an inconsistency is mutual. A misreport is two sources disagreeing
# about one statement, not one actor contradicting another: it is left out.
_A = aliased(Statement, name="side_a")
_B = aliased(Statement, name="side_b")
_sides = (
    select(Contradiction.id, Contradiction.kind, _A.speaker_id.label("a"), _B.speaker_id.label("b"))
    .join(_A, _A.id == Contradiction.statement_a_id)
    .join(_B, _B.id == Contradiction.statement_b_id)
    .where(
        Contradiction.kind != ContradictionKind.misreport,
        confirmed(Contradiction.status),
        confirmed(_A.status),
        confirmed(_B.status),
    )
    .subquery("sides")
)
_edges = union_all(
    select(_sides.c.b.label("by"), _sides.c.a.label("of")),
    select(_sides.c.a, _sides.c.b).where(_sides.c.kind == ContradictionKind.inconsistency),
).subquery("edges")


def _opponents(mine: str, theirs: str) -> SQL:
    edge_mine, edge_theirs = _edges.c[mine], _edges.c[theirs]
    return SQL(
        select(Actor.slug, Actor.name, Actor.kind, func.count().label("contradictions"))
        .join(_edges, edge_theirs == Actor.id)
        .where(edge_mine == bindparam("id"))
        .group_by(Actor.id, Actor.slug, Actor.name, Actor.kind)
        .order_by(func.count().desc(), Actor.slug)
    )


_CONTRADICTS = _opponents("by", "of")
_CONTRADICTED_BY = _opponents("of", "by")


def _opponents_of(rows: list[Row]) -> list[Opponent]:
    return [
        {
            "slug": r["slug"],
            "name": r["name"],
            "kind": r["kind"],
            "contradictions": r["contradictions"],
        }
        for r in rows
    ]


def get_actor(db: ReadDB, slug: str) -> ActorDetail:
    """One actor with its aliases, affiliation, members and statement counts."""
    row = db.one(_ONE, {"slug": slug})
    if row is None:
        raise NotFound.slug_of("actor", slug)
    aliases = [r["alias"] for r in db.all(_ONE_ALIASES, {"slug": slug})]
    key = {"id": row["id"]}
    members: list[ActorBrief] = [
        actor_brief(m["slug"], m["name"], m["kind"]) for m in db.all(_MEMBERS, key)
    ]
    stance_counts = {c["stance"]: c["n"] for c in db.all(_STANCE_COUNTS, key)}
    return {
        **_actor(row, aliases),
        "members": members,
        "stance_counts": stance_counts,
        "statement_count": sum(stance_counts.values()),
        "contradicts": _opponents_of(db.all(_CONTRADICTS, key)),
        "contradicted_by": _opponents_of(db.all(_CONTRADICTED_BY, key)),
        "version": row["version"],
    }
