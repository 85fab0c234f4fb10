"""The draft annotation file: what was found, written in the format the loader reads."""

import hashlib
import re
from collections.abc import Callable
from typing import Any

from app.extract.actors import ProposedActor, aliases_of, display_name, kind_of
from app.extract.analyse import Analysis
from app.extract.article import ArticleMeta, Slugs, slugify
from app.extract.entities import Entity
from app.extract.known import Known
from app.extract.proposal import Appearance, Built, Proposed
from app.models.actor_alias import alias_key
from app.models.enums import Stance

_VERB = {
    Stance.asserts: "says",
    Stance.confirms: "confirms",
    Stance.suggests: "suggests",
    Stance.denies: "denies",
    Stance.questions: "questions",
    Stance.declines_to_comment: "declines-comment-on",
}
_NUL = "\x00"


def make_draft(
    analysis: Analysis, built: Built, known: Known, meta: ArticleMeta, document: str
) -> dict[str, Any]:
    """The sayso/1 annotation (as plain data) for the text, its statements and what they need."""
    text = analysis.text
    slugs = Slugs(known.taken)
    source = _source(text, meta, document, analysis, slugs)
    actors: dict[int, ProposedActor] = {}
    slug_of: dict[int, str] = {}
    extra_actors: list[ProposedActor] = []
    outlet = _outlet(meta, known, slugs, extra_actors)
    if outlet:
        source["outlet"] = outlet

    def actor_for(e: Entity) -> str:
        if e.id in slug_of:
            return slug_of[e.id]
        found = built.actors.get(e.id) or _is_outlet(e, meta, outlet)
        if found:
            slug_of[e.id] = found
            return found
        name = display_name(e)
        slug = slugs("actors", slugify(_slug_words(e, name)))
        slug_of[e.id] = slug
        actors[e.id] = ProposedActor(
            slug=slug,
            name=name,
            kind=kind_of(e),
            description=e.descriptor if e.named else None,
            aliases=aliases_of(e, name),
            group_size=e.group_size if not e.named else None,
            knowledge=e.knowledge,
        )
        actors[e.id].affiliation = _affiliation(e, analysis, known, actor_for, slugs, extra_actors)
        if actors[e.id].affiliation == slug:
            actors[e.id].affiliation = None
        return slug

    refs: dict[str, dict[str, Any]] = {}
    claim_slugs: dict[str, str] = {}
    claims: list[dict[str, Any]] = []
    statements: list[dict[str, Any]] = []
    for p in built.statements:
        entity = analysis.entities[p.entity]
        speaker = actor_for(entity)
        placed = [_appearance(text, a) for a in p.appearances]
        appearances = [a for a in placed if a is not None]
        if not appearances:
            continue
        note = _link_note(p, built, claim_slugs, claims, slugs)
        if p.ref is not None:
            first_note = appearances[0].get("note")
            appearances[0]["note"] = f"{first_note}; {note}" if first_note else note
            if p.ref in refs:  # one entry per known statement, however many appearances
                refs[p.ref]["appearances"] += appearances
            else:
                refs[p.ref] = {"ref": p.ref, "appearances": appearances}
                statements.append(refs[p.ref])
            continue
        claim = _claim_slug(p.claim, built, claim_slugs, claims, slugs)
        st: dict[str, Any] = {
            "slug": slugs("statements", slugify(f"{speaker} {_VERB[p.stance]} {claim}", 100)),
            "speaker": speaker,
            "claim": claim,
            "stance": p.stance.value,
        }
        first = p.appearances[0].attr
        if first.said_on:
            st["said_on"] = first.said_on
        if first.context:
            st["context"] = first.context
        if first.recipient_entity is not None:
            r = analysis.entities[first.recipient_entity]
            if r.named and r.id != p.entity:
                st["recipient"] = actor_for(r)
        if first.via:
            st["via"] = first.via
        if note:
            st["note"] = note
        st["appearances"] = appearances
        statements.append(st)
    declared = [*extra_actors, *actors.values()]
    return {
        "format": "sayso/1",
        "source": source,
        "actors": [_actor_data(a) for a in _affiliations_first(declared)],
        "claims": claims,
        "statements": statements,
    }


