"""Paragraphs, page furniture and sentences, each with its offsets in the document."""

import re
from dataclasses import dataclass, field

from app.extract import lexicon as lx
from app.extract.phrases import is_role
from app.extract.quotes import find_quotes
from app.extract.tokens import Span, Tok, tokenize

# Whole lines that are page furniture, by the kind the format gives them.
_FURNITURE = (
    ("advertisement", re.compile(r"^(?:Advertisement|ADVERTISEMENT|Sponsored|SPONSORED)$")),
    ("teaser", re.compile(r"^(?:ALSO READ|READ MORE|Read more|Also read|RELATED|Related|WATCH)\b")),
    (
        "image-credit",
        re.compile(r"^(?:Image Source|Image credit|Photo(?:graph)?|PHOTO|Picture|Credit)\s*:"),
    ),
    ("image-credit", re.compile(r"^.{0,120}\((?:Photo|Image|Credit)\s*:[^)]*\)\.?$")),
    # A caption that ends with its picture's credit: "... the report. -- PHOTO: EPA".
    (
        "image-credit",
        re.compile(
            r"^.{0,400}\s(?:--|\u2014|\u2013)\s*(?:PHOTO|Photo|PICTURE|Picture|IMAGE|Image)S?"
            r"\s*:\s*[^.!?:]{1,60}$"
        ),
    ),
    # A caption whose picture's credit ends it: "... at the summit. Nordwirepic" (an agency's name
    # glued to "pic"), "... in Lisbon.\u2014 Nordwire/File".
    (
        "image-credit",
        re.compile(r"^.{0,400}[.\s](?:[A-Z][A-Za-z]{1,15}pic|[A-Z][A-Za-z]{1,15}/File)\.?$"),
    ),
    ("comment-form", re.compile(r"^(?:Leave a (?:Reply|Comment)|Your email address will not be)")),
    ("promotion", re.compile(r"^(?:Read all the|Subscribe to|Sign up for|Follow us on)\b")),
)
# Lines read as article metadata, never as statements (bylines, datelines of the page).
# Image captions say what a picture shows: never statements.
_SKIP = re.compile(
    r"^(?:By [A-Z]|Edited By|Published\s*:|Updated\s*:|Posted\s*:|Written by"
    r"|(?:Image|Photo|Media|Picture|Video)?\s*[Cc]aption\s*:)"
)
# A page's title: a headline and the site's name after " | " or a dash ("... | The Courier",
# "... - BBC News"), with no full stop.
_PAGE_TITLE = re.compile(r"\s(?:\||[-\u2013\u2014])\s+(?P<site>[^|.!?]{2,60})$")
# A dateline before the first sentence: "LONDON, March 4 (Reuters) - ", "MOSCOW - ", "Moscow: ".
_DATELINE = re.compile(
    r"(?:[A-Z][A-Z .'\u2019-]{1,30}(?:,\s*[A-Z][a-z]{2,8}\.? \d{1,2})?(?:\s*\([^)]{1,40}\))?"
    r"|\([^)]{1,40}\)|[A-Z][a-z]+(?: [A-Z][a-z]+)?)\s*(?:[-\u2013\u2014:]|\s[-\u2013\u2014])\s+"
)
# Sentences longer than this are not prose (a list, a table, a run-on page); they are skipped.
MAX_SENTENCE = 4000
_ENDS = {".", "!", "?", "…"}


@dataclass
class Sentence(Span):
    index: int = 0
    paragraph: int = 0
    first_in_paragraph: bool = False
    # Where the sentence's own words start, after a dateline.
    body_start: int = 0


@dataclass
class Segmented:
    """A document cut into what the rules read."""

    sentences: list[Sentence] = field(default_factory=list)
    furniture: list[tuple[str, int, int]] = field(default_factory=list)
    skipped: int = 0  # overlong sentences left out


