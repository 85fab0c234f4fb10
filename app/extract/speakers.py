"""Who speaks: the noun phrase before a verb of saying, appositions and clauses between commas
included ("Tomas Reid, general secretary of the union, said")."""

from app.extract import lexicon as lx
from app.extract import mentions
from app.extract.clauses import skip_back
from app.extract.model import Mention
from app.extract.phrases import is_boundary, is_role, np_end, np_start, postmod_start
from app.extract.tokens import Tok


class Speakers:
    """Finds speakers in one sentence's tokens."""

    def __init__(self, text: str, toks: list[Tok], sentence: int) -> None:
        self.text, self.toks, self.sentence = text, toks, sentence

    def mention(self, a: int, b: int, **kw: object) -> Mention:
        """The mention made of tokens A..B (keywords as for mentions.build)."""
        return mentions.build(self.text, self.toks, a, b, self.sentence, **kw)  # type: ignore[arg-type]

    def left_of(self, i: int) -> tuple[Mention, int] | None:
        """The speaker before the verb at I, and where its phrase starts."""
        toks = self.toks
        j = skip_back(toks, i - 1)
        adamant = toks[i].low in ("adamant", "insistent") and toks[j].low == "remained"
        if (
            j >= 1
            and (toks[j].low in _PROGRESSIVE or adamant)
            and (toks[i].low.endswith("ing") or toks[i].low in ("adamant", "insistent"))
        ):
            # "the bank is dismissing": active, as "the bank dismissed"; "the club was adamant
            # that"
            j = skip_back(toks, j - 1)
        if j >= 3 and toks[j].text == ")":
            # "Marlow Industries Ltd (LSE: MRL) has denied": a listing between name and verb
            o = next((k for k in range(j - 1, max(0, j - 6), -1) if toks[k].text == "("), None)
            if o is not None and o >= 1 and any(t.text == ":" for t in toks[o:j]):
                j = o - 1
        if j < 0:
            return None
        if toks[j].text == ",":
            aged = self._before_age(j)
            return aged if aged is not None else self._between_commas(j)
        if toks[j].low in ("which", "who") and j >= 2 and toks[j - 1].text == ",":
            j -= 2  # "The company, which said last year that ...": the phrase before it
        elif toks[j].low == "who" and j >= 1 and toks[j - 1].kind == "w":
            j -= 1  # "an unnamed aide who indicated ...": the aide
        p = postmod_start(toks, j, 0)
        a = np_start(toks, p - 1 if p <= j else j, 0)
        if a is None:
            return None
        if (a >= 2 and toks[a - 1].low == "through") or (a >= 1 and toks[a - 1].low == "of"):
            return None
        return self.mention(a, j), a

    def subject(self, i: int) -> tuple[Mention, int] | None:
        """The sentence's subject, for a participle after it ("He has outlawed any contacts,
        maintaining that ...")."""
        a = 0
        while a < i and (
            self.toks[a].low in lx.CONNECTIVES | lx.TIME_WORDS or self.toks[a].text == ","
        ):
            a += 1  # "On Wednesday Mr. Peskov ...": the subject comes after the time
        e = np_end(self.toks, a, i)
        return None if e is None else (self.mention(a, e), i)

    def _before_age(self, j: int) -> tuple[Mention, int] | None:
        """ "Carol Denning, 52, of Elm Row, Northgate, denies": a name, an age and an address
        between commas; the speaker is the name."""
        toks = self.toks
        for c in range(j - 2, max(0, j - 14), -1):
            if toks[c].text == "," and toks[c + 1].text.isdigit() and toks[c + 2].text == ",":
                rest = toks[c + 3 : j]
                if rest and not (rest[0].low == "of" or rest[0].cap):
                    return None  # "X, 52, who ...": not an address
                if any(t.kind == "w" and not t.cap and t.low != "of" for t in rest):
                    return None
                a = np_start(toks, c - 1, 0)
                return None if a is None else (self.mention(a, c - 1), a)
        return None

    def _between_commas(self, j: int) -> tuple[Mention, int] | None:
        """'Tomas Reid, general secretary of the union, said': a phrase between commas."""
        toks = self.toks
        c = j - 1
        while c >= 0 and toks[c].text != "," and j - c < 30:
            c -= 1
        seg = (c + 1, j - 1)
        if seg[1] < seg[0]:
            return None
        first = toks[seg[0]]
        if first.low == "by" and c >= 1 and seg[1] > seg[0]:
            # "A new book, by the journalist Anika Sorensen, alleges": its author says it
            work = next(
                (k for k in range(c - 1, max(-1, c - 12), -1) if toks[k].bare in _WORKS), None
            )
            e = np_end(toks, seg[0] + 1, j)
            a0 = work
            while a0 is not None and a0 > 0 and toks[a0 - 1].kind in "wq":
                a0 -= 1  # "A book 'Stories from the Harbour'": the work and its title
            if a0 is not None and is_boundary(toks, a0, 0) and e == seg[1]:
                return self.mention(seg[0] + 1, e), a0
        kind = segment_kind(toks[seg[0] : seg[1] + 1])
        of = seg[0] + 2
        named = kind == "name" and not any(is_role(t.bare) for t in toks[seg[0] : of])
        if named and of < seg[1] and toks[of].low in ("of", "from", "at"):
            return self.mention(seg[0], of - 1), seg[0]  # "Dana Whitfield of Blackthorn"
        if c >= 1 and kind is not None:
            e0 = c - 1
            p = postmod_start(toks, e0, 0)
            a0 = np_start(toks, p - 1 if p <= e0 else e0, 0)
            cited = kind == "relative" and toks[seg[0] + 1].low in ("cited", "quoted")
            if cited and (a0 is None or not is_boundary(toks, a0, 0)):
                a0 = e0  # "The Courier's piece, which cited ...": the words back to a mark
                while a0 > 0 and toks[a0 - 1].kind == "w":
                    a0 -= 1
            if a0 is not None and is_boundary(toks, a0, 0):
                if kind == "citing" or cited:
                    # "X, citing two officials, said" / "X's story, which cited sources close
                    # to Y, stated": those cited said it.
                    at = seg[0] + 1 + cited
                    e = np_end(toks, at, j)
                    if e is not None:
                        return self.mention(at, e), a0
                appositive = seg if kind in ("appositive", "name") else None
                return self.mention(a0, e0, appositive=appositive, whole=(a0, j - 1)), a0
        if first.kind == "w" and kind in ("appositive", "name"):
            a1 = np_start(toks, seg[1], seg[0])
            if a1 is not None and seg[1] - seg[0] < 8:
                return self.mention(a1, seg[1]), a1
        return None


