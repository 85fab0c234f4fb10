"""Hostile request bodies: every body the API parses (POST /ingest's annotation, the editing
API's JSON) is refused with a 422 saying what is wrong, never a 500, and nothing is written."""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from conftest import serving
from sqlalchemy import Engine, text

from app.config import Settings
from app.db.engine import session_scope
from app.main import create_app
from app.models import Base
from app.models.enums import KeyRole
from app.web.auth import create_key

TEXT = "Ana Silva said on Monday that the bridge would reopen in May.\n"


def annotation(**source: Any) -> dict[str, Any]:
    """A small valid annotation, as a client posts it to /ingest."""
    return {
        "format": "sayso/1",
        "source": {"slug": "wire-bridge", "language": "en", "text": TEXT, **source},
        "actors": [{"slug": "ana-silva", "name": "Ana Silva", "kind": "person"}],
        "claims": [{"slug": "bridge-reopens", "text": "The bridge reopens in May."}],
        "statements": [
            {
                "slug": "silva-bridge",
                "speaker": "ana-silva",
                "claim": "bridge-reopens",
                "stance": "asserts",
                "appearances": [{"quote": "the bridge would reopen in May", "mode": "indirect"}],
            }
        ],
    }


def nested(depth: int) -> str:
    """A JSON value DEPTH arrays deep."""
    return "[" * depth + "]" * depth


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            name: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {name}"))), key=repr)
            for name in Base.metadata.tables
        }


@dataclass
class Served:
    client: httpx.Client  # with an editor's key
    engine: Engine


@pytest.fixture
def served(engine: Engine, db_url: str) -> Iterator[Served]:
    with session_scope(engine) as session:
        key = create_key(session, "an editor", KeyRole.editor)
    with (
        serving(create_app(Settings(database_url=db_url))) as url,
        httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=60
        ) as client,
    ):
        yield Served(client, engine)


