"""`sayso backup` and `sayso restore`: after a restore every API answer is the same, byte for byte
and ETag for ETag; ids, history, deletions, merges and API keys survive; a damaged file, a
database that is not empty, or a row the database refuses changes nothing."""

import asyncio
import datetime as dt
import gzip
import hashlib
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import orjson
import pytest
from alembic import command
from click.testing import Result
from conftest import Databases, migration_config, sayso
from db_copies import seed_with_keys
from pg_server import PgServer
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from starlette.routing import Route
from starlette.testclient import TestClient
from typer.testing import CliRunner

from app.cli import cli, schema_head
from app.config import Settings, get_settings
from app.db.engine import make_engine
from app.ingest.backup import BackupError, backup, check_file, tables
from app.main import create_app
from app.models import Claim, Contradiction

INDIA_TV = "indiatv-2024-02-14-putin-ceasefire-rejected"
DAN_TRI = "dantri-2024-putin-ceasefire-revealed"
REUTERS_REPORT = "reuters-2024-02-putin-ceasefire-rebuffed"
CEASEFIRE = "putin-signalled-ceasefire-2023"
REJECTED = "us-rejected-putin-ceasefire"
PESKOV = "peskov-denies-peace-proposals"
KREMLIN = "kremlin-denies-putin-proposed-ceasefire"
SIGNALS = "three-sources-putin-sent-signals"
QUOTE = "Washington would not engage in talks that did not involve Ukraine"
SOURCE_TEXT = (
    "Bridge news\nPublished: 1 May 2026, 09:30\n"
    "The bridge reopens in May, the authority said (with inputs from Reuters).\n"
)
# Words searched for, and a few values for the filters that take free values.
WORDS = ["putin", "ceasefire", "kremlin", "moscow kremlin", "reuters", "talks ukraine", "bridge"]
DATES = ["2023-06-01", "2024-02-14"]
# The objects whose lists are asked with every parameter (the others: as they are, and paged).
FEATURED = {CEASEFIRE, REJECTED, "kremlin", "us-source", INDIA_TV, SIGNALS}


def run_cli(db_url: str, *args: str) -> Result:
    """The `sayso` command in this process, on the database at DB_URL."""
    get_settings.cache_clear()  # the settings are read once per process: read them again
    try:
        return CliRunner().invoke(cli, list(args), env={"SAYSO_DATABASE_URL": db_url})
    finally:
        get_settings.cache_clear()


IDENTITY = {"Accept-Encoding": "identity"}  # answers as sent: no gzip


def client(db_url: str) -> TestClient:
    """The API on DB_URL in this process; answers as sent, redirects not followed."""
    return TestClient(
        create_app(Settings(database_url=db_url)), headers=IDENTITY, follow_redirects=False
    )


