"""The SQL of the floor app: the statements sayso runs for each key question, copied.

Taken from what sayso's Core queries compile to (app/statements/service.py `_list_queries`,
app/sources/service.py `_appearances_query`, app/claims/service.py `_SPEAKERS_BY_STANCE` and
`_REACH_BY_STANCE`, app/search/service.py `_SEARCH`), in SQLite's syntax with named parameters
(`:name`); `for_postgres` turns them into psycopg's `%(name)s`. The only change: sayso's
`OFFSET 0` is left out. When sayso's queries change, copy them here again (bench/README.md says
how to print them).
"""

import re

CLAIM_ID = "SELECT claims.id FROM claims WHERE claims.slug = :slug"
CLAIM_TEXT = "SELECT claims.text FROM claims WHERE claims.slug = :slug"
ACTOR_ID = "SELECT actors.id FROM actors WHERE actors.slug = :slug"
SOURCE_ID = "SELECT sources.id FROM sources WHERE sources.slug = :slug"

_STATEMENT_COLUMNS = """statements.id, statements.slug, statements.stance, statements.said_on,
statements.context, statements.via, statements.note, statements.version, statements.status,
statements.status_reason, speaker.slug AS speaker_slug,
speaker.name AS speaker_name, speaker.kind AS speaker_kind, claims.slug AS claim_slug,
claims.text AS claim_text, recipient.slug AS recipient_slug, recipient.name AS recipient_name,
recipient.kind AS recipient_kind"""
_STATEMENT_JOINS = """FROM statements JOIN actors AS speaker ON speaker.id = statements.speaker_id
JOIN claims ON claims.id = statements.claim_id
LEFT OUTER JOIN actors AS recipient ON recipient.id = statements.recipient_id"""
_APPEARANCE_COLUMNS = """appearances.id AS appearance_id, appearances.statement_id,
appearances.quote, appearances.mode, appearances.span_start, appearances.span_end,
appearances.attribution, appearances.attribution_start, appearances.attribution_end,
appearances.hedge, appearances.hedge_start, appearances.hedge_end,
appearances.note AS appearance_note, appearances.version AS appearance_version,
appearances.status AS appearance_status,
appearances.status_reason AS appearance_status_reason"""
# Reads show confirmed statements and appearances (sayso's review status); `likely(...) = 1` is
# SQLite's planner hint that sayso's queries carry, dropped on PostgreSQL (for_postgres).
_CONFIRMED_STATEMENT = "likely(statements.status = :confirmed) = 1"
_CONFIRMED_APPEARANCE = "likely(appearances.status = :confirmed) = 1"

# Statements on a claim with a stance (all denials: stance = 'denies'), a page in id order.
_DENIALS_WHERE = f"""WHERE statements.claim_id = (SELECT claims.id FROM claims
WHERE claims.slug = :claim) AND statements.stance = :stance AND {_CONFIRMED_STATEMENT}"""
# Everything an actor said, a page in id order.
_ACTOR_WHERE = f"""WHERE statements.speaker_id = (SELECT actors.id FROM actors
WHERE actors.slug = :speaker) AND {_CONFIRMED_STATEMENT}"""


def _page(where: str) -> str:
    return (
        f"SELECT {_STATEMENT_COLUMNS}\n{_STATEMENT_JOINS}\n{where} ORDER BY statements.id\n"
        " LIMIT :limit"
    )


def _appearances_of_page(where: str) -> str:
    """Every appearance of the page's statements (the page is a subquery), with its source."""
    return f"""SELECT {_APPEARANCE_COLUMNS}, sources.slug AS source_slug,
sources.title AS source_title, sources.reported_on AS source_reported_on,
outlet.slug AS outlet_slug, outlet.name AS outlet_name, outlet.kind AS outlet_kind
FROM appearances JOIN sources ON sources.id = appearances.source_id
LEFT OUTER JOIN actors AS outlet ON outlet.id = sources.outlet_id
WHERE appearances.statement_id IN (SELECT statements.id
FROM statements JOIN actors AS speaker ON speaker.id = statements.speaker_id
{where} ORDER BY statements.id
 LIMIT :limit) AND {_CONFIRMED_APPEARANCE} ORDER BY appearances.statement_id,
sources.reported_on, sources.id, appearances.span_start"""


