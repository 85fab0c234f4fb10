"""How sure the draft is of each statement's link to what is stored, and why: the same act of
saying (a new appearance of a stored statement), a stored claim (a new statement on it), or a
new claim. The confidence and the reasons go into the draft's notes for the reviewer, and a
statement that would set up a contradiction on a link it is not sure of is kept on a claim of
its own, so that nothing is derived from it until a reviewer moves it."""

import datetime as dt
from dataclasses import replace

from app.extract import claims as cl
from app.extract.analyse import Analysis
from app.extract.known import Known, KnownStatement
from app.extract.proposal import Built, ClaimLink, Link, Proposed
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
# A report whose stance is read as the opposite of its own speaker's stored statement on the
# same claim is taken for that act with its confidence times this (see same_act).
FLIPPED = 0.85
# A report by the outlet a stored statement was told to or came through, of the same claim and
# stance, is taken for that statement with its confidence times this.
CARRIED = 0.9


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
    best: tuple[bool, bool, float, bool, KnownStatement, str] | None = None
    for s in known.statements.values():
        own = s.speaker == speaker
        if s.claim != claim or not (own or known.carried(s, speaker)):
            continue
        # A speaker sure to be on its own stored claim with the opposite stance is more often
        # a misread stance ("denied that it had been consulted" for "was not consulted") than
        # a speaker turning round the same day: taken for that act, with a word to check it.
        flipped = opposed(s.stance, stance)
        if flipped and (claim_link.confidence < CONFIDENT or not own):
            continue
        if (
            not flipped
            and s.stance != stance.value
            and not (positive(s.stance) and positive(stance))
        ):
            continue
        when = moment(s.dated_on, said_on, explicit)
        if when == "other":
            continue  # said again another day: a new statement on the same claim
        alike = max(cl.match_statement(w, s) for w in words)
        key = (own, not flipped, alike, when == "same", s, when)
        if best is None or key[:4] > best[:4]:
            best = key
    # The same speaker taking the same stance on the same claim, not on another day, is one
    # act of saying reported again, whatever the words (a re-report words it its own way:
    # "No, it's not like that" for "It is not true"); how alike they are says how sure.
    if best is None:
        return None
    own, kept, alike, _, s, when = best
    confidence = (
        0.45 * claim_link.confidence + 0.35 * min(1.0, alike / 0.6) + 0.2 * _MOMENT_SCORE[when]
    )
    confidence = round(confidence * (1.0 if kept else FLIPPED) * (1.0 if own else CARRIED), 2)
    if confidence < SAME_ACT:
        return None
    # The outlet that carried it ("the AFR reported that ..."): the stored speaker's act.
    who = speaker_reason if own else f"its speaker is the outlet {s.speaker} told it to"
    if not own and s.recipient != speaker:
        who = f"its speaker is the outlet {s.speaker}'s words came through"
    reasons = [
        who,
        f"same claim ({claim_link.confidence:.2f})",
        _MOMENT_WORDS[when],
        f"words {alike:.2f} alike",
    ]
    if not kept:
        reasons.append(
            f"its stance was read as {stance.value}, against its speaker's stored statement"
            f" ({s.stance}): taken for that act, its stance to be checked"
        )
    return Link("ref", s.slug, confidence, reasons)


def hold_back(built: Built, known: Known, new_claims: cl.NewClaims, analysis: Analysis) -> None:
    """A statement that would stand against an opposite stance on its claim (and so derive a
    contradiction) while its own link to that claim is not sure is put on a claim of its own,
    with a note saying which contradiction it may be: a reviewer who moves it derives it."""
    for p in built.statements:
        if p.ref is not None:
            continue
        stored = [
            s
            for s in known.statements.values()
            if s.claim == p.claim and opposed(s.stance, p.stance)
        ]
        speaker = built.actors.get(p.entity)
        drafted = [
            q
            for q in built.statements
            if q is not p and q.claim == p.claim and opposed(q.stance, p.stance)
        ]
        if any(s.speaker == speaker for s in stored):
            # A speaker contradicting its own stored statement is more often a misread.
            own = "its speaker's own stored statement says the opposite"
            p.claim_link = replace(p.claim_link, reasons=[*p.claim_link.reasons, own])
            stored = [s for s in stored if s.speaker == speaker]
        elif p.claim_link.confidence >= CONFIDENT and (
            any(s.reviewed for s in stored) or any(_sure(q) for q in drafted)
        ):
            # Both sides sure: a reviewed statement, or a statement of this draft sure of the
            # claim. Against an earlier draft's statement that no reviewer has confirmed, or
            # one of this draft that is unsure, it is held back as below.
            continue
        if not stored and not drafted:
            continue
        against = f"statement {stored[0].slug}" if stored else "a statement of this draft"
        was = p.claim
        p.claim = new_claims.apart(_apart_text(p, known, analysis))
        built.new_claims[p.claim] = new_claims.texts[p.claim]
        sure = f"{p.claim_link.confidence:.2f}"
        held = (
            f"possible contradiction with {against} on claim {{{was}}} ({sure}):"
            f" {', '.join(p.claim_link.reasons)}"
        )
        p.link = Link("new", p.claim, p.claim_link.confidence, [], held)
        built.claim_notes[p.claim] = (
            f"kept apart from claim {{{was}}}, which its statement may be about (see the"
            " statement's note): no contradiction is derived until a reviewer moves it there"
        )


def _sure(p: Proposed) -> bool:
    """Whether a statement of the draft is sure of its claim (or of the stored act it is)."""
    link = p.link if p.ref is not None and p.link is not None else p.claim_link
    return link.confidence >= CONFIDENT


def _apart_text(p: Proposed, known: Known, analysis: Analysis) -> str:
    """The text of a claim of its own for a statement held back from P.claim: its own words,
    else the stored claim's (an editor's wording), never a neighbouring sentence's words."""
    attr = p.appearances[0].attr
    entity = analysis.entities[p.entity]
    label = entity.name or next((m.core for m in entity.mentions if not m.pronoun), None)
    if p.about is not None and p.claim_link.borrowed_from is None and cl.contentful(p.about):
        negated = p.stance == Stance.denies and attr.stance == Stance.asserts
        return cl.claim_text(p.about, p.stance, label, negated, entity.person)
    if p.claim in known.claims:
        return known.claims[p.claim]
    return f"What {label or 'the speaker'} {_DID[p.stance]} (to be worded by the reviewer)."


_DID = {
    Stance.asserts: "said",
    Stance.confirms: "confirmed",
    Stance.suggests: "suggested",
    Stance.denies: "denied",
    Stance.questions: "questioned",
    Stance.declines_to_comment: "declined to comment on",
}
