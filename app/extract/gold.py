"""Gold annotation files, read for scoring: every appearance placed, and what each file adds to
what is known."""

from dataclasses import dataclass
from pathlib import Path

from app.documents.spans import Document
from app.extract.article import ArticleMeta
from app.extract.known import Known, KnownActor, KnownStatement
from app.ingest.parse import AnnotatedFile, parse_file
from app.ingest.problems import InvalidAnnotations
from app.ingest.spec import AnnotationFile
from app.models.actor_alias import alias_key


@dataclass(frozen=True)
class Unit:
    """One attributed statement in a text: an appearance, with its statement's speaker, claim
    and stance."""

    span: tuple[int, int]
    speaker: str
    stance: str
    claim: str
    statement: str
    mode: str


@dataclass
class GoldDoc:
    path: Path
    text: str
    spec: AnnotationFile
    meta: ArticleMeta


def read(path: Path) -> GoldDoc:
    """A gold annotation file and its document."""
    parsed = parse_file(path)
    if isinstance(parsed, list):
        raise InvalidAnnotations(parsed)
    return of_parsed(path, parsed)


def of_parsed(path: Path, parsed: AnnotatedFile) -> GoldDoc:
    """A gold annotation already parsed (its document read or inline)."""
    assert parsed.document is not None
    spec = parsed.spec
    s = spec.source
    outlet_name = next((a.name for a in spec.actors if a.slug == s.outlet), None)
    meta = ArticleMeta(
        slug=s.slug,
        title=s.title,
        outlet=s.outlet,
        outlet_name=outlet_name,
        url=s.url,
        byline=s.byline,
        language=s.language,
        dates=list(s.dates),
        document=s.document,
    )
    return GoldDoc(path, parsed.document.text, spec, meta)


def units(doc: GoldDoc, known: Known) -> list[Unit]:
    """The gold appearances of DOC, placed as the loader places them (furniture first)."""
    placed = _document(doc)
    declared = {s.slug: s for s in doc.spec.statements if s.slug}
    out = []
    speaker: str | None
    claim: str | None
    stance: str | None
    for s in doc.spec.statements:
        if s.ref is not None:
            k = known.statements.get(s.ref)
            if k is not None:
                speaker, claim, stance = k.speaker, k.claim, k.stance
            else:
                d = declared[s.ref]
                speaker, claim, stance = d.speaker, d.claim, d.stance
        else:
            speaker, claim, stance = s.speaker, s.claim, s.stance
        for a in s.appearances:
            span = placed.place(a.quote, occurrence=a.occurrence, after=a.after)
            out.append(Unit(span, str(speaker), str(stance), str(claim), s.key, a.mode.value))
    return out


def _document(doc: GoldDoc) -> Document:
    placed = Document(doc.text, [])
    spans = []
    for item in doc.spec.source.furniture:
        if item.occurrence == "all":
            spans += [(s, s + len(item.text)) for s in placed.occurrences(item.text)]
        else:
            spans.append(placed.place(item.text, occurrence=item.occurrence, article_only=False))
    placed.furniture = spans
    return placed


def learn(known: Known, spec: AnnotationFile) -> None:
    """Add what a file declares (and the appearances it adds) to KNOWN, as loading it would."""
    reported = ArticleMeta(dates=list(spec.source.dates)).published() or spec.source.reported_on
    for a in spec.actors:
        known.add_actor(
            KnownActor(a.slug, a.name, a.kind.value, a.description, a.affiliation, list(a.aliases))
        )
    for c in spec.claims:
        known.add_claim(c.slug, c.text)
    known.sources.add(spec.source.slug)
    known.sources.update(s.slug for s in spec.sources)
    for s in spec.statements:
        quotes = [a.quote for a in s.appearances]
        if s.ref is not None:
            base = known.statements.get(s.ref)
            if base is not None:
                known.add_statement(
                    KnownStatement(
                        base.slug, base.speaker, base.claim, base.stance, base.context, quotes
                    )
                )
            continue
        assert s.slug and s.speaker and s.claim and s.stance
        known.add_statement(
            KnownStatement(
                s.slug,
                s.speaker,
                s.claim,
                s.stance.value,
                s.context,
                quotes,
                s.said_on or reported,
                s.recipient,
                s.via,
            )
        )


def names_of(slug: str, spec: AnnotationFile | None, known: Known) -> set[str]:
    """Every name an actor goes by (alias-matching form, leading articles dropped)."""
    names: list[str] = []
    if spec is not None:
        for a in spec.actors:
            if a.slug == slug:
                names += [a.name, *a.aliases]
    actor = known.actors.get(slug)
    if actor is not None:
        names += [actor.name, *actor.aliases]
    return {_bare(n) for n in names}


def _bare(name: str) -> str:
    key = alias_key(name)
    for d in ("a ", "an ", "the "):
        key = key.removeprefix(d)
    return key
