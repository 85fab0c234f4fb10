"""The serving floor: a minimal ASGI app (no framework) answering the key questions.

    BENCH_DATABASE_URL=sqlite:////abs/sayso.db uvicorn bench.floor_app:app --workers 2

Same SQL as sayso (bench/queries.py), the plain driver (sqlite3, one connection per process,
check_same_thread=False; or psycopg, one connection per worker process), rows turned into the
same JSON shapes as sayso's and encoded with orjson. Queries run right in the event loop: with
one connection per process there is nothing to hand them to. Errors are plain 404s.
"""

import base64
import html
import os
import sqlite3
from typing import Any, Literal
from urllib.parse import parse_qs, unquote

import orjson

from bench import queries as q

PAGE = 50
CONFIRMED = "confirmed"  # reads show confirmed statements and appearances, as sayso's do
JSON = [(b"content-type", b"application/json")]


class Db:
    """One connection; queries are written with `:name` parameters (see queries.py)."""

    def __init__(self, url: str) -> None:
        self.postgres = url.startswith("postgresql")
        if self.postgres:
            import psycopg

            conninfo = url.replace("postgresql+psycopg://", "postgresql://")
            # No JIT, as sayso's sessions (app/db/engine.py pg_options).
            self.conn: Any = psycopg.connect(conninfo, autocommit=True, options="-c jit=off")
            # A search's details are planned once, as sayso plans them (app/db/reads.py).
            self.generic: Any = psycopg.connect(
                conninfo,
                autocommit=True,
                options="-c jit=off -c plan_cache_mode=force_generic_plan",
            )
        else:
            self.conn = sqlite3.connect(
                url.removeprefix("sqlite:///"), check_same_thread=False, isolation_level=None
            )
            # What sayso's read connections set (app/db/reads.py).
            self.conn.execute("PRAGMA query_only=ON")
            self.conn.execute("PRAGMA busy_timeout=5000")
            self.conn.execute("PRAGMA cache_size=-8192")
        self._sql: dict[str, str] = {}

    def sql(self, text: str) -> str:
        if not self.postgres:
            return text
        found = self._sql.get(text)
        if found is None:
            found = self._sql[text] = q.for_postgres(text)
        return found

    def all(
        self, text: str, params: dict[str, Any], plan: Literal["generic", "custom"] | None = None
    ) -> list[tuple[Any, ...]]:
        """PLAN, on PostgreSQL, as sayso's SQL(plan=...) (app/db/reads.py): "generic" prepared
        on the connection that keeps generic plans, "custom" never prepared (planned for its
        values every time)."""
        if not self.postgres:
            rows: list[tuple[Any, ...]] = self.conn.execute(text, params).fetchall()
            return rows
        conn = self.generic if plan == "generic" else self.conn
        prepare = {"generic": True, "custom": False}.get(plan or "")
        found: list[tuple[Any, ...]] = conn.execute(
            self.sql(text), params, prepare=prepare
        ).fetchall()
        return found

    def exists(self, text: str, slug: str) -> bool:
        return self.conn.execute(self.sql(text), {"slug": slug}).fetchone() is not None

    def one(self, text: str, params: dict[str, Any]) -> Any:
        row = self.conn.execute(self.sql(text), params).fetchone()
        return None if row is None else row[0]


_db: Db | None = None


def db() -> Db:
    global _db
    if _db is None:
        _db = Db(os.environ["BENCH_DATABASE_URL"])
    return _db


