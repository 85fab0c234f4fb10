"""Who the document's speakers are among known actors, and the actors a draft proposes."""

import re
from dataclasses import dataclass, field

from app.extract import lexicon as lx
from app.extract.entities import Entity, kind_of_name
from app.extract.known import Known
from app.extract.model import Mention
from app.extract.tokens import fold_spelling
from app.models.actor_alias import alias_key

_DETERMINERS = ("a ", "an ", "the ")


@dataclass
class ProposedActor:
    """A new actor the draft declares."""

    slug: str
    name: str
    kind: str
    description: str | None = None
    affiliation: str | None = None
    aliases: list[str] = field(default_factory=list)
    group_size: int | None = None
    knowledge: str | None = None


def mention_keys(m: Mention) -> list[str]:
    """The forms under which a mention may be a known alias, the most specific first."""
    keys = [m.text, m.core]
    if m.name:
        keys += [m.name, f"the {m.name}"]
    if m.short and m.name:
        keys.append(m.short)  # "Northgate Finance House Capital (NF Capital)": "NF Capital"
        if m.title:
            keys.append(" ".join(m.core.split()[-2:]))  # "Mr. Putin", "President Putin"
    return [alias_key(k) for k in keys if k]


def bare_words(text: str) -> set[str]:
    low = alias_key(text)
    for d in _DETERMINERS:
        low = low.removeprefix(d)
    return set(low.split())


class ActorResolver:
    """Finds each entity's known actor; unnamed sources only among the story's actors."""

    def __init__(self, known: Known, story: set[str], text: str = "") -> None:
        self.known = known
        self.story = story
        # The text: "the company" may be a stored company it names, whatever the story.
        self.text = text
        # How each entity resolved, in words for the reviewer's note ("same speaker, ...").
        self.why: dict[int, str] = {}

    def resolve(self, e: Entity) -> str | None:
        found = self._named(e) if e.named else self._unnamed(e)
        if found is not None:
            self.why[e.id] = self.why.get(e.id, "same speaker")
        return found

    def _named(self, e: Entity) -> str | None:
        person = kind_of_name(e) == "person"
        if e.name and not any(m.name == e.name for m in e.mentions):
            # Named from elsewhere in the text ("the newspaper" is the Washington Post).
            for key in (alias_key(e.name), alias_key(f"the {e.name}")):
                found = self._pick(self.known.actors_named(key), person)
                if found:
                    return found
        for m in e.mentions:
            if m.pronoun:
                continue
            for key in mention_keys(m):
                found = self._pick(self.known.actors_named(key), person)
                if found:
                    return found
        if person and e.name:
            surname = alias_key(e.name.split()[-1])
            found = self._pick(self.known.by_surname.get(surname, set()), person)
            if found and self._first_names_agree(e.name, found):
                return found
        found = self._transliterated(e)  # a known person's name: whatever the words suggested
        if found is not None:
            self.why[e.id] = "same speaker (the name spelled otherwise)"
        return found

    def _transliterated(self, e: Entity) -> str | None:
        """A person whose name is spelled as the known one is, but for a transliteration's
        endings: "Volodymyr Zelensky", "Zelenskiy" for the known "Volodymyr Zelenskyy"."""
        for m in e.mentions:
            if m.pronoun or not m.name:
                continue
            for key in mention_keys(m):
                found = self._pick(self.known.by_folded.get(fold_spelling(key), set()), True)
                if found:
                    return found
        if e.name:
            surname = fold_spelling(alias_key(e.name.split()[-1]))
            found = self._pick(self.known.by_folded_surname.get(surname, set()), True)
            if found and self._first_names_agree(e.name, found):
                return found
        return None

    def _named_in_text(self, slug: str) -> bool:
        """Whether the text names the known actor SLUG (not an unnamed source) by its name or
        a capitalised alias, as printed."""
        actor = self.known.actors[slug]
        if actor.kind in ("unnamed", "group"):
            return False
        names = {actor.name, *(a for a in actor.aliases if a[:1].isupper())}
        return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", self.text) for n in names if n)

    def _first_names_agree(self, name: str, slug: str) -> bool:
        """ "Mr. Putin" is Vladimir Putin; "Ivan Putin" is someone else."""
        words = name.split()
        if len(words) < 2:
            return True
        actor = self.known.actors[slug]
        firsts = {
            fold_spelling(a.split()[0].lower())
            for a in (actor.name, *actor.aliases)
            if len(a.split()) >= 2
        }
        return fold_spelling(words[0].lower()) in firsts or not firsts

    def _pick(self, slugs: set[str], person: bool) -> str | None:
        if not slugs:
            return None
        if len(slugs) == 1:
            return next(iter(slugs))
        fitting = [s for s in slugs if (self.known.actors[s].kind == "person") == person]
        in_story = [s for s in fitting or slugs if s in self.story]
        ranked = sorted(in_story or fitting or slugs)
        return ranked[0]

    def _unnamed(self, e: Entity) -> str | None:
        """An unnamed source is a known one only when the text is about the same story."""
        for m in e.mentions:
            if m.pronoun:
                continue
            for key in mention_keys(m):
                found = [s for s in self.known.actors_named(key) if s in self.story]
                if len(found) == 1:
                    self.why[e.id] = _described(self.known.actors[found[0]].kind)
                    return found[0]
                # "The company" where the text names the stored company that is so described;
                # an unnamed source needs the story (a US official of another story is another).
                found = [s for s in self.known.actors_named(key) if self._named_in_text(s)]
                if len(found) == 1:
                    self.why[e.id] = "same speaker (the stored one so described, named in the text)"
                    return found[0]
        # "A second source" for the known "A second Russian source": the same words and more.
        words = set().union(*(bare_words(m.core) for m in e.mentions if not m.pronoun))
        if not words:
            return None
        fits = set()
        for slug in self.story:
            actor = self.known.actors.get(slug)
            if actor is None or actor.kind not in ("unnamed", "group"):
                continue
            for alias in (actor.name, *actor.aliases):
                theirs = bare_words(alias)
                if words <= theirs and (words & lx.ORDINALS or len(words) >= 3):
                    fits.add(slug)
        if len(fits) != 1:
            return None
        self.why[e.id] = "same speaker (the same unnamed source of the same story)"
        return next(iter(fits))