def mentions_role(t: Tok) -> bool:
    """Whether a token names a kind of speaker ("source", "official") or is a name."""
    return t.kind == "w" and (t.cap or t.bare in lx.PERSON_ROLES or t.bare in lx.PLURAL_ROLES)


def segment_kind(words: list[Tok]) -> str | None:
    """What a phrase between commas before a verb is: a relative or participial clause, a
    "citing" phrase, a description, or a name."""
    first = words[0]
    if first.kind != "w":
        return None
    if first.low in ("who", "whom", "whose", "which"):
        return "relative"
    if first.low in ("citing", "quoting"):
        return "citing"
    if not first.cap and first.low.endswith(("ing", "ed")) and first.low not in lx.MODIFIERS:
        return "participle"
    if (
        first.low in lx.DETERMINERS
        or first.low in lx.POSSESSIVE_PRONOUNS
        or first.low in lx.MODIFIERS
        or first.possessive
        or (not first.cap and first.bare in lx.PERSON_ROLES)
    ):
        return "appositive"
    if all(w.cap or w.text in "().\u2019'" for w in words if w.kind == "w"):
        return "name"
    if len(words) > 3 and words[1].cap and words[2].low in ("of", "from", "at"):
        return "name"  # "Dana Whitfield of the consultancy Blackthorn Security"
    if first.low in _PARTITIVES and len(words) > 2 and words[1].low == "of":
        return "appositive"  # "Westgate, one of the two developers Petrov named, denied"
    return None


# Works whose author speaks through them: "A new book, by X, alleges".
_WORKS = lx.wordset("book memoir column article study biography report documentary essay")
_PROGRESSIVE = lx.wordset("is are was were am been")
_PARTITIVES = lx.wordset("one some many several two three four each either neither")