DENIALS = _page(_DENIALS_WHERE)
DENIALS_APPEARANCES = _appearances_of_page(_DENIALS_WHERE)
ACTOR = _page(_ACTOR_WHERE)
ACTOR_APPEARANCES = _appearances_of_page(_ACTOR_WHERE)

# A page of what a source reports, in text order: statement columns, then appearance columns.
SOURCE = f"""SELECT {_STATEMENT_COLUMNS}, {_APPEARANCE_COLUMNS}
{_STATEMENT_JOINS} JOIN appearances ON appearances.statement_id = statements.id
WHERE appearances.source_id = (SELECT sources.id FROM sources WHERE sources.slug = :slug)
AND {_CONFIRMED_APPEARANCE} AND {_CONFIRMED_STATEMENT}
ORDER BY appearances.span_start, appearances.id
 LIMIT :limit"""

# A claim's positions: who takes each stance (the claim resolved inside the query) ...
POSITION_SPEAKERS = f"""SELECT statements.stance, speaker.slug, speaker.name, speaker.kind,
count(*) AS statements, (SELECT claims.text FROM claims WHERE claims.slug = :slug) AS text
FROM statements JOIN actors AS speaker ON speaker.id = statements.speaker_id
WHERE statements.claim_id = (SELECT claims.id FROM claims WHERE claims.slug = :slug)
AND {_CONFIRMED_STATEMENT}
GROUP BY statements.stance, speaker.id, speaker.slug, speaker.name, speaker.kind
ORDER BY statements.stance, count(*) DESC, speaker.slug"""
# ... and how far each stance reached: sources, and independent origins (a source citing a wire
# story counts as that story).
POSITION_REACH = f"""SELECT reports.stance, count(DISTINCT reports.source_id) AS sources,
count(DISTINCT reports.origin_id) AS origins
FROM (SELECT statements.stance AS stance, appearances.source_id AS source_id,
coalesce(source_citations.cited_source_id, appearances.source_id) AS origin_id
FROM statements JOIN appearances ON appearances.statement_id = statements.id
LEFT OUTER JOIN source_citations ON source_citations.source_id = appearances.source_id
WHERE statements.claim_id = (SELECT claims.id FROM claims WHERE claims.slug = :slug)
AND {_CONFIRMED_STATEMENT} AND {_CONFIRMED_APPEARANCE}) AS reports GROUP BY reports.stance"""

# Full-text search (app/search/service.py): the first 100 matches in key order (as stored, on
# PostgreSQL) with their scores, an actor once (under its name, else its first matching alias);
# then the snippets and what each hit of the page is.
_NAME_KEY = (
    "(CAST(length(a.name) - length(replace(a.name, ' ', '')) + 1 AS BIGINT) << 36) + a.id * 4 + 2"
)
_ALIAS_KEY = (
    "(CAST(length(o.alias) - length(replace(o.alias, ' ', '')) + 1 AS BIGINT) << 36) + o.id * 4 + 3"
)


def _once_per_actor(kind: str, ref: str, matches: str, scalar: bool = False) -> str:
    """SCALAR: as a scalar subquery (PostgreSQL, as sayso asks it), not a NOT EXISTS."""
    name, alias = matches.format(key=_NAME_KEY), matches.format(key=_ALIAS_KEY)
    shadowed = f"""SELECT 1 FROM actor_aliases al
JOIN actors a ON a.id = al.actor_id WHERE al.id = {ref} AND ({name} OR EXISTS
(SELECT 1 FROM actor_aliases o WHERE o.actor_id = al.actor_id AND o.id < al.id AND {alias}))"""
    if scalar:
        return f"({kind} <> 3 OR ({shadowed} LIMIT 1) IS NULL)"
    return f"({kind} <> 3 OR NOT EXISTS ({shadowed}))"