# -- a database with every kind of row: the seed, then edits through the API ----------------------


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def make_edits(api: TestClient, keys: dict[str, str]) -> None:
    """Creates, updates, deletions, a merge and review through the API, each checked to happen."""
    editor = {"Authorization": f"Bearer {keys['editor']}"}
    admin = {"Authorization": f"Bearer {keys['admin']}"}

    def tag(path: str, who: dict[str, str]) -> dict[str, str]:
        return {**who, "If-Match": api.get(path, headers=who).headers["etag"]}

    # A claim created and edited; another created and deleted, the newest id retired.
    _ok(
        api.post("/claims", json={"slug": "bridge-reopens", "text": "It reopens."}, headers=editor),
        201,
    )
    _ok(
        api.patch(
            "/claims/bridge-reopens",
            json={"note": "Edited."},
            headers=tag("/claims/bridge-reopens", editor),
        )
    )
    _ok(
        api.post("/claims", json={"slug": "short-lived", "text": "Gone soon."}, headers=editor), 201
    )
    _ok(api.delete("/claims/short-lived", headers=tag("/claims/short-lived", admin)), 204)
    # An actor renamed (its old name kept as an alias: the search index changes), another
    # deleted (its sources and statements unlinked: a tombstone).
    _ok(
        api.patch(
            "/actors/kremlin",
            json={"name": "The Moscow Kremlin"},
            headers=tag("/actors/kremlin", editor),
        )
    )
    _ok(api.delete("/actors/reuters", headers=tag("/actors/reuters", admin)), 204)
    # A source with its text, a date with its offset, and a citation; another's title edited.
    source = {
        "slug": "bridge-news-2026-05-01",
        "title": "The bridge reopens",
        "outlet": "india-tv-news",
        "language": "EN-GB",
        "text": SOURCE_TEXT,
        "dates": [
            {
                "kind": "published",
                "printed": "1 May 2026, 09:30",
                "value": "2026-05-01T09:30:00+02:00",
            }
        ],
        "cites": [{"source": REUTERS_REPORT, "evidence": "(with inputs from Reuters)"}],
    }
    _ok(api.post("/sources", json=source, headers=editor), 201)
    _ok(
        api.patch(
            f"/sources/{DAN_TRI}",
            json={"title": "A better title"},
            headers=tag(f"/sources/{DAN_TRI}", editor),
        )
    )
    # A proposed statement (seen with ?review=proposed), and a confirmed one: new denials.
    statement = {
        "speaker": "us-source",
        "stance": "denies",
        "appearances": [
            {"source": INDIA_TV, "quote": QUOTE, "mode": "indirect", "attribution": "said"}
        ],
    }
    _ok(
        api.post(
            "/statements",
            json={**statement, "slug": "us-proposed", "claim": REJECTED, "status": "proposed"},
            headers=editor,
        ),
        201,
    )
    _ok(
        api.post(
            "/statements",
            json={**statement, "slug": "us-denies-signal", "claim": CEASEFIRE},
            headers=editor,
        ),
        201,
    )
    # A denial rejected (seen with ?review=rejected).
    denial = api.get(f"/claims/{CEASEFIRE}/contradictions?kind=denial").json()["items"][0]
    path = f"/contradictions/{denial['id']}"
    _ok(
        api.patch(
            path,
            json={"status": "rejected", "status_reason": "Different questions."},
            headers=tag(path, editor),
        )
    )
    # An appearance added, edited, deleted and restored (its history: all four).
    added = _ok(
        api.post(
            f"/statements/{KREMLIN}/appearances",
            json={
                "source": DAN_TRI,
                "quote": "the Kremlin sees no benefit in further contact",
                "mode": "indirect",
            },
            headers=editor,
        ),
        201,
    )
    path = f"/appearances/{added['id']}"
    _ok(api.patch(path, json={"note": "Dan Tri too."}, headers=tag(path, editor)))
    _ok(api.delete(path, headers=tag(path, admin)), 204)
    _ok(api.post(f"{path}/restore", headers=admin))
    history = api.get(f"{path}/history", headers=editor).json()["items"]
    assert [c["action"] for c in history] == ["create", "update", "delete", "restore"]
    # A curated inconsistency edited then deleted; a proposed misreport.
    made = _ok(
        api.post(
            "/contradictions",
            json={
                "kind": "inconsistency",
                "a": "third-source-us-unwilling-to-pressure-ukraine",
                "b": "us-official-denies-backchannel-talks",
                "rationale": "They cannot both hold.",
            },
            headers=editor,
        ),
        201,
    )
    path = f"/contradictions/{made['id']}"
    _ok(api.patch(path, json={"rationale": "Better."}, headers=tag(path, editor)))
    _ok(api.delete(path, headers=tag(path, admin)), 204)
    ids = [a["id"] for a in api.get(f"/statements/{SIGNALS}").json()["appearances"]]
    misreport = {"kind": "misreport", "statement": SIGNALS, "a": ids[0], "b": ids[2]}
    _ok(
        api.post(
            "/contradictions",
            json={**misreport, "rationale": "They disagree.", "status": "proposed"},
            headers=editor,
        ),
        201,
    )
    # A statement deleted with its reports and denials (tombstones, retired ids).
    _ok(api.delete(f"/statements/{PESKOV}", headers=tag(f"/statements/{PESKOV}", admin)), 204)
    # A claim merged into another: its slug redirects.
    _ok(
        api.post(
            f"/claims/{REJECTED}/merge",
            json={"into": CEASEFIRE},
            headers=tag(f"/claims/{REJECTED}", admin),
        )
    )


@dataclass
class Pair:
    """A database with every kind of row, its backup, and the backup restored into another."""

    source: str
    restored: str
    file: Path
    keys: dict[str, str]


