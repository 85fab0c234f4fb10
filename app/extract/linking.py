"""How sure the draft is of each statement's link to what is stored, and why: the same act of
saying (a new appearance of a stored statement), a stored claim (a new statement on it), or a
new claim. The confidence and the reasons go into the draft's notes for the reviewer, and a
statement that would set up a contradiction on a link it is not sure of is kept on a claim of
its own, so that nothing is derived from it until a reviewer moves it."""

import datetime as dt
from dataclasses import dataclass, field

from app.extract import claims as cl
from app.extract.known import Known, KnownStatement
from app.models.enums import POSITIVE_STANCES, Stance

# A statement's link to a claim is sure enough to stand against an opposite stance on it (and
# so to derive a contradiction) from this confidence up; set on the dev half of the benchmark.
CONFIDENT = 0.6
# A report of a stored statement more than this many days from the day it was said is another
# act of saying (the same words said again another day), not a new appearance of it.
SAME_MOMENT_DAYS = 2
# Below this confidence a report is not taken for a stored act (it stays a statement of its own
# on the claim, which the hold-back of contradictions then judges).
SAME_ACT = 0.45


@dataclass
class ClaimLink:
    """Why a statement is on its claim: how sure, and what made it so."""

    confidence: float
    reasons: list[str] = field(default_factory=list)
    # The statement of the draft whose claim this one took (its own words say nothing).
    borrowed_from: int | None = None


@dataclass
class Link:
    """What the reviewer is told of one statement's link."""

    kind: str  # "ref" (a stored statement), "claim" (a stored claim), "new" (a new claim)
    target: str  # the stored statement's or claim's slug, or the new claim's key
    confidence: float
    reasons: list[str]
    # "possible contradiction with ...": a link held back because it is not sure enough.
    held_back: str | None = None

    def note(self, target_label: str | None = None) -> str:
        what = target_label or self.target
        if self.kind == "ref":
            head = f"linked to statement {what} ({self.confidence:.2f})"
        elif self.kind == "claim":
            head = f"on claim {what} ({self.confidence:.2f})"
        else:
            head = "new claim"
        said = f"{head}: {', '.join(self.reasons)}" if self.reasons else head
        return f"{said}; {self.held_back}" if self.held_back else said


def positive(stance: Stance | str) -> bool:
    return Stance(stance) in POSITIVE_STANCES


def opposed(a: Stance | str, b: Stance | str) -> bool:
    """Whether two stances on one claim make a denial (one holds it, the other denies it)."""
    return (Stance(a) == Stance.denies and positive(b)) or (
        Stance(b) == Stance.denies and positive(a)
    )


def moment(known_on: dt.date | None, said_on: dt.date | None, explicit: bool) -> str:
    """Whether a stored statement and a reported one were said at the same moment: "same",
    "other" (days apart, or reported before it was said) or "unknown"."""
    if known_on is None or said_on is None:
        return "unknown"
    days = (said_on - known_on).days
    if abs(days) <= 1:
        return "same"
    if days < -1:
        return "other"  # a report cannot come before what it reports
    # A later article may report an earlier statement: only a date the text gives says apart.
    return "other" if explicit and days > SAME_MOMENT_DAYS else "unknown"


_MOMENT_WORDS = {
    "same": "said the same day",
    "unknown": "the day it was said is not known",
}
_MOMENT_SCORE = {"same": 1.0, "unknown": 0.7}


def same_act(
    known: Known,
    speaker: str | None,
    speaker_reason: str,
    claim: str,
    claim_link: ClaimLink,
    stance: Stance,
    words: list[str],
    said_on: dt.date | None,
    explicit: bool,
) -> Link | None:
    """The stored statement this one is another report of (same speaker, claim, stance and
    moment; the closest in words of those), with how sure that is."""
    if speaker is None or claim.startswith("new:"):
        return None
    best: tuple[float, KnownStatement, str] | None = None
    for s in known.statements.values():
        if s.speaker != speaker or s.claim != claim:
            continue
        if s.stance != stance.value and not (positive(s.stance) and positive(stance)):
            continue
        when = moment(s.dated_on, said_on, explicit)
        if when == "other":
            continue  # said again another day: a new statement on the same claim
        alike = max(cl.match_statement(w, s) for w in words)
        if best is None or (alike, when == "same") > (best[0], best[2] == "same"):
            best = (alike, s, when)
    # The same speaker taking the same stance on the same claim, not on another day, is one
    # act of saying reported again, whatever the words (a re-report words it its own way:
    # "No, it's not like that" for "It is not true"); how alike they are says how sure.
    if best is None:
        return None
    alike, s, when = best
    confidence = round(
        0.45 * claim_link.confidence + 0.35 * min(1.0, alike / 0.6) + 0.2 * _MOMENT_SCORE[when], 2
    )
    if confidence < SAME_ACT:
        return None
    reasons = [
        speaker_reason,
        f"same claim ({claim_link.confidence:.2f})",
        _MOMENT_WORDS[when],
        f"words {alike:.2f} alike",
    ]
    return Link("ref", s.slug, confidence, reasons)
