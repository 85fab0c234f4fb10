"""What the database already holds of a batch, in the same shape as the rows a Plan writes."""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.ingest.plan import Row
from app.models import (
    Actor,
    ActorAlias,
    Appearance,
    Claim,
    Contradiction,
    Source,
    SourceCitation,
    SourceDate,
    SourceFurniture,
    Statement,
    Tombstone,
)

CHUNK = 500
Other = aliased(Actor, name="other")
Cited = aliased(Source, name="cited")


def _empty(session: Session, model: Any) -> bool:
    """Whether MODEL's table has no rows: a first load then asks nothing slug by slug."""
    return session.execute(select(model.id).limit(1)).first() is None


def _chunks(items: Iterable[Any]) -> Iterator[list[Any]]:
    batch = list(items)
    for i in range(0, len(batch), CHUNK):
        yield batch[i : i + CHUNK]


def deleted(session: Session, object_type: str, slugs: Iterable[str]) -> set[str]:
    """Which of SLUGS belong to deleted OBJECT_TYPEs: each is kept for its object until an
    admin purges the deletion (app/curation/history.py, reserved)."""
    if _empty(session, Tombstone):
        return set()
    found: set[str] = set()
    for chunk in _chunks(slugs):
        found.update(
            slug
            for slug in session.scalars(
                select(Tombstone.slug).where(
                    Tombstone.object_type == object_type, Tombstone.slug.in_(chunk)
                )
            )
            if slug is not None
        )
    return found


def actors(session: Session, slugs: Iterable[str]) -> dict[str, Row]:
    """Actors with these slugs: their fields, affiliation slug, and aliases."""
    if _empty(session, Actor):
        return {}
    found: dict[str, Row] = {}
    for chunk in _chunks(slugs):
        rows = session.execute(
            select(Actor, Other.slug)
            .outerjoin(Other, Other.id == Actor.affiliation_id)
            .where(Actor.slug.in_(chunk))
        )
        for actor, affiliation in rows:
            found[actor.slug] = {
                "id": actor.id,
                "slug": actor.slug,
                "name": actor.name,
                "kind": actor.kind,
                "description": actor.description,
                "affiliation": affiliation,
                "group_size": actor.group_size,
                "knowledge": actor.knowledge,
                "aliases": [],
            }
    by_id = {row["id"]: row for row in found.values()}
    for chunk in _chunks(by_id):
        aliases = session.execute(
            select(ActorAlias.actor_id, ActorAlias.alias)
            .where(ActorAlias.actor_id.in_(chunk))
            .order_by(ActorAlias.id)
        )
        for actor_id, alias in aliases:
            by_id[actor_id]["aliases"].append(alias)
    return found


def claims(session: Session, slugs: Iterable[str]) -> dict[str, Row]:
    if _empty(session, Claim):
        return {}
    found: dict[str, Row] = {}
    for chunk in _chunks(slugs):
        for claim in session.scalars(select(Claim).where(Claim.slug.in_(chunk))):
            found[claim.slug] = {
                "id": claim.id,
                "slug": claim.slug,
                "text": claim.text,
                "note": claim.note,
            }
    return found


def sources(session: Session, slugs: Iterable[str]) -> dict[str, Row]:
    """Sources with these slugs, with the dates, citations and furniture of each."""
    if _empty(session, Source):
        return {}
    found: dict[str, Row] = {}
    for chunk in _chunks(slugs):
        rows = session.execute(
            select(Source, Other.slug)
            .outerjoin(Other, Other.id == Source.outlet_id)
            .where(Source.slug.in_(chunk))
        )
        for source, outlet in rows:
            found[source.slug] = {
                "id": source.id,
                "slug": source.slug,
                "title": source.title,
                "outlet": outlet,
                "url": source.url,
                "byline": source.byline,
                "language": source.language,
                "description": source.description,
                "sha256": source.sha256,
                "reported_on": source.reported_on,
                "reported_on_basis": source.reported_on_basis,
                "dates": set(),
                "citations": set(),
                "furniture": set(),
            }
    by_id = {row["id"]: row for row in found.values()}
    for chunk in _chunks(by_id):
        for d in session.scalars(select(SourceDate).where(SourceDate.source_id.in_(chunk))):
            by_id[d.source_id]["dates"].add(
                (d.kind, d.printed, d.day, d.at, d.span_start, d.span_end, d.note)
            )
        cites = session.execute(
            select(SourceCitation, Cited.slug)
            .join(Cited, Cited.id == SourceCitation.cited_source_id)
            .where(SourceCitation.source_id.in_(chunk))
        )
        for c, cited in cites:
            by_id[c.source_id]["citations"].add((cited, c.evidence, c.span_start, c.span_end))
        for f in session.scalars(
            select(SourceFurniture).where(SourceFurniture.source_id.in_(chunk))
        ):
            by_id[f.source_id]["furniture"].add((f.kind, f.span_start, f.span_end))
    return found