@pytest.fixture(scope="module")
def pair(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Pair:
    source = databases.fresh()
    keys = seed_with_keys(source)  # an admin, an editor, and a revoked key
    with client(source) as api:
        make_edits(api, keys)
    # A key made and one revoked with the command line.
    made = run_cli(source, "keys", "create", "--name", "a reviewer", "--role", "editor")
    assert made.exit_code == 0, made.output
    keys["reviewer"] = made.stdout.strip()
    assert run_cli(source, "keys", "revoke", "an editor").exit_code == 0
    file = tmp_path_factory.mktemp("backup") / "sayso.backup"
    written = run_cli(source, "backup", str(file))
    assert written.exit_code == 0, written.output
    assert f"to {file}" in written.stderr
    restored = databases.fresh()
    put_back = run_cli(restored, "restore", str(file))
    assert put_back.exit_code == 0, put_back.output
    assert "restored " in put_back.stderr
    return Pair(source, restored, file, keys)


# -- every GET route of the API, with its parameters filled from the data --------------------------


def get_routes(app: Any) -> list[Route]:
    """Every GET route of APP's API (FastAPI keeps an included router's routes behind a
    wrapper). The HTML pages (/, /browse/..., the review desk at /desk/...) are left out: they
    show what these routes answer (a desk page needs a signed-in session besides)."""
    found: list[Route] = []
    for route in app.routes:
        inner = getattr(route, "original_router", None)
        for r in inner.routes if inner is not None else [route]:
            if "GET" in (getattr(r, "methods", None) or ()) and not _a_page(r.path):
                found.append(r)
    return found


def _a_page(path: str) -> bool:
    return path == "/" or path.startswith(("/browse/", "/desk"))


def known_values(engine: Engine) -> dict[str, list[str]]:
    """What path and query parameters may name, from the database: every slug and id of each
    kind, deleted ones (410) and merged ones (308) too, and one that never was (404)."""
    with engine.connect() as conn:

        def column(sql: str) -> list[str]:
            return [str(v) for v in conn.execute(text(sql)).scalars()]

        def gone(kind: str, what: str) -> list[str]:
            return column(
                f"SELECT {what} FROM tombstones WHERE object_type = '{kind}' "
                f"AND {what} IS NOT NULL ORDER BY id"
            )

        values = {
            "claims": [
                *column("SELECT slug FROM claims ORDER BY id"),
                *column("SELECT old_slug FROM claim_redirects ORDER BY id"),
                *gone("claim", "slug"),
                "no-such-claim",
            ],
            "actors": [
                *column("SELECT slug FROM actors ORDER BY id"),
                *gone("actor", "slug"),
                "nobody",
            ],
            "sources": [
                *column("SELECT slug FROM sources ORDER BY id"),
                *gone("source", "slug"),
                "no-such-source",
            ],
            "statements": [
                *column("SELECT slug FROM statements ORDER BY id"),
                *gone("statement", "slug"),
                "no-such-statement",
            ],
            "appearances": [
                *column("SELECT id FROM appearances ORDER BY id"),
                *gone("appearance", "object_id"),
                "999999",
            ],
            "contradictions": [
                *column("SELECT id FROM contradictions ORDER BY id"),
                *gone("contradiction", "object_id"),
                "999999",
            ],
            "language": [*column("SELECT DISTINCT language FROM sources ORDER BY language"), "fr"],
            "alias": [*column("SELECT alias FROM actor_aliases ORDER BY id LIMIT 8")],
            "sha256": column(
                "SELECT sha256 FROM sources WHERE sha256 IS NOT NULL ORDER BY id LIMIT 1"
            ),
            "q": WORDS,
        }
    for name in ("speaker", "actor", "affiliated_with", "outlet"):
        values[name] = values["actors"]
    values["claim"], values["source"] = values["claims"], values["sources"]
    for name in ("said_from", "said_to", "reported_from", "reported_to"):
        values[name] = DATES
    return values


def addresses(app: Any, engine: Engine) -> Iterator[tuple[str, str]]:
    """(route, URL) for every GET route, its path filled with every slug or id of its kind, as
    it is and in pages of two; then each query parameter alone, with each value it may take
    (every enumerated value such as ?review=proposed, both booleans, and the slugs of its kind:
    all of them on the top-level lists; two on an export, and on the lists of a FEATURED
    object, which alone are asked with every parameter)."""
    values = known_values(engine)
    document = app.openapi()
    for route in get_routes(app):
        template = route.path
        holes = re.findall(r"\{(\w+)\}", template)
        kind = template.split("/")[1]
        filled = [template]
        if holes:
            filled = [template.replace(f"{{{holes[0]}}}", v) for v in values[kind]]
        parameters = document["paths"].get(template, {}).get("get", {}).get("parameters", [])
        every = not holes and "." not in template  # a top-level list, not an export
        queries: list[dict[str, str]] = []
        for p in parameters:
            if p["in"] != "query":
                continue
            name, schema = p["name"], p.get("schema", {})
            options = [s for s in [schema, *schema.get("anyOf", [])] if s]
            enum = next((s["enum"] for s in options if "enum" in s), None)
            if enum is not None:
                queries += [{name: v} for v in enum]
            elif any(s.get("type") == "boolean" for s in options):
                queries += [{name: "true"}, {name: "false"}]
            elif name in values:
                queries += [{name: v} for v in values[name][: None if every else 2]]
        paged = any(p["name"] == "limit" for p in parameters)
        for url in filled:
            yield template, url
            if paged:
                yield template, f"{url}?limit=2"  # followed to the last page by the caller
            if not holes or url.split("/")[2] in FEATURED:
                for query in queries:
                    yield template, f"{url}?{urlencode(query)}"


def seen(r: httpx.Response) -> tuple[Any, ...]:
    """What a client sees: status, the headers that name the answer, and the body's bytes."""
    named = ("etag", "content-type", "location", "content-disposition", "content-length")
    return (r.status_code, *(r.headers.get(h) for h in named), r.content)


def answer(api: TestClient, url: str) -> tuple[Any, ...]:
    return seen(api.get(url))


@asynccontextmanager
async def asgi(app: Any, key: str) -> AsyncIterator[httpx.AsyncClient]:
    """APP as `client` gives it, called straight through ASGI: no thread hop per request
    (TestClient's), about three times faster over the comparison's ~2,000 addresses. Each
    request sends KEY: it reads drafts and the history, with the names of the keys."""
    transport = httpx.ASGITransport(app)
    headers = {**IDENTITY, "Authorization": f"Bearer {key}"}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://testserver", headers=headers) as c,
    ):
        yield c


