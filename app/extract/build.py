"""From what was read to what is proposed: statements grouped, claims chosen, refs to known
statements where a text reports the same act of saying."""

import re
from collections import Counter
from collections.abc import Callable

from app.extract import claims as cl
from app.extract.actors import ActorResolver
from app.extract.analyse import Analysis
from app.extract.known import Known
from app.extract.linking import CONFIDENT, hold_back, same_act
from app.extract.model import Attr
from app.extract.proposal import Appearance, Built, ClaimLink, Link, Proposed
from app.extract.rebuttal import rebut
from app.extract.stance import hedge_words, reporter_hedge, speaker_hedge, stance_of
from app.extract.tokens import words_of
from app.models.enums import POSITIVE_STANCES, Stance

_DECLINE_WORDS = re.compile(
    r"^(?:declined|declines|refused|refuses|did|does|has|have|had|would|could|will)\s+(?:not\s+)?"
    r"(?:to\s+)?(?:immediately\s+)?\w+\s*(?:on|to|about)?\s*",
    re.IGNORECASE,
)


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
    # Known speakers first (by name, or by a stored description of an actor the text names):
    # what a known speaker has said before helps find the claim.
    named = ActorResolver(known, set(), analysis.text)
    speaker_of = {e.id: named.resolve(e) for e in analysis.entities if e.spoke}
    keys: list[tuple[str, float] | None] = [None] * len(items)
    links: list[ClaimLink] = [ClaimLink(1.0) for _ in items]
    matches: dict[int, cl.Match] = {}
    for n, (attr, _words, stance, about) in enumerate(items):
        if attr.joined and n > 0 and keys[n - 1] is not None:
            keys[n], links[n] = keys[n - 1], links[n - 1]
        elif about is not None:
            assert attr.entity is not None
            entity = analysis.entities[attr.entity]
            said_before = {
                s.claim for s in known.statements.values() if s.speaker == speaker_of.get(entity.id)
            }
            matches[n] = cl.match(known, about, said_before)
            label = entity.name or next((m.core for m in entity.mentions if not m.pronoun), None)
            who = (label, entity.person)
            asked = attr.about is not None and about == text[attr.about[0] : attr.about[1]]
            keys[n], links[n] = _claim_for(
                known, about, stance, attr, who, new_claims, matches[n], said_before, asked
            )
    for n, surer in _harmonise(keys, items, matches, speaker_of):
        links[n] = ClaimLink(
            links[surer].confidence * 0.9,
            ["the same speaker's surer statement in this text is on it"],
        )

    def said_so_before(n: int, claim: str) -> bool:
        attr, stance = items[n][0], items[n][2]
        speaker = speaker_of.get(attr.entity) if attr.entity is not None else None
        return any(
            s.speaker == speaker
            and s.claim == claim
            and (s.stance == stance.value or (_positive(s.stance) and _positive(stance)))
            for s in known.statements.values()
        )

    def same_speaker(a: int, b: int) -> bool:
        """Whether the Ath and Bth statements' speakers are one known actor."""
        ea, eb = items[a][0].entity, items[b][0].entity
        sa = speaker_of.get(ea) if ea is not None else None
        return sa is not None and sa == (speaker_of.get(eb) if eb is not None else None)

    _story_links(keys, links, matches, said_so_before)
    # What the article is about: its first statement on a stored claim, else its first.
    about_story = [
        n
        for n, (k, item) in enumerate(zip(keys, items, strict=True))
        if k and item[2] != Stance.declines_to_comment
    ]
    first = next((n for n in about_story if not (keys[n] or ("new:",))[0].startswith("new:")), None)
    first = first if first is not None else next(iter(about_story), None)
    for n, (attr, words, stance, _about_words) in enumerate(items):
        if keys[n] is None:
            # "No. It is not true": about what was said just before (or just after), or about
            # what the story is about; from a speaker stored taking that stance on one claim
            # only, about that claim (its own act, reported again).
            speaker = speaker_of.get(attr.entity) if attr.entity is not None else None
            own = _own_claim(known, speaker, stance)
            k = _nearby(keys, items, n, same_speaker)
            near = keys[k] if k is not None else None
            if own is not None and (near is None or near[0] != own):
                keys[n] = (own, OWN_CLAIM)
                links[n] = ClaimLink(
                    OWN_CLAIM,
                    [
                        "its words say nothing of their own: its speaker's stored statement with"
                        " that stance"
                    ],
                )
            elif k is None and first is not None:
                keys[n] = keys[first]
                links[n] = ClaimLink(
                    round(links[first].confidence * 0.6, 2),
                    ["its words say nothing of their own: the claim the article is about"],
                    first,
                )
            elif k is not None:
                keys[n] = keys[k]
                same = items[k][0].entity == attr.entity
                why = "the same speaker's statement next to it" if same else "the statement before"
                links[n] = ClaimLink(
                    round(links[k].confidence * (0.9 if same else 0.8), 2),
                    [f"its words say nothing of their own: the claim of {why}"],
                    k,
                )
            else:
                keys[n], links[n] = _claim_for(known, words, stance, attr, (None, True), new_claims)
    chosen = [
        (item[0], key[0], item[2], item[1], key[1], link, item[3])
        for item, key, link in zip(items, keys, links, strict=True)
        if key
    ]
    story = {c[1] for c in chosen if not c[1].startswith("new:") and c[4] >= cl.MATCH}
    story_actors = known.members_of({s.speaker for s in known.statements_on(story)})
    resolver = ActorResolver(known, story_actors, analysis.text)
    actors = {e.id: resolver.resolve(e) for e in analysis.entities if e.spoke or e.outlet}
    statements = _group(chosen, known, actors, resolver.why, analysis)
    built = Built(statements, new_claims.texts, story, actors)
    hold_back(built, known, new_claims, analysis)
    return built