def statements(session: Session, slugs: Iterable[str]) -> dict[str, Row]:
    Speaker, Recipient = aliased(Actor), aliased(Actor)
    if _empty(session, Statement):
        return {}
    found: dict[str, Row] = {}
    for chunk in _chunks(slugs):
        rows = session.execute(
            select(Statement, Speaker.slug, Claim.slug, Recipient.slug)
            .join(Speaker, Speaker.id == Statement.speaker_id)
            .join(Claim, Claim.id == Statement.claim_id)
            .outerjoin(Recipient, Recipient.id == Statement.recipient_id)
            .where(Statement.slug.in_(chunk))
        )
        for s, speaker, claim, recipient in rows:
            found[s.slug] = {
                "id": s.id,
                "slug": s.slug,
                "speaker": speaker,
                "claim": claim,
                "stance": s.stance,
                "said_on": s.said_on,
                "context": s.context,
                "recipient": recipient,
                "via": s.via,
                "note": s.note,
            }
    return found


def appearances(session: Session, statement_ids: Iterable[int]) -> dict[tuple[str, str, int], Row]:
    """Appearances of these statements, keyed by (statement slug, source slug, span start)."""
    found: dict[tuple[str, str, int], Row] = {}
    for chunk in _chunks(statement_ids):
        rows = session.execute(
            select(Appearance, Statement.slug, Source.slug)
            .join(Statement, Statement.id == Appearance.statement_id)
            .join(Source, Source.id == Appearance.source_id)
            .where(Appearance.statement_id.in_(chunk))
        )
        for a, statement, source in rows:
            found[(statement, source, a.span_start)] = appearance_row(a, statement, source)
    return found


def appearance_row(a: Appearance, statement: str, source: str) -> Row:
    return {
        "statement": statement,
        "source": source,
        "quote": a.quote,
        "mode": a.mode,
        "span_start": a.span_start,
        "span_end": a.span_end,
        "attribution": a.attribution,
        "attribution_start": a.attribution_start,
        "attribution_end": a.attribution_end,
        "hedge": a.hedge,
        "hedge_start": a.hedge_start,
        "hedge_end": a.hedge_end,
        "note": a.note,
    }


def contradictions(
    session: Session, statement_ids: Iterable[int]
) -> dict[tuple[Any, ...], str | None]:
    """The contradictions among these statements: key -> rationale (None: a denial's, said
    when read)."""
    ids = list(statement_ids)
    found: dict[tuple[Any, ...], str | None] = {}
    slug_of: dict[int, str] = {}
    place_of: dict[int, tuple[str, int]] = {}
    by_statement: dict[int, list[Contradiction]] = defaultdict(list)
    for chunk in _chunks(ids):
        for c in session.scalars(
            select(Contradiction).where(Contradiction.statement_a_id.in_(chunk))
        ):
            by_statement[c.statement_a_id].append(c)
    wanted = {c.statement_b_id for cs in by_statement.values() for c in cs} | set(by_statement)
    for chunk in _chunks(wanted):
        for sid, slug in session.execute(
            select(Statement.id, Statement.slug).where(Statement.id.in_(chunk))
        ):
            slug_of[sid] = slug
    appearance_ids = {
        x
        for cs in by_statement.values()
        for c in cs
        for x in (c.appearance_a_id, c.appearance_b_id)
    } - {None}
    for chunk in _chunks(appearance_ids):
        for aid, source, start in session.execute(
            select(Appearance.id, Source.slug, Appearance.span_start)
            .join(Source, Source.id == Appearance.source_id)
            .where(Appearance.id.in_(chunk))
        ):
            place_of[aid] = (source, start)
    for cs in by_statement.values():
        for c in cs:
            key = (
                c.kind,
                slug_of[c.statement_a_id],
                slug_of[c.statement_b_id],
                place_of.get(c.appearance_a_id) if c.appearance_a_id else None,
                place_of.get(c.appearance_b_id) if c.appearance_b_id else None,
            )
            found[key] = c.rationale
    return found