def next_page(url: str, body: bytes) -> str | None:
    """The URL of the next page of a list answer, if it has one."""
    try:
        cursor = orjson.loads(body).get("next_cursor")
    except (orjson.JSONDecodeError, AttributeError):
        return None
    if not cursor:
        return None
    base = re.sub(r"[?&]cursor=[^&]*", "", url)
    return f"{base}{'&' if '?' in base else '?'}{urlencode({'cursor': cursor})}"


def compare_every_route(first: str, second: str, key: str) -> dict[str, Any]:
    """Ask both databases' APIs every address, with KEY; the differences, and what was
    asked."""
    return asyncio.run(_compare_every_route(first, second, key))


async def _compare_every_route(first: str, second: str, key: str) -> dict[str, Any]:
    engine = make_engine(first)
    asked: dict[str, set[int]] = {}
    differences: list[str] = []
    count = 0
    try:
        app, other_app = (create_app(Settings(database_url=url)) for url in (first, second))
        async with asgi(app, key) as one, asgi(other_app, key) as other:
            for route, start in addresses(app, engine):
                url: str | None = start
                while url is not None:
                    a, b = seen(await one.get(url)), seen(await other.get(url))
                    count += 1
                    asked.setdefault(route, set()).add(a[0])
                    if a != b:
                        differences.append(
                            f"{url}: {a[:5]} {a[-1][:300]!r} != {b[:5]} {b[-1][:300]!r}"
                        )
                    url = next_page(url, a[-1]) if a[0] == 200 else None
    finally:
        engine.dispose()
    return {"differences": differences, "asked": asked, "count": count}


# -- the tests ------------------------------------------------------------------------------------


def analyze(db_url: str) -> None:
    """PostgreSQL's statistics gathered afresh (the restore gathers the restored database's)."""
    engine = make_engine(db_url)
    try:
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()


