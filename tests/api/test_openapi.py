"""The OpenAPI document describes every endpoint and parameter, and the API keeps to it."""

import re
from typing import Any

import httpx
import pytest
import schemathesis
from conftest import openapi_document
from hypothesis import HealthCheck, given, settings
from schemathesis import BaseSchema
from schemathesis.checks import positive_data_acceptance
from seed_facts import declared

from app.db.wal import format_lsn, parse_lsn
from app.search.query import QueryError, parse
from app.web.params import SLUG_PATTERN


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    return openapi_document()


@pytest.fixture(scope="module")
def api(server_url: str) -> BaseSchema:
    """The schema the server serves, loaded once (each operation's strategies are built from
    it)."""
    return schemathesis.openapi.from_url(f"{server_url}/openapi.json")


def operations(openapi: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, methods in openapi["paths"].items()
        for method, op in methods.items()
    ]


def test_every_operation_has_a_summary_and_a_description(openapi: dict[str, Any]) -> None:
    for path, method, op in operations(openapi):
        assert op.get("summary"), f"{method} {path}"
        assert op.get("description"), f"{method} {path}"


def test_every_parameter_is_described(openapi: dict[str, Any]) -> None:
    for path, method, op in operations(openapi):
        for param in op.get("parameters", []):
            assert param.get("description"), f"{method} {path}: {param['name']}"


def test_slug_examples_name_real_seed_data(openapi: dict[str, Any]) -> None:
    """An example a reader copies must work: each slug example is in the seed data."""
    slugs = {
        entry["slug"]
        for section in ("actors", "claims", "sources", "statements")
        for entry in declared(section)
        if "slug" in entry
    } | {f["slug"] for f in [s["source"] for s in _files()]}
    checked = 0
    for path, method, op in operations(openapi):
        for param in op.get("parameters", []):
            schema = param["schema"].get("anyOf", [param["schema"]])[0]
            if schema.get("pattern") == SLUG_PATTERN:
                for example in param.get("examples", {}).values():
                    assert example["value"] in slugs, f"{method} {path}: {param['name']}"
                    checked += 1
    assert checked > 10


def test_every_error_response_is_a_problem(openapi: dict[str, Any]) -> None:
    for path, _method, op in operations(openapi):
        for status, response in op["responses"].items():
            if status.startswith("4"):
                assert list(response["content"]) == ["application/problem+json"], (path, status)


def test_the_reads_of_what_can_be_deleted_document_410(openapi: dict[str, Any]) -> None:
    # A deleted object's address, and the addresses of what went with it, answer 410.
    paths = openapi["paths"]
    for path in ("/claims/{slug}", "/actors/{slug}", "/sources/{slug}", "/statements/{slug}"):
        assert "410" in paths[path]["get"]["responses"], path
    for path in ("/appearances/{id}", "/contradictions/{id}"):
        assert "410" in paths[path]["get"]["responses"], path


OPERATION_ID = re.compile(r"^[a-z]+(?:[A-Z][a-z0-9]*)*$")
VERBS = (
    "list",
    "get",
    "create",
    "update",
    "delete",
    "restore",
    "purge",
    "merge",
    "export",
    "search",
    "ingest",
    "draft",
)


def test_every_operation_has_a_unique_camel_case_id_verb_first(openapi: dict[str, Any]) -> None:
    ids = [op["operationId"] for _path, _method, op in operations(openapi)]
    assert len(set(ids)) == len(ids), sorted(i for i in ids if ids.count(i) > 1)
    for operation_id in ids:
        assert OPERATION_ID.match(operation_id), operation_id
        assert operation_id.startswith(VERBS), operation_id
    by_path = {(path, method): op["operationId"] for path, method, op in operations(openapi)}
    assert by_path[("/claims", "get")] == "listClaims"
    assert by_path[("/claims/{slug}", "get")] == "getClaim"
    assert by_path[("/claims/{slug}", "patch")] == "updateClaim"
    assert by_path[("/claims/{slug}/statements", "get")] == "listClaimStatements"
    assert by_path[("/statements", "post")] == "createStatement"
    assert by_path[("/positions", "get")] == "listPositions"


def _streamed(op: dict[str, Any]) -> bool:
    content = op["responses"]["200"].get("content", {})
    return "text/csv" in content or "application/x-ndjson" in content


def test_every_read_declares_its_etag_if_none_match_and_304(openapi: dict[str, Any]) -> None:
    reads = [(path, op) for path, method, op in operations(openapi) if method == "get"]
    whole = [(path, op) for path, op in reads if not _streamed(op)]
    assert len(whole) >= len(reads) - 2
    for path, op in whole:
        assert op["responses"]["200"]["headers"]["ETag"]["required"] is True, path
        assert "304" in op["responses"], path
        assert "content" not in op["responses"]["304"], path
        conditional = [p for p in op["parameters"] if p["name"] == "If-None-Match"]
        assert conditional and conditional[0]["in"] == "header", path
    for path, op in reads:
        if _streamed(op):  # a stream is not held back to be hashed: no ETag, no 304
            assert "304" not in op["responses"], path


def test_writes_that_answer_an_object_declare_its_etag(openapi: dict[str, Any]) -> None:
    paths = openapi["paths"]
    assert paths["/claims"]["post"]["responses"]["201"]["headers"]["ETag"]
    assert paths["/claims/{slug}"]["patch"]["responses"]["200"]["headers"]["ETag"]
    assert paths["/statements/{slug}/restore"]["post"]["responses"]["200"]["headers"]["ETag"]
    assert "ETag" not in paths["/ingest"]["post"]["responses"]["201"].get("headers", {})
    for path, method, op in operations(openapi):
        if method in ("patch", "delete") or path.endswith("/merge"):
            assert any(p["name"] == "If-Match" for p in op["parameters"]), (method, path)


