"""The loading floor: the rows `sayso load` writes, inserted with the plain driver's executemany.

    python -m bench.floor_load --corpus bench/out/corpus-10k --url sqlite:////abs/path/floor.db

The database must be freshly migrated (`sayso migrate`) and empty. The annotation files (JSON) are
read directly, spans are found with str.find (the same rules as the loader: `occurrence`, else the
first occurrence outside furniture; attributions and hedges at the occurrence nearest the quote),
ids are assigned here, and every row (actors, aliases, claims, sources with their text, dates,
citations, furniture, statements, appearances, and the contradictions: the curated ones and the
denials sayso derives from the stances) is inserted with one executemany per table, in one
transaction; the search index is then filled with one INSERT ... SELECT per indexed table (its
per-row triggers set aside meanwhile, as sayso's loader does). Nothing is validated beyond what
finding the spans needs.

Two times are reported: `parse_s` (reading and parsing the files, hashing, finding spans, making
the rows) and `insert_s` (BEGIN ... executemany ... COMMIT); the floor rate is statements/insert_s.
"""

import argparse
import datetime as dt
import hashlib
import sqlite3
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import orjson

POSITIVE = ("asserts", "confirms", "suggests")
Row = tuple[Any, ...]


def alias_key(alias: str) -> str:
    return " ".join(alias.casefold().split())


