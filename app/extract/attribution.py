"""Attributions in one sentence: who is reported as saying what, found from each cue."""

from dataclasses import replace

from app.extract import lexicon as lx
from app.extract.clauses import (
    PP_LEADS,
    clause_end,
    quote_before,
    skip_after,
    skip_aside,
    skip_report_object,
    skip_to_that,
)
from app.extract.cues import Cue, find_cues
from app.extract.lexicon import wordset
from app.extract.model import Attr, Mention
from app.extract.phrases import is_boundary, is_role, np_end, np_start
from app.extract.speakers import mentions_role
from app.extract.tokens import Tok
from app.extract.verdicts import VerdictReader
from app.models.enums import Stance

_DOCUMENTS = lx.wordset("statement letter note notice message denial release post tweet website")
_ACCOUNT_NOUNS = lx.wordset("summary account report story article review excerpt")
_TIME_LEADS = lx.wordset("last this next earlier later on in at")
_CONCESSIVE = lx.wordset("although though but while whereas")
_OUTLET_HEADS = lx.wordset("agency newspaper paper broadcaster outlet wire daily tabloid")
_RELAY_VERBS = lx.wordset("reported reports")
# Verbs whose words may follow "by" and a participle: "responded by saying".
_BY_SAYING = lx.wordset("responded responds replied replies reacted answered")
# Gatherings told something: "told a news conference", "told a press briefing".
_LISTENERS = lx.wordset("conference briefing meeting hearing rally gathering audience summit")


def _comma_before(text: str, toks: list[Tok], k: int) -> bool:
    """Whether a comma ends what comes before token K (', the agency reported' or
    '"fictional," the agency reported')."""
    p = toks[k - 1]
    if p.kind == "q":
        return text[p.inner[0] : p.inner[1]].rstrip().endswith(",")
    return p.text == ","