def test_every_answer_of_the_api_is_the_same_after_a_restore(pair: Pair) -> None:
    # On PostgreSQL both databases are planned from statistics gathered now: a stance count
    # (GROUP BY without ORDER BY, app/actors/service.py and app/claims/service.py) lists the
    # stances in the order its plan yields them, and the source's statistics, gathered at the
    # load, made it hash them where the restored database's sort them: the same database gives
    # the other order after an ANALYZE, backup or not.
    analyze(pair.source)
    analyze(pair.restored)
    compared = compare_every_route(pair.source, pair.restored, pair.keys["admin"])
    assert compared["differences"] == [], "\n".join(compared["differences"][:10])
    asked = compared["asked"]
    # Every GET route was asked, and answered with data; the deleted answered 410 and the
    # merged 308, with their bodies and headers compared too.
    data_routes = [r for r in asked if r not in ("/docs", "/docs/oauth2-redirect", "/redoc")]
    assert all(200 in asked[r] for r in data_routes), {
        r: s for r, s in asked.items() if 200 not in s
    }
    for route in (
        "/claims/{slug}",
        "/actors/{slug}",
        "/statements/{slug}",
        "/appearances/{id}",
        "/contradictions/{id}",
    ):
        assert 410 in asked[route] and 404 in asked[route], (route, asked[route])
    assert 308 in asked["/claims/{slug}"] and 308 in asked["/statements"]
    for route in (
        "/claims/{slug}/history",
        "/appearances/{id}/history",
        "/search",
        "/statements.csv",
    ):
        assert route in asked
    assert compared["count"] > 1000


def test_the_comparison_sees_a_changed_byte(pair: Pair, databases: Databases) -> None:
    """The comparison itself: a claim's text one character off is caught, body and ETag."""
    other = databases.fresh()
    assert run_cli(other, "restore", str(pair.file)).exit_code == 0
    engine = make_engine(other)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE claims SET text = 'It reopens!' WHERE slug = 'bridge-reopens'")
            )
    finally:
        engine.dispose()
    with client(pair.source) as one, client(other) as two:
        for url in ("/claims/bridge-reopens", "/claims?limit=500"):
            a, b = answer(one, url), answer(two, url)
            assert a[0] == b[0] == 200
            assert a[1] != b[1] and a[-1] != b[-1]  # the ETag, and the body


def test_ids_name_the_same_objects_and_the_next_ids_are_the_same(pair: Pair) -> None:
    with client(pair.source) as one, client(pair.restored) as two:
        for kind in ("contradictions", "appearances"):
            engine = make_engine(pair.source)
            try:
                with engine.connect() as conn:
                    ids = list(conn.execute(text(f"SELECT id FROM {kind} ORDER BY id")).scalars())
            finally:
                engine.dispose()
            assert len(ids) > 5
            key = {"Authorization": f"Bearer {pair.keys['admin']}"}  # drafts too
            for id_ in ids:
                a = one.get(f"/{kind}/{id_}", headers=key)
                b = two.get(f"/{kind}/{id_}", headers=key)
                assert a.status_code == b.status_code == 200
                assert a.json()["id"] == b.json()["id"] == id_
                assert a.json() == b.json()
                if kind == "contradictions":
                    sides = [a.json()[side]["statement"]["slug"] for side in ("a", "b")]
                    assert sides == [b.json()[side]["statement"]["slug"] for side in ("a", "b")]
                else:
                    where = (
                        a.json()["statement"]["slug"],
                        a.json()["source"]["slug"],
                        a.json()["span"],
                    )
                    assert where == (
                        b.json()["statement"]["slug"],
                        b.json()["source"]["slug"],
                        b.json()["span"],
                    )
    # The ids a new row would take are the same: none handed out before the backup (the deleted
    # newest claim's included) is handed out again. Written by the ORM, as the API writes, and
    # rolled back.
    assert next_ids(pair.source) == next_ids(pair.restored)


def next_ids(db_url: str) -> tuple[int, int]:
    """The ids a new claim and a new contradiction take, written as the API writes (the ORM)
    and rolled back; PostgreSQL's sequences are then set back where they were."""
    engine = make_engine(db_url)
    made = ("claims", "contradictions")
    try:
        with Session(engine) as session:
            if engine.dialect.name == "postgresql":
                were = [
                    session.execute(text(f"SELECT last_value, is_called FROM {t}_id_seq")).one()
                    for t in made
                ]
            claim = Claim(slug="a-new-claim", text="New.")
            statements = session.execute(text("SELECT min(id), max(id) FROM statements")).one()
            contradiction = Contradiction(
                kind="inconsistency",
                statement_a_id=statements[0],
                statement_b_id=statements[1],
                rationale="New.",
            )
            session.add_all([claim, contradiction])
            session.flush()
            ids = (claim.id, contradiction.id)
            session.rollback()
            if engine.dialect.name == "postgresql":
                for t, (value, called) in zip(made, were, strict=True):
                    session.execute(text(f"SELECT setval('{t}_id_seq', {value}, {called})"))
                session.commit()
    finally:
        engine.dispose()
    return ids


