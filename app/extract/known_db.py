"""What a database knows that one text may refer to: looked up by the text's names (aliases)
and by its words (the full-text index), never the whole database."""

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session, aliased

from app.extract.actors import mention_keys
from app.extract.analyse import Analysis
from app.extract.known import Known, KnownActor, KnownStatement
from app.extract.similarity import STOPWORDS
from app.extract.tokens import fold_spelling
from app.models import Actor, ActorAlias, Appearance, Claim, Source, Statement, alias_key
from app.models.enums import ReviewStatus
from app.search.query import any_of, words

CHUNK = 500
# Full-text candidates fetched for each statement's words (best first).
PER_TEXT = 15
_TABLES: dict[str, Any] = {
    "actors": Actor,
    "claims": Claim,
    "statements": Statement,
    "sources": Source,
}
_FTS = {
    "sqlite": "SELECT kind, ref_id FROM search_index WHERE search_index MATCH :q AND kind IN (0, 1)"
    " ORDER BY bm25(search_index) LIMIT :limit",
    "postgresql": "SELECT kind, ref_id FROM search_index WHERE tsv @@ to_tsquery('english', :q)"
    " AND kind IN (0, 1) ORDER BY ts_rank_cd(tsv, to_tsquery('english', :q)) DESC LIMIT :limit",
}


def _chunks(items: Iterable[Any]) -> Iterator[list[Any]]:
    batch = list(items)
    for i in range(0, len(batch), CHUNK):
        yield batch[i : i + CHUNK]


def known_from_db(session: Session, analysis: Analysis, outlet: str | None = None) -> Known:
    """The known actors, claims and statements the text's names and words may refer to."""
    known = Known()
    keys, surnames = _name_keys(analysis)
    actor_ids = _actor_ids(session, keys, surnames, outlet)
    claim_ids, appearance_ids = _candidates(session, _texts(analysis))
    statement_ids = (
        set(
            session.scalars(
                select(Appearance.statement_id).where(Appearance.id.in_(appearance_ids))
            )
        )
        if appearance_ids
        else set()
    )
    for chunk in _chunks(claim_ids):
        statement_ids.update(
            session.scalars(select(Statement.id).where(Statement.claim_id.in_(chunk)).limit(2000))
        )
    speakers = _load_statements(session, known, statement_ids)
    # The story's speakers, their groups and their members: who an unnamed source may be.
    actor_ids |= speakers | _related(session, speakers)
    _load_actors(session, known, actor_ids)
    for chunk in _chunks(claim_ids):
        for slug, claim_text in session.execute(
            select(Claim.slug, Claim.text).where(Claim.id.in_(chunk))
        ):
            known.add_claim(slug, claim_text)
    known.unreviewed = _unreviewed(session, set(known.claims))
    known.lookup = lambda table, slug: _exists(session, table, slug)
    return known


def _unreviewed(session: Session, slugs: set[str]) -> set[str]:
    """The claims of SLUGS that have statements, none of them confirmed (each asked by key:
    a claim may have many statements)."""

    def on_claim(*statuses: ReviewStatus) -> Any:
        return (
            select(Statement.id)
            .where(Statement.claim_id == Claim.id, Statement.status.in_(statuses))
            .exists()
        )

    out: set[str] = set()
    for chunk in _chunks(slugs):
        out.update(
            session.scalars(
                select(Claim.slug).where(
                    Claim.slug.in_(chunk),
                    on_claim(ReviewStatus.proposed),
                    ~on_claim(ReviewStatus.confirmed),
                )
            )
        )
    return out


def _name_keys(analysis: Analysis) -> tuple[set[str], set[str]]:
    keys: set[str] = set()
    surnames: set[str] = set()
    for e in analysis.entities:
        if e.name:  # a name given from elsewhere in the text ("the newspaper": the Post)
            keys.update({alias_key(e.name), alias_key(f"the {e.name}")})
        for m in e.mentions:
            if m.pronoun:
                continue
            keys.update(mention_keys(m))
            if m.name:
                surnames.add(alias_key(m.name.split()[-1]))
        for words_ in (e.affiliation,):
            if words_:
                keys.update({alias_key(words_), alias_key(f"the {words_.removeprefix('the ')}")})
    return keys, surnames


def _texts(analysis: Analysis) -> list[str]:
    out = []
    for a in analysis.attrs:
        out.append(analysis.text[a.quote[0] : a.quote[1]])
        if a.about:
            out.append(analysis.text[a.about[0] : a.about[1]])
    return out


def _actor_ids(
    session: Session, keys: set[str], surnames: set[str], outlet: str | None
) -> set[int]:
    ids: set[int] = set()
    for chunk in _chunks(keys):
        ids.update(
            session.scalars(select(ActorAlias.actor_id).where(ActorAlias.alias_key.in_(chunk)))
        )
    for surname in sorted(surnames)[:200]:
        # "Mr. Putin" for the known "Vladimir Putin": an alias ending in the surname.
        pattern = "% " + surname.replace("%", "").replace("_", "")
        query = select(ActorAlias.actor_id).join(Actor, Actor.id == ActorAlias.actor_id)
        ids.update(
            session.scalars(
                query.where(Actor.kind == "person", ActorAlias.alias_key.like(pattern)).limit(20)
            )
        )
    for stem in sorted(_transliteration_stems(surnames))[:200]:
        # "Zelenskiy" for the known "Volodymyr Zelenskyy": the name without its ending; which
        # of the people found is meant is the resolver's choice (actors.ActorResolver).
        query = select(ActorAlias.actor_id).join(Actor, Actor.id == ActorAlias.actor_id)
        query = query.where(
            Actor.kind == "person",
            or_(ActorAlias.alias_key.like(f"{stem}%"), ActorAlias.alias_key.like(f"% {stem}%")),
        )
        ids.update(session.scalars(query.limit(20)))
    if outlet:
        ids.update(session.scalars(select(Actor.id).where(Actor.slug == outlet)))
    return ids


