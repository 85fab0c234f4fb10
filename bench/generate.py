"""A deterministic, realistic sayso corpus of a chosen size, in the `sayso/1` format (JSON syntax).

    python -m bench.generate --statements 100000 --out bench/out/corpus-100k [--seed 1]

Writes DIR/documents/NNNN/NNNNNNN.txt (synthetic articles), DIR/annotations/NNNN/NNNNNNN.json
(one annotation file per document, see docs/annotation-format.md) and DIR/samples.json (slugs and
words for the load generator, and counts). The same arguments always give the same bytes.

What the corpus looks like, and why:
- actors: named people, organisations and governments whose number of statements follows a
  Zipf-like law (a few speak a lot, most rarely); about 20% of statements come from unnamed
  sources ("a senior official at the Foo ministry"), each affiliated with an institution;
- claims: one sentence each, active for a while (a news story), with a skewed number of
  statements (most have a handful, a few have hundreds); every stance occurs, denials often;
- statements: reported 1-4 times, in different documents, worded differently each time (direct
  or indirect, sometimes hedged, sometimes "told <outlet>");
- sources: articles from a set of outlets (Zipf-like too), about 15-25 appearances each, with page
  furniture (navigation, advertisements, a promotion line) and a printed date; some cite a wire
  story (a source without text, declared by the first article that cites it);
- contradictions: a few misreports (two reports of one statement) and inconsistencies.

Generation is streamed: a document is written as soon as it is complete, and only the statements
still waiting to be re-reported (a few documents' worth) are held in memory.
"""

import argparse
import datetime as dt
import hashlib
import itertools
import random
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bench.words import (
    CONTENT_CUM_WEIGHTS,
    CONTENT_WORDS,
    FIRST_NAMES,
    FUNCTION_WORDS,
    LAST_NAMES,
    PROPER_NAMES,
    TITLES,
    zipf_cum_weights,
)

GENERATOR_VERSION = 1  # bump when the output changes, so that cached corpora are remade

STANCES = ("asserts", "confirms", "suggests", "denies", "questions", "declines_to_comment")
STANCE_WEIGHTS = (0.37, 0.10, 0.12, 0.20, 0.12, 0.09)
POSITIVE = {"asserts", "confirms", "suggests"}
# Words a speaker puts before the substance, by stance (they make the stance readable).
STANCE_OPENERS = {
    "asserts": ("", "", "we know that", "the fact is that"),
    "confirms": ("we can confirm that", "it is true that", "yes,"),
    "suggests": ("it appears that", "there are signs that", "it seems that"),
    "denies": ("it is not true that", "there is no truth in claims that", "we deny that"),
    "questions": ("it is far from clear that", "we doubt that", "there is no proof that"),
    "declines_to_comment": ("we will not comment on whether", "no comment on reports that"),
}
APPEARANCES_PER_STATEMENT = (1, 2, 3, 4)
APPEARANCE_WEIGHTS = (0.35, 0.30, 0.20, 0.15)
HEDGES = ("reportedly", "allegedly", "apparently")
UNNAMED_SHARE = 0.20
RECIPIENT_SHARE = 0.08
MISREPORT_SHARE = 0.003  # of re-reports
INCONSISTENCY_SHARE = 0.002  # of new statements
WIRE_CITING_SHARE = 0.30  # of documents
ACTOR_ZIPF = 1.05
OUTLETS = 60
WIRES = ("Reuters", "Associated Press", "Agence France-Presse", "Bloomberg", "Xinhua", "Interfax")
CLAIM_POOL = 300  # claims in the news at any one time
START_DAY = dt.date(2022, 1, 3)
SAMPLE_SIZE = 400


def slugify(text: str) -> str:
    out = "".join(c.lower() if c.isalnum() else " " for c in text)
    return "-".join(out.split())


@dataclass
class Actor:
    slug: str
    name: str
    kind: str
    aliases: list[str]
    affiliation: int | None = None  # index into the named actors
    description: str | None = None
    group_size: int | None = None
    knowledge: str | None = None
    declared: bool = False

    def spec(self, affiliation_slug: str | None) -> dict[str, Any]:
        spec: dict[str, Any] = {"slug": self.slug, "name": self.name, "kind": self.kind}
        if self.description:
            spec["description"] = self.description
        if affiliation_slug:
            spec["affiliation"] = affiliation_slug
        if self.aliases:
            spec["aliases"] = self.aliases
        if self.group_size is not None:
            spec["group_size"] = self.group_size
        if self.knowledge is not None:
            spec["knowledge"] = self.knowledge
        return spec


