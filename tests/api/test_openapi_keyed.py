"""The write operations keep to their schema with a key: schemathesis runs every check it has
against each, with an editor's key and with an admin's, on a throwaway copy of the seeded
database (one per backend and role). test_openapi.py runs every operation without a key.

SAYSO_SCHEMATHESIS_EXAMPLES sets the examples per operation (default 20), for a long run.
"""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from conftest import openapi_document, serving
from db_copies import Databases, add_keys
from hypothesis import HealthCheck, given, settings
from schemathesis import BaseSchema
from schemathesis.checks import CHECKS, load_all_checks, positive_data_acceptance

from app.config import Settings
from app.main import create_app

EXAMPLES = int(os.environ.get("SAYSO_SCHEMATHESIS_EXAMPLES", "20"))
load_all_checks()
EVERY_CHECK = list(CHECKS.get_all())

WRITES = [
    (method.upper(), path)
    for path, methods in openapi_document()["paths"].items()
    for method in methods
    if method not in ("get", "head")
]

# A body that fits its schema may still be refused (422) for what no JSON Schema of it says:
# what it names must exist, a text it quotes must be in the document, and a few rules join two
# fields. "Valid data must be accepted" does not apply to these refusals, and only to these:
# any other 422 of a schema-valid request fails the test.
BEYOND_THE_SCHEMA = re.compile(
    "|".join(
        [
            # What it names does not exist (a slug of the right shape names nothing).
            r"does not exist",
            r"^there is no (actor|source|claim|statement) ",
            # A quoted text is not in the document (or not once, or only in its furniture).
            r"is not in the (document|article text)",
            r"occurs .* times",
            r"page furniture",
            r"does not occur after",
            # Two fields together.
            r"give 'occurrence' or 'after', not both",
            r"a rejected one needs a status_reason",
            r"only an unnamed source has one",  # a group size, by the actor's kind
            r"give a statement's slug",  # a and b: statements, or appearances for a misreport
            r"^a misreport ",
            # An offset past what PostgreSQL keeps: "date-time" allows +23:59.
            r"no clock is set more than 15:59 apart",
        ]
    )
)


@dataclass
class Keyed:
    role: str
    key: str
    api: BaseSchema


@pytest.fixture(scope="module", params=["editor", "admin"])
def keyed(request: pytest.FixtureRequest, databases: Databases) -> Iterator[Keyed]:
    url = databases.seeded()
    keys = add_keys(url)
    with serving(create_app(Settings(database_url=url))) as base:
        api = schemathesis.openapi.from_url(f"{base}/openapi.json")
        yield Keyed(request.param, keys[request.param], api)
    databases.drop(url)


def excused(path: str, case: Any, status: int, body: Any) -> list[Any]:
    """The checks that do not apply to this case and its answer, each for the reason given."""
    if status == 412:
        # If-Match is declared an ETag's shape: only the object's current ETag, one the API
        # made, matches, and a generated one of that shape is rightly refused.
        return [positive_data_acceptance]
    if status == 422 and path == "/ingest":
        # An annotation's quotes must be found in its text, its references resolve, ...:
        # test_malformed_documents.py tries /ingest with annotations broken one way at a time.
        return [positive_data_acceptance]
    if status == 422 and all(
        BEYOND_THE_SCHEMA.search(error["message"]) for error in body.get("errors", [])
    ):
        return [positive_data_acceptance]
    return []


def test_there_are_write_operations_to_check() -> None:
    assert len(WRITES) >= 25, WRITES


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_the_writes_keep_to_their_schema_with_a_key(keyed: Keyed, method: str, path: str) -> None:
    """Property-based (schemathesis): for generated valid and invalid requests with the key,
    no server error, and every check schemathesis has passes but where excused() says why."""
    operation = keyed.api[path][method]
    headers = {"Authorization": f"Bearer {keyed.key}"}
    calls = 0

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def check(case: Any) -> None:
        nonlocal calls
        calls += 1
        response = case.call(headers=headers)
        is_problem = response.headers.get("content-type") == "application/problem+json"
        body = response.json() if is_problem else {}
        case.validate_response(
            response,
            checks=EVERY_CHECK,
            excluded_checks=excused(path, case, response.status_code, body),
            headers=headers,
        )

    check()
    tally = os.environ.get("SAYSO_HYPOTHESIS_TALLY")
    if tally:  # for a long run's report: how many requests this test sent
        with open(tally, "a") as out:
            out.write(f"schemathesis {keyed.role} {method} {path} {calls}\n")


# -- what the runs found, fixed ------------------------------------------------------------------


def _component(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = openapi_document()["components"]["schemas"][name]
    return schema


UPDATES = {
    "ActorUpdate": ["name", "kind", "aliases"],
    "ClaimUpdate": ["text"],
    "StatementUpdate": ["speaker", "claim", "stance", "status"],
    "AppearanceUpdate": ["quote", "mode", "status"],
    "SourceUpdate": ["language", "dates", "cites"],
    "ContradictionUpdate": ["rationale", "status"],
}


@pytest.mark.parametrize("name", UPDATES)
def test_an_update_body_says_it_needs_a_field_and_which_take_no_null(name: str) -> None:
    # An empty update ({}) and a null for these fields fitted the schema, and were refused.
    schema = _component(name)
    assert schema["minProperties"] == 1
    for field in UPDATES[name]:
        declared = schema["properties"][field]
        assert "anyOf" not in declared and declared.get("type") != "null", (field, declared)
    nullable = [f for f, d in schema["properties"].items() if "anyOf" in d]
    assert nullable or name == "ContradictionUpdate", schema  # the others may still be null


def test_a_new_contradiction_is_declared_no_denial() -> None:
    # Denials are derived from the stances: POST /contradictions refuses one.
    assert _component("ContradictionCreate")["properties"]["kind"]["enum"] == [
        "inconsistency",
        "misreport",
    ]
