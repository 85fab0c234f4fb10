"""The OpenAPI document describes every endpoint and parameter, and the API keeps to it."""

from typing import Any

import pytest
import schemathesis
from conftest import openapi_document
from hypothesis import HealthCheck, given, settings
from schemathesis import BaseSchema
from schemathesis.checks import positive_data_acceptance
from seed_facts import declared

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


def _files() -> list[dict[str, Any]]:
    from seed_facts import seed_files

    return list(seed_files())


def _reversed(query: dict[str, Any]) -> bool:
    return any(
        lo in query and hi in query and str(query[lo]) > str(query[hi])
        for lo, hi in (("said_from", "said_to"), ("reported_from", "reported_to"))
    )


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
        # which the schema cannot say): it is rightly refused too.
        # Nor to an instant whose UTC offset is past what PostgreSQL keeps (15:59): the schema's
        # "date-time" allows up to 23:59, and it is rightly refused too.
        query = case.query or {}
        response = case.call()
        past_offset = response.status_code == 422 and OFFSET_REFUSED in response.text
        excluded = (
            [positive_data_acceptance]
            if "cursor" in query or _reversed(query) or past_offset
            else []
        )
        case.validate_response(response, excluded_checks=excluded)

    check()