@dataclass
class Claim:
    slug: str
    text: str
    core: list[str]
    budget: int
    used: int = 0
    declared: bool = False
    positive: int = 0
    denials: int = 0


@dataclass
class Pending:
    """A statement waiting for its next re-report."""

    slug: str
    claim: Claim
    speaker: Actor
    stance: str
    core: list[str]
    left: int
    first_source: str
    first_quote: str


@dataclass
class Wire:
    slug: str
    agency: Actor
    day: dt.date
    left: int
    declared: bool = False


@dataclass
class Doc:
    """A document being built: its text in parts, and the annotation file's sections."""

    index: int
    slug: str
    outlet: Actor
    day: dt.date
    parts: list[str] = field(default_factory=list)
    length: int = 0
    actors: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    statements: list[dict[str, Any]] = field(default_factory=list)
    contradictions: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[tuple[dict[str, Any], int]] = field(default_factory=list)  # (appearance, start)
    speakers: set[str] = field(default_factory=set)
    source: dict[str, Any] = field(default_factory=dict)

    def add(self, text: str) -> int:
        """Append TEXT; returns where it starts."""
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        return start


class Generator:
    def __init__(self, statements: int, out: Path, seed: int) -> None:
        self.target = statements
        self.out = out
        self.rng = random.Random(seed)
        self.sampler = random.Random(seed + 1)  # picks samples without disturbing the corpus
        self.made = 0
        self.docs = 0
        self.appearances = 0
        self.counts: dict[str, int] = {s: 0 for s in STANCES}
        self.counts.update(unnamed=0, misreports=0, inconsistencies=0, denial_pairs=0, wires=0)
        self.pending: deque[Pending] = deque()
        self.recent: deque[tuple[str, str]] = deque(maxlen=200)  # (statement, claim) declared
        self.samples: dict[str, list[str]] = {
            "claims_with_denials": [],
            "claims": [],
            "sources": [],
            "actors": [],
        }
        self.seen: dict[str, int] = {k: 0 for k in self.samples}
        self._make_actors()
        self.claim_serial = 0
        self.claims: list[Claim] = [self._new_claim() for _ in range(CLAIM_POOL)]
        self.unnamed_serial = 0
        self.unnamed_pool: list[tuple[Actor, int]] = []
        self.wires: list[Wire] = []
        self.wire_serial = 0
        # Days covered: about 100 documents a day, at least a year.
        self.days = max(365, int(statements * 0.107 / 100))

    # -- the cast ---------------------------------------------------------------------------

    def _make_actors(self) -> None:
        rng = random.Random(self.rng.random())
        n = max(60, self.target // 25)
        # Proper names for institutions and groups; past the list, two-part names.
        names = itertools.chain(
            PROPER_NAMES, (f"{a}-{b}" for a in PROPER_NAMES for b in PROPER_NAMES)
        )
        self.named: list[Actor] = []
        institutions: list[int] = []
        for i in range(n):
            roll = rng.random()
            if roll < 0.12:
                name = f"{next(names)} {rng.choice(('Party', 'Institute', 'Group', 'Council'))}"
                actor = Actor("", name, "organization", [name.split()[0]])
                institutions.append(i)
            elif roll < 0.22:
                place = next(names)
                name = (
                    f"Ministry of {rng.choice(('Defence', 'Energy', 'Trade', 'Health'))} of {place}"
                )
                actor = Actor("", name, "government", [f"the {place} ministry"])
                institutions.append(i)
            elif roll < 0.25:
                name = f"{next(names)} residents"
                actor = Actor("", name, "group", [])
            else:
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                title = rng.choice(TITLES)
                name = f"{first} {last}"
                aliases = [last, f"{title} {first} {last}"]
                actor = Actor("", name, "person", aliases, description=f"{title}")
            actor.slug = f"{slugify(actor.name)}-{i}"
            self.named.append(actor)
        if not institutions:
            institutions.append(0)
        for actor in self.named:
            if actor.kind == "person" and rng.random() < 0.6:
                actor.affiliation = rng.choice(institutions)
        self.institutions = institutions
        self.speaker_weights = zipf_cum_weights(n, ACTOR_ZIPF)
        self.outlets = [
            Actor(slugify(n) + "-news", f"The {n} News", "outlet", [f"{n} News"])
            for n in PROPER_NAMES[-OUTLETS:]
        ]
        self.outlet_weights = zipf_cum_weights(OUTLETS, 0.8)
        self.agencies = [
            Actor(slugify(w), w, "outlet", [], description="news agency") for w in WIRES
        ]

    def _declare(self, doc: Doc, actor: Actor) -> None:
        """Declare ACTOR (and its affiliation) in DOC's file if no earlier file did."""
        if actor.declared:
            return
        actor.declared = True
        parent = None
        if actor.affiliation is not None:
            parent = self.named[actor.affiliation]
            self._declare(doc, parent)
        doc.actors.append(actor.spec(parent.slug if parent else None))

    def _unnamed(self) -> Actor:
        """An unnamed source: used for one to three statements, affiliated with an institution."""
        rng = self.rng
        if self.unnamed_pool and rng.random() < 0.5:
            k = rng.randrange(len(self.unnamed_pool))
            actor, left = self.unnamed_pool[k]
            if left <= 1:
                self.unnamed_pool[k] = self.unnamed_pool[-1]
                self.unnamed_pool.pop()
            else:
                self.unnamed_pool[k] = (actor, left - 1)
            return actor
        self.unnamed_serial += 1
        inst = rng.choice(self.institutions)
        institution = self.named[inst]
        size, who = rng.choice(((1, "A senior official"), (1, "A source"), (2, "Two officials")))
        knowledge = rng.choice(("the talks", "the matter", "the discussions", "the plans"))
        name = f"{who} at {institution.name} with knowledge of {knowledge}"
        alias = f"{who.lower()} at {institution.name}"
        actor = Actor(
            f"unnamed-{self.unnamed_serial}",
            name,
            "unnamed",
            [alias],
            affiliation=inst,
            group_size=size,
            knowledge=knowledge,
        )
        self.unnamed_pool.append((actor, rng.randint(0, 2)))
        return actor

    # -- words ------------------------------------------------------------------------------

    def _words(self, k: int) -> list[str]:
        return self.rng.choices(CONTENT_WORDS, cum_weights=CONTENT_CUM_WEIGHTS, k=k)

    def _phrase(self, content: list[str]) -> str:
        """Content words with function words sprinkled in between, as a clause."""
        rng = self.rng
        out: list[str] = []
        for w in content:
            if rng.random() < 0.45:
                out.append(rng.choice(FUNCTION_WORDS))
            out.append(w)
        return " ".join(out)

    def _new_claim(self) -> Claim:
        self.claim_serial += 1
        core = self._words(3)
        text = self._phrase([*core, *self._words(self.rng.randint(3, 6))])
        text = text[0].upper() + text[1:] + "."
        budget = 1 + min(400, int(self.rng.lognormvariate(1.4, 0.9)))
        return Claim(f"claim-{self.claim_serial}-{'-'.join(core)}", text, core, budget)

    def _pick_claim(self, stance: str) -> Claim:
        k = self.rng.randrange(len(self.claims))
        claim = self.claims[k]
        claim.used += 1
        claim.positive += stance in POSITIVE
        claim.denials += stance == "denies"
        if claim.used >= claim.budget:
            self._retire(claim)
            self.claims[k] = self._new_claim()
        return claim

    def _retire(self, claim: Claim) -> None:
        self.counts["denial_pairs"] += claim.positive * claim.denials
        if claim.declared:
            self._sample("claims", claim.slug)
            if claim.denials:
                self._sample("claims_with_denials", claim.slug)

    def _sample(self, kind: str, value: str) -> None:
        """Reservoir sampling: every value offered has the same chance to be kept."""
        self.seen[kind] += 1
        kept = self.samples[kind]
        if len(kept) < SAMPLE_SIZE:
            kept.append(value)
        else:
            k = self.sampler.randrange(self.seen[kind])
            if k < SAMPLE_SIZE:
                kept[k] = value

    # -- appearances ------------------------------------------------------------------------

    def _alias(self, actor: Actor) -> str:
        if actor.aliases and self.rng.random() < 0.6:
            return self.rng.choice(actor.aliases)
        return actor.name

    def _appearance(
        self, doc: Doc, speaker: Actor, stance: str, core: list[str], recipient: Actor | None
    ) -> dict[str, Any]:
        """Write one paragraph reporting a statement into DOC; returns the appearance spec."""
        rng = self.rng
        opener = rng.choice(STANCE_OPENERS[stance])
        substance = self._phrase([*rng.sample(core, 2), *self._words(rng.randint(3, 7))])
        quote = f"{opener} {substance}".strip()
        who = self._alias(speaker)
        who = who[0].upper() + who[1:]  # it starts a sentence
        hedge = None
        if recipient is not None:
            verb = f"told {recipient.name}"
        elif rng.random() < 0.12:
            hedge = rng.choice(HEDGES)
            verb = f"{hedge} said"
        else:
            verb = rng.choice(("said", "said on Monday", "stated", "added"))
        spec: dict[str, Any]
        if rng.random() < 0.5:
            quote = quote[0].upper() + quote[1:]
            attribution = f"{who} {verb}"
            start = doc.add(f'{attribution}: "') + len(attribution) + 3
            doc.add(f'{quote}."')
            spec = {"quote": quote, "mode": "direct", "attribution": attribution}
        elif rng.random() < 0.8:
            attribution = f"{who} {verb} that"
            start = doc.add(f"{attribution} ") + len(attribution) + 1
            doc.add(f"{quote}.")
            spec = {"quote": quote, "mode": "indirect", "attribution": attribution}
        else:
            attribution = f"According to {who}"
            start = doc.add(f"{attribution}, ") + len(attribution) + 2
            doc.add(f"{quote}.")
            spec = {"quote": quote, "mode": "indirect", "attribution": attribution}
            hedge = None
        if hedge is not None:
            spec["hedge"] = hedge
        filler = self._phrase(self._words(rng.randint(3, 7)))
        doc.add(f" {filler[0].upper()}{filler[1:]}.\n")
        doc.quotes.append((spec, start))
        self.appearances += 1
        return spec

    def _new_statement(self, doc: Doc) -> None:
        rng = self.rng
        if rng.random() < UNNAMED_SHARE:
            speaker = self._unnamed()
            self.counts["unnamed"] += 1
        else:
            k = rng.choices(range(len(self.named)), cum_weights=self.speaker_weights)[0]
            speaker = self.named[k]
        stance = rng.choices(STANCES, weights=STANCE_WEIGHTS)[0]
        claim = self._pick_claim(stance)
        self.made += 1
        self.counts[stance] += 1
        recipient = self.rng.choice(self.outlets) if rng.random() < RECIPIENT_SHARE else None
        self._declare(doc, speaker)
        if recipient is not None:
            self._declare(doc, recipient)
        if not claim.declared:
            claim.declared = True
            doc.claims.append({"slug": claim.slug, "text": claim.text})
        slug = f"s{self.made}-{slugify(speaker.name.split()[-1])}-{stance.replace('_', '-')}"
        appearance = self._appearance(doc, speaker, stance, claim.core, recipient)
        spec: dict[str, Any] = {
            "slug": slug,
            "speaker": speaker.slug,
            "claim": claim.slug,
            "stance": stance,
        }
        if rng.random() < 0.4:
            spec["said_on"] = doc.day.isoformat()
        if recipient is not None:
            spec["recipient"] = recipient.slug
        if rng.random() < 0.1:
            spec["context"] = "asked about " + self._phrase(self._words(3))
        spec["appearances"] = [appearance]
        doc.statements.append(spec)
        doc.speakers.add(slug)
        if self.recent and rng.random() < INCONSISTENCY_SHARE:
            other, other_claim = self.recent[rng.randrange(len(self.recent))]
            if other_claim != claim.slug:
                doc.contradictions.append(
                    {
                        "kind": "inconsistency",
                        "a": other,
                        "b": slug,
                        "rationale": "The two statements cannot both be true.",
                    }
                )
                self.counts["inconsistencies"] += 1
        self.recent.append((slug, claim.slug))
        left = rng.choices(APPEARANCES_PER_STATEMENT, weights=APPEARANCE_WEIGHTS)[0] - 1
        if left:
            self.pending.append(
                Pending(
                    slug, claim, speaker, stance, claim.core, left, doc.slug, appearance["quote"]
                )
            )

    def _re_report(self, doc: Doc, p: Pending) -> None:
        appearance = self._appearance(doc, p.speaker, p.stance, p.core, None)
        doc.statements.append({"ref": p.slug, "appearances": [appearance]})
        doc.speakers.add(p.slug)
        if self.rng.random() < MISREPORT_SHARE:
            doc.contradictions.append(
                {
                    "kind": "misreport",
                    "statement": p.slug,
                    "a": {"source": p.first_source, "quote": p.first_quote},
                    "b": {"source": doc.slug, "quote": appearance["quote"]},
                    "rationale": "The two reports word the statement in ways that disagree.",
                }
            )
            self.counts["misreports"] += 1
        p.left -= 1

    # -- documents --------------------------------------------------------------------------

    def _wire(self, doc: Doc) -> Wire | None:
        rng = self.rng
        if rng.random() >= WIRE_CITING_SHARE:
            return None
        live = [w for w in self.wires if w.left > 0]
        if len(live) < 4 or rng.random() < 0.25:
            self.wire_serial += 1
            agency = rng.choice(self.agencies)
            slug = f"{agency.slug}-{doc.day.isoformat()}-wire-{self.wire_serial}"
            wire = Wire(slug, agency, doc.day, rng.randint(2, 6))
            live.append(wire)
            self.counts["wires"] += 1
        self.wires = live
        wire = rng.choice(live)
        wire.left -= 1
        if not wire.declared:
            wire.declared = True
            self._declare(doc, wire.agency)
            doc.sources.append(
                {
                    "slug": wire.slug,
                    "outlet": wire.agency.slug,
                    "language": "en",
                    "title": self._phrase(self._words(4)).capitalize(),
                    "reported_on": wire.day.isoformat(),
                    "description": "A wire story; its text is not held.",
                }
            )
        return wire

    def _document(self) -> Doc:
        rng = self.rng
        i = self.docs
        self.docs += 1
        outlet = rng.choices(self.outlets, cum_weights=self.outlet_weights)[0]
        day = START_DAY + dt.timedelta(days=i * self.days // max(1, int(self.target * 0.107)))
        slug = f"{outlet.slug}-{day.isoformat()}-{i}"
        doc = Doc(i, slug, outlet, day)
        self._declare(doc, outlet)
        nav = f"{outlet.name} | Home | World | Politics"
        doc.add(nav + "\n")
        title = self._phrase(self._words(rng.randint(5, 8)))
        title = title[0].upper() + title[1:]
        doc.add(title + "\n")
        minute = rng.randrange(24 * 60)
        printed = f"{day:%B} {day.day}, {day.year} {minute // 60:02d}:{minute % 60:02d}"
        doc.add(f"By {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} | Published: {printed}\n\n")
        wire = self._wire(doc)
        size = rng.randint(15, 25)
        refs = 0
        skipped: list[Pending] = []
        while self.pending and refs < size * 0.6:
            p = self.pending.popleft()
            if p.slug in doc.speakers:
                skipped.append(p)
                continue
            self._re_report(doc, p)
            refs += 1
            if p.left:
                skipped.append(p)  # its next re-report goes to a later document
            if refs % 6 == 5:
                doc.add("Advertisement\n")
        self.pending.extend(skipped)
        for n in range(refs, size):
            if self.made >= self.target:
                break
            self._new_statement(doc)
            if n % 6 == 5:
                doc.add("Advertisement\n")
        cites = []
        if wire is not None:
            evidence = f"(with inputs from {wire.agency.name})"
            doc.add(evidence + "\n")
            cites.append({"source": wire.slug, "evidence": evidence})
        promo = f"Follow {outlet.name} for the latest news"
        doc.add(promo + "\n")
        furniture: list[dict[str, Any]] = [
            {"kind": "navigation", "text": nav},
            {"kind": "promotion", "text": promo},
        ]
        if any("Advertisement" in p for p in doc.parts):
            furniture.append(
                {"kind": "advertisement", "text": "Advertisement", "occurrence": "all"}
            )
        doc.source = {
            "slug": slug,
            "title": title,
            "outlet": outlet.slug,
            "language": "en",
            "dates": [
                {
                    "kind": "published",
                    "printed": printed,
                    "value": f"{day.isoformat()}T{minute // 60:02d}:{minute % 60:02d}:00+00:00",
                }
            ],
            "cites": cites,
            "furniture": furniture,
        }
        return doc

    def _write(self, doc: Doc) -> None:
        text = "".join(doc.parts)
        for spec, start in doc.quotes:
            quote = spec["quote"]
            assert text[start : start + len(quote)] == quote, (doc.slug, quote)
            first = text.find(quote)
            if first != start or text.find(quote, start + 1) != -1:
                occurrences, at = [], first
                while at != -1:
                    occurrences.append(at)
                    at = text.find(quote, at + 1)
                spec["occurrence"] = occurrences.index(start) + 1
        raw = text.encode()
        shard = f"{doc.index // 1000:04d}"
        name = f"{doc.index:07d}"
        doc_path = self.out / "documents" / shard / f"{name}.txt"
        ann_path = self.out / "annotations" / shard / f"{name}.json"
        if doc.index % 1000 == 0:
            doc_path.parent.mkdir(parents=True, exist_ok=True)
            ann_path.parent.mkdir(parents=True, exist_ok=True)
        doc_path.write_bytes(raw)
        source = {
            "slug": doc.slug,
            "document": f"../../documents/{shard}/{name}.txt",
            "sha256": hashlib.sha256(raw).hexdigest(),
            **doc.source,
        }
        data: dict[str, Any] = {"format": "sayso/1", "source": source}
        for key in ("actors", "sources", "claims", "statements", "contradictions"):
            if getattr(doc, key):
                data[key] = getattr(doc, key)
        ann_path.write_bytes(orjson.dumps(data))
        self._sample("sources", doc.slug)

    def run(self, progress: bool = True) -> dict[str, Any]:
        began = time.monotonic()
        while self.made < self.target or self.pending:
            doc = self._document()
            self._write(doc)
            if progress and self.docs % 10000 == 0:
                print(f"  {self.docs} documents, {self.made} statements", file=sys.stderr)
        for claim in self.claims:
            self._retire(claim)
        named_declared = [a for a in self.named if a.declared]
        top = named_declared[:40]  # the most prolific speakers (lowest Zipf ranks)
        rest = named_declared[40:]
        self.sampler.shuffle(rest)
        self.samples["actors"] = [a.slug for a in top + rest[: SAMPLE_SIZE - len(top)]]
        self.seen["actors"] = len(named_declared)
        words = CONTENT_WORDS[20:3000]
        self.samples["words"] = self.sampler.sample(words, min(SAMPLE_SIZE, len(words)))
        stats = {
            "statements": self.made,
            "documents": self.docs,
            "appearances": self.appearances,
            "named_actors": len(named_declared),
            "unnamed_actors": self.unnamed_serial,
            "claims": self.claim_serial,
            **self.counts,
            "seconds": round(time.monotonic() - began, 1),
        }
        return stats


def generate(statements: int, out: Path, seed: int = 1, progress: bool = True) -> dict[str, Any]:
    """Write the corpus for STATEMENTS statements under OUT; returns its statistics."""
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(statements, out, seed)
    stats = gen.run(progress)
    samples = {
        "version": GENERATOR_VERSION,
        "seed": seed,
        "stats": stats,
        **gen.samples,
    }
    (out / "samples.json").write_bytes(orjson.dumps(samples, option=orjson.OPT_INDENT_2))
    return stats


def parse_size(text: str) -> int:
    """10k -> 10000, 1m -> 1000000, 2500 -> 2500."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--statements", required=True, type=parse_size, help="e.g. 10k, 100k, 1m")
    parser.add_argument("--out", required=True, type=Path, help="output directory (new or empty)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    stats = generate(args.statements, args.out, args.seed)
    print(orjson.dumps(stats, option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main()