def test_the_read_your_writes_position_is_declared_on_reads_and_writes(
    openapi: dict[str, Any],
) -> None:
    # app/web/read_routing.py: every write's answer (and its 412) may carry X-Sayso-LSN, and
    # every read may send it back; the declared pattern is the one the server writes and reads.
    reads = writes = 0
    for path, method, op in operations(openapi):
        if method == "get":
            (sent,) = [p for p in op["parameters"] if p["name"] == "X-Sayso-LSN"]
            assert sent["in"] == "header" and sent["required"] is False, path
            pattern = re.compile(sent["schema"]["pattern"])
            reads += 1
            continue
        answers = {s: a for s, a in op["responses"].items() if s.startswith("2") or s == "412"}
        assert answers, (method, path)
        for status, answer in answers.items():
            assert "X-Sayso-LSN" in answer["headers"], (method, path, status)
        writes += 1
    assert reads > 20 and writes > 20
    for position in (0, 0x3000148, 0x16B374D848, 2**64 - 1):
        written = format_lsn(position)
        assert pattern.fullmatch(written) and parse_lsn(written) == position
    for wrong in ("", "0", "0/", "/1", "g/1", "123456789/0", "0/3000148;", " 0/1"):
        assert not pattern.search(wrong), wrong


def test_if_match_is_declared_as_an_etag_so_a_star_is_outside_it(
    openapi: dict[str, Any], http: httpx.Client
) -> None:
    # `If-Match: *` is refused (428): the declared pattern says so, and a real ETag fits it.
    edit = openapi["paths"]["/claims/{slug}"]["patch"]
    (declared,) = [p for p in edit["parameters"] if p["name"] == "If-Match"]
    pattern = re.compile(declared["schema"]["pattern"])
    etag = http.get("/claims/putin-signalled-ceasefire-2023").headers["etag"]
    assert pattern.search(etag)
    assert pattern.search(etag[:-1] + '-gzip"')
    assert not pattern.search("*")


def test_every_write_with_a_body_has_an_example_body(openapi: dict[str, Any]) -> None:
    with_body = [(p, m, op) for p, m, op in operations(openapi) if "requestBody" in op]
    assert len(with_body) >= 14
    for path, method, op in with_body:
        for media in op["requestBody"]["content"].values():
            assert isinstance(media.get("example"), dict) and media["example"], (method, path)


def test_next_is_required_in_every_page(openapi: dict[str, Any]) -> None:
    pages = [
        schema
        for schema in openapi["components"]["schemas"].values()
        if str(schema.get("title", "")).startswith("Page[")
    ]
    assert len(pages) >= 6
    for schema in pages:
        assert {"items", "next_cursor", "next"} <= set(schema["required"]), schema["title"]
        assert "total" in schema["properties"] and "total" not in schema["required"]


def _files() -> list[dict[str, Any]]:
    from seed_facts import seed_files

    return list(seed_files())


def _counted(query: dict[str, Any]) -> bool:
    return str(query.get("count", "")).lower() in ("true", "1", "yes", "on", "t", "y")


def _reversed(query: dict[str, Any]) -> bool:
    return any(
        lo in query and hi in query and str(query[lo]) > str(query[hi])
        for lo, hi in (("said_from", "said_to"), ("reported_from", "reported_to"))
    )


def _unreadable_search(path: str, query: dict[str, Any]) -> bool:
    if not path.startswith("/search") or "q" not in query:
        return False
    try:
        parse(str(query["q"]))
    except QueryError:
        return True
    quote_filters = {"speaker", "said_from", "said_to", "outlet", "reported_from", "reported_to"}
    return query.get("kind") not in (None, "quote") and bool(quote_filters & set(query))


OFFSET_REFUSED = "no clock is set more than 15:59 apart"


OPERATIONS = [
    (method.upper(), path)
    for path, methods in openapi_document()["paths"].items()
    for method in methods
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_the_api_keeps_to_its_schema(api: BaseSchema, method: str, path: str) -> None:
    """Property-based (schemathesis): for generated valid and invalid requests, no server
    error, and every response matches the documented status, content type and schema."""
    operation = api[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(case: Any) -> None:
        # A cursor is opaque: a random string that fits its schema is still not one the API made,
        # and is rightly refused (422), so "valid data must be accepted" does not apply to it.
        # Nor to a date range whose start is after its end (a check across two parameters,
        # which the schema cannot say): it is rightly refused too. Nor to `count=true` on a
        # list that would have to read a big table whole to count (docs/api.md: without the
        # filters that narrow it, it is refused). Nor to a search whose `q` is a string of the
        # right length that the query language cannot read, or whose quote filters meet another
        # kind (tests/api/test_search_api.py). Nor to an instant whose UTC offset is past what
        # PostgreSQL keeps (15:59): the schema's "date-time" allows up to 23:59, and it is
        # rightly refused too.
        query = case.query or {}
        response = case.call()
        past_offset = response.status_code == 422 and OFFSET_REFUSED in response.text
        refused = (
            "cursor" in query
            or _reversed(query)
            or _counted(query)
            or _unreadable_search(path, query)
            or past_offset
        )
        excluded = [positive_data_acceptance] if refused else []
        case.validate_response(response, excluded_checks=excluded)

    check()


def test_the_writes_document_503(openapi: dict[str, Any]) -> None:
    # A write that meets a load waits a bounded time, then is told to retry (docs/durability.md).
    writes = [(path, op) for path, method, op in operations(openapi) if method != "get"]
    assert len(writes) > 20
    for path, op in writes:
        assert "503" in op["responses"], path
