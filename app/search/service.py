"""Full-text search over quotes, claim texts, and actor names and aliases.

One interface over each database's own engine (SQLite FTS5, PostgreSQL tsvector); the index is
kept in step with writes by triggers (see the search_index migrations).

Ranking every match of a common word costs time in proportion to the corpus (bm25 reads each
match's length). So a search ranks a capped set of candidates: the first CANDIDATES matches
of any of the words, and the first CANDIDATES matches of all of them, in the index's own
order, which is the texts' length in words (app/search/index.py): the shortest texts, where
bm25 finds its best hits anyway. FTS5 hands matches over in that order without looking at the
rest (PostgreSQL's GIN does not: see below), and the scores are those of ranking every match.
bench/README.md says what this costs in quality.
"""

import re

from sqlalchemy import text

from app.db.reads import SQL, ReadDB, Row
from app.models.enums import ReviewStatus
from app.search.index import KINDS
from app.search.schemas import SearchHit, SearchResults

_WORD = re.compile(r"\w+", re.UNICODE)
# How many matches of any word, and of all words, a search ranks (bench/README.md: why 100).
CANDIDATES = 100

# The best hits first, then what each one is: the joins below pick the row the hit came from.
_DETAILS = """
SELECT hits.kind, hits.score, hits.snippet,
       a.id AS appearance_id, a.quote, a.span_start, a.span_end,
       st.slug AS statement_slug, st.stance,
       sp.slug AS speaker_slug, sp.name AS speaker_name, sp.kind AS speaker_kind,
       so.slug AS source_slug, so.title AS source_title,
       c.slug AS claim_slug, c.text AS claim_text,
       ac.slug AS actor_slug, ac.name AS actor_name, ac.kind AS actor_kind
FROM hits
LEFT JOIN appearances a ON hits.kind = 0 AND a.id = hits.ref_id
LEFT JOIN statements st ON st.id = a.statement_id
LEFT JOIN actors sp ON sp.id = st.speaker_id
LEFT JOIN sources so ON so.id = a.source_id
LEFT JOIN claims c ON c.id = CASE WHEN hits.kind = 0 THEN st.claim_id
                                  WHEN hits.kind = 1 THEN hits.ref_id END
LEFT JOIN actor_aliases al ON hits.kind = 3 AND al.id = hits.ref_id
LEFT JOIN actors ac ON ac.id = CASE WHEN hits.kind = 2 THEN hits.ref_id
                                    WHEN hits.kind = 3 THEN al.actor_id END
ORDER BY hits.score DESC, hits.rowid
"""

# SQLite: the keys of the last candidate of each set bound two rowid ranges, which FTS5 scans
# alone: the matches of any word up to the first cut, then those of all words up to the second
# (a row with all the words has any of them: below the first cut it is already there). bm25
# scores a row the same under either query. The ORDER BY ... LIMIT sits on the compound query
# itself, so that each branch keeps only its best rows and makes snippets for those alone. Kind
# and id are read from the key: the stored columns would cost a lookup per candidate.
_SNIPPET = "snippet(search_index, 0, '<mark>', '</mark>', '…', 16)"
_KIND_AND_ID = f"rowid & 3 AS kind, (rowid & {(1 << 36) - 1}) >> 2 AS ref_id"


def _shown(kind: str, ref_id: str) -> str:
    """SQL true of a hit a reader without drafts may see: a claim or an actor, or the quote of
    a confirmed appearance of a confirmed statement. Tested on the candidates, before the best
    are taken, so that drafts do not take the places of hits shown (two lookups by primary key
    a candidate, at most 200 candidates)."""
    confirmed = ReviewStatus.confirmed.value
    return f"""({kind} <> 0 OR EXISTS (SELECT 1 FROM appearances a
    JOIN statements st ON st.id = a.statement_id
    WHERE a.id = {ref_id} AND a.status = '{confirmed}' AND st.status = '{confirmed}'))"""


_POSTGRESQL_SHOWN = "WHERE " + _shown("ranked.kind", "ranked.ref_id")
_SQLITE_SHOWN = "AND " + _shown(
    "(search_index.rowid & 3)", f"((search_index.rowid & {(1 << 36) - 1}) >> 2)"
)
_SQLITE = f"""
WITH cut AS (
  SELECT (SELECT max(rowid) FROM (SELECT rowid FROM search_index
            WHERE search_index MATCH :any_words ORDER BY rowid LIMIT {CANDIDATES})) AS any_cut,
         (SELECT max(rowid) FROM (SELECT rowid FROM search_index
            WHERE search_index MATCH :all_words ORDER BY rowid LIMIT {CANDIDATES})) AS all_cut),
hits AS (
  SELECT rowid, {_KIND_AND_ID}, -bm25(search_index) AS score, {_SNIPPET} AS snippet
  FROM search_index WHERE search_index MATCH :any_words AND rowid <= (SELECT any_cut FROM cut)
  {{shown}}
  UNION ALL
  SELECT rowid, {_KIND_AND_ID}, -bm25(search_index) AS score, {_SNIPPET} AS snippet
  FROM search_index WHERE search_index MATCH :all_words AND rowid > (SELECT any_cut FROM cut)
    AND rowid <= (SELECT all_cut FROM cut)
  {{shown}}
  ORDER BY score DESC, rowid LIMIT :limit)"""

