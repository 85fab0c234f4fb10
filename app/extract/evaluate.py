"""Scoring the extractor against gold annotations: statements found, speakers, stances, claims,
and how fast it reads."""

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.config import PROJECT_ROOT, get_settings
from app.documents.spans import Document, NotPlaced
from app.extract import gold
from app.extract.gold import GoldDoc, Unit
from app.extract.known import Known
from app.extract.lexicon import wordset
from app.extract.pipeline import extract
from app.ingest.spec import AnnotationFile

BENCH = PROJECT_ROOT / "bench" / "extract"
# A predicted statement matches a gold one when their spans overlap by at least this much
# (intersection over union) and they have the same speaker.
OVERLAP = 0.5
_GENERIC = wordset(
    """source sources official officials people person spokesman spokeswoman spokesperson
    company firm statement ministry office newspaper agency analysts he she they it"""
)


def splits(upto: str = "held-out") -> dict[str, list[Path]]:
    """The gold files of each half up to UPTO, in load order: dev (the seed and half of the
    benchmark's articles, used for tuning), then held-out (never tuned on). Scoring dev alone
    never reads the held-out files."""
    seed = sorted((get_settings().seed_dir / "annotations").glob("*.yaml"))
    out = {"dev": seed + sorted((BENCH / "dev" / "annotations").glob("*.yaml"))}
    if upto == "held-out":
        out["held-out"] = sorted((BENCH / "heldout" / "annotations").glob("*.yaml"))
    return out


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two [start, end) spans."""
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


@dataclass
class Score:
    """Counts over the documents of one half."""

    documents: int = 0
    words: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    span_pairs: int = 0
    speaker_right: int = 0
    stance_right: int = 0
    denials: int = 0
    denials_found: int = 0
    claims_right: int = 0
    known_claims: int = 0
    known_claims_right: int = 0
    known_acts: int = 0
    known_acts_right: int = 0
    per_document: list[tuple[str, int, int, int]] = field(default_factory=list)

    def ratio(self, a: int, b: int) -> float:
        return a / b if b else 0.0

    @property
    def precision(self) -> float:
        return self.ratio(self.matched, self.predicted)

    @property
    def recall(self) -> float:
        return self.ratio(self.matched, self.gold)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Predicted:
    units: list[Unit]
    names: dict[str, set[str]]
    new_claims: set[str]


def evaluate(
    halves: Iterable[str] = ("dev", "held-out"), progress: Callable[[str], None] = lambda _: None
) -> dict[str, Score]:
    """Run the extractor on every document of HALVES against what the files before it declare
    (as a database loaded in order would hold), and score it."""
    wanted = set(halves)
    upto = _last(wanted)
    scores = {h: Score() for h in splits(upto) if h in wanted}
    known = Known()
    for half, paths in splits(upto).items():
        for path in paths:
            doc = gold.read(path)
            if half in wanted:
                progress(f"{half}: {path.name}")
                _score(scores[half], doc, known)
            gold.learn(known, doc.spec)
    return scores


def _score(score: Score, doc: GoldDoc, known: Known) -> None:
    truth = gold.units(doc, known)
    result = extract(doc.text, doc.meta, known)
    compare(score, doc, truth, predicted(result.draft, doc.text, known), known)


def compare(
    score: Score, doc: GoldDoc, truth: list[Unit], pred: Predicted, known: Known
) -> tuple[list[tuple[Unit, Unit]], list[tuple[Unit, Unit]]]:
    """Add one document's figures to SCORE; the (predicted, gold) pairs that match, and those
    paired on their spans alone."""
    score.documents += 1
    score.words += len(doc.text.split())
    score.gold += len(truth)
    score.predicted += len(pred.units)
    same_speaker = speaker_test(doc, pred, known)
    matched = _pairs(pred.units, truth, same_speaker)
    spans = _pairs(pred.units, truth, lambda _p, _g: True)
    score.matched += len(matched)
    score.span_pairs += len(spans)
    score.speaker_right += sum(1 for p, g in spans if same_speaker(p, g))
    score.stance_right += sum(1 for p, g in matched if p.stance == g.stance)
    denials = [g for g in truth if g.stance == "denies"]
    score.denials += len(denials)
    score.denials_found += sum(
        1 for p, g in matched if g.stance == "denies" and p.stance == "denies"
    )
    for p, g in matched:
        if g.claim in known.claims:
            score.known_claims += 1
            score.known_claims_right += p.claim == g.claim
            score.claims_right += p.claim == g.claim
        else:
            score.claims_right += p.claim in pred.new_claims
        if g.statement in known.statements:
            score.known_acts += 1
            score.known_acts_right += p.statement == g.statement
    score.per_document.append((doc.path.name, len(truth), len(pred.units), len(matched)))
    return matched, spans


def speaker_test(doc: GoldDoc, pred: Predicted, known: Known) -> Callable[[Unit, Unit], bool]:
    """Whether a predicted unit's speaker is a gold unit's: the same slug, or a name they share
    (but generic words such as "official")."""

    def same_speaker(p: Unit, g: Unit) -> bool:
        if p.speaker == g.speaker:
            return True
        theirs = {n for n in gold.names_of(g.speaker, doc.spec, known) if n not in _GENERIC}
        return bool(theirs & pred.names.get(p.speaker, set()))

    return same_speaker


def _pairs(
    pred: list[Unit], truth: list[Unit], fits: Callable[[Unit, Unit], bool]
) -> list[tuple[Unit, Unit]]:
    """Predicted and gold units paired one to one, the best-overlapping pairs first."""
    candidates = [
        (overlap(p.span, g.span), i, j)
        for i, p in enumerate(pred)
        for j, g in enumerate(truth)
        if overlap(p.span, g.span) >= OVERLAP and fits(p, g)
    ]
    used_p, used_g, out = set(), set(), []
    for _o, i, j in sorted(candidates, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((pred[i], truth[j]))
    return out


def predicted(draft: dict[str, Any], text: str, known: Known) -> Predicted:
    """The draft's appearances placed as the loader would place them."""
    spec = AnnotationFile.model_validate(draft)
    placed = Document(text, [])
    spans = []
    for item in spec.source.furniture:
        if item.occurrence == "all":
            spans += [(s, s + len(item.text)) for s in placed.occurrences(item.text)]
        else:
            spans.append(placed.place(item.text, occurrence=item.occurrence, article_only=False))
    placed.furniture = spans
    names = {a.slug: gold.names_of(a.slug, spec, known) for a in spec.actors}
    units = []
    for s in spec.statements:
        if s.ref is not None:
            k = known.statements[s.ref]
            speaker, claim, stance = k.speaker, k.claim, k.stance
        else:
            speaker, claim, stance = str(s.speaker), str(s.claim), str(s.stance)
        names.setdefault(speaker, gold.names_of(speaker, spec, known))
        for a in s.appearances:
            try:
                span = placed.place(a.quote, occurrence=a.occurrence, after=a.after)
            except NotPlaced:
                continue  # counted as not found; the draft tests make sure this never happens
            units.append(Unit(span, speaker, stance, claim, s.key, a.mode.value))
    return Predicted(units, names, {c.slug for c in spec.claims})