def test_the_keys_are_restored_and_still_tell_who_may_write(pair: Pair) -> None:
    listed = [run_cli(url, "keys", "list") for url in (pair.source, pair.restored)]
    assert listed[0].exit_code == listed[1].exit_code == 0
    assert listed[0].stdout == listed[1].stdout
    assert "a reviewer" in listed[0].stdout and "revoked" in listed[0].stdout
    # A key in use gets as far as checking the body (422); a revoked one is refused (401). The
    # body is wrong on purpose: nothing is written.
    with client(pair.restored) as api:
        for name, status in (("admin", 422), ("reviewer", 422), ("editor", 401), ("revoked", 401)):
            response = api.post(
                "/claims", json={}, headers={"Authorization": f"Bearer {pair.keys[name]}"}
            )
            assert response.status_code == status, (name, response.text)


def test_the_backup_holds_every_table_and_every_row(pair: Pair) -> None:
    contents = check_file(pair.file)
    assert contents.revision == schema_head()
    assert set(contents.rows) == {t.name for t in tables()}
    engine = make_engine(pair.source)
    try:
        with engine.connect() as conn:
            for t in tables():
                held = conn.execute(text(f'SELECT count(*) FROM "{t.name}"')).scalar_one()
                assert contents.rows[t.name] == held, t.name
    finally:
        engine.dispose()
    for name in ("changes", "tombstones", "claim_redirects", "retired_ids", "api_keys"):
        assert contents.rows[name] > 0, name
    assert fingerprint(pair.source) == fingerprint(pair.restored)


def fingerprint(db_url: str) -> dict[str, Any]:
    """Every row of every table in key order, the search index, and where PostgreSQL's id
    sequences stand."""
    engine = make_engine(db_url)
    found: dict[str, Any] = {}
    try:
        with engine.connect() as conn:
            for t in tables():
                found[t.name] = [tuple(r) for r in conn.execute(text(t.select(False)))]
            row_id = "rowid" if engine.dialect.name == "sqlite" else "id"
            found["search_index"] = sorted(
                tuple(r)
                for r in conn.execute(
                    text(f"SELECT {row_id}, kind, ref_id, body FROM search_index")
                )
            )
            if engine.dialect.name == "postgresql":
                found["sequences"] = [
                    conn.execute(text(f"SELECT last_value, is_called FROM {t.name}_id_seq")).one()
                    for t in tables()
                    if "id" in t.columns
                ]
    finally:
        engine.dispose()
    return found


def test_a_database_that_is_not_empty_is_replaced_only_with_force(pair: Pair, db_url: str) -> None:
    seed_with_keys(db_url)  # the seed and three keys: not what the backup holds
    before = fingerprint(db_url)
    refused = run_cli(db_url, "restore", str(pair.file))
    assert refused.exit_code == 1
    assert "not empty" in refused.stderr and "--force" in refused.stderr
    assert "nothing was restored" in refused.stderr
    assert fingerprint(db_url) == before
    forced = run_cli(db_url, "restore", "--force", str(pair.file))
    assert forced.exit_code == 0, forced.output
    assert fingerprint(db_url) == fingerprint(pair.source)


def lines_of(file: Path) -> list[bytes]:
    return gzip.decompress(file.read_bytes()).splitlines(keepends=True)


def rewritten(file: Path, out: Path, change: Callable[[list[bytes]], None]) -> Path:
    """FILE with its lines changed by CHANGE, its SHA-256 made right again: a file that passes
    every check of the file itself, for the database to refuse."""
    lines = lines_of(file)
    end = orjson.loads(lines.pop())
    change(lines)
    end["end"]["sha256"] = hashlib.sha256(b"".join(lines)).hexdigest()
    out.write_bytes(gzip.compress(b"".join([*lines, orjson.dumps(end) + b"\n"])))
    return out


