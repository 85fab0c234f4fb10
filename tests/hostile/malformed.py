"""Malformed annotation documents, generated (hypothesis): each starts from a seed annotation
file and breaks it in one to three ways, and some also break its syntax or its bytes.

Used by test_malformed_documents.py: what `sayso load` and `POST /ingest` are given.
"""

import copy
import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from hypothesis import strategies as st
from seed_facts import SEED_ANNOTATIONS

from app.config import PROJECT_ROOT

SEED_NAMES = sorted(p.name for p in SEED_ANNOTATIONS.glob("*.yaml"))
SEED: dict[str, Any] = {
    name: yaml.safe_load((SEED_ANNOTATIONS / name).read_text()) for name in SEED_NAMES
}
DOCUMENTS: dict[str, bytes] = {
    name: (SEED_ANNOTATIONS / SEED[name]["source"]["document"]).read_bytes() for name in SEED_NAMES
}
DOCUMENTS_DIR = PROJECT_ROOT / "seed_data" / "documents"

Path = tuple[str | int, ...]
Draw = Callable[[st.SearchStrategy[Any]], Any]

# Fields whose value is one of a few words (a kind, a stance, ...).
ENUM_KEYS = {"format", "kind", "stance", "mode", "status", "language"}
# Fields naming another object by its slug.
REF_KEYS = {"speaker", "claim", "recipient", "affiliation", "outlet", "ref", "source", "a", "b"}
REF_KEYS |= {"statement"}
# Fields holding text that must be found in the document (or a claim's sentence).
QUOTE_KEYS = {"quote", "attribution", "hedge", "evidence", "printed", "after", "text"}
WRONG_WORDS = [
    "",
    " ",
    "Asserts",
    "ASSERTS",
    "asserts ",
    "denial",
    "sayso/2",
    "sayso/1 ",
    "all",
    "null",
    "en-",
    "x" * 40,
    # A language tag of the right shape, longer than its column (35 characters).
    "en-" + "-".join(["abcdefgh"] * 6),
]
# Counts: out of range, of the wrong type, past what either database's integers hold.
COUNTS: list[Any] = [0, -1, 2, 3, 40, 2**31 - 1, 2**31, 2**53 + 1, 2**63, 2**64, "2", 1.5, True]
COUNTS += ["all", None]
ODD_CHARACTERS = [
    "\x00",  # NUL: PostgreSQL's text cannot hold it
    "\ud800",  # lone surrogates: no UTF-8 for them
    "\udfff",
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u200b",  # zero-width space
    "\ufeff",  # a byte-order mark inside the text
    "\u2028",  # line and paragraph separators (YAML breaks lines there)
    "\u2029",
    "\x85",  # next line
    "\x1b",
    "\x7f",
    "\x9b",
    "\u0301",  # a combining accent
    "\U0001f600",
    "\ufffe",
    "\uffff",
    "\r",
    "\r\n",
    "\t",
    "\n",
    "\\",
    '"',
    "'",
]
# What a YAML file may be broken with, inserted anywhere.
YAML_BITS = [
    "\t",
    ":",
    ": ",
    " :",
    "[",
    "]",
    "{",
    "}",
    '"',
    "'",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!python/object/apply:os.system ['true'] ",
    "!!binary ",
    "!!set ",
    "!!omap ",
    "!!timestamp ",
    "!!int ",
    "!custom ",
    "? ",
    "- ",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "\n  ",
    "\n",
    "#",
    "|",
    ">",
    "@",
    "`",
    "\ufeff",
    "\x00",
    "\x1b",
]
JSON_BITS = [",", "}", "]", "{", "[", '"', "\\", ":", "'", "NaN", "Infinity", "1e999999"]
JSON_BITS += ["// c\n", "/* c */", "\ufeff", "\x00", "-", "tru", "\\ud800", '"\\u00"']
# Bytes that are no UTF-8: a stray continuation, a cut sequence, an encoded surrogate, past
# U+10FFFF, an overlong NUL.
BAD_BYTES = [b"\xff", b"\x80", b"\xc3(", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\x80"]
# Huge strings: just past a column's width (100, 120, 200, 300, 500), and far past.
LENGTHS = [101, 121, 201, 301, 501, 5_000, 1_000_000]
DEPTHS = [10, 63, 64, 65, 100, 1_000, 5_000]
SENTINEL = "deep-sentinel-"


class Example:
    """One malformed annotation: what was done to it, the file's name and bytes, and (for a
    file) the bytes of the document it names. (Not a dataclass: hypothesis would print all of
    it.)"""

    def __init__(self, seed: str, cases: list[str], name: str, raw: bytes, document: bytes):
        self.seed = seed  # the seed file it started from
        self.cases = cases
        self.name = name
        self.raw = raw
        self.document = document

    def __repr__(self) -> str:  # hypothesis prints it for a failing example
        shown = self.raw if len(self.raw) < 3_000 else self.raw[:3_000] + b"..."
        return f"Example({self.seed}, {self.cases}, {self.name}, {shown!r})"


@dataclass
class Context:
    """What the mutations of one example share: the document's text, the deep values to
    write in once the data is text."""

    text: str
    deep: dict[str, str] = field(default_factory=dict)


def nodes(data: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every value in DATA with its path, DATA's own first."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from nodes(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from nodes(value, (*path, i))


def get(data: Any, path: Path) -> Any:
    for part in path:
        data = data[part]
    return data


def put(data: Any, path: Path, value: Any) -> Any:
    """DATA with the value at PATH replaced by VALUE (the root too)."""
    if not path:
        return value
    get(data, path[:-1])[path[-1]] = value
    return data


def pick(draw: Draw, paths: list[Path]) -> Path | None:
    return draw(st.sampled_from(paths)) if paths else None


def spot(draw: Draw, last: int) -> int:
    """A place from 0 to LAST, any of them as likely (hypothesis's integers favour the ends)."""
    return int(draw(st.randoms(use_true_random=False)).randint(0, last))


def chance(draw: Draw, p: float) -> bool:
    return bool(draw(st.randoms(use_true_random=False)).random() < p)


def strings(data: Any) -> list[Path]:
    return [p for p, v in nodes(data) if p and isinstance(v, str)]


# -- the mutations: each takes the data and returns it changed ---------------------------------


def drop_field(draw: Draw, data: Any, _ctx: Context) -> Any:
    holders = [p for p, v in nodes(data) if isinstance(v, dict) and v]
    path = pick(draw, holders)
    if path is not None:
        holder = get(data, path)
        del holder[draw(st.sampled_from(sorted(holder)))]
    return data


def rename_field(draw: Draw, data: Any, _ctx: Context) -> Any:
    holders = [p for p, v in nodes(data) if isinstance(v, dict) and v]
    path = pick(draw, holders)
    if path is not None:
        holder = get(data, path)
        key = draw(st.sampled_from(sorted(holder)))
        new = draw(st.sampled_from([key + "s", key.upper(), key + " ", "", key + "\u200b"]))
        holder[new] = holder.pop(key)
    return data


def duplicate_item(draw: Draw, data: Any, _ctx: Context) -> Any:
    lists = [p for p, v in nodes(data) if isinstance(v, list) and v]
    path = pick(draw, lists)
    if path is not None:
        items = get(data, path)
        item = copy.deepcopy(items[spot(draw, len(items) - 1)])
        items.insert(spot(draw, len(items)), item)
    return data


OTHER_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([2**31, 2**63, 2**64, -(2**63) - 1, 10**30]),
    st.floats(),
    st.text(max_size=20),
    st.dates().map(dt.date.isoformat),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def retype(draw: Draw, data: Any, _ctx: Context) -> Any:
    path = pick(draw, [p for p, _ in nodes(data) if p])
    return data if path is None else put(data, path, draw(OTHER_VALUES))


def wrong_enum(draw: Draw, data: Any, _ctx: Context) -> Any:
    paths = [p for p, v in nodes(data) if p and p[-1] in ENUM_KEYS and isinstance(v, str)]
    path = pick(draw, paths)
    if path is not None:
        data = put(data, path, draw(st.sampled_from(WRONG_WORDS) | st.text(max_size=12)))
    return data


def wrong_occurrence(draw: Draw, data: Any, ctx: Context) -> Any:
    """Which occurrence of a text is meant: past the text's occurrences, out of range, of the
    wrong type; or an 'after' that is not there."""
    holders = [
        p
        for p, v in nodes(data)
        if isinstance(v, dict) and any(k in v for k in ("quote", "evidence", "printed", "kind"))
    ]
    path = pick(draw, holders)
    if path is not None:
        holder = get(data, path)
        if draw(st.booleans()):
            holder["occurrence"] = draw(st.sampled_from(COUNTS) | st.integers(-3, 12))
        else:
            start = spot(draw, max(len(ctx.text) - 1, 0))
            holder["after"] = ctx.text[start : start + draw(st.integers(0, 40))]
    return data


def misquote(draw: Draw, data: Any, ctx: Context) -> Any:
    """A text that must be found in the document, changed: cut, re-cased, extended, another
    part of the document (perhaps found elsewhere, perhaps past a column's width), or empty."""
    paths = [p for p, v in nodes(data) if p and p[-1] in QUOTE_KEYS and isinstance(v, str)]
    path = pick(draw, paths)
    if path is None:
        return data
    old: str = get(data, path)
    how = draw(
        st.sampled_from(
            [
                *("cut head", "cut tail", "half", "upper", "reversed", "extra", "spaces"),
                *("empty", "curly quotes", "elsewhere in the text", "a long part of the text"),
            ]
        )
    )
    if how == "elsewhere in the text" or how == "a long part of the text":
        length = draw(st.integers(1, 80) if how.startswith("else") else st.sampled_from(LENGTHS))
        start = spot(draw, max(len(ctx.text) - 1, 0))
        new = ctx.text[start : start + length]
    else:
        new = {
            "cut head": old[1:],
            "cut tail": old[:-1],
            "half": old[: len(old) // 2],
            "upper": old.upper(),
            "reversed": old[::-1],
            "extra": old + " and more",
            "spaces": old.replace(" ", "  "),
            "empty": "",
            "curly quotes": old.replace("'", "\u2019").replace('"', "\u201c"),
        }[how]
    return put(data, path, new)


def dangling_reference(draw: Draw, data: Any, _ctx: Context) -> Any:
    """A slug that names nothing, something of another kind, itself, or is no slug."""
    paths = [p for p, v in nodes(data) if p and p[-1] in REF_KEYS and isinstance(v, str)]
    path = pick(draw, paths)
    if path is None:
        return data
    slugs = sorted({v for p, v in nodes(data) if p and p[-1] == "slug" and isinstance(v, str)})
    choices = ["no-such-slug", "x", "Not A Slug", "a--b", "-a", "a" * 121, "", "ünïcode"]
    return put(data, path, draw(st.sampled_from(choices + slugs)))


def odd_character(draw: Draw, data: Any, _ctx: Context) -> Any:
    """A character a text should not hold, or that often trips a reader, inserted into a value
    (or a key)."""
    paths = strings(data)
    path = pick(draw, paths)
    odd = draw(st.sampled_from(ODD_CHARACTERS)) * draw(st.integers(1, 3))
    if path is None:
        return data
    if chance(draw, 0.2):  # into the key
        holder = get(data, path[:-1])
        if isinstance(holder, dict):
            key = str(path[-1])
            holder[key[:1] + odd + key[1:]] = holder.pop(key)
            return data
    old: str = get(data, path)
    at = spot(draw, len(old))
    return put(data, path, old[:at] + odd + old[at:])


def huge_string(draw: Draw, data: Any, _ctx: Context) -> Any:
    path = pick(draw, strings(data))
    if path is None:
        return data
    old: str = get(data, path) or "x"
    length = draw(st.sampled_from(LENGTHS))
    return put(data, path, (old * (length // len(old) + 1))[:length])


def deep_nesting(draw: Draw, data: Any, ctx: Context) -> Any:
    """A value replaced by lists or mappings nested deep (written in once the data is text:
    the dumpers recurse)."""
    path = pick(draw, [p for p, _ in nodes(data)])
    if path is None:
        return data
    depth = draw(st.sampled_from(DEPTHS))
    opening, middle, closing = draw(st.sampled_from([("[", "", "]"), ('{"a": ', "{}", "}")]))
    sentinel = f"{SENTINEL}{len(ctx.deep)}"
    ctx.deep[sentinel] = opening * depth + middle + closing * depth
    return put(data, path, sentinel)


DATE_KEYS = {"value", "said_on", "reported_on"}
ODD_DATES = st.one_of(
    st.dates(),  # from year 1 to 9999
    st.datetimes(
        timezones=st.builds(
            dt.timezone,
            st.timedeltas(
                min_value=-dt.timedelta(hours=23, minutes=59),
                max_value=dt.timedelta(hours=23, minutes=59),
            ).map(lambda d: dt.timedelta(minutes=d // dt.timedelta(minutes=1))),
        )
    ),
    st.sampled_from(
        [
            # Instants whose day in UTC is past what a date holds.
            dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5))),
            dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(-dt.timedelta(hours=5))),
            *("2024-02-30", "2024-13-01", "24-02-14", "2024-02-14T25:00", "0000-01-01"),
            *("2024-02-14T23:55:00+99:00", "2024-02-14 23:55", "yesterday", "2024-W07"),
        ]
    ),
)


def odd_date(draw: Draw, data: Any, _ctx: Context) -> Any:
    """A date far in the past or the future, an instant at any offset, or no date at all."""
    paths = [p for p, _ in nodes(data) if p and p[-1] in DATE_KEYS]
    path = pick(draw, paths)
    return data if path is None else put(data, path, draw(ODD_DATES))


def wrong_top_level(draw: Draw, data: Any, _ctx: Context) -> Any:
    source = data.get("source") if isinstance(data, dict) else None
    return draw(
        st.sampled_from(
            [
                *([], "sayso/1", 1, None, True, [data], {"format": "sayso/1"}, {}),
                {"format": "sayso/1", "source": source},
            ]
        )
    )


MUTATIONS: dict[str, Callable[[Draw, Any, Context], Any]] = {
    "field dropped": drop_field,
    "field renamed": rename_field,
    "item doubled": duplicate_item,
    "value of the wrong type": retype,
    "wrong enum": wrong_enum,
    "occurrence out of range": wrong_occurrence,
    "quote not in the text": misquote,
    "dangling reference": dangling_reference,
    "odd character": odd_character,
    "huge string": huge_string,
    "deep nesting": deep_nesting,
    "odd date": odd_date,
    "wrong top-level type": wrong_top_level,
}


# -- text and bytes -----------------------------------------------------------------------------


def _json_default(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(value)


def as_text(draw: Draw, data: Any, ctx: Context, is_json: bool) -> str:
    if is_json:
        text = json.dumps(
            data,
            default=_json_default,
            ensure_ascii=draw(st.booleans()),
            indent=draw(st.sampled_from([None, 2])),
        )
        for sentinel, nested in ctx.deep.items():
            text = text.replace(json.dumps(sentinel), nested)
    else:
        text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False)
        for sentinel, nested in ctx.deep.items():
            text = text.replace(sentinel, nested)
    return text


def break_syntax(draw: Draw, text: str, is_json: bool) -> str:
    how = draw(st.sampled_from(["truncate", "delete", "insert", "dedent", "indent", "line twice"]))
    at = spot(draw, len(text))
    if how == "truncate":
        return text[:at]
    if how == "delete":
        return text[:at] + text[at + 1 :]
    if how == "insert":
        bit = draw(st.sampled_from(JSON_BITS if is_json else YAML_BITS))
        return text[:at] + bit + text[at:]
    lines = text.split("\n")
    n = spot(draw, len(lines) - 1)
    if how == "dedent":
        lines[n] = lines[n].lstrip(" ")
    elif how == "indent":
        lines[n] = " " * draw(st.integers(1, 3)) + lines[n]
    else:  # a key twice, an item twice
        lines.insert(n, lines[n])
    return "\n".join(lines)


def break_bytes(draw: Draw, raw: bytes) -> bytes:
    at = spot(draw, len(raw))
    return raw[:at] + draw(st.sampled_from(BAD_BYTES)) + raw[at:]


def change_document(draw: Draw, document: bytes) -> bytes:
    """The document a file names, changed: a NUL, bytes that are no UTF-8, a byte-order mark,
    other line ends, cut, or empty."""
    how = draw(st.sampled_from(["NUL", "not UTF-8", "BOM", "CRLF", "cut", "empty", "extra"]))
    at = spot(draw, len(document))
    return {
        "NUL": document[:at] + b"\x00" + document[at:],
        "not UTF-8": document[:at] + draw(st.sampled_from(BAD_BYTES)) + document[at:],
        "BOM": b"\xef\xbb\xbf" + document,
        "CRLF": document.replace(b"\n", b"\r\n"),
        "cut": document[:at],
        "empty": b"",
        "extra": document[:at] + b"Ana Silva said so." + document[at:],
    }[how]


def inline(data: dict[str, Any], seed: str) -> dict[str, Any]:
    """A seed file as POST /ingest takes it: its document's text inline."""
    data = copy.deepcopy(data)
    del data["source"]["document"]
    data["source"]["text"] = DOCUMENTS[seed].decode()
    return data


@st.composite
def malformed(draw: Draw, for_ingest: bool) -> Example:
    """A seed annotation broken: for `sayso load` (a file, YAML or JSON, and its document) or
    for POST /ingest (a JSON body, its document inline)."""
    seed = draw(st.sampled_from(SEED_NAMES))
    data = inline(SEED[seed], seed) if for_ingest else copy.deepcopy(SEED[seed])
    document = DOCUMENTS[seed]
    ctx = Context(document.decode())
    cases: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        case = draw(st.sampled_from(sorted(MUTATIONS)))
        data = MUTATIONS[case](draw, data, ctx)
        cases.append(case)
    source = data.get("source") if isinstance(data, dict) else None
    if for_ingest and isinstance(source, dict) and chance(draw, 0.05):
        # A request may not name a file: none is read.
        source["document"] = "../documents/" + seed.replace(".yaml", ".txt")
        if draw(st.booleans()):
            source.pop("text", None)
        cases.append("names a file")
    if not for_ingest and chance(draw, 0.15):
        document = change_document(draw, document)
        cases.append("document changed")
        if isinstance(source, dict) and draw(st.booleans()):
            source["sha256"] = hashlib.sha256(document).hexdigest()
    is_json = for_ingest or chance(draw, 0.25)
    text = as_text(draw, data, ctx, is_json)
    if chance(draw, 0.2):
        text = break_syntax(draw, text, is_json)
        cases.append("syntax broken")
    raw = text.encode("utf-8", "surrogatepass")  # a lone surrogate, as a file may hold one
    if chance(draw, 0.1):
        raw = break_bytes(draw, raw)
        cases.append("bytes not UTF-8")
    name = seed.replace(".yaml", ".json") if is_json else seed
    return Example(seed, cases, name, raw, document)


class Tally:
    """How many examples of each case were tried, and how each ended, for the closing report."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def add(self, example: Example, outcome: str) -> None:
        for case in sorted(set(example.cases)):
            self.counts[(case, outcome)] += 1

    def rows(self) -> list[dict[str, Any]]:
        cases = sorted({case for case, _ in self.counts})
        outcomes = sorted({outcome for _, outcome in self.counts})
        return [{"case": case, **{o: self.counts[(case, o)] for o in outcomes}} for case in cases]