def _described(kind: str) -> str:
    """Why an entity named by description is a stored actor, for the reviewer's note."""
    if kind in ("unnamed", "group"):
        return "same speaker (the same unnamed source of the same story)"
    return "same speaker (the stored one so described, in the same story)"


def kind_of(e: Entity) -> str:
    """The kind of a new actor."""
    if e.named:
        return kind_of_name(e)
    heads = e.heads
    if heads & {"ministry", "office", "government", "administration", "commission", "presidency"}:
        return "government"
    if heads & {"newspaper", "paper", "agency", "broadcaster", "outlet", "media"} and not e.plural:
        return "outlet"
    if heads & lx.ORG_ROLES and not heads & lx.PERSON_ROLES:
        return "organization"
    anonymous = heads & {
        "source",
        "sources",
        "official",
        "officials",
        "people",
        "person",
        "insider",
        "insiders",
        "diplomat",
        "diplomats",
    }
    if e.plural and not anonymous and not e.knowledge:
        return "group"
    return "unnamed"


def display_name(e: Entity) -> str:
    """The name a new actor is declared with."""
    if e.name:
        return e.name
    texts = [m.text for m in e.mentions if not m.pronoun and not m.definite]
    texts = texts or [m.text for m in e.mentions if not m.pronoun]
    text = max(texts, key=len) if texts else "Unidentified speaker"
    text = text.split(", ")[0] if ", who" in text or ", speaking" in text else text
    # "One scout who has watched him this season": a relative clause is no part of a name.
    text = _RELATIVE.split(text, maxsplit=1)[0] or text
    return text[0].upper() + text[1:]


_RELATIVE = re.compile(r",?\s+(?:who|whom|whose|which|that)\s", re.IGNORECASE)


def aliases_of(e: Entity, name: str) -> list[str]:
    """Every way the text names the entity (pronouns left out)."""
    seen, out = {alias_key(name)}, []
    for m in e.mentions:
        if m.pronoun:
            continue
        # The whole phrase too when the name cut a relative clause from it.
        whole = m.text if _RELATIVE.search(m.text) and not m.definite else ""
        for text in (m.core, m.name or "", whole, m.short if m.name else ""):
            if text and alias_key(text) not in seen and len(text) <= 200:
                seen.add(alias_key(text))
                out.append(text)
    return out