# How sure a statement whose words say nothing is of the one claim its speaker is stored
# taking the same stance on.
OWN_CLAIM = 0.7


def _own_claim(known: Known, speaker: str | None, stance: Stance) -> str | None:
    """The one claim SPEAKER is stored taking STANCE on (or a positive stance, for a positive
    one); None when it is none or several."""
    if speaker is None:
        return None
    claims = {
        s.claim
        for s in known.statements.values()
        if s.speaker == speaker
        and (s.stance == stance.value or (_positive(s.stance) and _positive(stance)))
    }
    return next(iter(claims)) if len(claims) == 1 else None


def _harmonise(
    keys: list[tuple[str, float] | None],
    items: list[tuple[Attr, str, Stance, str | None]],
    matches: dict[int, cl.Match],
    speaker_of: dict[int, str | None],
) -> list[tuple[int, int]]:
    """One speaker taking one stance twice in a text (a headline and its lead) is most likely
    about one claim: the surer match wins when the other's words match it well enough.
    Returns each statement moved, with the one whose claim it took."""

    def who(n: int) -> tuple[object, bool]:
        attr, stance = items[n][0], items[n][2]
        person = (speaker_of.get(attr.entity) if attr.entity is not None else None) or attr.entity
        return person, _positive(stance)

    surest: dict[tuple[object, bool], int] = {}
    for n in matches:
        key = keys[n]
        if key is not None and not key[0].startswith("new:"):
            top = surest.get(who(n))
            if top is None or key[1] > (keys[top] or ("", 0.0))[1]:
                surest[who(n)] = n
    moved = []
    for n, found in matches.items():
        b = surest.get(who(n))
        best = keys[b] if b is not None else None
        key = keys[n]
        if b is None or best is None or key is None or best[1] <= key[1]:
            continue
        if (found.scores or {}).get(best[0], 0.0) >= cl.SAME_SPEAKER:
            keys[n] = best
            moved.append((n, b))
    return moved


def _story_links(
    keys: list[tuple[str, float] | None],
    links: list[ClaimLink],
    matches: dict[int, cl.Match],
    said_so_before: Callable[[int, str], bool],
) -> None:
    """A statement whose words come near a stored claim the text is surely about (another of
    its statements is on it with confidence) is most likely on that claim, in its own words:
    on it with its likeness + STORY_BONUS. By a speaker stored saying the same of it, that is
    the stored act reported again (any claim the text is surely about); by anyone else, only
    the claim the text is most about (the one most of its sure statements are on): a text
    that touches many stored claims of one story says less by coming near one of them."""
    sure = Counter(
        k[0]
        for k, link in zip(keys, links, strict=True)
        if k and not k[0].startswith("new:") and link.confidence >= CONFIDENT
    )
    most = {c for c, count in sure.items() if count == max(sure.values())}
    for n, found in matches.items():
        key = keys[n]
        if key is None or not key[0].startswith("new:") or not found.scores:
            continue
        near = [
            (v, c)
            for c, v in found.scores.items()
            if c in most or (c in sure and said_so_before(n, c))
        ]
        if not near:
            continue
        score, claim = max(near)
        if score + cl.STORY_BONUS >= cl.MATCH:
            keys[n] = (claim, score + cl.STORY_BONUS)
            before = said_so_before(n, claim)
            links[n] = ClaimLink(
                round(score + cl.STORY_BONUS, 2),
                [
                    f"its words {score:.2f} alike the claim",
                    ("the claim the article is about, and its speaker's stored stance on it")
                    if before
                    else "the claim the article is most about",
                ],
            )


