"""Who each mention is within the document: pronouns, "the source", surnames, new speakers."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from app.extract import lexicon as lx
from app.extract.model import Mention
from app.extract.tokens import fold_spelling

# Heads that may point back to one another: "a second person" ... "the source".
_FAMILIES = [
    {"source", "sources", "person", "people", "insider", "insiders"},
    {"official", "officials"},
    {"spokesman", "spokeswoman", "spokesperson"},
    {"company", "firm", "airline", "carrier", "group", "maker"},
    {"newspaper", "paper", "agency", "broadcaster", "outlet", "site"},
    {"manager", "coach", "boss"},
    {"player", "striker", "forward", "midfielder", "defender", "goalkeeper", "captain", "athlete"},
    {"ministry", "government", "office", "administration"},
]
# Heads of a definite description that name a body or a person already named, not someone new:
# "the company said" after "Ostra Industries", "the shipping veteran conceded" after "Dale Brook".
_BODY_HEADS = {
    "company",
    "firm",
    "group",
    "corporation",
    "conglomerate",
    "multinational",
    "giant",
    "chain",
    "business",
    "retailer",
    "carrier",
    "airline",
    "maker",
    "operator",
    "lender",
}
_PERSON_EPITHETS = {
    "veteran",
    "businessman",
    "businesswoman",
    "billionaire",
    "entrepreneur",
    "tycoon",
    "magnate",
    "founder",
}
# How many sentences back such a description looks for whom it names.
_EPITHET_REACH = 6
# Documents that speak for whoever issued them ("the statement said").
_ISSUED = frozenset({"statement"})
# How far back "the source" or "one of the people" looks for who they are (history entries).
LOOKBACK = 400
_OUTLET_HEADS = {"newspaper", "paper", "agency", "broadcaster", "outlet", "site", "wire"}
_ANONYMOUS = {
    "source",
    "sources",
    "official",
    "officials",
    "person",
    "people",
    "insider",
    "insiders",
    "diplomat",
    "diplomats",
}


@dataclass
class Entity:
    """Someone the document mentions, however often and however named."""

    id: int
    mentions: list[Mention] = field(default_factory=list)
    name: str | None = None
    gender: str | None = None
    plural: bool = False
    heads: set[str] = field(default_factory=set)
    descriptor: str | None = None
    affiliation: str | None = None
    affiliation_entity: "Entity | None" = None
    group_size: int | None = None
    knowledge: str | None = None
    spoke: bool = False  # made a statement in this document
    in_statement: bool = False  # spoke "in a statement" (for "the statement said")
    outlet: bool = False  # was told something, as an outlet is ("told Reuters")
    # Filled when resolved: an actor slug from the database, or one proposed.
    actor: str | None = None

    @property
    def named(self) -> bool:
        return self.name is not None

    @property
    def person(self) -> bool:
        if self.name is None:
            # "a spokesman", or one of a group: "one of the negotiators"
            return bool(self.heads & (lx.PERSON_ROLES | lx.PLURAL_ROLES)) and not self.plural
        return kind_of_name(self) == "person"


def kind_of_name(e: Entity) -> str:
    """The kind of actor a named entity most likely is."""
    titled = any(m.title for m in e.mentions)
    return _kind_of_name((e.name or "").lower(), e.outlet, e.gender, titled, e.descriptor)


@lru_cache(maxsize=4096)
def _kind_of_name(
    name: str, outlet: bool, gender: str | None, titled: bool, descriptor: str | None
) -> str:
    words = name.split()
    if outlet or name in lx.KNOWN_OUTLETS or (words and words[-1] in lx.OUTLET_WORDS):
        return "outlet"
    if name in lx.CAPITALS or any(w in lx.GOVERNMENT_WORDS for w in words) or "white house" in name:
        return "government"
    if any(w in lx.ORG_WORDS for w in words):
        return "organization"
    if gender or titled:
        return "person"
    if any(w in lx.PERSON_ROLES for w in (descriptor or "").lower().split()):
        return "person"
    if len(words) >= 2 and (words[0] in lx.FIRST_NAMES_F or words[0] in lx.FIRST_NAMES_M):
        return "person"
    return "person" if 2 <= len(words) <= 3 else "organization"


class Discourse:
    """Resolves mentions to entities, in document order."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        # (entity, sentence, is subject, speaks) in the order the document mentions them.
        self.history: list[tuple[Entity, int, bool, bool]] = []
        # Named entities by each word of their names, and people's surnames: lookups in a long
        # text stay short.
        self._by_word: dict[str, list[Entity]] = {}
        self._groups: dict[str, Entity] = {}  # "three russian sources" -> who they are
        self.surnames: set[str] = set()

    def resolve(self, m: Mention, speaking: bool = True) -> Entity | None:
        """The entity M refers to (a new one when it names someone new); None for a pronoun
        with nothing before it to point to."""
        e = self._find(m)
        if e is None:
            if m.pronoun is not None:
                return None
            e = self._new(m)
        if m.head in _ISSUED and e.mentions and not m.possessor:
            # "the statement" speaks for its issuer, but is none of its names
            e.spoke = e.spoke or speaking
            self.history.append((e, m.sentence, m.subject, speaking))
            return e
        self._add(e, m, speaking)
        return e

    def seen(self, m: Mention) -> None:
        """A name the text mentions without a statement: a possible antecedent for "he"."""
        e = self._by_name(m) or self._new(m)
        self._add(e, m, False)

    def _add(self, e: Entity, m: Mention, speaking: bool) -> None:
        if not e.mentions or e.mentions[-1] is not m:
            e.mentions.append(m)
        e.spoke = e.spoke or speaking
        if m.name and (not e.name or (len(m.name) > len(e.name) and m.name.endswith(e.name))):
            e.name = m.name  # "Mayor Delgado", then "Rosa Delgado": the fuller name
        elif m.name and e.name and m.name.isupper() and not e.name.isupper():
            # "Hale", then "TOM HALE" (a name in capitals): the fuller name, in
            # the case the text prints it otherwise
            rest = len(m.name) - len(e.name)
            if rest > 1 and m.name.lower().endswith(" " + e.name.lower()):
                e.name = m.name[:rest].title() + e.name
        e.gender = e.gender or m.gender
        e.descriptor = e.descriptor or m.descriptor
        e.knowledge = e.knowledge or m.knowledge
        if m.head and not m.pronoun:
            e.heads.add(m.head)
        if m.group_size and m.group_size > 1:
            self._groups[" ".join(m.core.lower().split())] = e
        if e.name:
            words = fold_spelling(e.name.lower()).split()
            for w in {words[0], words[-1]}:
                bucket = self._by_word.setdefault(w, [])
                if not bucket or bucket[-1] is not e:
                    bucket.append(e)
            if e.person:
                self.surnames.add(e.name.lower().split()[-1])
        self.history.append((e, m.sentence, m.subject, speaking))

    def _new(self, m: Mention) -> Entity:
        e = Entity(
            id=len(self.entities),
            name=m.name,
            gender=m.gender,
            plural=m.plural,
            descriptor=m.descriptor,
            affiliation=m.affiliation,
            group_size=m.group_size,
            knowledge=m.knowledge,
        )
        if m.possessor and m.possessor.lower() in lx.POSSESSIVE_PRONOUNS:
            owner = self._pronoun(m.possessor.lower(), m.sentence)
            e.affiliation_entity = owner
        elif m.possessor and not m.affiliation:
            e.affiliation = m.possessor
        if m.partitive or m.ordinal:
            e.affiliation_entity = self._group_for(m)
        self.entities.append(e)
        return e

    def _find(self, m: Mention) -> Entity | None:
        if m.pronoun is not None:
            return self._pronoun(m.pronoun, m.sentence)
        if m.name is not None:
            return self._by_name(m)
        if m.group_size and m.group_size > 1 and not m.partitive:
            return self._same_group(m)  # "three Russian sources" again: the same three
        if m.head in _ISSUED and not m.possessor and not m.plural and not m.partitive:
            # "a statement said", "An official statement dismissed ...": a document speaks for
            # whoever issued it, a statement or a body that spoke just before.
            return self._issuer(m.sentence)
        if m.partitive or m.ordinal or not m.definite or m.possessor:
            return None  # "a US official", "a second source", "his spokeswoman": someone new
        return self._definite(m)

    def _same_group(self, m: Mention) -> Entity | None:
        return self._groups.get(" ".join(m.core.lower().split()))

    def _by_name(self, m: Mention) -> Entity | None:
        # Names compared with transliteration endings folded: "Zelensky" after "Zelenskyy".
        name = fold_spelling((m.name or "").lower())
        if not name:
            return None
        if m.name and m.name.isupper() and 2 <= len(m.name) <= 5 and m.name.isalpha():
            # "HT" after "The Harbour Times", "HPA" after "the Harbour Pilots Association"
            for e in reversed(self.entities):
                if e.name and not e.person and _initials(e.name) == m.name:
                    return e
        words = name.split()
        last = words[-1]
        for e in reversed(self.entities):  # "NF Capital" after "... House Capital (NF Capital)"
            if any(x.short and fold_spelling(x.short.lower()) == name for x in e.mentions):
                return e
        candidates = {id(e): e for w in {words[0], last} for e in self._by_word.get(w, [])}
        for e in sorted(candidates.values(), key=lambda x: -x.id):
            if e.name is None:
                continue
            other = fold_spelling(e.name.lower())
            if other == name:
                return e
            if e.person and (other.split()[-1] == last) and (" " not in name or " " not in other):
                return e  # "Peskov" after "Dmitry Peskov"
            if not e.person and (other.startswith(name + " ") or other.endswith(" " + name)):
                return e  # "Northwind" after "Northwind Airlines", "Rovers" after "Ashford Rovers"
            if not e.person and (name.startswith(other + " ") or name.endswith(" " + other)):
                return e
        return None

    def _pronoun(self, pronoun: str, sentence: int) -> Entity | None:
        """The nearest fitting entity before: a person for he/she, a group or body for they,
        a body for it. Within one sentence only a speaker before it ("The union said ...,
        although it admitted ..."), never a name only mentioned."""
        best: Entity | None = None
        best_at = -1
        for e, at, _subject, speaking in reversed(self.history):
            if best is not None and at != best_at:
                return best
            if sentence - at > 4:
                break
            if at == sentence and not speaking:
                continue  # "In his interview with Tucker Carlson, he ...": not Carlson
            if not _fits(e, pronoun):
                continue
            if speaking:
                return e
            if best is None:
                best, best_at = e, at
        return best

    def _issuer(self, sentence: int) -> Entity | None:
        """Who "the statement" or "a statement" speaks for: the last to speak in a statement,
        else the body that spoke or was the subject last, a few sentences back at most."""
        issuer = next((e for e in reversed(self.entities) if e.in_statement), None)
        if issuer is not None:
            return issuer
        for e, at, subject, speaks in reversed(self.history[-LOOKBACK:]):
            if sentence - at > _EPITHET_REACH:
                break
            if (speaks or subject) and not e.person and not e.outlet and not e.plural:
                return e
        return None

    def _definite(self, m: Mention) -> Entity | None:
        """The entity "the source", "the official", "the statement" points back to."""
        head = m.head
        family = next((f for f in _FAMILIES if head in f), {head})
        words = set(m.core.lower().split()) - {"the", head}
        for e, _at, _subject, _speaks in reversed(self.history[-LOOKBACK:]):
            if head in _OUTLET_HEADS and e.outlet:
                return e
            if head == "person" and e.name is None and e.person:
                return e  # "one of the negotiators ... the person said"
            if not (e.heads & family) and not _described_as(e, family):
                continue
            if not (e.heads & family) and head in lx.ORG_ROLES and e.person:
                continue  # "the campaign" is not "a campaign official": a body, not its person
            if m.plural != e.plural and head not in ("person", "people"):
                continue
            if words and e.descriptor and not words <= set(e.descriptor.lower().split()):
                continue  # "the Russian sources" is not "two US sources"
            return e
        if m.plural:
            return None
        if head in _BODY_HEADS:
            # "Ostra Industries ... the company said": the body last named, when none was
            # described so.
            return self._last_named(m.sentence, lambda e: not e.person and not e.outlet)
        if head in _PERSON_EPITHETS:
            # "Bale ... The Scottish-born retail veteran acknowledged": the person last named.
            return self._last_named(m.sentence, lambda e: e.person)
        return None

    def _last_named(self, sentence: int, fits: Callable[["Entity"], bool]) -> Entity | None:
        """The named entity that FITS last mentioned as a speaker or a subject, a few sentences
        back at most."""
        for e, at, subject, speaks in reversed(self.history[-LOOKBACK:]):
            if sentence - at > _EPITHET_REACH:
                return None
            if e.named and (speaks or subject) and fits(e):
                kind = kind_of_name(e)
                if e.person or kind == "organization":
                    return e
        return None

    def _group_for(self, m: Mention) -> Entity | None:
        """The group "one of the people" or "a second source" belongs to."""
        target = (m.partitive or "").lower()
        if target in ("them", "those"):
            return self._pronoun("they", m.sentence)
        family = next((f for f in _FAMILIES if m.head in f), {m.head})
        for e, _at, _subject, _speaks in reversed(self.history[-LOOKBACK:]):
            if e.plural and (e.heads & family or (m.head in family and e.heads & _ANONYMOUS)):
                return e
        return None


def _initials(name: str) -> str:
    """The initials of a name's capitalised words ("Harbour Times": "HT")."""
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def _fits(e: Entity, pronoun: str) -> bool:
    """Whether a pronoun can stand for E."""
    if pronoun in ("he", "she", "his", "her", "him"):
        want = "m" if pronoun in ("he", "his", "him") else "f"
        return e.person and e.gender in (None, want)
    if pronoun in ("they", "their", "them"):
        return e.plural or (e.named and not e.person)
    if pronoun not in ("it", "its") or e.plural:
        return False
    return not e.person or person_by_length_only(e)


def person_by_length_only(e: Entity) -> bool:
    """A name taken for a person only for having two or three words ("Ashgrove Living"): "it"
    may still mean it."""
    if e.name is None or e.gender or any(m.title for m in e.mentions):
        return False
    words = e.name.lower().split()
    if words[0] in lx.FIRST_NAMES_F or words[0] in lx.FIRST_NAMES_M:
        return False
    return not any(w in lx.PERSON_ROLES for w in (e.descriptor or "").lower().split())


def _described_as(e: Entity, family: set[str]) -> bool:
    words = set((e.descriptor or "").lower().split())
    return bool(words & family)
