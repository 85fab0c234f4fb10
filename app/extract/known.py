"""What is already known to resolve against: actors and their aliases, claims, statements."""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field

from app.extract.similarity import terms
from app.extract.tokens import fold_spelling
from app.models.actor_alias import alias_key


@dataclass
class KnownActor:
    slug: str
    name: str
    kind: str
    description: str | None = None
    affiliation: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class KnownStatement:
    slug: str
    speaker: str
    claim: str
    stance: str
    context: str | None = None
    quotes: list[str] = field(default_factory=list)
    # When it was said: its said_on, else the date of its earliest report (None: not known).
    dated_on: dt.date | None = None
    # Whom it was said to (an actor's slug), and the channel it came through (a name).
    recipient: str | None = None
    via: str | None = None
    # Whether a reviewer has confirmed it (False: an earlier draft's, still proposed).
    reviewed: bool = True


@dataclass
class Candidate:
    """A known text a statement may be about: a claim's text, or a known statement's words."""

    claim: str
    text: str
    bag: Counter[str]
    statement: str | None = None


class Known:
    """An index of known actors, claims and statements (from the database or from files)."""

    def __init__(self) -> None:
        self.actors: dict[str, KnownActor] = {}
        self.claims: dict[str, str] = {}
        self.statements: dict[str, KnownStatement] = {}
        self.sources: set[str] = set()
        # Claims whose statements are all proposed (a draft's wording no reviewer has taken up).
        self.unreviewed: set[str] = set()
        self.by_key: dict[str, set[str]] = defaultdict(set)
        self.by_surname: dict[str, set[str]] = defaultdict(set)
        # People by their names and surnames with transliteration endings folded
        # (tokens.fold_spelling): "Zelenskiy" finds the known "Volodymyr Zelenskyy".
        self.by_folded: dict[str, set[str]] = defaultdict(set)
        self.by_folded_surname: dict[str, set[str]] = defaultdict(set)
        self._candidates: list[Candidate] = []
        self._by_term: dict[str, list[int]] = defaultdict(list)
        # For an index of what was looked up in a database: whether a slug is taken there.
        self.lookup: Callable[[str, str], bool] | None = None

    def __bool__(self) -> bool:
        return bool(self.actors or self.claims)

    # -- filling ----------------------------------------------------------------------------

    def add_actor(self, actor: KnownActor) -> None:
        self.actors[actor.slug] = actor
        for alias in {actor.name, *actor.aliases}:
            self.by_key[alias_key(alias)].add(actor.slug)
        if actor.kind == "person":
            for alias in {actor.name, *actor.aliases}:
                words = alias.split()
                if len(words) >= 2 and words[-1][:1].isupper():
                    self.by_surname[alias_key(words[-1])].add(actor.slug)
                    self.by_folded_surname[fold_spelling(alias_key(words[-1]))].add(actor.slug)
                self.by_folded[fold_spelling(alias_key(alias))].add(actor.slug)

    def add_claim(self, slug: str, text: str) -> None:
        if slug not in self.claims:
            self.claims[slug] = text
            self._index(Candidate(slug, text, terms(text)))

    def add_statement(self, statement: KnownStatement) -> None:
        known = self.statements.get(statement.slug)
        if known is None:
            self.statements[statement.slug] = statement
            new_quotes = statement.quotes
        else:
            new_quotes = [q for q in statement.quotes if q not in known.quotes]
            known.quotes += new_quotes
        for quote in new_quotes:
            text = f"{quote} {statement.context or ''}"
            self._index(Candidate(statement.claim, quote, terms(text), statement.slug))

    def _index(self, candidate: Candidate) -> None:
        n = len(self._candidates)
        self._candidates.append(candidate)
        for term in candidate.bag:
            self._by_term[term].append(n)

    # -- reading ----------------------------------------------------------------------------

    def actors_named(self, key: str) -> set[str]:
        """Actors one of whose names or aliases is KEY (in alias_key form)."""
        return self.by_key.get(key, set())

    def candidates(self, bag: Counter[str], limit: int = 400) -> Iterable[Candidate]:
        """Known texts sharing at least one stem with BAG, those sharing the rarest first."""
        seen: set[int] = set()
        for term in sorted(bag, key=lambda t: len(self._by_term.get(t, ()))):
            for n in self._by_term.get(term, ())[:limit]:
                if n not in seen:
                    seen.add(n)
                    yield self._candidates[n]
            if len(seen) >= limit:
                return

    def statements_on(self, claims: Iterable[str]) -> list[KnownStatement]:
        wanted = set(claims)
        return [s for s in self.statements.values() if s.claim in wanted]

    def carried(self, statement: KnownStatement, actor: str) -> bool:
        """Whether ACTOR (an outlet's slug) is the one STATEMENT was told to or came through:
        "the AFR reported that ..." for what people briefed told the AFR."""
        known = self.actors.get(actor)
        if known is None or known.kind != "outlet":
            return False
        if statement.recipient == actor:
            return True
        names = {alias_key(n) for n in (known.name, *known.aliases)}
        return statement.via is not None and alias_key(statement.via) in names

    def members_of(self, slugs: set[str]) -> set[str]:
        """SLUGS with the actors they belong to and the actors that belong to them."""
        out = set(slugs)
        for actor in self.actors.values():
            if actor.affiliation in slugs:
                out.add(actor.slug)
            if actor.slug in slugs and actor.affiliation:
                out.add(actor.affiliation)
        return out

    def taken(self, table: str, slug: str) -> bool:
        """Whether a known row of TABLE (actors, claims, statements, sources) has SLUG."""
        tables: dict[str, Container[str]] = {
            "actors": self.actors,
            "claims": self.claims,
            "statements": self.statements,
            "sources": self.sources,
        }
        local = tables[table]
        if slug in local:
            return True
        return self.lookup(table, slug) if self.lookup is not None else False