def _nearby(
    keys: list[tuple[str, float] | None],
    items: list[tuple[Attr, str, Stance, str | None]],
    n: int,
    same_speaker: Callable[[int, int], bool],
) -> int | None:
    """The statement whose claim the Nth (whose words say nothing of their own) is about."""
    attr = items[n][0]
    # A refusal to comment is about what the story is about, unless its sentence says what.
    stance = items[n][2]
    reach = 0 if stance == Stance.declines_to_comment else 2
    # An answer ("No. It is not true") is about what was said before, whoever said it; any
    # other statement with few words of its own only continues its own speaker's.
    answer = stance in (Stance.denies, Stance.confirms, Stance.questions)
    # The one thing its words still name ("denied a conversation had taken place"): the
    # statement it answers names it too, else it is about what the article is about.
    named = cl.residue(items[n][1])

    def unfit(k: int, same: bool) -> bool:
        # "said it is cutting jobs, but said the report is inaccurate": what a speaker denies
        # is not what it has just asserted, nor what it goes on to assert.
        if stance == Stance.denies and same and _positive(items[k][2]):
            return True
        # An answer to another speaker names what that speaker spoke of, if it names anything.
        return not same and bool(named) and not named <= cl.residue(items[k][3] or items[k][1])

    for k in range(n - 1, -1, -1):
        if attr.sentence - items[k][0].sentence > reach:
            break
        same = items[k][0].entity == attr.entity or same_speaker(k, n)
        if unfit(k, same):
            continue
        if keys[k] is not None and items[k][2] != Stance.declines_to_comment and (answer or same):
            return k
    after = items[n + 1] if n + 1 < len(items) else None
    if (
        reach
        and after
        and after[0].sentence - attr.sentence <= 1
        and after[0].entity == attr.entity
        and not unfit(n + 1, True)
    ):
        return n + 1 if after[3] is not None and keys[n + 1] is not None else None
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
    if attr.about and cl.contentful(text[attr.about[0] : attr.about[1]]):
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
    said_before: set[str] | None = None,
    asked: bool = False,
) -> tuple[tuple[str, float], ClaimLink]:
    """A known claim for the words ABOUT, or a new one (shared with alike new claims), and how
    sure that is."""
    found = found or cl.match(known, about)
    whose = "the question it answers" if asked else "its words"
    if found.claim is not None and found.score >= cl.MATCH:
        reasons = [f"{whose} {found.score:.2f} alike the claim"]
        if found.claim in (said_before or ()):
            reasons.append("its speaker spoke on it before")
        return (found.claim, found.score), ClaimLink(found.score, reasons)
    negated = stance == Stance.denies and attr.stance == Stance.asserts
    claim = cl.claim_text(about, stance, speaker[0], negated, speaker[1])
    key, alike = new_claims.key_and_score(claim)
    closest = (
        f"no stored claim close enough (closest {found.claim}, {found.score:.2f})"
        if found.claim
        else "no stored claim close enough"
    )
    if alike < 1.0:
        return (key, found.score), ClaimLink(
            round(alike, 2), [closest, f"{whose} {alike:.2f} alike another new claim of the text"]
        )
    return (key, found.score), ClaimLink(1.0, [closest])


def _positive(s: Stance | str) -> bool:
    return Stance(s) in POSITIVE_STANCES


def _group(
    chosen: list[tuple[Attr, str, Stance, str, float, ClaimLink, str | None]],
    known: Known,
    actors: dict[int, str | None],
    why: dict[int, str],
    analysis: Analysis,
) -> list[Proposed]:
    """One statement per speaker, claim and stance; a ref when it is a known act of saying."""
    text = analysis.text
    by_key: dict[tuple[int, str, str], Proposed] = {}
    out: list[Proposed] = []
    for attr, claim, stance, words, score, link, about in chosen:
        assert attr.entity is not None
        if (
            stance == Stance.denies
            and attr.stance == Stance.asserts
            and claim in known.claims
            and cl.negative(known.claims[claim])
        ):
            # "the council had not been consulted" on the claim "... was not consulted": the
            # negation is the claim's own, so the words assert it.
            stance = Stance.asserts
        kind = "positive" if _positive(stance) else stance.value
        key = (attr.entity, claim, kind)
        hedge = _hedge(words, stance, text, attr)
        appearance = Appearance(attr, words, hedge)
        if key in by_key:
            if all(a.attr.quote != attr.quote for a in by_key[key].appearances):
                by_key[key].appearances.append(appearance)
            continue
        p = Proposed(attr.entity, claim, stance, [appearance], score=score, claim_link=link)
        p.about = about
        by_key[key] = p
        out.append(p)
    for p in out:
        said_on = p.appearances[0].attr.said_on
        p.link = same_act(
            known,
            actors.get(p.entity),
            why.get(p.entity, "same speaker"),
            p.claim,
            p.claim_link,
            p.stance,
            [a.words for a in p.appearances],
            said_on or analysis.published,
            said_on is not None,
        )
        if p.link is not None:
            p.ref = p.link.target
        else:
            kind = "new" if p.claim.startswith("new:") else "claim"
            p.link = Link(kind, p.claim, p.claim_link.confidence, p.claim_link.reasons)
    return out


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
