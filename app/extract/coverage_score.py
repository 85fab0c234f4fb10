"""Scoring the extractor on real coverage (bench/coverage/): each story's stored article loaded
from its gold, then each re-report drafted against that database and loaded as proposed, as
an editor would use sayso; and the same story loaded from its gold files alone, to compare.

Beside the statement figures of app/extract/evaluate.py (the same matching), per re-report:
- linking: the gold statements that are a stored statement (`ref:`) or on a stored claim, and
  the share whose matched prediction is that statement, or on that claim;
- actor resolution: the matched gold statements whose speaker is a stored actor, and the share
  whose predicted speaker is that actor; each new actor a draft declares twice over (two new
  actors matched to one gold speaker) counts as one more error. Matching needs a name in common,
  so a stored person made a new actor under another spelling goes unmatched: the same share on
  the pairs matched by their spans alone is given too;
- false contradictions: those the drafts added to their database (confirmed or proposed) that
  the gold files, loaded in the same order, do not produce.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, aliased

from app.config import get_settings
from app.db.engine import make_engine, session_scope
from app.extract import gold
from app.extract.article import ArticleMeta
from app.extract.coverage import SPLITS, CoverageError, Story, read_texts, to_annotation
from app.extract.coverage_misses import misses
from app.extract.evaluate import Predicted, Score, compare, frac, predicted, score_rows, table
from app.extract.gold import Unit
from app.extract.known import Known, KnownActor, KnownStatement
from app.extract.known_db import known_from_db
from app.extract.pipeline import extract
from app.ingest.loader import load_parsed
from app.ingest.parse import AnnotatedFile, parse_bytes
from app.ingest.problems import InvalidAnnotations
from app.models import Actor, ActorAlias, Claim, Contradiction, Statement
from app.models.enums import ReviewStatus

Progress = Callable[[str], None]
# Makes a draft of a text (with its metadata) against the database of the session.
Drafter = Callable[[Session, str, ArticleMeta], dict[str, Any]]


@dataclass
class CoverageScore(Score):
    """The statement figures, and the linking figures over the re-reports."""

    stories: int = 0
    rereports: int = 0
    links: int = 0
    links_right: int = 0
    acts: int = 0
    acts_right: int = 0
    on_claims: int = 0
    on_claims_right: int = 0
    stored_speakers: int = 0
    stored_speakers_right: int = 0
    duplicate_actors: int = 0
    stored_spans: int = 0  # as stored_speakers, on the pairs matched by their spans alone
    stored_spans_right: int = 0
    contradictions: int = 0
    false_contradictions: int = 0
    refused_drafts: int = 0
    problems: list[str] = field(default_factory=list)
    per_article: list[str] = field(default_factory=list)
    # Per article, its unmatched gold appearances and predictions (app/extract/coverage_misses);
    # with `words`, each with the words of its span, for a terminal only.
    misses: list[str] = field(default_factory=list)
    words: bool = False

    @property
    def false_per_article(self) -> float:
        return self.false_contradictions / self.rereports if self.rereports else 0.0


@dataclass
class _Run:
    """One story in progress: its two databases and what the gold files have declared."""

    story: Story
    drafts: Engine
    golds: Engine
    known: Known  # what the gold files loaded so far declare (the seed's first)
    # The statements stored before the re-reports (the seed's, then the stored article's):
    # each stands for itself in either database.
    before: set[str]
    stored_statements: set[str] = field(default_factory=set)
    stored_claims: set[str] = field(default_factory=set)
    stored_actors: set[str] = field(default_factory=set)
    # A draft's statement slug -> the gold statements it matched (drafts' database slugs).
    image: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def evaluate_coverage(
    stories: Iterable[Story],
    texts: Path,
    fresh: Callable[[], str],
    progress: Progress = lambda _: None,
    drafter: Drafter | None = None,
    words: bool = False,
) -> dict[str, CoverageScore]:
    """Score every story (reading its texts from TEXTS), dev and heldout apart. FRESH gives the
    URL of a new database holding the seed (two per story: the drafts', the gold files').
    DRAFTER makes each draft (by default the extractor against the drafts' database). WORDS:
    the misses show their spans' words (for a terminal, never a file kept)."""
    drafter = drafter or database_draft
    scores: dict[str, CoverageScore] = {}
    seed_files = sorted((get_settings().seed_dir / "annotations").glob("*.yaml"))
    for story in stories:
        score = scores.setdefault(story.split, CoverageScore(words=words))
        progress(f"{story.split}: {story.entry.story}")
        drafts, golds = make_engine(fresh()), make_engine(fresh())
        try:
            known = Known()
            for path in seed_files:
                gold.learn(known, gold.read(path).spec)
            run = _Run(story, drafts, golds, known, before=set(known.statements))
            _story(score, run, texts, drafter)
        except CoverageError as exc:
            score.problems.append(str(exc))
        finally:
            drafts.dispose()
            golds.dispose()
    return {split: scores[split] for split in SPLITS if split in scores}


def _story(score: CoverageScore, run: _Run, texts: Path, drafter: Drafter) -> None:
    found = read_texts(run.story, texts)
    score.problems += found.problems
    entry = run.story.entry
    if entry.stored not in found.found:
        score.problems.append(f"{entry.story}: its stored article has no text: story not scored")
        return
    score.stories += 1
    for n, article in enumerate(entry.articles):
        text = found.found.get(article.slug)
        if text is None:
            continue
        path = run.story.gold_path(article)
        parsed = _parsed(path, to_annotation(path, text))
        doc = gold.of_parsed(path, parsed)
        truth = gold.units(doc, run.known)
        draft, pred, actors_before = _draft(run.drafts, drafter, text, doc.meta)
        matched, spans = compare(score, doc, truth, pred, run.known)
        score.misses.append(f"{article.slug}:")
        score.misses += ["  " + m for m in misses(text, truth, pred.units, matched, score.words)]
        if n == 0:
            # The stored article: scored as any article, then loaded from its gold in both.
            _load(run.drafts, [parsed], ReviewStatus.confirmed)
            _load(run.golds, [parsed], ReviewStatus.confirmed)
            run.stored_statements = {s.slug for s in doc.spec.statements if s.slug}
            run.before |= run.stored_statements
            run.stored_claims = {c.slug for c in doc.spec.claims}
            run.stored_actors = actors_before | {a.slug for a in doc.spec.actors}
            gold.learn(run.known, doc.spec)
            score.per_article.append(f"{article.slug}: stored; {_counts(truth, pred, matched)}")
            continue
        score.rereports += 1
        links = _linking(score, run, truth, (matched, spans), draft, actors_before)
        try:
            _load(run.drafts, [_parsed(path, _inline(draft, text))], ReviewStatus.proposed)
        except InvalidAnnotations as exc:
            score.refused_drafts += 1
            score.problems.append(f"{article.slug}: the draft was refused by the loader: {exc}")
        for p, g in matched:
            run.image[p.statement].add(g.statement)
        _load(run.golds, [parsed], ReviewStatus.confirmed)
        gold.learn(run.known, doc.spec)
        score.per_article.append(f"{article.slug}: {_counts(truth, pred, matched)}; {links}")
    false, total = _false_contradictions(run)
    score.contradictions += total
    score.false_contradictions += len(false)
    score.per_article.append(f"{entry.story}: {len(false)} false contradiction(s) of {total}")
    score.per_article += [f"  false: {a} / {b}" for a, b in false]


def database_draft(session: Session, text: str, meta: ArticleMeta) -> dict[str, Any]:
    """The extractor's draft of TEXT, resolved against the database (as `sayso extract`)."""
    return extract(text, meta, lookup=lambda a: known_from_db(session, a, meta.outlet)).draft


def _draft(
    engine: Engine, drafter: Drafter, text: str, meta: ArticleMeta
) -> tuple[dict[str, Any], Predicted, set[str]]:
    """DRAFTER's draft of TEXT against the database, as predicted units, and the actors that
    database holds before it is loaded."""
    with Session(engine) as session:
        draft = drafter(session, text, meta)
        known = _known_of(session, draft)
        actors = set(session.scalars(select(Actor.slug)))
    return draft, predicted(draft, text, known), actors


def _known_of(session: Session, draft: dict[str, Any]) -> Known:
    """The stored statements a draft refers to, and the stored actors it names."""
    known = Known()
    statements = draft.get("statements", [])
    refs = {s["ref"] for s in statements if "ref" in s}
    speakers = {s["speaker"] for s in statements if "speaker" in s}
    who, what = aliased(Actor), aliased(Claim)
    rows = session.execute(
        select(Statement.slug, who.slug, what.slug, Statement.stance)
        .join(who, who.id == Statement.speaker_id)
        .join(what, what.id == Statement.claim_id)
        .where(Statement.slug.in_(refs))
    )
    for slug, speaker, claim, stance in rows:
        known.add_statement(KnownStatement(slug, speaker, claim, stance.value))
        speakers.add(speaker)
    aliases: dict[int, list[str]] = defaultdict(list)
    actors = list(session.scalars(select(Actor).where(Actor.slug.in_(speakers))))
    for actor_id, alias in session.execute(
        select(ActorAlias.actor_id, ActorAlias.alias).where(
            ActorAlias.actor_id.in_([a.id for a in actors])
        )
    ):
        aliases[actor_id].append(alias)
    for a in actors:
        known.add_actor(KnownActor(a.slug, a.name, a.kind.value, aliases=aliases[a.id]))
    return known


def _linking(
    score: CoverageScore,
    run: _Run,
    truth: list[Unit],
    pairs: tuple[list[tuple[Unit, Unit]], list[tuple[Unit, Unit]]],
    draft: dict[str, Any],
    actors_before: set[str],
) -> str:
    """Add a re-report's linking and actor figures to SCORE; say them. PAIRS: the matched
    (predicted, gold) pairs, and those paired on their spans alone."""
    matched, spans = pairs
    by_gold = {id(g): p for p, g in matched}
    links = right = 0
    for g in truth:
        p = by_gold.get(id(g))
        if g.statement in run.stored_statements:
            score.acts += 1
            score.acts_right += p is not None and p.statement == g.statement
        elif g.claim in run.stored_claims:
            score.on_claims += 1
            score.on_claims_right += p is not None and p.claim == g.claim
        else:
            continue
        links += 1
        right += p is not None and (
            p.statement == g.statement
            if g.statement in run.stored_statements
            else p.claim == g.claim
        )
    score.links += links
    score.links_right += right
    new_actors = {a["slug"] for a in draft.get("actors", [])} - actors_before
    speakers: dict[str, set[str]] = defaultdict(set)
    for p, g in matched:
        if g.speaker in run.stored_actors:
            score.stored_speakers += 1
            score.stored_speakers_right += p.speaker == g.speaker
        if p.speaker in new_actors:
            speakers[g.speaker].add(p.speaker)
    for p, g in spans:
        if g.speaker in run.stored_actors:
            score.stored_spans += 1
            score.stored_spans_right += p.speaker == g.speaker
    duplicates = sum(len(s) - 1 for s in speakers.values() if len(s) > 1)
    score.duplicate_actors += duplicates
    return f"linked {right}/{links}" + (f", {duplicates} duplicate actor(s)" if duplicates else "")


def _false_contradictions(run: _Run) -> tuple[list[tuple[str, str]], int]:
    """The contradictions the drafts added that the gold files do not produce, and all those
    the drafts added. A draft's statement stands for the gold statements it matched; a
    statement stored before the re-reports (the seed's, the stored article's) for itself."""
    with Session(run.golds) as session:
        truth = {frozenset(pair) for pair in _pairs(session)}
    with Session(run.drafts) as session:
        # Those between two statements stored before the re-reports are in both databases.
        found = [(a, b) for a, b in _pairs(session) if not {a, b} <= run.before]
    false = []
    for a, b in found:
        sides_a = run.image.get(a, set()) | ({a} & run.before)
        sides_b = run.image.get(b, set()) | ({b} & run.before)
        if not any(frozenset((x, y)) in truth for x in sides_a for y in sides_b):
            false.append((a, b))
    return false, len(found)


def _pairs(session: Session) -> list[tuple[str, str]]:
    """Every contradiction between two statements (not a misreport of one), by their slugs;
    a rejected one is not counted."""
    a, b = aliased(Statement), aliased(Statement)
    rows = session.execute(
        select(a.slug, b.slug)
        .select_from(Contradiction)
        .join(a, a.id == Contradiction.statement_a_id)
        .join(b, b.id == Contradiction.statement_b_id)
        .where(Contradiction.statement_a_id != Contradiction.statement_b_id)
        .where(Contradiction.status != ReviewStatus.rejected)
    )
    return [(x, y) for x, y in rows]


def _counts(truth: list[Unit], pred: Predicted, matched: list[tuple[Unit, Unit]]) -> str:
    return f"gold {len(truth)}, predicted {len(pred.units)}, matched {len(matched)}"


def _parsed(path: Path, data: dict[str, Any]) -> AnnotatedFile:
    parsed = parse_bytes(b"", path, is_json=True, files=False, data=data)
    if isinstance(parsed, list):
        raise CoverageError("\n".join(str(p) for p in parsed))
    return parsed


def _inline(draft: dict[str, Any], text: str) -> dict[str, Any]:
    source = {k: v for k, v in draft["source"].items() if k != "document"}
    return {**draft, "source": {**source, "text": text}}


def _load(engine: Engine, parsed: list[AnnotatedFile], status: ReviewStatus) -> None:
    with session_scope(engine) as session:
        load_parsed(session, parsed, status)


def coverage_report(scores: dict[str, CoverageScore]) -> str:
    """The figures, one column per split."""
    rows = score_rows(dict(scores))
    linking: list[tuple[str, Callable[[CoverageScore], str]]] = [
        ("stories (re-reports)", lambda s: f"{s.stories} ({s.rereports})"),
        ("linking accuracy", lambda s: frac(s.links_right, s.links)),
        ("  same act (ref)", lambda s: frac(s.acts_right, s.acts)),
        ("  on a stored claim", lambda s: frac(s.on_claims_right, s.on_claims)),
        (
            "actor resolution accuracy",
            lambda s: frac(s.stored_speakers_right, s.stored_speakers + s.duplicate_actors),
        ),
        ("  duplicate new actors", lambda s: str(s.duplicate_actors)),
        ("  on span pairs", lambda s: frac(s.stored_spans_right, s.stored_spans)),
        ("contradictions the drafts added", lambda s: str(s.contradictions)),
        (
            "false contradictions/article",
            lambda s: f"{s.false_per_article:.3f} ({s.false_contradictions}/{s.rereports})",
        ),
        ("drafts refused by the loader", lambda s: str(s.refused_drafts)),
    ]
    for label, f in linking:
        rows.append((label, [f(s) for s in scores.values()]))
    lines = [
        "real coverage (bench/coverage): the extractor scored against gold annotations;",
        "each re-report drafted against a database holding the story's stored article",
        *table(scores, rows),
    ]
    for split, s in scores.items():
        lines += [f"{split}: {p}" for p in s.problems]
    return "\n".join(lines)