# PostgreSQL: GIN yields matches in storage order, not by key; reading every match's key would
# cost a heap visit per match. So the candidates are the first matches as stored: loads store
# the index in key order (app/ingest/write.py; the migration clusters it), so for loaded rows
# these are the shortest texts too; rows written since sit wherever PostgreSQL found room. The
# all-words scan is skipped for a one-word query (it would find the same rows). Each candidate
# carries what ranking and the snippet need, as the scan read it: fetching those again by id
# cost 13-20% of a search (at 100k statements, same hits).
_POSTGRESQL = f"""
WITH q AS (SELECT to_tsquery('english', :any_words) AS any_q,
                  to_tsquery('english', :all_words) AS all_q),
candidates AS (
  (SELECT s.id, s.kind, s.ref_id, s.body, s.tsv FROM search_index s, q
   WHERE s.tsv @@ q.any_q LIMIT {CANDIDATES})
  UNION ALL
  (SELECT s.id, s.kind, s.ref_id, s.body, s.tsv FROM search_index s, q
   WHERE :all_words <> :any_words AND s.tsv @@ q.all_q LIMIT {CANDIDATES})),
ranked AS (SELECT DISTINCT ON (c.id) c.id AS rowid, c.kind, c.ref_id, c.body,
  ts_rank_cd(c.tsv, q.any_q) AS score FROM candidates c, q ORDER BY c.id),
top AS (SELECT * FROM ranked {{shown}} ORDER BY score DESC, rowid LIMIT :limit),
hits AS (SELECT top.rowid, top.kind, top.ref_id, top.score,
  ts_headline('english', top.body, q.any_q,
              'StartSel=<mark>, StopSel=</mark>, MaxWords=16, MinWords=6') AS snippet
  FROM top, q)"""

# By database, and by whether drafts are shown: every quote, or those of confirmed data.
_SEARCH = {
    ("sqlite", True): SQL(text(_SQLITE.format(shown="") + _DETAILS)),
    ("sqlite", False): SQL(text(_SQLITE.format(shown=_SQLITE_SHOWN) + _DETAILS)),
    # Planned once: its plan is the same whatever the words, and planning it was half its cost.
    ("postgresql", True): SQL(text(_POSTGRESQL.format(shown="") + _DETAILS), generic_plan=True),
    ("postgresql", False): SQL(
        text(_POSTGRESQL.format(shown=_POSTGRESQL_SHOWN) + _DETAILS),
        generic_plan=True,
    ),
}


def words(query: str) -> list[str]:
    """The words of a user's query, lower-cased; punctuation and operators are dropped."""
    return [w.lower() for w in _WORD.findall(query)]


def engine_query(dialect: str, terms: list[str], every: bool = False) -> str:
    """The query in the database's own syntax: any of the words (or EVERY one of them)."""
    if dialect == "sqlite":
        return (" " if every else " OR ").join(f'"{t}"' for t in terms)
    return (" & " if every else " | ").join(f"'{t}'" for t in terms)


def _hit(row: Row) -> SearchHit:
    kind = KINDS[row["kind"]]
    return {
        "kind": kind,
        "score": round(float(row["score"]), 6),
        "snippet": row["snippet"],
        "claim": (
            {"slug": row["claim_slug"], "text": row["claim_text"]} if row["claim_slug"] else None
        ),
        "actor": (
            {"slug": row["actor_slug"], "name": row["actor_name"], "kind": row["actor_kind"]}
            if row["actor_slug"]
            else None
        ),
        "quote": (
            {
                "appearance_id": row["appearance_id"],
                "text": row["quote"],
                "span": {"start": row["span_start"], "end": row["span_end"]},
                "statement": row["statement_slug"],
                "stance": row["stance"],
                "speaker": {
                    "slug": row["speaker_slug"],
                    "name": row["speaker_name"],
                    "kind": row["speaker_kind"],
                },
                "source": {"slug": row["source_slug"], "title": row["source_title"]},
            }
            if kind == "quote"
            else None
        ),
    }


def search(db: ReadDB, query: str, limit: int, *, drafts: bool = False) -> SearchResults:
    """The best hits for QUERY among quotes, claims and actors, with a highlighted snippet;
    quotes of drafts (proposed or rejected in review) with DRAFTS alone."""
    terms = words(query)
    if not terms:
        return {"query": query, "items": []}
    params = {
        "any_words": engine_query(db.dialect, terms),
        "all_words": engine_query(db.dialect, terms, every=True),
        "limit": limit,
    }
    rows = db.all(_SEARCH[db.dialect, drafts], params)
    return {"query": query, "items": [_hit(r) for r in rows]}