def _is_outlet(e: Entity, meta: ArticleMeta, outlet: str | None) -> str | None:
    """The article's own outlet, when the text names it ("told the Ledger")."""
    if outlet is None or not e.name:
        return None
    own = (meta.outlet_name or outlet.replace("-", " ")).lower().removeprefix("the ")
    name = e.name.lower().removeprefix("the ")
    return outlet if own == name or own.endswith(" " + name) or own.startswith(name + " ") else None


def _slug_words(e: Entity, name: str) -> str:
    """What a new actor's slug is made of: its name, or its description without articles."""
    if e.named:
        return name
    cores = [m.core for m in e.mentions if not m.pronoun and m.core]
    words = (min(cores, key=len) if cores else name).split()
    while len(words) > 1 and words[0].lower() in ("a", "an", "the", "his", "her", "its", "their"):
        words = words[1:]
    return " ".join(words)


def _source(
    text: str, meta: ArticleMeta, document: str, analysis: Analysis, slugs: Slugs
) -> dict[str, Any]:
    base = meta.slug or slugify(meta.title or _first_line(text) or "article", 80)
    source: dict[str, Any] = {
        "slug": meta.slug or slugs("sources", base),
        "document": document,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "title": meta.title,
        "url": meta.url,
        "byline": meta.byline,
        "language": meta.language,
    }
    if meta.description:
        source["description"] = meta.description
    dates = []
    for d in meta.dates:
        count = text.count(d.printed)
        if count == 0:
            continue  # the loader needs the printed date in the text
        item = d.model_dump(exclude_none=True)
        if count > 1 and d.occurrence is None:
            item["occurrence"] = 1
        dates.append(item)
    if dates:
        source["dates"] = dates
    furniture = _furniture(text, analysis)
    if furniture:
        source["furniture"] = furniture
    return source


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:200]


def _furniture(text: str, analysis: Analysis) -> list[dict[str, Any]]:
    """Lines read as page furniture, each placeable by the loader."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    lines = analysis.segmented.furniture
    for kind, start, end in lines:
        words = text[start:end]
        if words in seen or _NUL in words:
            continue
        seen.add(words)
        starts = _occurrences(text, words)
        item: dict[str, Any] = {"kind": kind, "text": words}
        if len(starts) > 1:
            as_lines = sum(1 for k, a, b in lines if text[a:b] == words)
            item["occurrence"] = "all" if as_lines == len(starts) else starts.index(start) + 1
        out.append(item)
    return out


def _occurrences(text: str, needle: str) -> list[int]:
    """Every start of NEEDLE, overlapping ones included (as the loader counts them)."""
    found, at = [], text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _appearance(text: str, a: Appearance) -> dict[str, Any] | None:
    attr = a.attr
    quote = text[attr.quote[0] : attr.quote[1]]
    if not quote.strip() or _NUL in quote:
        return None
    item: dict[str, Any] = {"quote": quote, "mode": attr.mode.value}
    starts = _occurrences(text, quote)
    if len(starts) > 1:
        item["occurrence"] = starts.index(attr.quote[0]) + 1
    if attr.attribution:
        words = text[attr.attribution[0] : attr.attribution[1]]
        if words.strip() and _NUL not in words and words != quote:
            item["attribution"] = words
    if a.hedge and _NUL not in a.hedge:
        item["hedge"] = a.hedge
    if attr.notes:
        item["note"] = "; ".join(attr.notes)
    return item


def _claim_slug(
    key: str,
    built: Built,
    claim_slugs: dict[str, str],
    claims: list[dict[str, Any]],
    slugs: Slugs,
) -> str:
    if not key.startswith("new:"):
        return key
    if key not in claim_slugs:
        words = built.new_claims[key]
        slug = slugs("claims", slugify(words, 70))
        claim_slugs[key] = slug
        claim: dict[str, Any] = {"slug": slug, "text": words.replace(_NUL, "")}
        if key in built.claim_notes:
            claim["note"] = _named_claims(built.claim_notes[key], built, claim_slugs, claims, slugs)
        claims.append(claim)
    return claim_slugs[key]


_CLAIM_KEY = re.compile(r"\{([^{}]+)\}")


def _named_claims(
    note: str,
    built: Built,
    claim_slugs: dict[str, str],
    claims: list[dict[str, Any]],
    slugs: Slugs,
) -> str:
    """NOTE with each {claim key} replaced by the claim's slug in the draft."""
    return _CLAIM_KEY.sub(
        lambda m: _claim_slug(m.group(1), built, claim_slugs, claims, slugs), note
    ).replace(_NUL, "")