def _occurrences(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _in(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < e and s < end for s, e in spans)


def _place(text: str, needle: str, furniture: list[tuple[int, int]], occurrence: Any) -> int:
    if occurrence is not None:
        return _occurrences(text, needle)[int(occurrence) - 1]
    for start in _occurrences(text, needle):
        if not _in(furniture, start, start + len(needle)):
            return start
    raise ValueError(f"{needle!r} is not in the text")


def _nearest(
    text: str, needle: str, span: tuple[int, int], furniture: list[tuple[int, int]]
) -> int:
    best: tuple[int, int] | None = None
    for s in _occurrences(text, needle):
        if _in(furniture, s, s + len(needle)):
            continue
        d = max(0, span[0] - (s + len(needle)), s - span[1])
        if best is None or (d, s) < best:
            best = (d, s)
    if best is None:
        raise ValueError(f"{needle!r} is not in the article text")
    return best[1]


class Rows:
    """Every row of a corpus, with ids assigned in file order."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.ids: dict[str, dict[str, int]] = defaultdict(dict)
        self.actors: list[Row] = []
        self.late_affiliations: list[tuple[str, str]] = []  # (actor, affiliation declared later)
        self.aliases: list[Row] = []
        self.claims: list[Row] = []
        self.sources: list[Row] = []
        self.dates: list[Row] = []
        self.citations: list[tuple[str, str, Any, Any, Any]] = []
        self.furniture: list[Row] = []
        self.statements: list[Row] = []
        self.stance_of: dict[int, tuple[int, str]] = {}  # id -> (claim, stance)
        self.appearances: list[Row] = []
        self.appearance_id: dict[tuple[str, str, str], int] = {}
        self.curated: list[tuple[str, Any, Any, Any, str | None]] = []
        self.contradictions: list[Row] = []
        # Each source's reporting day by id, and the history's "created by the load of file X"
        # entry of every object a file declares: (object type, id, slug, file number).
        self.reported_of: dict[int, Any] = {}
        self.files: list[str] = []
        self.file = 0  # the number of the file being read
        self.created: list[tuple[str, int, str | None, int]] = []
        self.curated_files: list[int] = []

    def _id(self, kind: str, slug: str) -> int:
        table = self.ids[kind]
        new = len(table) + 1
        table[slug] = new
        return new

    def _day(self, value: str) -> Any:
        return dt.date.fromisoformat(value[:10]) if self.postgres else value[:10]

    def _at(self, value: str) -> Any:
        instant = dt.datetime.fromisoformat(value).astimezone(dt.UTC)
        if self.postgres:
            return instant
        return instant.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite DATETIME form

    def add_file(self, path: Path) -> None:
        data = orjson.loads(path.read_bytes())
        self.file = len(self.files)
        self.files.append(_file_name(path))
        for a in data.get("actors", ()):
            actor_id = self._id("actor", a["slug"])
            self.created.append(("actor", actor_id, a["slug"], self.file))
            parent = a.get("affiliation")
            parent_id = self.ids["actor"].get(parent) if parent else None
            if parent and parent_id is None:
                self.late_affiliations.append((a["slug"], parent))
            self.actors.append(
                (
                    actor_id,
                    a["slug"],
                    a["name"],
                    a["kind"],
                    a.get("description"),
                    parent_id,
                    a.get("group_size"),
                    a.get("knowledge"),
                    alias_key(a["name"]),
                )
            )
            seen: set[str] = set()
            for alias in (a["name"], *a.get("aliases", ())):
                key = alias_key(alias)
                if key not in seen:
                    seen.add(key)
                    self.aliases.append((actor_id, alias, key))
        for c in data.get("claims", ()):
            claim_id = self._id("claim", c["slug"])
            self.created.append(("claim", claim_id, c["slug"], self.file))
            self.claims.append((claim_id, c["slug"], c["text"], c.get("note")))
        for s in data.get("sources", ()):
            reported = s.get("reported_on")
            self.sources.append(
                self._source(
                    s,
                    None,
                    None,
                    self._day(reported) if reported else None,
                    s.get("reported_on_basis"),
                )
            )
        self._document(path, data)

    def _source(
        self, s: dict[str, Any], text: str | None, sha: str | None, day: Any, basis: str | None
    ) -> Row:
        outlet = s.get("outlet")
        source_id = self._id("source", s["slug"])
        self.reported_of[source_id] = day
        self.created.append(("source", source_id, s["slug"], self.file))
        return (
            source_id,
            s["slug"],
            s.get("title"),
            self.ids["actor"][outlet] if outlet else None,
            s.get("url"),
            s.get("byline"),
            s["language"],
            s.get("description"),
            text,
            sha,
            day,
            basis,
        )

    def _document(self, path: Path, data: dict[str, Any]) -> None:
        src = data["source"]
        raw = (path.parent / src["document"]).read_bytes()
        text = raw.decode()
        furniture: list[tuple[int, int]] = []
        furniture_rows: list[tuple[str, int, int]] = []
        for f in src.get("furniture", ()):
            needle = f["text"]
            if f.get("occurrence") == "all":
                starts = _occurrences(text, needle)
            else:
                starts = [_place(text, needle, [], f.get("occurrence"))]
            for s in starts:
                furniture.append((s, s + len(needle)))
                furniture_rows.append((f["kind"], s, s + len(needle)))
        dates = []
        for d in src.get("dates", ()):
            start = _place(text, d["printed"], [], d.get("occurrence"))
            value = d["value"]
            at = self._at(value) if "T" in value else None
            dates.append((d["kind"], d["printed"], value[:10], at, start, d.get("note")))
        # The publication date, else the day the file gives with its reason, else the updated
        # date, else the page's, each with what sayso says of it (app/documents/dates.py).
        reported, basis = src.get("reported_on"), src.get("reported_on_basis")
        for kind, template in (("published", None), ("updated", UPDATED), ("page", PAGE)):
            found = sorted((d[2], d[1]) for d in dates if d[0] == kind)
            if found and (kind == "published" or reported is None):
                reported = found[0][0]
                basis = template.format(found[0][1]) if template else None
                break
        day = self._day(reported) if reported else None
        row = self._source(src, text, hashlib.sha256(raw).hexdigest(), day, basis)
        source_id, slug = row[0], row[1]
        self.sources.append(row)
        for kind, printed, day, at, start, note in dates:
            self.dates.append(
                (source_id, kind, printed, self._day(day), at, start, start + len(printed), note)
            )
        for c in src.get("cites", ()):
            evidence = c.get("evidence")
            start = _place(text, evidence, [], c.get("occurrence")) if evidence else None
            end = start + len(evidence) if evidence and start is not None else None
            self.citations.append((slug, c["source"], evidence, start, end))
        for kind, start, end in sorted(furniture_rows, key=lambda r: r[1]):
            self.furniture.append((source_id, kind, start, end))
        for s in data.get("statements", ()):
            key = s.get("ref") or s["slug"]
            if "ref" not in s:
                sid = self._id("statement", key)
                actors = self.ids["actor"]
                speaker = actors[s["speaker"]]
                claim = self.ids["claim"][s["claim"]]
                recipient = s.get("recipient")
                self.statements.append(
                    (
                        sid,
                        key,
                        speaker,
                        claim,
                        s["stance"],
                        self._day(s["said_on"]) if s.get("said_on") else None,
                        s.get("context"),
                        actors[recipient] if recipient else None,
                        s.get("via"),
                        s.get("note"),
                    )
                )
                self.created.append(("statement", sid, key, self.file))
                self.stance_of[sid] = (claim, s["stance"])
            sid = self.ids["statement"][key]
            for a in s["appearances"]:
                self._appearance(text, furniture, source_id, slug, key, sid, a)
        for c in data.get("contradictions", ()):
            self.curated.append((c["kind"], c.get("statement"), c["a"], c["b"], c.get("rationale")))
            self.curated_files.append(self.file)

    def _appearance(
        self,
        text: str,
        furniture: list[tuple[int, int]],
        source_id: int,
        source: str,
        statement: str,
        sid: int,
        a: dict[str, Any],
    ) -> None:
        quote = a["quote"]
        if a.get("after") is not None:
            anchor = text.find(a["after"]) + len(a["after"])
            start = next(s for s in _occurrences(text, quote) if s >= anchor)
        else:
            start = _place(text, quote, furniture, a.get("occurrence"))
        span = (start, start + len(quote))
        located: list[Any] = []
        for field in ("attribution", "hedge"):
            words = a.get(field)
            at = _nearest(text, words, span, furniture) if words else None
            located += [words, at, at + len(words) if words and at is not None else None]
        appearance_id = len(self.appearances) + 1
        self.created.append(("appearance", appearance_id, None, self.file))
        self.appearances.append(
            (appearance_id, sid, source_id, quote, a["mode"], *span, *located, a.get("note"))
        )
        self.appearance_id[(statement, source, quote)] = appearance_id

    def finish(self) -> None:
        """Resolve what needed the whole corpus: citations, curated contradictions, denials."""
        sources, statements = self.ids["source"], self.ids["statement"]
        self.citation_rows = [
            (sources[s], sources[cited], evidence, start, end)
            for s, cited, evidence, start, end in self.citations
        ]
        self.affiliation_rows = [
            (self.ids["actor"][parent], self.ids["actor"][actor])
            for actor, parent in self.late_affiliations
        ]
        # A statement's date: said, else its first report (app/shared/dating.py).
        first: dict[int, Any] = {}
        for appearance in self.appearances:
            sid, day = appearance[1], self.reported_of[appearance[2]]
            if day is not None and (sid not in first or day < first[sid]):
                first[sid] = day
        self.statements = [(*s, s[5] or first.get(s[0])) for s in self.statements]
        next_id = 1
        for (kind, statement, a, b, rationale), file in zip(
            self.curated, self.curated_files, strict=True
        ):
            self.created.append(("contradiction", next_id, None, file))
            if kind == "misreport":
                sid = statements[statement]
                ids = [self.appearance_id[(statement, x["source"], x["quote"])] for x in (a, b)]
                self.contradictions.append((next_id, kind, sid, sid, *ids, rationale))
            else:
                self.contradictions.append(
                    (next_id, kind, statements[a], statements[b], None, None, rationale)
                )
            next_id += 1
        holders: dict[int, list[int]] = defaultdict(list)
        deniers: dict[int, list[int]] = defaultdict(list)
        for sid, (claim, stance) in self.stance_of.items():
            if stance == "denies":
                deniers[claim].append(sid)
            elif stance in POSITIVE:
                holders[claim].append(sid)
        for claim, against in deniers.items():
            for h in holders.get(claim, ()):
                for d in against:  # no rationale: sayso says a denial's when read
                    self.contradictions.append((next_id, "denial", h, d, None, None, None))
                    next_id += 1
        at = dt.datetime.now(dt.UTC)
        when = at if self.postgres else at.strftime("%Y-%m-%d %H:%M:%S.%f")
        notes = [f"created by the load of file {name}" for name in self.files]
        self.changes = [
            (when, "sayso load", kind, object_id, slug, "create", notes[file])
            for kind, object_id, slug, file in self.created
        ]


# What sayso says of a source dated by another date than a printed publication date.
UPDATED = "The page prints no publication date: dated by the date it says it was updated ({})."
PAGE = (
    "The page prints no publication date: dated by the date it shows without a label ({}), "
    "which may be when the page was rendered or archived rather than published."
)


def _file_name(path: Path) -> str:
    """A file as sayso's history names it (app/ingest/validate.py file_name)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return path.name


INSERTS = (
    (
        "actors",
        "actors (id, slug, name, kind, description, affiliation_id, group_size, knowledge,"
        " name_key)",
        9,
    ),
    ("aliases", "actor_aliases (actor_id, alias, alias_key)", 3),
    ("claims", "claims (id, slug, text, note)", 4),
    (
        "sources",
        "sources (id, slug, title, outlet_id, url, byline, language, description, text, sha256,"
        " reported_on, reported_on_basis)",
        12,
    ),
    (
        "dates",
        "source_dates (source_id, kind, printed, day, at, span_start, span_end, note)",
        8,
    ),
    (
        "citation_rows",
        "source_citations (source_id, cited_source_id, evidence, span_start, span_end)",
        5,
    ),
    ("furniture", "source_furniture (source_id, kind, span_start, span_end)", 4),
    (
        "statements",
        "statements (id, slug, speaker_id, claim_id, stance, said_on, context, recipient_id, via,"
        " note, dated_on)",
        11,
    ),
    (
        "appearances",
        "appearances (id, statement_id, source_id, quote, mode, span_start, span_end, attribution,"
        " attribution_start, attribution_end, hedge, hedge_start, hedge_end, note)",
        14,
    ),
    (
        "contradictions",
        "contradictions (id, kind, statement_a_id, statement_b_id, appearance_a_id,"
        " appearance_b_id, rationale)",
        7,
    ),
    ("changes", "changes (at, who, object_type, object_id, object_slug, action, note)", 7),
)


def annotation_files(corpus: Path) -> list[Path]:
    return sorted((corpus / "annotations").rglob("*.json"))


def read_rows(corpus: Path, postgres: bool) -> Rows:
    rows = Rows(postgres)
    for path in annotation_files(corpus):
        rows.add_file(path)
    rows.finish()
    return rows


def _insert_all(cur: Any, rows: Rows, mark: str) -> dict[str, int]:
    counts = {}
    for attr, target, arity in INSERTS:
        data = getattr(rows, attr)
        if data:
            marks = ", ".join([mark] * arity)
            cur.executemany(f"INSERT INTO {target} VALUES ({marks})", data)
        counts[attr] = len(data)
    if rows.affiliation_rows:
        cur.executemany(
            f"UPDATE actors SET affiliation_id = {mark} WHERE id = {mark}", rows.affiliation_rows
        )
    return counts


# The search index (sayso's search_index migrations, app/search/index.py): which column of
# which table, its kind, and the row's key (its length in words, then id * 4 + kind).
SEARCH_SOURCES = (
    ("appearances", 0, "quote"),
    ("claims", 1, "text"),
    ("actors", 2, "name"),
    ("actor_aliases", 3, "alias"),
)
SEARCH_KEY = (
    "(CAST(length({0}) - length(replace({0}, ' ', '')) + 1 AS BIGINT) << 36) + id * 4 + {1}"
)


def _index_for_search(cur: Any, sqlite: bool) -> None:
    """Fill the search index from the loaded tables, one INSERT ... SELECT per table.

    The same rows the schema's triggers would write one by one (the database was empty), in
    key order as sayso's loader writes them.
    """
    row_id = "rowid" if sqlite else "id"
    rows = " UNION ALL ".join(
        f"SELECT {SEARCH_KEY.format(column, code)}, {column}, {code}, id FROM {table}"
        for table, code, column in SEARCH_SOURCES
    )
    cur.execute(f"INSERT INTO search_index ({row_id}, body, kind, ref_id) {rows} ORDER BY 1")


def _sqlite_insert(path: str, rows: Rows, cache_mb: int | None = None) -> dict[str, int]:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # The pragmas sayso's load sets on a file no other connection has open (app/db/engine.py
        # load_session): a rollback journal, each page written once, and a full sync.
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA synchronous=FULL")
        if cache_mb is not None:  # an experiment, not the floor: SQLite's default is 2 MB
            conn.execute(f"PRAGMA cache_size=-{cache_mb * 1024}")
        cur = conn.cursor()
        cur.execute("BEGIN")
        # Like sayso's loader: the per-row search triggers are set aside inside the transaction,
        # and the index is filled in bulk at the end.
        triggers = cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'search\\_%\\_insert' ESCAPE '\\'"
        ).fetchall()
        for name, _sql in triggers:
            cur.execute(f"DROP TRIGGER {name}")
        counts = _insert_all(cur, rows, "?")
        if triggers:
            _index_for_search(cur, sqlite=True)
        for _name, sql in triggers:
            cur.execute(sql)
        cur.execute("COMMIT")
        conn.execute("PRAGMA journal_mode=WAL")  # as sayso leaves the file, for serving
        return counts
    finally:
        conn.close()