class SentenceReader(VerdictReader):
    """Finds the attributions of one sentence."""

    # The first of two speakers joined by "and", and the outlet that reported a cited speaker,
    # for the cue being read.
    co_speaker: Mention | None = None
    channel: Mention | None = None

    def read(self) -> list[Attr]:
        """Every attribution the sentence makes."""
        if not self.toks:
            return []
        cues = find_cues(self.toks)
        self._fronted(cues)
        for cue in cues:
            self._parenthetical(cue)
        # "..., according to the sources." covers the clause before it: a verb inside that
        # clause ("after the Americans insisted that ...") is part of what they said.
        relayed: tuple[str, int] | None = None
        for cue in reversed(cues):
            if cue.i not in self.used and not self._inside(cue.i) and self._trailing(cue):
                relayed = self._relayed(cue, cues)
                if relayed is None:
                    self._read_cue(cue)
        for cue in cues:
            if cue.i not in self.used and not self._inside(cue.i):
                self._read_cue(cue)
        self._citing_after()
        if relayed is not None:
            for a in self.attrs:  # "X said ..., the agency reported": the agency relayed it
                if a.quote[0] < relayed[1] < a.quote[1]:
                    a.quote = (a.quote[0], relayed[1])
                if a.via is None and a.quote[1] <= relayed[1]:
                    a.via = relayed[0]
        for cue in cues:
            if cue.i not in self.used and cue.word in lx.NEEDS_AS:
                self._described_as(cue)
        if not cues:
            self._verbless()
        if not self.attrs:
            self._colon()
        if not self.attrs and not cues:
            self._colon_speaker_after()
        return self.attrs

    def _trailing(self, cue: Cue) -> bool:
        """Whether CUE attributes the clause before it and ends the sentence."""
        toks, n = self.toks, self.n
        if cue.kind == "according":
            named = self.according_speaker(cue)
            end = named[2] if named is not None else -1
            return cue.i > 1 and toks[cue.i - 1].text == "," and end >= n - 2
        if cue.kind != "verb" or cue.j < n - 2 or (cue.j == n - 2 and toks[n - 1].kind != "p"):
            return False
        found = self.speakers.left_of(cue.i)
        return found is not None and found[1] >= 2 and _comma_before(self.text, toks, found[1])

    def _citing_after(self) -> None:
        """ "The Gazette reported that ..., citing unidentified sources.": the sources are the
        speaker, and the outlet that reported it the channel (`via`)."""
        toks = self.toks
        for a in self.attrs:
            if a.cue not in _RELAY_VERBS or a.speaker is None or a.via is not None:
                continue
            for c in range(1, self.n - 1):
                t = toks[c]
                if t.low != "citing" or toks[c - 1].text != "," or c < 2:
                    continue
                if not a.quote[0] < t.start < a.quote[1]:
                    continue
                e = np_end(toks, c + 1, self.n)
                if e is None or not any(is_role(w.bare) or w.cap for w in toks[c + 1 : e + 1]):
                    continue
                a.via = a.speaker.name or a.speaker.core
                a.speaker = self._mention(c + 1, e)
                a.quote = (a.quote[0], toks[c - 2].end)
                break

    def _relayed(self, cue: Cue, cues: list[Cue]) -> tuple[str, int] | None:
        """ "A city official said ..., the agency reported." / "X has dismissed ..., according
        to the news agency Nordwire.": a trailing attribution to an outlet (or a "reported")
        whose clause has a speaker and a verb of saying of its own relays that speaker's words.
        Returns the outlet as printed and where the clause ends (the trailing cue is used up)."""
        toks = self.toks
        if cue.kind == "according":
            named = self.according_speaker(cue)
            if named is None:
                return None
            outlet = self._mention(named[0], named[1])
            start = cue.i
        else:
            found = self.speakers.left_of(cue.i)
            if found is None:
                return None
            outlet, start = found
        described = set(outlet.core.lower().split()) & _OUTLET_HEADS
        channel = bool(described) or (cue.word in _RELAY_VERBS and bool(outlet.name))
        account = set(outlet.core.lower().split()) & _ACCOUNT_NOUNS
        if not channel and outlet.possessor and account:
            # "..., according to The Courier's summary of the memoir": the paper relays
            channel = True
            outlet = replace(outlet, name=outlet.possessor, core=outlet.possessor)
        if not channel:
            return None
        inner = [
            c
            for c in cues
            if c.kind == "verb"
            and c.j < start - 1
            and (self.speakers.left_of(c.i) is not None or toks[c.i - 1].low in ("and", "but"))
        ]
        if not inner:
            return None
        self.used.add(cue.i)
        end = toks[start - 2].end if toks[start - 1].text == "," else toks[start - 1].end
        return (outlet.name or outlet.core), end

    def _read_cue(self, cue: Cue) -> None:
        if cue.kind == "according":
            self._according(cue)
        elif cue.kind == "decline":
            self._decline(cue)
        elif cue.kind == "quoted":
            self._quoted(cue)
        elif cue.kind == "quoted_passive":
            self._quoted_passive(cue)
        elif cue.kind == "doubt":
            self._doubt(cue)
        elif cue.kind == "passive_as":
            self._passive_as(cue)
        elif cue.kind == "nominal":
            self._nominal(cue)
        elif not self._by_agent(cue):
            self.co_speaker = self.channel = None
            before = len(self.attrs)
            self._verb(cue)
            if self.channel is not None:
                for a in self.attrs[before:]:  # "The Gazette reported, citing X, that ..."
                    a.via = self.channel.text
            if self.co_speaker is not None:
                # "Anna Kovacs and Peter Lindqvist said ...": each of them made the statement.
                group = next(self.groups)
                self.attrs.extend(
                    replace(a, speaker=self.co_speaker, group=group, inherit=False)
                    for a in self.attrs[before:]
                )

    def _verb(self, cue: Cue) -> None:
        toks, n, i = self.toks, self.n, cue.i
        found = self.speakers.left_of(i)
        participle = cue.word in lx.PARTICIPLES and toks[i - 1].text == ","
        if found is not None and participle and self.attrs and self.attrs[-1].speaker is not None:
            found = None  # "..., said Ann Ross, the mayor, calling it ...": Ross calls it
        if found is not None and found[0].head in _DOCUMENTS:
            owner = self._document_owner(found[1], i)
            if owner is not None:  # "A statement from the club said": the club says it
                found = (owner, found[1])
        if found is not None and cue.word in lx.PARTICIPLES and found[0].head in _DOCUMENTS:
            # "The ministry issued a statement saying ...": the ministry says it
            # The subject of the verb that issued it ("..., and the club released a statement
            # saying"), else the sentence's ("Over the weekend, the club ..." is not said "Over").
            issuer = self.speakers.left_of(found[1] - 1) if found[1] > 1 else None
            if issuer is not None and is_boundary(toks, issuer[1], 0):
                subject: tuple[Mention, int] | None = issuer
            else:
                subject = self.speakers.subject(found[1])
                subject = (subject[0], 0) if subject is not None else None
            if subject is not None and subject[0].head not in _DOCUMENTS and found[1] > 1:
                found = subject
        headline_subject = 0 < i <= 4 and all(t.kind == "w" for t in toks[:i])
        if found is None and headline_subject and self._headline():
            found = (self._mention(0, i - 1), 0)  # "Telecom giant denies ...": the subject
        if (
            found is not None
            and i > 1
            and toks[i - 1].text == ","
            and cue.word in lx.INVERTIBLE
            and (not is_boundary(toks, found[1], 0) or self._ends_with_speaker(cue))
            and self._inverted(cue)
        ):
            # "X did not meet the envoy, said Tom Hale": the envoy is an object; "Hale 'not
            # sacked', say Harwood": the speaker is what ends the sentence
            return
        if found is None and cue.word in lx.INVERTIBLE and self._inverted(cue):
            return
        if found is None:
            found = self._coordinated(i)
            if found is None:
                return
            speaker, first, inherit = found[0], found[1], True
        else:
            speaker, first = found
            inherit = False
            co = self._co_speaker(first)
            if co is not None:
                self.co_speaker, first = co
            channel = self._citing_channel(speaker, first, i)
            if channel is not None:
                self.channel = channel
            opening = self._citing_first(first)
            if opening is not None:  # "Citing unnamed sources, he says ...": they said it
                # (a pronoun names no channel the draft could show)
                self.channel = speaker if speaker.pronoun is None else None
                speaker = opening
        # After the verb: a recipient, adverbial phrases, then what was said.
        recipient = None
        k = cue.j + 1
        if cue.word in ("told", "tell", "tells", "telling") and k < n and toks[k].kind == "w":
            e = np_end(toks, k, n)
            if e is None and toks[k].low == "the" and k + 2 < n and toks[k + 1].kind == "w":
                e = k + 1  # "told the jury ...": a listener that is not a name or a role
            if toks[k].low in ("a", "an", "the"):
                # "told a news conference ...", "told a press briefing": where it was said
                e = next(
                    (m for m in range(k + 1, min(n - 1, k + 4)) if toks[m].low in _LISTENERS),
                    e,
                )
            if e is not None and toks[e].low not in lx.SUBJECT_PRONOUNS:
                recipient = self._mention(k, e)
                k = e + 1
        k = skip_after(self.toks, k)
        if cue.word in _BY_SAYING:
            # "responded to the criticism by saying ...": what follows the participle was said
            by = next((m for m in range(k, min(n - 2, k + 10)) if toks[m].low == "by"), None)
            if by is not None and toks[by + 1].low in lx.PARTICIPLES:
                k = by + 2 + (toks[by + 2].low == "that")
        if cue.word in ("told", "tell", "tells", "telling") or (
            k < n and (toks[k].low in PP_LEADS or toks[k].low == "to")
        ):
            k = skip_to_that(self.toks, k)  # "confirmed to BBC Sport that ..."
        c = k + 1 if k < n and toks[k].text == "," else k
        if c < n and toks[c].kind == "w" and toks[c].low in ("citing", "quoting"):
            e = _cited_end(toks, c + 1)
            if e is not None:  # "Meridian Wire reported, citing two people ...": they said it
                if not inherit and (cue.word.startswith("report") or _outlet_like(speaker)):
                    # the outlet that carried their words ("the Times said, quoting ...")
                    self.channel = speaker
                speaker, inherit = self._mention(c + 1, e), False
                k = e + 1
        attribution = self._range(first, max(k - 1, cue.j))
        before = quote_before(self.toks, first)
        if inherit and k < n - 1 and toks[k].kind == "w" and toks[k].low not in lx.CONNECTIVES:
            before = None  # '"...", denying any call took place': what follows was said
        if before is not None:
            self._emit(cue, speaker, [], before, attribution, recipient, inherit)
            self._resume(k)
            return
        if (
            k + 1 < n
            and toks[k].text == ","
            and toks[k + 1].low in _CONCESSIVE
            and first >= 2
            and toks[first - 1].text == ","
        ):
            # "..., an analyst told the Gazette, although he added ...": what was said came
            # first; the concession is a statement of its own.
            self._emit(cue, speaker, [(0, first - 2)], None, attribution, recipient, inherit)
            return
        while k < n and toks[k].kind == "p" and toks[k].text in ",:":
            k += 1
        if k < n and toks[k].kind == "q":
            self._emit(cue, speaker, [], toks[k], attribution, recipient, inherit)
            return
        if cue.word in lx.NEEDS_AS and self._named_as(cue, speaker, k, attribution, inherit):
            return
        denial = cue.stance == Stance.denies
        if denial and self._dismissed_as(cue, speaker, k, attribution, inherit):
            return
        k = skip_report_object(self.toks, cue, k)
        if k >= n or (k == n - 1 and toks[k].kind == "p"):
            # "..., three Russian sources told Reuters.": what was said came first (but not
            # "Last week, the minister told MPs.": a time).
            before_words = [t for t in toks[: first - 1] if t.kind != "p"]
            timed = all(t.low in lx.TIME_WORDS or t.low in _TIME_LEADS for t in before_words)
            if first >= 2 and toks[first - 1].text == "," and not timed:
                self._emit(cue, speaker, [(0, first - 2)], None, attribution, recipient, inherit)
            elif self._of_the_claim_before(first) and self.attrs:
                # "X wrote that ..., a claim that Trump disputed": Trump's words on X's claim.
                self.attrs.append(
                    replace(
                        self.attrs[-1],
                        stance=cue.stance,
                        cue=cue.word,
                        speaker=speaker,
                        attribution=attribution,
                        recipient=recipient,
                        inherit=False,
                        joined=False,
                        group=next(self.groups),
                        notes=["what was said is the claim reported just before"],
                    )
                )
                self.used.add(cue.i)
            return
        that = toks[k].low == "that"
        if toks[k].low in ("whether", "that"):
            k += 1
        k = skip_aside(toks, k)
        if (
            k < n
            and toks[k].kind == "q"
            and (k + 1 == n or (toks[k + 1].kind == "p" and k + 2 >= n))
        ):
            # "said that `contacts did not yield results`.": the words are the speaker's own.
            self._emit(cue, speaker, [], toks[k], attribution, recipient, inherit)
            return
        pieces = clause_end(self.toks, k)
        main = _main_clause_at(toks, k) if toks[0].low in _SUBORDINATORS and first <= 2 else None
        if main is not None:
            # "While the club rejected the notion that ..., its shares rose": what was said
            # ends where the main clause starts.
            pieces = [(a, min(b, main - 2)) for a, b in pieces if a < main - 1]
        if cue.word.endswith("cold water on"):
            pieces = _before_comma(toks, pieces)[:1]  # an idiom's object: what was denied
        if any(t.low in ("which", "who") and t.start > toks[first].start for t in toks[first:i]):
            pieces = _before_comma(toks, pieces)  # "X, which said it would expand, is ..."
        words = sum(
            len(t.text.split()) if t.kind == "q" else 1  # a quotation's words count
            for a, b in pieces
            for t in toks[a : b + 1]
            if t.kind != "p"
        )
        if that and words <= 2 and cue.stance == Stance.asserts:
            self.subject = speaker  # for a participle after it
            return  # "repeated that position, saying ...": an object, not what was said
        if words <= 3 and self._headline() and not _clause(toks, pieces):
            pieces = [(first, n - 1)]  # "Firm denies breach": a headline is said whole
        verdict = self._verdict(pieces)
        if verdict is not None:
            quote, stance = verdict
            said = replace(cue, stance=stance) if stance is not None else cue
            self._emit(said, speaker, [], quote, attribution, recipient, inherit)
            pieces = pieces[1:]  # "... 'firmly rejects' the story and that ...": the rest
            if not pieces:
                return
        self._emit(cue, speaker, pieces, None, attribution, recipient, inherit)

    def _document_owner(self, first: int, i: int) -> Mention | None:
        """Whose a document speaking before the verb at I is: "a statement from the club", "a
        statement on the club's website", "the club's statement"."""
        toks = self.toks
        for k in range(first, i):
            t = toks[k]
            if t.possessive and k + 1 < i and toks[k + 1].bare in _DOCUMENTS:
                m = self._mention(first, k)  # "the club's": the club
                bare = m.text[:-2] if m.text.endswith(("'s", "\u2019s")) else m.text
                return replace(m, text=bare, core=bare, span=(m.span[0], m.span[1] - 2))
            if t.low in ("from", "by", "of") and k > first:
                e = np_end(toks, k + 1, i)
                if e is not None:
                    return self._mention(k + 1, e)
            if t.low == "on" and k + 1 < i:
                return self._document_owner(k + 1, i)  # "on the club's website"
        return None

    def _citing_channel(self, speaker: Mention, first: int, i: int) -> Mention | None:
        """The outlet whose report cited the speaker, when the speaker found is whom it cited
        ("The Courier's piece, which cited aides close to the bidder, stated"): the channel."""
        toks = self.toks
        for c in range(first + 1, i):
            if (
                toks[c].low in ("citing", "cited", "quoting", "quoted")
                and toks[c].start < speaker.span[0]
            ):
                end = c - 2 if toks[c - 1].text == "," else c - 1
                if toks[end].low == "which":
                    end -= 2 if toks[end - 1].text == "," else 1
                return self._mention(first, end) if end >= first else None
        return None

    def _citing_first(self, first: int) -> Mention | None:
        """Who an opening "Citing unnamed sources inside the bank," names, when the speaker
        comes right after its comma."""
        toks = self.toks
        if first < 3 or toks[0].low not in ("citing", "quoting") or toks[first - 1].text != ",":
            return None
        e = _cited_end(toks, 1)
        return self._mention(1, e) if e is not None and e == first - 2 else None

    def _of_the_claim_before(self, first: int) -> bool:
        """Whether the speaker at FIRST is in a relative clause on the claim just reported:
        ', a claim that Trump disputed', ', an account which the ministry denied'."""
        toks = self.toks
        if toks[first].low in ("that", "which"):
            first += 1  # "that Trump": the relative pronoun read as a determiner
        if first < 4 or toks[first - 1].low not in ("that", "which"):
            return False
        k = first - 2
        if toks[k].bare not in lx.REPORT_NOUNS:
            return False
        while k > 0 and toks[k - 1].kind == "w" and toks[k - 1].low not in lx.DETERMINERS:
            k -= 1  # "a claim", "a new claim", "an account"
        return k >= 2 and toks[k - 1].low in lx.DETERMINERS and toks[k - 2].text == ","

    def _co_speaker(self, first: int) -> tuple[Mention, int] | None:
        """The first of two speakers joined by "and" before a verb ("Anna Kovacs and Peter
        Lindqvist said"), when the phrase before "and" names a speaker at a boundary."""
        toks = self.toks
        # A headline's comma for "and": "Estmark, Norland deny reports"
        comma = (
            first >= 2
            and toks[first - 1].text == ","
            and toks[0].cap
            and not toks[0].text.isupper()
            and self._headline()
        )
        if first < 2 or not (toks[first - 1].low == "and" or comma) or toks[first - 2].kind != "w":
            return None
        a = np_start(toks, first - 2, 0)
        if a is None or not is_boundary(toks, a, 0) or (comma and a != 0):
            return None
        if not any(mentions_role(t) for t in toks[a : first - 1]):
            return None
        return self._mention(a, first - 2), a

    def _headline(self) -> bool:
        """Whether the sentence is a headline or a subheading: a line of its own, with no full
        stop."""
        after = self.text[self.s.end : self.s.end + 1]
        return self.s.first_in_paragraph and after in ("", "\n") and self.toks[-1].kind == "w"

    def _ends_with_speaker(self, cue: Cue) -> bool:
        """Whether a name or a description runs from after the verb to the sentence's end."""
        toks, n = self.toks, self.n
        if cue.word not in ("say", "says", "said"):
            return False  # "told reporters": whom it was told
        e = np_end(toks, cue.j + 1, n)
        last = n - 2 if toks[n - 1].kind == "p" else n - 1
        return (
            e is not None
            and e == last
            and any(t.cap or is_role(t.bare) for t in toks[cue.j + 1 : e + 1])
        )

    def _inverted(self, cue: Cue) -> bool:
        """'"...," said a Russian source.' / '..., said Putin.': the speaker after the verb."""
        toks, n, i = self.toks, self.n, cue.i
        if i == 0 or not (toks[i - 1].kind == "q" or toks[i - 1].text == ","):
            return False
        e = np_end(toks, cue.j + 1, n)
        if e is not None and e + 2 < n and toks[e + 1].low in ("from", "of", "by"):
            owner = np_end(toks, e + 2, n)  # '"...," read a statement from the club.'
            if owner is not None and toks[e].bare in _DOCUMENTS:
                e = owner
        rest = [t for t in toks[e + 1 :] if t.kind != "p"] if e is not None else []
        if e is None or (rest and toks[e + 1].text != ","):
            return False  # '..., said Mr. Putin had ...' is not '..., said Putin.'
        appositive = None
        last = e
        # '"We will not," said Berg, the minister, "back down."': the quotation goes on.
        resumed = next((q - 1 for q in range(e + 2, n) if toks[q].kind == "q"), n)
        if e + 2 < resumed and toks[e + 1].text == ",":
            last = min(resumed - 1, n - 1 if toks[n - 1].kind == "w" else n - 2)
            appositive = (e + 2, last)
        speaker = self._mention(cue.j + 1, e, appositive=appositive, whole=(cue.j + 1, last))
        if speaker.head in _DOCUMENTS:  # "read a statement from the club": the club
            speaker = self._document_owner(cue.j + 1, e + 1) or speaker
        attribution = self._range(i, e)
        before = toks[i - 1] if toks[i - 1].kind == "q" else None
        if before is None and i >= 2 and toks[i - 2].kind == "q":
            before = toks[i - 2]
        if before is not None:
            self._emit(cue, speaker, [], before, attribution)
            self._resume(resumed)
        elif i >= 2:
            self._emit(cue, speaker, [(0, i - 2)], None, attribution)
        return True


