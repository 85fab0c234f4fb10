"""From what was read to what is proposed: statements grouped, claims chosen, refs to known
statements where a text reports the same act of saying."""

import re
from dataclasses import dataclass, field

from app.extract import claims as cl
from app.extract.actors import ActorResolver
from app.extract.analyse import Analysis
from app.extract.known import Known
from app.extract.model import Attr
from app.extract.rebuttal import rebut
from app.extract.stance import hedge_words, reporter_hedge, speaker_hedge, stance_of
from app.extract.tokens import words_of
from app.models.enums import POSITIVE_STANCES, Stance

_DECLINE_WORDS = re.compile(
    r"^(?:declined|declines|refused|refuses|did|does|has|have|had|would|could|will)\s+(?:not\s+)?"
    r"(?:to\s+)?(?:immediately\s+)?\w+\s*(?:on|to|about)?\s*",
    re.IGNORECASE,
)


@dataclass
class Appearance:
    attr: Attr
    words: str
    hedge: str | None = None


@dataclass
class Proposed:
    """One statement of the draft: a new one, or more appearances of a known one (ref)."""

    entity: int
    claim: str  # a known claim's slug, or "new:N"
    stance: Stance
    appearances: list[Appearance] = field(default_factory=list)
    ref: str | None = None
    score: float = 0.0


@dataclass
class Built:
    statements: list[Proposed]
    new_claims: dict[str, str]  # "new:N" -> claim text
    story: set[str]  # known claims the text is about
    actors: dict[int, str | None]  # entity id -> known actor slug (None: new)


def build(analysis: Analysis, known: Known) -> Built:
    """Choose each statement's claim and speaker, and group appearances into statements."""
    text = analysis.text
    new_claims = cl.NewClaims()
    items = []
    for attr in analysis.attrs:
        words = text[attr.quote[0] : attr.quote[1]]
        stance = stance_of(words, attr.stance)
        items.append((attr, words, stance, _about(text, attr, stance, words)))
    stances = rebut(items, analysis.entities)
    items = [(a, w, s, ab) for (a, w, _s, ab), s in zip(items, stances, strict=True)]
    # Named speakers first: what a known speaker has said before helps find the claim.
    named = ActorResolver(known, set())
    speaker_of = {e.id: named.resolve(e) for e in analysis.entities if e.spoke and e.named}
    keys: list[tuple[str, float] | None] = [None] * len(items)
    matches: dict[int, cl.Match] = {}
    for n, (attr, _words, stance, about) in enumerate(items):
        if attr.joined and n > 0 and keys[n - 1] is not None:
            keys[n] = keys[n - 1]
        elif about is not None:
            assert attr.entity is not None
            entity = analysis.entities[attr.entity]
            said_before = {
                s.claim for s in known.statements.values() if s.speaker == speaker_of.get(entity.id)
            }
            matches[n] = cl.match(known, about, said_before)
            label = entity.name or next((m.core for m in entity.mentions if not m.pronoun), None)
            who = (label, entity.person)
            keys[n] = _claim_for(known, about, stance, attr, who, new_claims, matches[n])
    _harmonise(keys, items, matches, speaker_of)
    main = next(
        (
            k
            for k, item in zip(keys, items, strict=True)
            if k and item[2] != Stance.declines_to_comment
        ),
        None,
    )
    for n, (attr, words, stance, _about_words) in enumerate(items):
        if keys[n] is None:
            # "No. It is not true": about what was said just before (or just after), or about
            # what the story is about.
            keys[n] = (
                _nearby(keys, items, n)
                or main
                or _claim_for(known, words, stance, attr, (None, True), new_claims)
            )
    chosen = [
        (item[0], key[0], item[2], item[1], key[1])
        for item, key in zip(items, keys, strict=True)
        if key
    ]
    story = {
        key for _a, key, _s, _w, score in chosen if not key.startswith("new:") and score >= cl.MATCH
    }
    story_actors = known.members_of({s.speaker for s in known.statements_on(story)})
    resolver = ActorResolver(known, story_actors)
    actors = {e.id: resolver.resolve(e) for e in analysis.entities if e.spoke or e.outlet}
    statements = _group(chosen, known, actors, text)
    return Built(statements, new_claims.texts, story, actors)


def _harmonise(
    keys: list[tuple[str, float] | None],
    items: list[tuple[Attr, str, Stance, str | None]],
    matches: dict[int, cl.Match],
    speaker_of: dict[int, str | None],
) -> None:
    """One speaker taking one stance twice in a text (a headline and its lead) is most likely
    about one claim: the surer match wins when the other's words match it well enough."""

    def who(n: int) -> tuple[object, bool]:
        attr, stance = items[n][0], items[n][2]
        person = (speaker_of.get(attr.entity) if attr.entity is not None else None) or attr.entity
        return person, _positive(stance)

    surest: dict[tuple[object, bool], tuple[str, float]] = {}
    for n in matches:
        key = keys[n]
        if key is not None and not key[0].startswith("new:"):
            best = surest.get(who(n))
            if best is None or key[1] > best[1]:
                surest[who(n)] = key
    for n, found in matches.items():
        best = surest.get(who(n))
        key = keys[n]
        if best is None or key is None or best[1] <= key[1]:
            continue
        if (found.scores or {}).get(best[0], 0.0) >= cl.SAME_SPEAKER:
            keys[n] = best


