"""Every write endpoint, authenticated as an admin, keeps to its OpenAPI description under
generated requests (schemathesis): no server error, and every answer has a documented status,
content type and shape. On a database of its own: these requests change it."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from conftest import Databases, openapi_document, serving
from hypothesis import HealthCheck, given, settings
from schemathesis import BaseSchema
from schemathesis.checks import positive_data_acceptance
from sites import keyed_database

from app.config import Settings
from app.main import create_app

WRITES = [
    (method.upper(), path)
    for path, methods in openapi_document()["paths"].items()
    for method in methods
    if method in ("post", "patch", "put", "delete")
]


@pytest.fixture(scope="module")
def writable(databases: Databases) -> Iterator[tuple[BaseSchema, str]]:
    """The served API's schema, loaded once (each operation's strategies are built from it),
    and an admin's key."""
    with (
        keyed_database(databases) as (url, keys),
        serving(create_app(Settings(database_url=url))) as base,
    ):
        yield schemathesis.openapi.from_url(f"{base}/openapi.json"), keys["admin"]


def test_there_are_writes_to_check() -> None:
    assert {("POST", "/claims"), ("PATCH", "/claims/{slug}"), ("POST", "/ingest")} <= set(WRITES)


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_every_write_keeps_to_its_schema(
    writable: tuple[BaseSchema, str], method: str, path: str
) -> None:
    api, key = writable
    operation = api[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(case: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {key}"}
        # A write that fits the schema may still be refused for what is stored (a quote not in
        # the source's text, a stale If-Match, a slug taken): "valid data is accepted" cannot
        # hold without the state, which the schema does not describe.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()
