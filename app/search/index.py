"""What the search index holds, and the key each of its rows is stored under.

A row's key is its text's length in words (its spaces plus one), then what it indexes:
`(words << 36) + id * 4 + code`. FTS5 hands matches over in key order at no cost, so a search
can take "the first N matches" (the shortest texts, where bm25 finds its best hits) without
looking at the others; PostgreSQL's table is stored in key order for the same reason (see
app/search/service.py). The search_index migrations write the same key in their triggers; the
loader uses `row_key` for the rows it indexes in bulk.
"""

from typing import Literal

# (table, kind code, indexed column)
SOURCES = (
    ("appearances", 0, "quote"),
    ("claims", 1, "text"),
    ("actors", 2, "name"),
    ("actor_aliases", 3, "alias"),
)
# What a hit is, by kind code (app/search/schemas.py SearchHit.kind).
KINDS: dict[int, Literal["quote", "claim", "actor"]] = {
    0: "quote",
    1: "claim",
    2: "actor",
    3: "actor",
}


def row_key(text: str, id_: str, code: int) -> str:
    """The SQL (SQLite's and PostgreSQL's alike) of a row's key, from SQL for its text and id."""
    words = f"length({text}) - length(replace({text}, ' ', '')) + 1"
    return f"(CAST({words} AS BIGINT) << 36) + {id_} * 4 + {code}"
