"""Editing actors: create, update, delete and restore, aliases and affiliation included.

Each function runs inside the request's transaction (app.curation.editing.in_transaction) and
records what it did in the history; none commits. An actor's history shows its aliases with its
row, so that a reader sees an alias change.
"""

from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.curation.editing import check_version
from app.curation.history import (
    Row,
    delete_object,
    record,
    require_alive,
    reserved,
    restore_object,
    row_of,
    table_of,
    tombstone,
)
from app.models import Actor, ActorAlias, Source, Statement, alias_key
from app.models.enums import ActorKind, ChangeAction
from app.shared.writes import invalid
from app.web.auth import Editor
from app.web.errors import Conflict, NotFound

TABLE = table_of(Actor)


def actor_by_slug(session: Session, slug: str) -> Actor:
    """The live actor SLUG names: 410 if it was deleted, 404 otherwise."""
    actor = session.scalars(select(Actor).where(Actor.slug == slug)).first()
    if actor is None:
        require_alive(session, "actor", slug)
        raise NotFound.slug_of("actor", slug)
    return actor


def _aliases(session: Session, actor_id: int) -> list[str]:
    return list(
        session.scalars(
            select(ActorAlias.alias).where(ActorAlias.actor_id == actor_id).order_by(ActorAlias.id)
        )
    )


def _snapshot(session: Session, actor_id: int) -> Row | None:
    """The actor as the history shows it: its row, and its aliases."""
    row = row_of(TABLE, actor_id, session)
    return None if row is None else {**row, "aliases": _aliases(session, actor_id)}


def _set_aliases(session: Session, actor_id: int, name: str, aliases: list[str]) -> None:
    """Replace the actor's aliases: its name first (as the loader stores it), then ALIASES in
    their order, each alias once (the schemas refuse two that match alike)."""
    session.execute(delete(ActorAlias).where(ActorAlias.actor_id == actor_id))
    seen: set[str] = set()
    rows = []
    for alias in (name, *aliases):
        key = alias_key(alias)
        if key not in seen:
            seen.add(key)
            rows.append({"actor_id": actor_id, "alias": alias, "alias_key": key})
    session.execute(insert(ActorAlias), rows)


def _affiliation_id(session: Session, actor: Actor | None, slug: str | None) -> int | None:
    """The id of the affiliation SLUG names for ACTOR (None: a new one); 422 if there is no
    such actor, or if ACTOR would end up in itself, directly or through others."""
    if slug is None:
        return None
    found = session.scalar(select(Actor.id).where(Actor.slug == slug))
    if found is None:
        raise invalid("affiliation", f"there is no actor '{slug}'")
    if actor is None:
        return found
    # Walk up from the new affiliation: meeting the actor again would close a cycle.
    chain, at, seen = [actor.slug], found, set[int]()
    while at is not None and at not in seen:
        seen.add(at)
        up = session.execute(select(Actor.slug, Actor.affiliation_id).where(Actor.id == at)).one()
        chain.append(up.slug)
        if at == actor.id:
            raise invalid(
                "affiliation",
                f"an actor cannot be in itself, directly or through others: {' in '.join(chain)}",
            )
        at = up.affiliation_id
    return found


def _check_unnamed(kind: ActorKind, group_size: int | None, knowledge: str | None) -> None:
    """Group size and knowledge describe unnamed sources only."""
    if kind is ActorKind.unnamed:
        return
    for field, value in (("group_size", group_size), ("knowledge", knowledge)):
        if value is not None:
            raise invalid(field, f"only an unnamed source has one, not an actor of kind {kind}")


def create_actor(session: Session, editor: Editor, fields: dict[str, Any]) -> str:
    """A new actor with its aliases; its slug."""
    slug: str = fields["slug"]
    if session.scalar(select(Actor.id).where(Actor.slug == slug)) is not None:
        raise Conflict(f"An actor with slug '{slug}' exists already.")
    reserved(session, "actor", slug)
    kind = ActorKind(fields["kind"])
    _check_unnamed(kind, fields.get("group_size"), fields.get("knowledge"))
    actor = Actor(
        slug=slug,
        name=fields["name"],
        name_key=alias_key(fields["name"]),
        kind=kind,
        description=fields.get("description"),
        affiliation_id=_affiliation_id(session, None, fields.get("affiliation")),
        group_size=fields.get("group_size"),
        knowledge=fields.get("knowledge"),
    )
    session.add(actor)
    session.flush()
    _set_aliases(session, actor.id, actor.name, fields.get("aliases", []))
    after = _snapshot(session, actor.id)
    record(session, editor, ChangeAction.create, "actor", actor.id, slug, after=after)
    return slug


def update_actor(
    session: Session, editor: Editor, slug: str, version: int, fields: dict[str, Any]
) -> str:
    """Change an actor's fields, if it is still at VERSION; `aliases` replaces the list."""
    actor = actor_by_slug(session, slug)
    check_version(f"Actor '{slug}'", actor.version, version)
    before = _snapshot(session, actor.id)
    # Everything is read and checked before the row changes: a query in between would flush
    # it early, and bump its version twice.
    fields = dict(fields)
    if "affiliation" in fields:
        fields["affiliation_id"] = _affiliation_id(session, actor, fields.pop("affiliation"))
    kind = ActorKind(fields.get("kind", actor.kind))
    _check_unnamed(
        kind, fields.get("group_size", actor.group_size), fields.get("knowledge", actor.knowledge)
    )
    if kind is not ActorKind.outlet and actor.kind is ActorKind.outlet:
        outlet_of = session.scalar(
            select(func.count()).select_from(Source).where(Source.outlet_id == actor.id)
        )
        if outlet_of:
            raise Conflict(
                f"'{slug}' is the outlet of {outlet_of} source(s): it must stay an outlet."
            )
    aliases = fields.pop("aliases", None)
    if "name" in fields:
        fields["name_key"] = alias_key(fields["name"])
        # The old name stays an alias unless a new list leaves it out.
        if aliases is None:
            aliases = _aliases(session, actor.id)
    for name, value in fields.items():
        setattr(actor, name, value)
    # The aliases are not in the actor's row: an edit of them alone still moves its version. The
    # row goes first, so that a concurrent edit is refused (412) before the aliases change.
    flag_modified(actor, "name")
    session.flush()
    if aliases is not None:
        _set_aliases(session, actor.id, actor.name, aliases)
    after = _snapshot(session, actor.id)
    record(session, editor, ChangeAction.update, "actor", actor.id, slug, before, after)
    return slug


def delete_actor(session: Session, editor: Editor, slug: str, version: int) -> None:
    """Delete an actor no statement has as its speaker (a tombstone keeps it restorable);
    statements to it, sources from it and actors in it are unlinked, and relinked on restore."""
    actor = actor_by_slug(session, slug)
    check_version(f"Actor '{slug}'", actor.version, version)
    said = session.scalar(
        select(func.count()).select_from(Statement).where(Statement.speaker_id == actor.id)
    )
    if said:
        raise Conflict(
            f"'{slug}' is the speaker of {said} statement(s): delete them or give them another "
            "speaker first."
        )
    delete_object(session, editor, TABLE, "actor", actor.id, slug, version)


def restore_actor(session: Session, editor: Editor, slug: str) -> str:
    """Bring a deleted actor back as it was, aliases and links included."""
    grave = tombstone(session, "actor", slug)
    if grave is None:
        if session.scalar(select(Actor.id).where(Actor.slug == slug)) is not None:
            raise Conflict(f"The actor '{slug}' is not deleted.")
        raise NotFound.slug_of("actor", slug)
    restore_object(session, editor, grave)
    return slug