def _nearby(
    keys: list[tuple[str, float] | None], items: list[tuple[Attr, str, Stance, str | None]], n: int
) -> tuple[str, float] | None:
    attr = items[n][0]
    # A refusal to comment is about what the story is about, unless its sentence says what.
    stance = items[n][2]
    reach = 0 if stance == Stance.declines_to_comment else 2
    # An answer ("No. It is not true") is about what was said before, whoever said it; any
    # other statement with few words of its own only continues its own speaker's.
    answer = stance in (Stance.denies, Stance.confirms, Stance.questions)
    for k in range(n - 1, -1, -1):
        if attr.sentence - items[k][0].sentence > reach:
            break
        same = items[k][0].entity == attr.entity
        if keys[k] is not None and items[k][2] != Stance.declines_to_comment and (answer or same):
            return keys[k]
    after = items[n + 1] if n + 1 < len(items) else None
    if (
        reach
        and after
        and after[0].sentence - attr.sentence <= 1
        and after[0].entity == attr.entity
    ):
        return keys[n + 1] if after[3] is not None else None
    return None


def _about(text: str, attr: Attr, stance: Stance, words: str) -> str | None:
    """The words a statement's claim is read from; None when they say nothing of their own."""
    if stance == Stance.declines_to_comment:
        rest = _DECLINE_WORDS.sub("", words) if attr.cue else words
        if attr.about:
            return text[attr.about[0] : attr.about[1]]
        return rest if cl.contentful(rest) else None
    if cl.contentful(words):
        return words
    if attr.about:
        return text[attr.about[0] : attr.about[1]]
    return None


def _claim_for(
    known: Known,
    about: str,
    stance: Stance,
    attr: Attr,
    speaker: tuple[str | None, bool],
    new_claims: cl.NewClaims,
    found: cl.Match | None = None,
) -> tuple[str, float]:
    """A known claim for the words ABOUT, or a new one (shared with alike new claims)."""
    found = found or cl.match(known, about)
    if found.claim is not None and found.score >= cl.MATCH:
        return found.claim, found.score
    negated = stance == Stance.denies and attr.stance == Stance.asserts
    claim = cl.claim_text(about, stance, speaker[0], negated, speaker[1])
    return new_claims.key_for(claim), found.score


def _positive(s: Stance | str) -> bool:
    return Stance(s) in POSITIVE_STANCES


def _group(
    chosen: list[tuple[Attr, str, Stance, str, float]],
    known: Known,
    actors: dict[int, str | None],
    text: str,
) -> list[Proposed]:
    """One statement per speaker, claim and stance; a ref when it is a known act of saying."""
    by_key: dict[tuple[int, str, str], Proposed] = {}
    out: list[Proposed] = []
    for attr, claim, stance, words, score in chosen:
        assert attr.entity is not None
        kind = "positive" if _positive(stance) else stance.value
        key = (attr.entity, claim, kind)
        hedge = _hedge(words, stance, text, attr)
        appearance = Appearance(attr, words, hedge)
        if key in by_key:
            if all(a.attr.quote != attr.quote for a in by_key[key].appearances):
                by_key[key].appearances.append(appearance)
            continue
        p = Proposed(attr.entity, claim, stance, [appearance], score=score)
        p.ref = _known_act(known, actors.get(attr.entity), claim, stance, words)
        by_key[key] = p
        out.append(p)
    return out


def _known_act(
    known: Known, speaker: str | None, claim: str, stance: Stance, words: str
) -> str | None:
    """The known statement this one is another report of: same speaker, claim and stance, in
    words close enough to one of its known appearances."""
    if speaker is None or claim.startswith("new:"):
        return None
    best, best_score = None, 0.0
    for s in known.statements.values():
        if s.speaker != speaker or s.claim != claim:
            continue
        if s.stance != stance.value and not (_positive(s.stance) and _positive(stance)):
            continue
        found = cl.match_statement(words, s)
        if found > best_score:
            best, best_score = s.slug, found
    return best if best is not None and cl.same_act(best_score) else None


def _hedge(words: str, stance: Stance, text: str, attr: Attr) -> str | None:
    """The hedge word as printed: the speaker's when it made the statement a suggestion, or
    the reporter's ("allegedly") in the words or the attribution."""
    tokens = hedge_words(words)
    word = speaker_hedge(tokens) if stance == Stance.suggests else None
    word = word or reporter_hedge(tokens)
    where = words
    if word is None and attr.attribution:
        where = text[attr.attribution[0] : attr.attribution[1]]
        word = reporter_hedge(words_of(where))
    if word is None:
        return None
    m = re.search(rf"\b{re.escape(word)}\b", where, re.IGNORECASE)
    return m.group() if m else None
