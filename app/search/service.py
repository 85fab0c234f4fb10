"""Full-text search over quotes, claim texts, and actor names and aliases.

One interface over each database's own engine (SQLite FTS5, PostgreSQL tsvector); the index is
kept in step with writes by triggers (see the search_index migration).
"""

import re
from typing import Any

from sqlalchemy import text

from app.reads import SQL, ReadDB, Row

# What a search_index row indexes: its kind code, kept in the migration's triggers.
KINDS = {0: "quote", 1: "claim", 2: "actor", 3: "actor"}
_WORD = re.compile(r"\w+", re.UNICODE)

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

_SEARCH = {
    "sqlite": SQL(
        text(
            "WITH hits AS (SELECT rowid, kind, ref_id, -bm25(search_index) AS score, "
            "snippet(search_index, 0, '<mark>', '</mark>', '…', 16) AS snippet "
            "FROM search_index WHERE search_index MATCH :q "
            "ORDER BY bm25(search_index), rowid LIMIT :limit)" + _DETAILS
        )
    ),
    "postgresql": SQL(
        text(
            "WITH q AS (SELECT to_tsquery('english', :q) AS query), "
            "top AS (SELECT s.id AS rowid, s.kind, s.ref_id, s.body, "
            "ts_rank_cd(s.tsv, q.query) AS score FROM search_index s, q "
            "WHERE s.tsv @@ q.query ORDER BY score DESC, s.id LIMIT :limit), "
            "hits AS (SELECT top.rowid, top.kind, top.ref_id, top.score, "
            "ts_headline('english', top.body, q.query, "
            "'StartSel=<mark>, StopSel=</mark>, MaxWords=16, MinWords=6') AS snippet "
            "FROM top, q)" + _DETAILS
        )
    ),
}


def words(query: str) -> list[str]:
    """The words of a user's query, lower-cased; punctuation and operators are dropped."""
    return [w.lower() for w in _WORD.findall(query)]


def engine_query(dialect: str, terms: list[str]) -> str:
    """The query in the database's own syntax: any of the words, the best matches first."""
    if dialect == "sqlite":
        return " OR ".join(f'"{t}"' for t in terms)
    return " | ".join(f"'{t}'" for t in terms)


def _hit(row: Row) -> Row:
    kind = KINDS[row["kind"]]
    hit: dict[str, Any] = {"kind": kind, "score": round(float(row["score"]), 6)}
    hit["snippet"] = row["snippet"]
    hit["claim"] = (
        {"slug": row["claim_slug"], "text": row["claim_text"]} if row["claim_slug"] else None
    )
    hit["actor"] = (
        {"slug": row["actor_slug"], "name": row["actor_name"], "kind": row["actor_kind"]}
        if row["actor_slug"]
        else None
    )
    hit["quote"] = None
    if kind == "quote":
        hit["quote"] = {
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
    return hit


async def search(db: ReadDB, query: str, limit: int) -> Row:
    """The best hits for QUERY among quotes, claims and actors, with a highlighted snippet."""
    terms = words(query)
    if not terms:
        return {"query": query, "items": []}
    rows = await db.all(_SEARCH[db.dialect], {"q": engine_query(db.dialect, terms), "limit": limit})
    return {"query": query, "items": [_hit(r) for r in rows]}