def assert_422(response: httpx.Response, *saying: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    for words in saying:
        assert words in body["detail"], body
    return body


def json_bodies(client: httpx.Client) -> list[tuple[str, str]]:
    """Every operation that takes a JSON body (method, path with its parameters filled)."""
    doc = client.get("/openapi.json").json()
    found = [
        (method.upper(), path.replace("{slug}", "some-slug").replace("{id}", "1"))
        for path, ops in doc["paths"].items()
        for method, op in ops.items()
        if "application/json" in op.get("requestBody", {}).get("content", {})
    ]
    assert len(found) >= 15, found
    return found


# Just past the bound; where Python's own parsers recurse past their limits (the YAML reader
# that finds a JSON annotation's lines ~500, json 1,000); past orjson's (1,024); far past.
DEPTHS = [65, 600, 1_000, 1_100, 100_000]


def test_every_json_body_is_refused_past_64_levels(served: Served) -> None:
    before = snapshot(served.engine)
    for method, path in json_bodies(served.client):
        for depth in DEPTHS:
            body = '{"text": ' + nested(depth - 1) + "}"
            response = served.client.request(
                method, path, content=body, headers={"Content-Type": "application/json"}
            )
            where = f"{method} {path} nested {depth}"
            assert response.status_code == 422, (where, response.text)
            detail = response.json()["detail"]
            assert "nested deeper than 64 levels (line 1, column 73)" in detail, (where, detail)
    assert snapshot(served.engine) == before


@pytest.mark.parametrize(
    "headers",
    [{}, {"Content-Type": "application/merge-patch+json"}, {"Content-Type": "text/plain"}],
    ids=["no type", "a +json type", "text"],
)
def test_ingest_refuses_deep_nesting_whatever_the_type_says(
    served: Served, headers: dict[str, str]
) -> None:
    # /ingest reads its body as JSON, whatever its Content-Type; FastAPI's bodies without one.
    for depth in DEPTHS:
        doc = json.dumps(annotation(title="@")).replace('"@"', nested(depth - 2))
        assert_422(
            served.client.post("/ingest", content=doc, headers=headers),
            "nested deeper than 64 levels",
        )
    assert_422(served.client.post("/claims", content=nested(1_000), headers=headers))


def test_a_chunked_deep_body_is_refused(served: Served) -> None:
    def pieces() -> Iterator[bytes]:
        yield b'{"slug": "a-claim", "text": '
        yield b"[" * 40
        yield b"[" * 40 + b"]" * 80
        yield b"}"

    body = assert_422(
        served.client.post("/claims", content=pieces()), "nested deeper than 64 levels"
    )
    assert body["errors"][0]["location"] == "body"


def test_64_levels_pass_the_door(served: Served) -> None:
    # The bound is not the body's check: a body within it is checked as usual.
    body = assert_422(
        served.client.post(
            "/claims",
            content='{"slug": "a", "text": ' + nested(63) + "}",
            headers={"Content-Type": "application/json"},
        )
    )
    assert "levels" not in body["detail"]
    assert body["errors"][0]["field"] == "text", body


def changed(change: Callable[[dict[str, Any]], None]) -> str:
    """The annotation of these tests, changed by CHANGE, as JSON."""
    doc = annotation()
    change(doc)
    return json.dumps(doc, ensure_ascii=False)


def dated(value: str) -> Callable[[dict[str, Any]], None]:
    date = {"kind": "published", "printed": "Monday", "value": value}
    return lambda doc: doc["source"].update(dates=[date])


def statement(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc["statements"][0].update(fields)


def appearance(**fields: Any) -> Callable[[dict[str, Any]], None]:
    return lambda doc: doc["statements"][0]["appearances"][0].update(fields)


INGEST_HOSTILE: dict[str, tuple[str, str]] = {
    # name: (the body, what the 422 must say)
    "a NUL written as an escape": (
        json.dumps(annotation(byline="Ana\x00Silva")),
        "source.byline: String should match pattern",
    ),
    "a NUL in the text": (json.dumps(annotation(text="A\x00" + TEXT)), "source.text"),
    "a group too large to store": (
        json.dumps(annotation())
        .replace('"kind": "person"', '"kind": "person", "group_size": 2')
        .replace('"group_size": 2', f'"group_size": {2**40}'),
        "actors[0].group_size: Input should be less than or equal to 2147483647",
    ),
    "a key twice, and a mistake": (
        json.dumps(annotation(bylines=1)).replace('"format"', '"format": "sayso/1", "format"'),
        "source.bylines: Extra inputs are not permitted",
    ),
    "a character YAML does not allow, and a mistake": (
        json.dumps(annotation(byline="\ufffe", bylines=1), ensure_ascii=False),
        "source.bylines: Extra inputs are not permitted",
    ),
    # Found by test_malformed_documents.py: each was a 500 on PostgreSQL (a text longer than its
    # column, an offset timestamptz does not take) or on both (an instant past year 1 in UTC).
    "a byline longer than its column": (
        json.dumps(annotation(byline="x" * 301)),
        "source.byline: String should have at most 300 characters",
    ),
    "a language tag longer than its column": (
        json.dumps(annotation(language="en-" + "-".join(["abcdefgh"] * 6))),
        "source.language: String should have at most 35 characters",
    ),
    "a name longer than its column once case-folded": (
        changed(lambda doc: doc["actors"][0].update(name="\ufb03" * 200)),
        "actors[0].name: Value error, at most 300 characters once case-folded",
    ),
    "an alias longer than its column": (
        changed(lambda doc: doc["actors"][0].update(aliases=["x" * 301])),
        "actors[0].aliases[0]: String should have at most 300 characters",
    ),
    "a 'via' longer than its column": (
        changed(statement(via="x" * 301)),
        "statements[0].via: String should have at most 300 characters",
    ),
    "an attribution longer than its column": (
        changed(appearance(attribution="x" * 501)),
        "statements[0].appearances[0].attribution: String should have at most 500",
    ),
    "a hedge longer than its column": (
        changed(appearance(hedge="x" * 101)),
        "statements[0].appearances[0].hedge: String should have at most 100",
    ),
    "a printed date longer than its column": (
        changed(lambda doc: doc["source"].update(dates=[{"kind": "page", "printed": "x" * 201}])),
        "source.dates[0].printed: String should have at most 200",
    ),
    "an offset no clock has": (
        changed(dated("2024-02-14T23:55:00+23:00")),
        "no clock is set more than 15:59 apart",
    ),
    "an instant before year 1 in UTC": (
        changed(dated("0001-01-01T00:00:00+05:00")),
        "out of range once in UTC",
    ),
    "an instant without its offset": (
        changed(dated("2024-02-14T23:55:00")),
        "an instant needs its UTC offset",
    ),
    "an empty key": (
        json.dumps(annotation(**{"": 1})),
        'source."": Extra inputs are not permitted',
    ),
    # A body is often one line: the column says where.
    "JSON broken on one line": (
        '{"format": "sayso/1",, "source": {}}',
        "not valid JSON: unexpected character, expected a string key (column 22)",
    ),
    "bytes that are no UTF-8, in a string": (
        '{"format": "sayso/1", "source": {"title": "\xff"}}'.encode("latin-1").decode(
            "utf-8", "surrogateescape"
        ),
        "not valid JSON",
    ),
    # The body is JSON: a YAML file's aliases are no JSON, and never read as YAML.
    "a billion laughs in YAML": (
        "a: &a [lol, lol]\nb: &b [*a, *a]\nc: [*b, *b]\n",
        "not valid JSON",
    ),
    "a NUL byte": ('{"format": "sayso/1\x00"}', "not valid JSON"),
}


@pytest.mark.parametrize("name", INGEST_HOSTILE)
def test_ingest_refuses_hostile_annotations_and_writes_nothing(served: Served, name: str) -> None:
    body, saying = INGEST_HOSTILE[name]
    before = snapshot(served.engine)
    assert_422(
        served.client.post("/ingest", content=body.encode("utf-8", "surrogateescape")), saying
    )
    assert snapshot(served.engine) == before


def test_the_annotation_of_these_tests_is_valid(served: Served) -> None:
    # What the cases above break is the only thing wrong with them.
    response = served.client.post("/ingest", json=annotation())
    assert response.status_code == 201, response.text


def test_ingest_refuses_rejected_as_the_status_of_what_it_adds(served: Served) -> None:
    # A rejection needs its reason, row by row: rows stored rejected without one broke the
    # databases' check (a 500).
    before = snapshot(served.engine)
    response = served.client.post("/ingest", json=annotation(), params={"status": "rejected"})
    body = assert_422(response)
    assert body["errors"][0]["location"] == "query", body
    assert body["errors"][0]["field"] == "status", body
    assert snapshot(served.engine) == before