SEARCH_SQLITE = f"""SELECT search_index.rowid AS key, -bm25(search_index) AS score
FROM search_index WHERE search_index MATCH :q AND ((search_index.rowid & 3) <> 0 OR EXISTS
(SELECT 1 FROM appearances a JOIN statements st ON st.id = a.statement_id
WHERE a.id = ((search_index.rowid & 68719476735) >> 2) AND a.status = 'confirmed'
AND st.status = 'confirmed')) AND {
    _once_per_actor(
        "(search_index.rowid & 3)",
        "((search_index.rowid & 68719476735) >> 2)",
        "EXISTS (SELECT 1 FROM search_index(:q) m WHERE m.rowid = {key})",
    )
}
ORDER BY search_index.rowid LIMIT :candidates"""
_QUERY = "WITH q AS MATERIALIZED (SELECT to_tsquery('english', :q) AS query)"
# A quote is a hit when its appearance and its statement are confirmed (sayso's `_shown`, as in
# SEARCH_SQLITE).
_SHOWN_POSTGRES = """(s.kind <> 0 OR COALESCE((SELECT st.status = 'confirmed' FROM appearances a
JOIN statements st ON st.id = a.statement_id WHERE a.id = s.ref_id AND a.status = 'confirmed'),
false))"""
# The words in the SQL itself, not in a CTE joined to the index, and planned for each search's
# words (floor_app.py): the best plan depends on how many texts hold them.
_TSQUERY = "to_tsquery('english', :q)"
SEARCH_POSTGRES = f"""SELECT s.id AS key, ts_rank_cd(s.tsv, {_TSQUERY}) AS score
FROM search_index AS s WHERE s.tsv @@ {_TSQUERY} AND {_SHOWN_POSTGRES} AND {
    _once_per_actor(
        "s.kind",
        "s.ref_id",
        f"COALESCE((SELECT m.tsv @@ {_TSQUERY} FROM search_index m WHERE m.id = {{key}}), false)",
        scalar=True,
    )
}
LIMIT :candidates"""
SEARCH_PAGE_MAX = 100
_SEARCH_DETAILS = """
SELECT hits.key, hits.kind, hits.snippet,
       a.id AS appearance_id, a.quote, a.mode, a.span_start, a.span_end,
       st.slug, st.stance, st.said_on, st.context, st.via, st.note, st.version, st.status,
       st.status_reason,
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
SEARCH_DETAILS_SQLITE = (
    """WITH hits AS (SELECT search_index.rowid AS key, search_index.rowid & 3 AS kind,
  (search_index.rowid & 68719476735) >> 2 AS ref_id,
  snippet(search_index, 0, '\ufdd0', '\ufdd1', '…', 16) AS snippet
FROM search_index WHERE search_index MATCH :q AND search_index.rowid BETWEEN :low AND :high
  AND search_index.rowid IN (SELECT value FROM json_each(:keys)))"""
    + _SEARCH_DETAILS
)
SEARCH_DETAILS_POSTGRES = (
    f"""{_QUERY}, hits AS (SELECT s.id AS key, s.kind, s.ref_id,
  ts_headline('english', s.body, q.query,
              'StartSel=\ufdd0, StopSel=\ufdd1, MaxWords=16, MinWords=6') AS snippet
FROM search_index s, q WHERE s.id = ANY(:keys))"""
    + _SEARCH_DETAILS
)
SEARCH_KINDS = {0: "quote", 1: "claim", 2: "actor", 3: "actor"}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def search_terms(query: str, postgres: bool) -> str | None:
    """The query in the engine's syntax, as sayso writes plain words: all of them."""
    words = [w.lower() for w in _WORD.findall(query)]
    if not words:
        return None
    quoted = [f"'{w}'" for w in words] if postgres else [f'"{w}"' for w in words]
    if len(quoted) == 1:
        return quoted[0]
    return "(" + (" & " if postgres else " AND ").join(quoted) + ")"


_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


_LIKELY = re.compile(r"likely\(([^()]*)\) = 1")


def for_postgres(sql: str) -> str:
    """`:name` parameters as psycopg's `%(name)s`; SQLite's `likely(...) = 1` as plain `(...)`."""
    return _NAMED.sub(r"%(\1)s", _LIKELY.sub(r"(\1)", sql))