def _main_clause_at(toks: list[Tok], k: int) -> int | None:
    """Where the main clause starts after a subordinate clause opened before K: the first
    comma after K followed by a noun phrase and a plain word (its verb)."""
    n = len(toks)
    for m in range(k, n - 2):
        if toks[m].text != ",":
            continue
        e = np_end(toks, m + 1, n)
        verb = toks[e + 1] if e is not None and e + 1 < n else None
        if verb is not None and verb.kind == "w" and not verb.cap and verb.low not in _NOT_VERBS:
            return m + 1
        s = m + 1 + (m + 2 < n and toks[m + 1].low in lx.DETERMINERS)
        if s < n and (toks[s].low in lx.POSSESSIVE_PRONOUNS or toks[s].possessive):
            # "its shares rose", "the company's shares rose": a subject, then a verb in -ed
            for v in range(s + 1, min(n, s + 4)):
                if toks[v].kind != "w":
                    break
                if toks[v].low.endswith("ed") or toks[v].low in _FINITE_VERBS:
                    return m + 1
    return None


_FINITE_VERBS = lx.wordset("is are was were has have had rose fell")
_SUBORDINATORS = lx.wordset("while although though whereas")
_NOT_VERBS = lx.wordset("and or but of for to in on at with by who which that")


def _outlet_like(m: Mention) -> bool:
    """Whether a speaker's phrase names an outlet ("The Harbour Times", "the agency")."""
    words = m.core.lower().split()
    return bool(words) and (
        words[-1] in lx.OUTLET_WORDS or words[-1] in lx.KNOWN_OUTLETS or words[-1] in _OUTLET_HEADS
    )