def segment(text: str) -> Segmented:
    """Paragraphs (one a line) split into sentences; furniture lines set aside."""
    out = Segmented()
    lines = _lines(text)
    seen_later = _repeated_lines(text, lines)
    for p_index, (start, end) in enumerate(lines):
        line = text[start:end]
        kind = next((k for k, pattern in _FURNITURE if pattern.search(line)), None)
        if kind is not None:
            out.furniture.append((kind, start, end))
            continue
        if _SKIP.search(line) or _page_title(line) or (start, end) in seen_later:
            continue
        quotes = find_quotes(text, start, end)
        toks = tokenize(text, start, end, quotes)
        for n, (a, b) in enumerate(_sentence_bounds(toks)):
            sent_toks = toks[a:b]
            s_start, s_end = sent_toks[0].start, sent_toks[-1].end
            if s_end - s_start > MAX_SENTENCE:
                out.skipped += 1
                continue
            body = s_start
            if n == 0:
                m = _DATELINE.match(text, s_start, s_end)
                if m and m.end() - s_start < 60 and not _speaker_colon(text, line, m.group()):
                    body = m.end()
            out.sentences.append(
                Sentence(
                    s_start,
                    s_end,
                    [t for t in sent_toks if t.start >= body],
                    len(out.sentences),
                    p_index,
                    n == 0,
                    body,
                )
            )
    return out


def _page_title(line: str) -> bool:
    """Whether LINE is a page's title: a headline, then " | " and anything, or a dash and the
    name of an outlet ("Mayor says tram line will open | The Riverside Courier")."""
    m = _PAGE_TITLE.search(line)
    if m is None:
        return False
    site = m.group("site").split()
    if "|" in line:
        return len(site) <= 8
    return len(site) <= 5 and any(
        w.lower() in lx.OUTLET_WORDS or w.lower() in lx.KNOWN_OUTLETS for w in site
    )


def _speaker_colon(text: str, line: str, dateline: str) -> bool:
    """Whether what reads as a dateline ("Moscow: ") is a headline's speaker ("Minister: no
    deal on tariffs", "Kremlin: ..."): a role before the colon, or a line with no full stop."""
    if not dateline.rstrip().endswith(":"):
        return False
    word = dateline.rstrip(" :").split()[-1].lower()
    return is_role(word) or word in lx.GOVERNMENT_WORDS or line.rstrip()[-1:] not in _ENDS


# What ends a line: a newline, or the HTML tag of a paragraph, a break, a block or a heading
# left in a page's text as stored ("...</p><p>...").
_LINE_BREAK = re.compile(r"\n|<(?:/?p|br|/?div|/?h[1-6]|/?li)\b[^<>\n]{0,200}>", re.IGNORECASE)


def _lines(text: str) -> list[tuple[int, int]]:
    """Each non-blank line's span, without its surrounding spaces."""
    spans = []
    bounds, at = [], 0
    for m in _LINE_BREAK.finditer(text):
        bounds.append((at, m.start()))
        at = m.end()
    bounds.append((at, len(text)))
    for a, b in bounds:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
    return spans


def _repeated_lines(text: str, lines: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Lines printed again further down (a breadcrumb or a page header repeating the headline):
    only the last copy is read, so that one statement is not found twice."""
    later: set[str] = set()
    repeated = set()
    for start, end in reversed(lines):
        key = re.sub(r"^\d+\.\s*", "", text[start:end])
        if key in later and len(key) > 20:
            repeated.add((start, end))
        later.add(key)
    return repeated


def _sentence_bounds(toks: list[Tok]) -> list[tuple[int, int]]:
    """Token ranges of the sentences of a paragraph (quotations never split)."""
    bounds, first = [], 0
    for i, t in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is None:
            break
        starts_new = nxt.kind == "q" or nxt.cap or nxt.text[:1].isdigit() or nxt.text == "("
        if (t.kind == "p" and t.text in _ENDS and starts_new) or (
            t.kind == "q"
            and t.closed
            and _ends_sentence(t)
            and nxt.kind in "wq"
            and (nxt.cap or nxt.kind == "q")
        ):
            bounds.append((first, i + 1))
            first = i + 1
    if first < len(toks):
        bounds.append((first, len(toks)))
    return bounds


def _ends_sentence(q: Tok) -> bool:
    """Whether a quotation's words end with a full stop, a question or an exclamation."""
    inner = q.text.rstrip("\u201d\"'\u2019`»\u201c ")
    return inner[-1:] in _ENDS