def cursor(key: list[int]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode().rstrip("=")


def _actor(slug: Any, name: Any, kind: Any) -> dict[str, Any] | None:
    return None if slug is None else {"slug": slug, "name": name, "kind": kind}


def _located(text: Any, start: Any, end: Any) -> dict[str, Any] | None:
    return None if text is None else {"text": text, "start": start, "end": end}


def _statement(r: tuple[Any, ...]) -> dict[str, Any]:
    """A statement without appearances, from the first 18 columns (q._STATEMENT_COLUMNS)."""
    return {
        "slug": r[1],
        "stance": r[2],
        "speaker": _actor(r[10], r[11], r[12]),
        "claim": {"slug": r[13], "text": r[14]},
        "said_on": r[3],
        "context": r[4],
        "recipient": _actor(r[15], r[16], r[17]),
        "via": r[5],
        "note": r[6],
        "status": r[8],
        "status_reason": r[9],
        "version": r[7],
    }


def _appearance(r: tuple[Any, ...], at: int) -> dict[str, Any]:
    """An appearance from q.APPEARANCE_COLUMNS starting at column AT."""
    return {
        "id": r[at],
        "quote": r[at + 2],
        "mode": r[at + 3],
        "span": {"start": r[at + 4], "end": r[at + 5]},
        "attribution": _located(r[at + 6], r[at + 7], r[at + 8]),
        "hedge": _located(r[at + 9], r[at + 10], r[at + 11]),
        "note": r[at + 12],
        "status": r[at + 14],
        "status_reason": r[at + 15],
        "version": r[at + 13],
    }


EMPTY = orjson.dumps({"items": [], "next_cursor": None, "next": None})


def no_positions(slug: str, text: str) -> bytes:
    return orjson.dumps({"claim": {"slug": slug, "text": text}, "positions": []})


def _page(items: list[Any], rows: list[Any], key: list[int], url: str) -> bytes:
    if not items:
        return EMPTY
    more = len(rows) > PAGE
    next_cursor = cursor(key) if more else None
    nxt = f"{url}{'&' if '?' in url else '?'}cursor={next_cursor}" if next_cursor else None
    return orjson.dumps({"items": items, "next_cursor": next_cursor, "next": nxt})


def statements_page(
    d: Db, rows_sql: str, appearances_sql: str, params: dict[str, Any], url: str
) -> bytes:
    """A page of statements, each with its appearances and their sources (two queries)."""
    params["limit"] = PAGE + 1
    params["confirmed"] = CONFIRMED
    rows = d.all(rows_sql, params)
    kept = rows[:PAGE]
    found: dict[int, list[dict[str, Any]]] = {r[0]: [] for r in kept}
    if kept:
        for a in d.all(appearances_sql, params):
            if a[1] not in found:
                continue  # the page's extra row
            item = _appearance(a, 0)
            item["source"] = {
                "slug": a[16],
                "title": a[17],
                "outlet": _actor(a[19], a[20], a[21]),
                "reported_on": a[18],
            }
            found[a[1]].append(item)
    items = [{**_statement(r), "appearances": found[r[0]]} for r in kept]
    return _page(items, rows, [kept[-1][0]] if kept else [], url)


def claim_denials(d: Db, slug: str, stance: str, url: str) -> bytes | None:
    body = statements_page(
        d, q.DENIALS, q.DENIALS_APPEARANCES, {"claim": slug, "stance": stance}, url
    )
    return body if body is not EMPTY or d.exists(q.CLAIM_ID, slug) else None


def actor_statements(d: Db, slug: str, url: str) -> bytes | None:
    body = statements_page(d, q.ACTOR, q.ACTOR_APPEARANCES, {"speaker": slug}, url)
    return body if body is not EMPTY or d.exists(q.ACTOR_ID, slug) else None


def source_statements(d: Db, slug: str, url: str) -> bytes | None:
    rows = d.all(q.SOURCE, {"slug": slug, "limit": PAGE + 1, "confirmed": CONFIRMED})
    if not rows:
        return EMPTY if d.exists(q.SOURCE_ID, slug) else None
    kept = rows[:PAGE]
    items = [{**_appearance(r, 18), "statement": _statement(r)} for r in kept]
    return _page(items, rows, [kept[-1][22], kept[-1][18]], url)


def claim_positions(d: Db, slug: str) -> bytes | None:
    speakers = d.all(q.POSITION_SPEAKERS, {"slug": slug, "confirmed": CONFIRMED})
    if not speakers:
        found = d.all(q.CLAIM_TEXT, {"slug": slug})
        return no_positions(slug, found[0][0]) if found else None
    positions: dict[str, dict[str, Any]] = {}
    for stance, a_slug, name, kind, n, _ in speakers:
        position = positions.setdefault(
            stance,
            {"stance": stance, "statements": 0, "sources": 0, "origins": 0, "actors": []},
        )
        position["statements"] += n
        position["actors"].append({"slug": a_slug, "name": name, "kind": kind, "statements": n})
    for stance, sources, origins in d.all(q.POSITION_REACH, {"slug": slug, "confirmed": CONFIRMED}):
        positions[stance].update(sources=sources, origins=origins)
    claim = {"slug": slug, "text": speakers[0][5]}
    return orjson.dumps({"claim": claim, "positions": list(positions.values())})


def _marked(snippet: str) -> str:
    return html.escape(snippet).replace("\ufdd0", "<mark>").replace("\ufdd1", "</mark>")


def search(d: Db, query: str, limit: int, url: str) -> bytes | None:
    """The first page of a search, as sayso answers it: the first 100 matches ranked (a page
    past them, which sayso reads from the rest of the matches, is not asked by the benchmark)."""
    terms = q.search_terms(query, d.postgres)
    if terms is None or limit >= q.SEARCH_PAGE_MAX:
        return None
    # Planned for its words on PostgreSQL, as sayso plans it (app/search/service.py).
    head = d.all(
        q.SEARCH_POSTGRES if d.postgres else q.SEARCH_SQLITE,
        {"q": terms, "candidates": 100},
        plan="custom",
    )
    ranked = sorted((-round(float(score) * 1_000_000), key) for key, score in head)[: limit + 1]
    kept = ranked[:limit]
    keys: Any = [key for _score, key in kept]
    details = q.SEARCH_DETAILS_POSTGRES if d.postgres else q.SEARCH_DETAILS_SQLITE
    values = {"q": terms, "keys": keys, "low": min(keys, default=0), "high": max(keys, default=0)}
    if not d.postgres:
        values["keys"] = orjson.dumps(keys).decode()
    rows = {r[0]: r for r in d.all(details, values, plan="generic")} if kept else {}
    items = []
    for score, key in kept:
        r = rows[key]
        kind = q.SEARCH_KINDS[r[1]]
        quote = None
        if kind == "quote":
            quote = {
                "appearance_id": r[3],
                "text": r[4],
                "mode": r[5],
                "span": {"start": r[6], "end": r[7]},
                "statement": {
                    "slug": r[8],
                    "stance": r[9],
                    "speaker": _actor(r[17], r[18], r[19]),
                    "claim": {"slug": r[29], "text": r[30]},
                    "said_on": r[10],
                    "context": r[11],
                    "recipient": _actor(r[20], r[21], r[22]),
                    "via": r[12],
                    "note": r[13],
                    "status": r[15],
                    "status_reason": r[16],
                    "version": r[14],
                },
                "source": {
                    "slug": r[23],
                    "title": r[24],
                    "outlet": _actor(r[26], r[27], r[28]),
                    "reported_on": r[25],
                },
            }
        items.append(
            {
                "kind": kind,
                "score": round(-score / 1_000_000, 6),
                "snippet": _marked(r[2]),
                "quote": quote,
                "claim": {"slug": r[29], "text": r[30]} if r[29] else None,
                "actor": _actor(r[31], r[32], r[33]),
            }
        )
    next_cursor = cursor([0, -kept[-1][0], kept[-1][1]]) if len(ranked) > limit else None
    nxt = f"{url}{'&' if '?' in url else '?'}cursor={next_cursor}" if next_cursor else None
    return orjson.dumps({"items": items, "next_cursor": next_cursor, "next": nxt})


def route(path: str, query: dict[str, list[str]], url: str) -> tuple[int, bytes | None]:
    parts = [unquote(p) for p in path.strip("/").split("/")]
    d = db()
    match parts:
        case ["health"]:
            return 200, b'{"status":"ok"}'
        case ["claims", slug, "statements"] if "stance" in query:
            return 200, claim_denials(d, slug, query["stance"][0], url)
        case ["claims", slug, "positions"]:
            return 200, claim_positions(d, slug)
        case ["actors", slug, "statements"]:
            return 200, actor_statements(d, slug, url)
        case ["sources", slug, "statements"]:
            return 200, source_statements(d, slug, url)
        case ["search"] if "q" in query:
            return 200, search(d, query["q"][0], int(query.get("limit", ["20"])[0]), url)
    return 404, None


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                db()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    raw_query = scope["query_string"].decode()
    host = dict(scope["headers"]).get(b"host", b"127.0.0.1").decode()
    url = f"http://{host}{scope['path']}" + (f"?{raw_query}" if raw_query else "")
    status, body = route(scope["path"], parse_qs(raw_query), url)
    if body is None:
        status, body = 404, b'{"detail":"not found"}'
    await send({"type": "http.response.start", "status": status, "headers": JSON})
    await send({"type": "http.response.body", "body": body})