def _postgres_insert(conninfo: str, rows: Rows) -> dict[str, int]:
    import psycopg

    with psycopg.connect(conninfo) as conn:  # one transaction, committed on leaving the block
        with conn.cursor() as cur:
            indexed = cur.execute("SELECT to_regclass('search_index')").fetchone()
            if indexed and indexed[0]:
                # The triggers skip their work while this is on (search_bulk_load migration).
                cur.execute("SET LOCAL sayso.bulk_load = 'on'")
            counts = _insert_all(cur, rows, "%s")
            if indexed and indexed[0]:
                _index_for_search(cur, sqlite=False)
                cur.execute("SET LOCAL sayso.bulk_load = 'off'")
        # The ids were given explicitly; move the sequences past them as a loader would.
        for table in (
            "actors",
            "claims",
            "sources",
            "statements",
            "appearances",
            "contradictions",
            "changes",
        ):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
    return counts


def floor_load(corpus: Path, url: str, cache_mb: int | None = None) -> dict[str, Any]:
    """Load CORPUS into the fresh database at URL (a SQLAlchemy URL); returns times and counts."""
    postgres = url.startswith("postgresql")
    began = time.perf_counter()
    rows = read_rows(corpus, postgres)
    parsed = time.perf_counter()
    if postgres:
        counts = _postgres_insert(url.replace("postgresql+psycopg://", "postgresql://"), rows)
    else:
        counts = _sqlite_insert(url.removeprefix("sqlite:///"), rows, cache_mb)
    done = time.perf_counter()
    return {
        "parse_s": round(parsed - began, 3),
        "insert_s": round(done - parsed, 3),
        "rows": counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--corpus", required=True, type=Path)
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of a fresh, migrated database")
    parser.add_argument(
        "--sqlite-cache-mb",
        type=int,
        help="experiment: give SQLite this page cache (sayso's connections keep the 2 MB default)",
    )
    args = parser.parse_args()
    print(
        orjson.dumps(
            floor_load(args.corpus, args.url, args.sqlite_cache_mb), option=orjson.OPT_INDENT_2
        ).decode()
    )


if __name__ == "__main__":
    main()