def _cited_end(toks: list[Tok], k: int) -> int | None:
    """The last token of who is cited from K: a noun phrase, or the words up to the comma or the
    full stop that closes a short "citing" phrase ("citing a senior customs officer, that ...")."""
    e = np_end(toks, k, len(toks))
    if e is None:
        return None
    n = len(toks)
    for m in range(e + 1, min(n, k + 10)):
        if toks[m].text == "," or (m == n - 1 and toks[m].kind == "p"):
            return m - 1  # the comma, or the full stop that ends the sentence
        if toks[m].kind != "w" or toks[m].low in ("that", "as", "and", "who", "which"):
            break
    return e


def _before_comma(toks: list[Tok], pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """What a relative clause reports: its pieces up to the comma that closes it."""
    out = []
    for a, b in pieces:
        end = next(
            (
                k - 1
                for k in range(a, b + 1)
                if toks[k].text == ","
                and not (k + 2 <= b and toks[k + 1].low == "but" and toks[k + 2].low == "only")
            ),
            b,
        )
        out.append((a, end))
        if end < b:
            break
    return out


def _clause(toks: list[Tok], pieces: list[tuple[int, int]]) -> bool:
    """Whether a few words hold a verb ("suspect was armed", "talks failed", "hiding donations"),
    not a bare noun phrase ("breach", "takeover claims")."""
    if pieces and toks[pieces[0][0]].low.endswith("ing") and len(toks[pieces[0][0]].low) > 5:
        return True  # "denies manipulating images": a gerund says what is denied
    return any(
        t.low in _AUXILIARIES or (t.low.endswith("ed") and len(t.low) > 4)
        for a, b in pieces
        for t in toks[a : b + 1]
    )


_AUXILIARIES = wordset("is are was were be been has have had will would can could did does do")