def _last(halves: Iterable[str]) -> str:
    """The last of HALVES in load order."""
    return "held-out" if "held-out" in set(halves) else "dev"


def throughput(
    articles: int = 40, words: int = 800, halves: Iterable[str] = ("dev", "held-out")
) -> tuple[float, float]:
    """Articles of WORDS words extracted per second on one core (and words per second), the
    articles cut from the documents of HALVES (and those loaded before them), against
    everything their gold files declare."""
    known = Known()
    paragraphs: list[str] = []
    for paths in splits(_last(halves)).values():
        for path in paths:
            doc = gold.read(path)
            gold.learn(known, doc.spec)
            paragraphs += [p for p in doc.text.split("\n") if len(p.split()) > 5]
    texts, k = [], 0
    for _ in range(articles):
        chosen: list[str] = []
        while sum(len(p.split()) for p in chosen) < words:
            chosen.append(paragraphs[k % len(paragraphs)])
            k += 1
        texts.append("\n\n".join(chosen))
    pinned = _pin_one_core()
    try:
        start = time.perf_counter()
        for text in texts:
            extract(text, None, known)
        elapsed = time.perf_counter() - start
    finally:
        _unpin(pinned)
    total = sum(len(t.split()) for t in texts)
    return len(texts) / elapsed, total / elapsed


def _pin_one_core() -> set[int] | None:
    """Run on one core only while timing (Linux); the cores to restore after."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    return cores


def _unpin(cores: set[int] | None) -> None:
    if cores is not None:
        os.sched_setaffinity(0, cores)


def report(scores: dict[str, Score], speed: tuple[float, float] | None) -> str:
    """The figures, one column per half."""
    lines = [
        "sayso eval-extract: the extractor scored against gold annotations",
        *table(scores, score_rows(scores)),
    ]
    if speed is not None:
        lines += [
            "",
            f"throughput: {speed[0]:.1f} articles of 800 words per second on one core"
            f" ({speed[1]:,.0f} words/s)",
        ]
    return "\n".join(lines)


Rows = list[tuple[str, list[str]]]


def score_rows(scores: dict[str, Score]) -> Rows:
    """The statement figures of each column of SCORES."""
    rows: Rows = []

    def row(label: str, f: Callable[[Score], str]) -> None:
        rows.append((label, [f(s) for s in scores.values()]))

    row("documents (words)", lambda s: f"{s.documents} ({s.words})")
    row("gold statements", lambda s: str(s.gold))
    row("predicted statements", lambda s: str(s.predicted))
    row("matched (span + speaker)", lambda s: str(s.matched))
    row("statement precision", lambda s: f"{s.precision:.3f}")
    row("statement recall", lambda s: f"{s.recall:.3f}")
    row("statement F1", lambda s: f"{s.f1:.3f}")
    row("speaker accuracy", lambda s: frac(s.speaker_right, s.span_pairs))
    row("stance accuracy", lambda s: frac(s.stance_right, s.matched))
    row("denial recall", lambda s: frac(s.denials_found, s.denials))
    row("claim accuracy", lambda s: frac(s.claims_right, s.matched))
    row("  on known claims", lambda s: frac(s.known_claims_right, s.known_claims))
    row("  same act (ref) found", lambda s: frac(s.known_acts_right, s.known_acts))
    return rows


def table(columns: Iterable[str], rows: Rows) -> list[str]:
    """ROWS under one heading per column, after a line on how statements are matched."""
    width = max(len(label) for label, _ in rows) + 2
    lines = [
        f"a statement matches when the spans' intersection over their union is >= {OVERLAP}"
        " and the speaker is the same",
        "",
        " " * width + "".join(f"{h:>18}" for h in columns),
    ]
    return lines + [label.ljust(width) + "".join(f"{v:>18}" for v in vs) for label, vs in rows]


def frac(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "n/a"