def _transliteration_stems(surnames: set[str]) -> set[str]:
    """Each surname without a transliteration's ending ("zelenskiy" -> "zelensk"), when it has
    one (tokens.fold_spelling)."""
    out = set()
    for surname in surnames:
        folded = fold_spelling(surname)
        if len(surname) >= 5 and folded.endswith("y") and len(folded) >= 5:
            out.add(folded[:-1].replace("%", "").replace("_", ""))
    return out


def _candidates(session: Session, texts: list[str]) -> tuple[set[int], set[int]]:
    """Claims and appearances the full-text index finds for each text's words."""
    dialect = session.get_bind().dialect.name
    sql = text(_FTS[dialect])
    claims: set[int] = set()
    appearances: set[int] = set()
    for words_text in texts:
        terms = [w for w in dict.fromkeys(words(words_text)) if w not in STOPWORDS and len(w) > 2]
        if not terms:
            continue
        q = any_of(dialect, terms[:16])
        for kind, ref_id in session.execute(sql, {"q": q, "limit": PER_TEXT}):
            (claims if kind == 1 else appearances).add(int(ref_id))
    return claims, appearances


def _load_statements(session: Session, known: Known, ids: set[int]) -> set[int]:
    """Add the statements with IDS (and their known words); returns their speakers' ids."""
    speaker, claim, recipient = aliased(Actor), aliased(Claim), aliased(Actor)
    speakers: set[int] = set()
    for chunk in _chunks(ids):
        rows = session.execute(
            select(
                Statement.id,
                Statement.slug,
                speaker.slug,
                speaker.id,
                claim.slug,
                claim.text,
                Statement.stance,
                Statement.context,
                Statement.dated_on,
                recipient.slug,
                Statement.via,
                Statement.status,
            )
            .join(speaker, speaker.id == Statement.speaker_id)
            .join(claim, claim.id == Statement.claim_id)
            .outerjoin(recipient, recipient.id == Statement.recipient_id)
            # A rejected statement is not one a new text can report again.
            .where(Statement.id.in_(chunk), Statement.status != ReviewStatus.rejected)
        ).all()
        quotes: dict[int, list[str]] = {}
        query = select(Appearance.statement_id, Appearance.quote).where(
            Appearance.status != ReviewStatus.rejected
        )
        for sid, quote in session.execute(query.where(Appearance.statement_id.in_(chunk))):
            quotes.setdefault(sid, []).append(quote)
        for (
            sid,
            slug,
            speaker_slug,
            speaker_id,
            claim_slug,
            claim_text,
            stance,
            context,
            on,
            told,
            via,
            status,
        ) in rows:
            speakers.add(speaker_id)
            known.add_claim(claim_slug, claim_text)
            words = quotes.get(sid, [])[:20]
            known.add_statement(
                KnownStatement(
                    slug,
                    speaker_slug,
                    claim_slug,
                    str(stance),
                    context,
                    words,
                    on,
                    told,
                    via,
                    reviewed=status == ReviewStatus.confirmed,
                )
            )
    return speakers


def _related(session: Session, ids: set[int]) -> set[int]:
    """The actors IDS belong to and those that belong to them."""
    out: set[int] = set()
    for chunk in _chunks(ids):
        out.update(
            x for x in session.scalars(select(Actor.affiliation_id).where(Actor.id.in_(chunk))) if x
        )
        out.update(
            session.scalars(select(Actor.id).where(Actor.affiliation_id.in_(chunk)).limit(500))
        )
    return out


def _load_actors(session: Session, known: Known, ids: set[int]) -> None:
    owner = aliased(Actor)
    for chunk in _chunks(ids):
        rows = session.execute(
            select(Actor.id, Actor.slug, Actor.name, Actor.kind, Actor.description, owner.slug)
            .outerjoin(owner, owner.id == Actor.affiliation_id)
            .where(Actor.id.in_(chunk))
        ).all()
        aliases: dict[int, list[str]] = {}
        for actor_id, alias in session.execute(
            select(ActorAlias.actor_id, ActorAlias.alias).where(ActorAlias.actor_id.in_(chunk))
        ):
            aliases.setdefault(actor_id, []).append(alias)
        for actor_id, slug, name, kind, description, affiliation in rows:
            known.add_actor(
                KnownActor(
                    slug, name, str(kind), description, affiliation, aliases.get(actor_id, [])
                )
            )


def _exists(session: Session, table: str, slug: str) -> bool:
    model = _TABLES[table]
    return session.scalar(select(model.id).where(model.slug == slug).limit(1)) is not None