def _link_note(
    p: Proposed,
    built: Built,
    claim_slugs: dict[str, str],
    claims: list[dict[str, Any]],
    slugs: Slugs,
) -> str | None:
    """How the statement is linked to what is stored, how sure, and why (for the reviewer)."""
    if p.link is None:
        return None
    return _named_claims(p.link.note(), built, claim_slugs, claims, slugs)


def _outlet(
    meta: ArticleMeta, known: Known, slugs: Slugs, extra: list[ProposedActor]
) -> str | None:
    if meta.outlet is None:
        return None
    actor = known.actors.get(meta.outlet)
    if actor is not None:
        return meta.outlet if actor.kind == "outlet" else None
    if known.taken("actors", meta.outlet):
        return None  # a known actor that is not an outlet: the loader would refuse it
    name = meta.outlet_name or meta.outlet.replace("-", " ").title()
    slugs.used.add(("actors", meta.outlet))
    extra.append(ProposedActor(slug=meta.outlet, name=name, kind="outlet"))
    return meta.outlet


def _affiliation(
    e: Entity,
    analysis: Analysis,
    known: Known,
    actor_for: Callable[[Entity], str],
    slugs: Slugs,
    extra: list[ProposedActor],
) -> str | None:
    """The actor E belongs to: one of the text's speakers, a known actor, or a new body."""
    if e.affiliation_entity is not None and e.affiliation_entity is not e:
        owner = e.affiliation_entity
        if owner.named or owner.spoke:
            return actor_for(owner)
    words = (e.affiliation or "").strip()
    for d in ("the ", "The "):
        words = words.removeprefix(d)
    if not words or len(words) > 80:
        return None
    key = words.lower()
    for other in analysis.entities:
        named = other.name and other.name.lower() in (key, f"the {key}")
        if other is not e and named and (other.spoke or other.named):
            return actor_for(other)
    found = known.actors_named(alias_key(words)) or known.actors_named(alias_key(f"the {words}"))
    if len(found) == 1:
        return next(iter(found))
    if not words[:1].isupper() or len(words.split()) < 2:
        return None  # "US", "Northwind": only when known or a speaker of this text
    same = next((a for a in extra if a.name == words), None)
    if same is not None:
        return same.slug
    body = ProposedActor(slug=slugs("actors", slugify(words)), name=words, kind="organization")
    extra.append(body)
    return body.slug


def _affiliations_first(actors: list[ProposedActor]) -> list[ProposedActor]:
    """Actors ordered so that each one's affiliation comes before it (the loader inserts them in
    one batch, in order)."""
    by_slug = {a.slug: a for a in actors}
    out: list[ProposedActor] = []
    placed: set[str] = set()

    def place(a: ProposedActor, path: set[str]) -> None:
        if a.slug in placed:
            return
        if a.affiliation in by_slug and a.affiliation not in path:
            place(by_slug[a.affiliation], path | {a.slug})
        elif a.affiliation in path:
            a.affiliation = None  # a cycle: leave it to the reviewer
        placed.add(a.slug)
        out.append(a)

    for a in actors:
        place(a, set())
    return out


def _actor_data(a: ProposedActor) -> dict[str, Any]:
    data: dict[str, Any] = {"slug": a.slug, "name": a.name, "kind": a.kind}
    if a.description:
        data["description"] = a.description
    if a.affiliation:
        data["affiliation"] = a.affiliation
    aliases = [x for x in a.aliases if x.strip() and _NUL not in x]
    if aliases:
        data["aliases"] = aliases
    if a.group_size:
        data["group_size"] = a.group_size
    if a.knowledge:
        data["knowledge"] = a.knowledge
    return data