def change_row(table: str, column: str, value: Any) -> Callable[[list[bytes]], None]:
    """A change to the last row of TABLE: COLUMN set to VALUE."""

    def change(lines: list[bytes]) -> None:
        header = orjson.loads(lines[0])
        position = header["tables"][table].index(column)
        start = lines.index(
            orjson.dumps({"table": table, "columns": header["tables"][table]}) + b"\n"
        )
        last = start
        while last + 1 < len(lines) and lines[last + 1].startswith(b"["):
            last += 1
        assert last > start, f"no rows of {table} to change"
        row = orjson.loads(lines[last])
        row[position] = value
        lines[last] = orjson.dumps(row) + b"\n"

    return change


def cut(file: Path, out: Path) -> Path:
    data = file.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    return out


def flipped(file: Path, out: Path) -> Path:
    data = bytearray(file.read_bytes())
    data[len(data) // 2] ^= 0x10
    out.write_bytes(bytes(data))
    return out


def not_a_backup(_file: Path, out: Path) -> Path:
    out.write_bytes(gzip.compress(b"hello\n"))
    return out


def edited_unhashed(file: Path, out: Path) -> Path:
    """A claim's note edited, the SHA-256 left as it was."""
    data = gzip.decompress(file.read_bytes())
    assert data.count(b'"Edited."') == 1
    out.write_bytes(gzip.compress(data.replace(b'"Edited."', b'"Edited!"')))
    return out


def other_revision(file: Path, out: Path) -> Path:
    def change(lines: list[bytes]) -> None:
        lines[0] = lines[0].replace(schema_head().encode(), b"0123456789ab")

    return rewritten(file, out, change)


BAD_FILES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "cut in half": (cut, "cut short"),
    "a flipped bit": (flipped, "damaged"),
    "not a backup": (not_a_backup, "not a sayso backup"),
    "an edited row, the hash left": (edited_unhashed, "SHA-256"),
    "another schema revision": (other_revision, "schema revision 0123456789ab"),
    # Files whole and right, with a row the database refuses, in the last table written (the
    # others are in by then): a value no CHECK allows; a reference to no row.
    "a value the database refuses": (
        lambda f, out: rewritten(f, out, change_row("contradictions", "kind", "rumour")),
        "contradictions could not be restored",
    ),
    "a reference to no row": (
        lambda f, out: rewritten(f, out, change_row("contradictions", "statement_a_id", 999999)),
        "contradictions",
    ),
}


@pytest.mark.parametrize("bad", list(BAD_FILES))
def test_a_bad_backup_is_refused_and_the_database_is_left_as_it_was(
    pair: Pair, db_url: str, tmp_path: Path, bad: str
) -> None:
    make, message = BAD_FILES[bad]
    file = make(pair.file, tmp_path / "bad.backup")
    seed_with_keys(db_url)
    before = fingerprint(db_url)
    refused = run_cli(db_url, "restore", "--force", str(file))
    assert refused.exit_code == 1, refused.output
    assert message in refused.stderr, refused.stderr
    assert str(file) in refused.stderr
    assert "nothing was restored" in refused.stderr
    assert fingerprint(db_url) == before


def test_the_files_own_checks_come_before_the_database_is_touched(
    pair: Pair, tmp_path: Path
) -> None:
    with pytest.raises(BackupError, match="cut short"):
        check_file(cut(pair.file, tmp_path / "cut.backup"))
    checked = run_cli("sqlite:///nowhere/at/all.db", "restore", "--check", str(pair.file))
    assert checked.exit_code == 0, checked.output
    assert "is whole" in checked.stderr


def test_a_backup_reads_one_snapshot_and_holds_no_writer_back(
    databases: Databases, tmp_path: Path
) -> None:
    """A write in progress elsewhere (a server's) is not waited for, and not in the backup."""
    url = databases.fresh()
    seed_with_keys(url)
    engine = make_engine(url)
    try:
        with engine.begin() as writer:
            writer.execute(text("INSERT INTO claims (slug, text) VALUES ('in-flight', 'Not yet.')"))
            began = time.monotonic()
            backup(engine, tmp_path / "during.backup", schema_head())
            assert time.monotonic() - began < 5  # SQLite's busy timeout: it did not wait
        # The writer committed after the backup began: not in it.
        restored = databases.fresh()
        assert run_cli(restored, "restore", str(tmp_path / "during.backup")).exit_code == 0
        with client(restored) as api:
            assert api.get("/claims/in-flight").status_code == 404
        with client(url) as api:
            assert api.get("/claims/in-flight").status_code == 200
    finally:
        engine.dispose()


