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


# The sources' texts have an index of their own (the search_source_texts migration): on SQLite an
# FTS5 table over sources.text (external content: it reads the text from sources); on
# PostgreSQL a GIN index on search_source_tsv(text), which PostgreSQL keeps in step itself.
SOURCE_TEXTS = "search_index_sources"
# Empties SQLite's index of the sources' texts (FTS5's command for an external-content table).
EMPTY_SOURCE_TEXTS = f"INSERT INTO {SOURCE_TEXTS}({SOURCE_TEXTS}) VALUES ('delete-all')"


def index_source_texts(first_id: int) -> str:
    """The SQL (SQLite's) that indexes the texts of the sources from FIRST_ID on, as the
    triggers would have: the loader and the restore set those aside and call this."""
    return (
        f"INSERT INTO {SOURCE_TEXTS}(rowid, text) SELECT id, text FROM sources "
        f"WHERE id >= {int(first_id)} AND text IS NOT NULL"
    )
