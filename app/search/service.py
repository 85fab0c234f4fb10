"""Full-text search over quotes, claim texts, and actor names and aliases; and over the sources'
full texts, with the span of every match.

One interface over each database's own engine (SQLite FTS5, PostgreSQL tsvector); the indexes
are kept in step with writes by triggers (see the search_index migrations). The query language
is sayso's own (app/search/query.py), written in each engine's syntax.

Ranking every match of a common word costs time in proportion to the corpus (bm25 reads each
match's length). So the hits come in two parts. First the ranked part: the first CANDIDATES
matches in the index's own order, which is the texts' length in words (app/search/index.py),
ranked by relevance: the shortest texts, where bm25 finds its best hits anyway. FTS5 hands
matches over in that order without looking at the rest; PostgreSQL's GIN does not, so there the
candidates are the first matches as stored (loads store the index in key order: see
bench/README.md). Then, when there are more matches than that, every other match in the index's
order (shortest texts first). A cursor names the last hit of a page in that order, so paging
goes through every hit once.

An actor is indexed under its name and each alias; a search shows it once, under its name if
that matches, else under the first of its aliases (by id) that does.
"""

import html
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import orjson
from sqlalchemy import (
    ColumnElement,
    TextClause,
    and_,
    bindparam,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.sql import table

from app.db.reads import SQL, ReadDB, Row
from app.db.review import Review
from app.models import Appearance, Source, Statement
from app.models.enums import ReviewStatus
from app.search.index import KINDS, SOURCE_TEXTS, row_key
from app.search.query import Node, QueryError, engine_query, found_terms, parse, tsquery
from app.search.schemas import Kind, SearchHit, SearchParams, SourceHit
from app.shared.briefs import Located
from app.shared.lookups import require
from app.shared.statement_rows import Speaker, linked_actor, statement_brief
from app.statements.filters import APPEARANCE_FILTERS, StatementFilter
from app.statements.service import appearance_conditions, filtered
from app.web.errors import InvalidParameter
from app.web.pagination import Key, Page, PageParams, encode_cursor

# How many matches, in the index's order, are ranked by relevance (bench/README.md: why 100).
CANDIDATES = 100
# The most hits a page holds.
PAGE_MAX = 100
# A snippet's matches are marked with two Unicode noncharacters (never interchanged as text),
# which become <mark> and </mark> once the text around them is escaped.
MARK, UNMARK = "\ufdd0", "\ufdd1"
SHOWN_MATCHES = 100
_MASK = (1 << 36) - 1
_KIND_CODES: dict[str, tuple[int, ...]] = {"quote": (0,), "claim": (1,), "actor": (2, 3)}
# The cursor of a search: which part of the hits (0 ranked, 1 the rest), the last hit's score
# (in millionths) and its key in the index.
_PART = Key("a part of the hits", 0, 1)
_SCORE = Key("a score in millionths", -(2**62), 2**62)
_KEY = Key("a search key", 0, 2**63 - 1)


def _parsed(q: str) -> Node:
    """The query Q, or a 422 naming `q` and saying what is wrong."""
    try:
        return parse(q)
    except QueryError as exc:
        message = str(exc)
        raise InvalidParameter(
            f"query 'q': {message}",
            errors=[{"location": "query", "field": "q", "message": message}],
        ) from exc


@dataclass(frozen=True)
class SearchFilter:
    """What the hits are narrowed to. The statement filters (speaker, said_*) and the source
    filters (outlet, reported_*) describe quotes: when one is given, only quotes are hits."""

    kind: Kind | None = None
    statements: StatementFilter = field(default_factory=lambda: StatementFilter(review=Review.all))
    # Quotes of drafts (statements or reports proposed or rejected in review) are hits too:
    # for a reader with a key, or when the server makes drafts public (app/web/auth.py).
    drafts: bool = False

    @classmethod
    def of(cls, p: SearchParams, *, drafts: bool) -> "SearchFilter":
        """The filter a request's parameters ask for (the JSON search and its page alike)."""
        statements = StatementFilter(
            speaker=p.speaker,
            said_from=p.said_from,
            said_to=p.said_to,
            outlet=p.outlet,
            reported_from=p.reported_from,
            reported_to=p.reported_to,
            review=Review.all,
        )
        return cls(kind=p.kind, statements=statements, drafts=drafts)

    def quote_only(self) -> bool:
        return any(x != "review=all" for x in self.statements.shape())

    def kinds(self) -> tuple[int, ...] | None:
        """The kind codes of the index rows that may be hits (None: all of them)."""
        if self.quote_only():
            if self.kind not in (None, "quote"):
                named = ", ".join(x for x in self.statements.shape() if x != "review=all")
                message = (
                    f"{named} only narrow quotes: leave kind out, or ask for kind=quote "
                    f"(not kind={self.kind})"
                )
                raise InvalidParameter(
                    f"query 'kind': {message}",
                    errors=[{"location": "query", "field": "kind", "message": message}],
                )
            return _KIND_CODES["quote"]
        return _KIND_CODES[self.kind] if self.kind else None


@dataclass(frozen=True)
class _Engine:
    """How one database's index is named in SQL."""

    key: str  # the row's key
    kind: str  # its kind code
    ref: str  # the id of the row it indexes
    match: str  # the row matches the query
    score: ColumnElement[float]  # its relevance (higher is better)


_SQLITE = _Engine(
    key="search_index.rowid",
    kind="(search_index.rowid & 3)",
    ref=f"((search_index.rowid & {_MASK}) >> 2)",
    match="search_index MATCH :q",
    score=literal_column("-bm25(search_index)"),
)
# PostgreSQL: the query's words are in the SQL itself (`to_tsquery` of a parameter), not in a
# CTE joined to the index, so that the planner sees them (_hit_queries says why).
_TSQUERY = "to_tsquery('english', :q)"
_POSTGRESQL = _Engine(
    key="s.id",
    kind="s.kind",
    ref="s.ref_id",
    match=f"s.tsv @@ {_TSQUERY}",
    # As a function of a bound parameter: in literal SQL, SQLAlchemy would not bind `:q`.
    score=func.ts_rank_cd(
        literal_column("s.tsv"), func.to_tsquery(literal_column("'english'"), bindparam("q"))
    ),
)
_QUERY_CTE = "WITH q AS MATERIALIZED (SELECT to_tsquery('english', :q) AS query) "


def _matches(dialect: str, key: str) -> str:
    """SQL: the index row whose key is KEY matches the query."""
    if dialect == "sqlite":
        return f"EXISTS (SELECT 1 FROM search_index(:q) m WHERE m.rowid = {key})"
    # A lookup by key, then the match: as an EXISTS, PostgreSQL may find every match once to
    # hash them, which costs the whole GIN scan of a common word.
    return f"COALESCE((SELECT m.tsv @@ {_TSQUERY} FROM search_index m WHERE m.id = {key}), false)"


def _once_per_actor(dialect: str, e: _Engine) -> str:
    """SQL: the row is not an alias of an actor whose name, or an alias of lower id, matches."""
    name = _matches(dialect, row_key("a.name", "a.id", 2))
    other = _matches(dialect, row_key("o.alias", "o.id", 3))
    shadowed = (
        f"SELECT 1 FROM actor_aliases al JOIN actors a ON a.id = al.actor_id "
        f"WHERE al.id = {e.ref} AND ({name} OR EXISTS (SELECT 1 FROM actor_aliases o "
        f"WHERE o.actor_id = al.actor_id AND o.id < al.id AND {other}))"
    )
    if dialect == "sqlite":
        return f"({e.kind} <> 3 OR NOT EXISTS ({shadowed}))"
    # PostgreSQL: a scalar subquery, read by key for each match (as `_shown`). As a NOT EXISTS
    # whose words are a parameter, PostgreSQL may hash it: every alias of every actor checked
    # once per search.
    return f"({e.kind} <> 3 OR ({shadowed} LIMIT 1) IS NULL)"


def _quote_kept(shape: tuple[str, ...], ref: str) -> ColumnElement[bool]:
    """SQL: the appearance REF names is kept by the statement and source filters of SHAPE.
    Asked row by row as the index hands matches over (the matches of a filtered search are
    read until the candidates are found): the appearances of a large outlet or a prolific
    speaker, listed first, took a second at 1M on SQLite. Each part reads its row by key, in
    scalar subqueries: PostgreSQL turns an EXISTS into a join that reads all those appearances,
    and joined the appearance to the speaker's statements one by one."""
    kept: list[ColumnElement[bool]] = []
    appearance: ColumnElement[int] = literal_column(ref)
    one: ColumnElement[int] = literal_column("1")
    statement_shape = tuple(x for x in shape if x not in APPEARANCE_FILTERS)
    if any(not x.startswith("review=") for x in statement_shape):
        statement_of = select(Appearance.statement_id).where(Appearance.id == appearance)
        said = (
            select(one)
            .select_from(Statement)
            .join(Speaker, Speaker.id == Statement.speaker_id)
            .where(Statement.id == statement_of.scalar_subquery())
        )
        kept.append(filtered(statement_shape, said).limit(1).scalar_subquery().is_not(None))
    conditions = appearance_conditions(shape)
    if conditions:
        reported = (
            select(one)
            .select_from(Appearance)
            .join(Source, Source.id == Appearance.source_id)
            .where(Appearance.id == appearance, *conditions)
        )
        kept.append(reported.limit(1).scalar_subquery().is_not(None))
    return and_(*kept)


def _shown(e: "_Engine") -> str:
    """SQL true of a hit a reader without drafts may see: a claim or an actor, or the quote of
    a confirmed appearance of a confirmed statement. Asked of each match as the index hands it
    over, before the candidates are counted, so that drafts do not take the places of hits
    shown (two lookups by primary key a quote)."""
    confirmed = ReviewStatus.confirmed.value
    if e is _SQLITE:
        return f"""({e.kind} <> 0 OR EXISTS (SELECT 1 FROM appearances a
    JOIN statements st ON st.id = a.statement_id
    WHERE a.id = {e.ref} AND a.status = '{confirmed}' AND st.status = '{confirmed}'))"""
    # PostgreSQL: a scalar subquery, read by key for each match. As an EXISTS, PostgreSQL
    # hashed every confirmed appearance joined to its statement once per search (a whole
    # scan of both tables: 250 ms at 100k statements, for a word of 80 matches).
    return f"""({e.kind} <> 0 OR COALESCE((SELECT st.status = '{confirmed}' FROM appearances a
    JOIN statements st ON st.id = a.statement_id
    WHERE a.id = {e.ref} AND a.status = '{confirmed}'), false))"""


def _conditions(
    dialect: str, kinds: tuple[int, ...] | None, shape: tuple[str, ...], drafts: bool
) -> list[ColumnElement[bool] | TextClause]:
    e = _SQLITE if dialect == "sqlite" else _POSTGRESQL
    conditions: list[ColumnElement[bool] | TextClause] = [text(e.match)]
    if kinds is not None:
        conditions.append(text(f"{e.kind} IN ({', '.join(str(k) for k in kinds)})"))
    if not drafts and (kinds is None or 0 in kinds):
        conditions.append(text(_shown(e)))
    if any(x != "review=all" for x in shape):
        conditions.append(_quote_kept(shape, e.ref))
    if kinds is None or 3 in kinds:
        conditions.append(text(_once_per_actor(dialect, e)))
    return conditions


@cache
def _hit_queries(
    dialect: str, kinds: tuple[int, ...] | None, shape: tuple[str, ...], drafts: bool
) -> tuple[SQL, SQL]:
    """The ranked candidates (the first CANDIDATES matches in the index's order: as stored, on
    PostgreSQL) and the rest of the matches in key order, after a key.

    On PostgreSQL both are planned for each call's words: the best plan depends on how many
    texts hold them. A rare word is best found through the GIN index (a bitmap of its matches,
    then the first as stored); a word in millions of texts, by reading the index's table in
    order until the candidates are found, as building its bitmap alone takes longer. At 10M
    statements, planned once for any words, PostgreSQL chose the second for every word: 0.7 to
    3.7 s for a word of 10,000 matches, against 10 ms planned for it (bench/RESULTS.md).
    Planning costs about 0.5 ms at 10M on a warm connection (2.5 ms on its first search)."""
    e = _SQLITE if dialect == "sqlite" else _POSTGRESQL
    key: ColumnElement[int] = literal_column(e.key)
    columns = (key.label("key"), e.score.label("score"))
    conditions = _conditions(dialect, kinds, shape, drafts)
    if dialect == "sqlite":
        head = select(*columns).select_from(table("search_index"))
    else:
        index = table("search_index").alias("s")
        head = select(*columns).select_from(index)
    head = head.where(*conditions)
    rest = head.where(key > bindparam("after"))
    if dialect == "sqlite":
        head = head.order_by(key)
    else:
        rest = rest.where(text("s.id <> ALL(:ranked)"))
    head = head.limit(bindparam("candidates"))
    rest = rest.order_by(key).limit(bindparam("limit"))
    if dialect == "sqlite":
        return SQL(head), SQL(rest)
    return SQL(head, plan="custom"), SQL(rest, plan="custom")


# SQLite: the page's keys (a JSON array) and their range, which FTS5 reads alone (at 1M, 0.33 ms
# at the median for 400 words, where a seek for each key took 0.55 ms).
_SNIPPETS = {
    "sqlite": f"""WITH hits AS (
SELECT search_index.rowid AS key, search_index.rowid & 3 AS kind,
       (search_index.rowid & {_MASK}) >> 2 AS ref_id,
       snippet(search_index, 0, '{MARK}', '{UNMARK}', '…', 16) AS snippet
FROM search_index WHERE search_index MATCH :q AND search_index.rowid BETWEEN :low AND :high
  AND search_index.rowid IN (SELECT value FROM json_each(:keys)))""",
    "postgresql": f"""{_QUERY_CTE}, hits AS (
SELECT s.id AS key, s.kind, s.ref_id,
       ts_headline('english', s.body, q.query,
                   'StartSel={MARK}, StopSel={UNMARK}, MaxWords=16, MinWords=6') AS snippet
FROM search_index s, q WHERE s.id = ANY(:keys))""",
}
# What each hit is: the joins pick the rows a hit's kind names.
_DETAILS = """
SELECT hits.key, hits.kind, hits.snippet,
       a.id AS appearance_id, a.quote, a.mode, a.span_start, a.span_end,
       st.slug, st.stance, st.said_on, st.dated_on, st.context, st.via, st.note, st.version,
       st.status, st.status_reason,
       sp.slug AS speaker_slug, sp.name AS speaker_name, sp.kind AS speaker_kind,
       rc.slug AS recipient_slug, rc.name AS recipient_name, rc.kind AS recipient_kind,
       so.slug AS source_slug, so.title AS source_title, so.reported_on AS source_reported_on,
       ou.slug AS outlet_slug, ou.name AS outlet_name, ou.kind AS outlet_kind,
       c.slug AS claim_slug, c.text AS claim_text,
       ac.slug AS actor_slug, ac.name AS actor_name, ac.kind AS actor_kind
FROM hits
LEFT JOIN appearances a ON hits.kind = 0 AND a.id = hits.ref_id
LEFT JOIN statements st ON st.id = a.statement_id
LEFT JOIN actors sp ON sp.id = st.speaker_id
LEFT JOIN actors rc ON rc.id = st.recipient_id
LEFT JOIN sources so ON so.id = a.source_id
LEFT JOIN actors ou ON ou.id = so.outlet_id
LEFT JOIN claims c ON c.id = CASE WHEN hits.kind = 0 THEN st.claim_id
                                  WHEN hits.kind = 1 THEN hits.ref_id END
LEFT JOIN actor_aliases al ON hits.kind = 3 AND al.id = hits.ref_id
LEFT JOIN actors ac ON ac.id = CASE WHEN hits.kind = 2 THEN hits.ref_id
                                    WHEN hits.kind = 3 THEN al.actor_id END
"""
# Planned once on PostgreSQL too: its plan (lookups by key) does not depend on the words.
_HIT_DETAILS = {
    dialect: SQL(text(sql + _DETAILS), plan="generic" if dialect == "postgresql" else None)
    for dialect, sql in _SNIPPETS.items()
}


def marked(snippet: str) -> str:
    """An engine's snippet as the API shows it: the text HTML-escaped, each match in <mark>."""
    return html.escape(snippet).replace(MARK, "<mark>").replace(UNMARK, "</mark>")


def _millionths(score: Any) -> int:
    return round(float(score) * 1_000_000)


def search(db: ReadDB, q: str, f: SearchFilter, params: PageParams) -> Page[SearchHit]:
    """A page of the hits for Q among quotes, claims and actors: the ranked candidates first,
    then the other matches shortest text first; each with a highlighted snippet."""
    words = engine_query(db.dialect, _parsed(q))
    kinds = f.kinds()
    shape = f.statements.shape()
    head_sql, rest_sql = _hit_queries(db.dialect, kinds, shape, f.drafts)
    values: dict[str, Any] = {**f.statements.params(), "q": words, "candidates": CANDIDATES}
    after = params.after(_PART, _SCORE, _KEY)
    limit = min(params.limit, PAGE_MAX)
    picked: list[tuple[int, int, int]] = []  # (part, score in millionths, key)
    head: list[Row] | None = None
    if after is None or after[0] == 0:
        head = db.all(head_sql, values)
        ranked = sorted((-_millionths(r["score"]), r["key"]) for r in head)
        if after is not None:
            ranked = [r for r in ranked if r > (-after[1], after[2])]
        picked = [(0, -score, key) for score, key in ranked[: limit + 1]]
    if not picked and after is None:
        require(db, *f.statements.slugs())
    if len(picked) <= limit and (head is None or len(head) == CANDIDATES):
        # The rest of the matches, after the ranked candidates, in key order.
        if head is None and db.dialect != "sqlite":
            head = db.all(head_sql, values)  # PostgreSQL leaves the candidates out by key
        last = after[2] if after is not None and after[0] == 1 else 0
        if db.dialect == "sqlite" and head:
            last = max(last, max(r["key"] for r in head))  # FTS5's candidates: the first keys
        rows = db.all(
            rest_sql,
            {
                **values,
                "after": last,
                "limit": limit + 1 - len(picked),
                "ranked": [r["key"] for r in head or []],
            },
        )
        picked += [(1, _millionths(r["score"]), r["key"]) for r in rows]
    kept = picked[:limit]
    next_cursor = None
    if len(picked) > limit:
        part, score, key = kept[-1]
        next_cursor = encode_cursor((part, score if part == 0 else 0, key))
    return {"items": _hits(db, words, kept), "next_cursor": next_cursor}


def _hits(db: ReadDB, words: str, kept: list[tuple[int, int, int]]) -> list[SearchHit]:
    if not kept:
        return []
    keys: Any = [key for _part, _score, key in kept]
    values = {"q": words, "keys": keys, "low": min(keys), "high": max(keys)}
    if db.dialect == "sqlite":
        values["keys"] = orjson.dumps(keys).decode()
    rows = {r["key"]: r for r in db.all(_HIT_DETAILS[db.dialect], values)}
    return [_hit(rows[key], score / 1_000_000) for _part, score, key in kept if key in rows]


def _hit(row: Row, score: float) -> SearchHit:
    kind = KINDS[row["kind"]]
    quote = None
    if kind == "quote":
        quote = {
            "appearance_id": row["appearance_id"],
            "text": row["quote"],
            "mode": row["mode"],
            "span": {"start": row["span_start"], "end": row["span_end"]},
            "statement": statement_brief(row),
            "source": {
                "slug": row["source_slug"],
                "title": row["source_title"],
                "outlet": linked_actor(row["outlet_slug"], row["outlet_name"], row["outlet_kind"]),
                "reported_on": row["source_reported_on"],
            },
        }
    return {
        "kind": kind,
        "score": round(score, 6),
        "snippet": marked(row["snippet"]),
        "quote": quote,  # type: ignore[typeddict-item]
        "claim": (
            {"slug": row["claim_slug"], "text": row["claim_text"]} if row["claim_slug"] else None
        ),
        "actor": linked_actor(row["actor_slug"], row["actor_name"], row["actor_kind"]),
    }


# -- the sources' texts ---------------------------------------------------------------------------


def _source_conditions(shape: tuple[str, ...], source_id: str) -> str:
    on = set(shape)
    parts = []
    if "outlet" in on:
        parts.append("so.outlet_id = (SELECT id FROM actors WHERE slug = :outlet)")
    if "reported_from" in on:
        parts.append("so.reported_on >= :reported_from")
    if "reported_to" in on:
        parts.append("so.reported_on <= :reported_to")
    if not parts:
        return ""
    narrowed = " AND ".join(parts)
    return f" AND EXISTS (SELECT 1 FROM sources so WHERE so.id = {source_id} AND {narrowed})"


_SOURCE_COLUMNS = """so.id, so.slug AS source_slug, so.title AS source_title,
       so.reported_on AS source_reported_on,
       ou.slug AS outlet_slug, ou.name AS outlet_name, ou.kind AS outlet_kind"""


@cache
def _source_query(dialect: str, shape: tuple[str, ...]) -> SQL:
    """A page of the sources whose text matches, in id order, each with its text marked where
    it matches and a snippet (made for the page's sources alone)."""
    if dialect == "sqlite":
        # FTS5 hands the matches over in rowid order: the LIMIT stops the scan, and the marks
        # and snippets are made for the rows of the page alone.
        t = SOURCE_TEXTS
        sql = f"""SELECT {_SOURCE_COLUMNS},
       highlight({t}, 0, '{MARK}', '{UNMARK}') AS marked,
       snippet({t}, 0, '{MARK}', '{UNMARK}', '…', 24) AS snippet
FROM {t} JOIN sources so ON so.id = {t}.rowid LEFT JOIN actors ou ON ou.id = so.outlet_id
WHERE {t} MATCH :q AND {t}.rowid > :after{_source_conditions(shape, f"{t}.rowid")}
ORDER BY {t}.rowid LIMIT :limit"""
        return SQL(text(sql))
    page = (
        "SELECT s.id FROM sources s WHERE search_source_tsv(s.text) @@ to_tsquery('english', :q) "
        f"AND s.id > :after{_source_conditions(shape, 's.id')} ORDER BY s.id LIMIT :limit"
    )
    sql = f"""{_QUERY_CTE}
SELECT {_SOURCE_COLUMNS},
       ts_headline('english', so.text, q.query,
                   'HighlightAll=true, StartSel={MARK}, StopSel={UNMARK}') AS marked,
       ts_headline('english', so.text, q.query,
                   'StartSel={MARK}, StopSel={UNMARK}, MaxWords=24, MinWords=8') AS snippet
FROM sources so CROSS JOIN q LEFT JOIN actors ou ON ou.id = so.outlet_id
WHERE so.id IN ({page}) ORDER BY so.id"""
    return SQL(text(sql))


_WORDLESS = re.compile(r"[\W_]*")


def match_spans(marked_text: str) -> tuple[str, list[Located]]:
    """The text an engine marked, without the marks, and where the marks were: matches next to
    each other (nothing but spaces and punctuation between) are one, so that a phrase's words,
    which PostgreSQL marks one by one, make one match as in FTS5."""
    plain: list[str] = []
    spans: list[list[int]] = []
    position = 0
    start = 0
    for piece in re.split(f"([{MARK}{UNMARK}])", marked_text):
        if piece == MARK:
            start = position
        elif piece == UNMARK:
            spans.append([start, position])
        else:
            plain.append(piece)
            position += len(piece)
    whole = "".join(plain)
    merged: list[list[int]] = []
    for span in spans:
        if merged and _WORDLESS.fullmatch(whole, merged[-1][1], span[0]):
            merged[-1][1] = span[1]
        else:
            merged.append(span)
    return whole, [{"text": whole[s:e], "start": s, "end": e} for s, e in merged]


def search_sources(db: ReadDB, q: str, f: StatementFilter, params: PageParams) -> Page[SourceHit]:
    """A page of the sources whose text matches Q, in the order they were added, each with
    every match's span in its stored text."""
    node = _parsed(q)
    words = engine_query(db.dialect, node)
    after = params.after()
    limit = min(params.limit, PAGE_MAX)
    values = {
        **f.params(),
        "q": words,
        "after": after[0] if after else 0,
        "limit": limit + 1,
    }
    rows = db.all(_source_query(db.dialect, f.shape()), values)
    if not rows and after is None:
        require(db, *f.slugs())
    kept = rows[:limit]
    found = [match_spans(row["marked"])[1] for row in kept]
    if db.dialect == "postgresql":
        found = _phrases_whole(db, node, found)
    items: list[SourceHit] = []
    for row, spans in zip(kept, found, strict=True):
        items.append(
            {
                "source": {
                    "slug": row["source_slug"],
                    "title": row["source_title"],
                    "outlet": linked_actor(
                        row["outlet_slug"], row["outlet_name"], row["outlet_kind"]
                    ),
                    "reported_on": row["source_reported_on"],
                },
                "snippet": marked(row["snippet"]),
                "match_count": len(spans),
                "matches": spans[:SHOWN_MATCHES],
            }
        )
    next_cursor = encode_cursor((kept[-1]["id"],)) if len(rows) > limit else None
    return {"items": items, "next_cursor": next_cursor}


# Which stretches PostgreSQL marked are matches of a word or phrase of the query by themselves.
_WHOLE = SQL(
    text(
        "SELECT r.i, bool_or(to_tsvector('english', r.t) @@ to_tsquery('english', t.q)) AS whole "
        "FROM unnest(CAST(:stretches AS text[])) WITH ORDINALITY AS r(t, i), "
        "unnest(CAST(:terms AS text[])) AS t(q) GROUP BY r.i"
    )
)


def _phrases_whole(db: ReadDB, node: Node, found: list[list[Located]]) -> list[list[Located]]:
    """PostgreSQL's ts_headline marks each word of a phrase wherever it stands, next to the
    others or not (FTS5 marks the phrase): the stretches kept are those that match one of the
    query's words or phrases by themselves, as FTS5's do."""
    stretches = [span["text"] for spans in found for span in spans]
    if not stretches:
        return found
    terms = [tsquery(term) for term in found_terms(node)]
    rows = db.all(_WHOLE, {"stretches": stretches, "terms": terms})
    whole = {int(r["i"]) - 1 for r in rows if r["whole"]}
    kept: list[list[Located]] = []
    n = 0
    for spans in found:
        kept.append([span for i, span in enumerate(spans, start=n) if i in whole])
        n += len(spans)
    return kept