def test_a_backup_is_not_written_over_an_existing_file(seeded_url: str, tmp_path: Path) -> None:
    file = tmp_path / "kept.backup"
    file.write_bytes(b"precious")
    refused = run_cli(seeded_url, "backup", str(file))
    assert refused.exit_code == 1 and "exists already" in refused.stderr
    assert file.read_bytes() == b"precious"
    assert list(tmp_path.iterdir()) == [file]  # no partial file left either
    assert run_cli(seeded_url, "backup", "--force", str(file)).exit_code == 0
    assert check_file(file).rows["statements"] > 0
    assert file.stat().st_mode & 0o777 == 0o600  # its owner's alone


def test_the_commands_say_which_is_a_backup_and_which_is_for_sharing(
    seeded_url: str, tmp_path: Path
) -> None:
    helps = {
        name: run_cli(seeded_url, name, "--help").stdout for name in ("backup", "restore", "export")
    }
    assert "sayso restore" in helps["backup"] and "sayso export" in helps["backup"]
    assert (
        "sayso backup" in helps["export"]
        and "not a backup" in helps["export"].replace("\n", " ").lower()
    )
    assert "--force" in helps["restore"] and "--check" in helps["restore"]
    # And as a user runs it: a backup of the served database, in its own process.
    file = tmp_path / "seed.backup"
    done = sayso(seeded_url, "backup", str(file))
    assert done.returncode == 0, done.stderr
    assert "backed up" in done.stderr


@pytest.mark.postgres
def test_a_backup_moves_between_sqlite_and_postgresql_unchanged(
    pair: Pair, backend: str, pg_server: PgServer, tmp_path: Path
) -> None:
    """SQLite's backup restored into PostgreSQL, backed up there, and that restored into SQLite
    again: every row as it was, and the same rows in the files, byte for byte."""
    if backend != "sqlite":
        pytest.skip("once, from SQLite's database")
    pg = pg_server.create_database(f"sayso_moved_{int(time.time() * 1000)}")
    command.upgrade(migration_config(pg), "head")
    lite = f"sqlite:///{tmp_path / 'back.db'}"
    command.upgrade(migration_config(lite), "head")
    assert run_cli(pg, "restore", str(pair.file)).exit_code == 0
    assert run_cli(pg, "backup", str(tmp_path / "pg.backup")).exit_code == 0
    assert run_cli(lite, "restore", str(tmp_path / "pg.backup")).exit_code == 0
    for url in (pg, lite):
        assert rows_of(url) == rows_of(pair.source), url
    assert table_lines(tmp_path / "pg.backup") == table_lines(pair.file)


def table_lines(file: Path) -> list[bytes]:
    """The tables' sections of a backup file: what follows the header, up to the sequences (a
    PostgreSQL backup's) or the end."""
    lines = lines_of(file)[1:]
    last = next(i for i, line in enumerate(lines) if line.startswith((b'{"seq', b'{"end')))
    return lines[:last]


def rows_of(db_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table by primary key, its values as the database gives them (JSON as
    its text), instants in UTC and dates as text whatever the database."""
    engine = make_engine(db_url)
    postgresql = engine.dialect.name == "postgresql"
    found = {}
    try:
        with engine.connect() as conn:
            for t in tables():
                found[t.name] = sorted(
                    tuple(
                        _instant(v) if k == "instant" else str(v) if k == "date" and v else v
                        for v, k in zip(row, t.kinds, strict=True)
                    )
                    for row in conn.execute(text(t.select(postgresql)))
                )
    finally:
        engine.dispose()
    return found


def _instant(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite's
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


def test_an_sqlite_restore_waits_for_nobody_it_need_not(
    backend: str, databases: Databases, request: pytest.FixtureRequest
) -> None:
    """On SQLite a restore into a database that no one else has open writes the file directly
    (app/db/engine.py load_session), and leaves it in WAL mode."""
    if backend != "sqlite":
        pytest.skip("SQLite only")
    pair: Pair = request.getfixturevalue("pair")
    url = databases.fresh()
    assert run_cli(url, "restore", str(pair.file)).exit_code == 0
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
