"""Every error is application/problem+json with the same fields, and says what is wrong."""

import asyncio
import json

import httpx
import pytest

from app.config import Settings
from app.main import create_app

PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert set(body) >= PROBLEM_FIELDS
    assert body["status"] == status
    assert body["instance"] == response.request.url.path
    return body


@pytest.mark.parametrize(
    ("path", "what"),
    [
        ("/claims/no-such-claim", "claim"),
        ("/claims/no-such-claim/statements", "claim"),
        ("/claims/no-such-claim/contradictions", "claim"),
        ("/actors/no-such-actor", "actor"),
        ("/actors/no-such-actor/statements", "actor"),
        ("/sources/no-such-source", "source"),
        ("/sources/no-such-source/text", "source"),
        ("/sources/no-such-source/statements", "source"),
        ("/statements/no-such-statement", "statement"),
        ("/statements?claim=no-such-claim", "claim"),
        ("/statements?affiliated_with=no-such-actor", "actor"),
        ("/contradictions?actor=no-such-actor", "actor"),
        ("/sources?outlet=no-such-actor", "actor"),
    ],
)
def test_an_unknown_slug_is_a_404_naming_it(http: httpx.Client, path: str, what: str) -> None:
    body = assert_problem(http.get(path), 404)
    assert f"No {what} with slug 'no-such-" in str(body["detail"])


def test_a_source_without_text_says_so(http: httpx.Client) -> None:
    body = assert_problem(http.get("/sources/reuters-2024-02-putin-ceasefire-rebuffed/text"), 404)
    assert "text is not held" in str(body["detail"])


def test_an_unknown_path_and_a_wrong_method(http: httpx.Client) -> None:
    assert "/docs" in str(assert_problem(http.get("/no/such/endpoint"), 404)["detail"])
    assert_problem(http.put("/claims"), 405)


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/claims/putin-signalled-ceasefire-2023/statements?stance=refutes", "stance"),
        ("/statements?unnamed=perhaps", "unnamed"),
        ("/claims?limit=0", "limit"),
        ("/claims?limit=100000", "limit"),
        ("/claims/Not_A_Slug", "slug"),
        ("/actors?kind=alien", "kind"),
        ("/sources?language=not a language", "language"),
        ("/claims?q=%00", "q"),
    ],
)
def test_an_invalid_parameter_is_a_422_naming_it(http: httpx.Client, path: str, field: str) -> None:
    body = assert_problem(http.get(path), 422)
    errors = body["errors"]
    assert isinstance(errors, list) and errors
    assert errors[0]["field"] == field
    assert field in str(body["detail"])


# Not base64 JSON; a string; three integers (no list is sorted by three); true; 0 (no row id).
@pytest.mark.parametrize("cursor", ["not-a-cursor", "WyJ4Il0", "WzEsMiwzXQ", "W3RydWVd", "WzBd"])
@pytest.mark.parametrize(
    "path",
    [
        "/statements",
        "/claims",
        "/claims/putin-signalled-ceasefire-2023/timeline",
        "/sources/indiatv-2024-02-14-putin-ceasefire-rejected/statements",
    ],
)
def test_a_cursor_not_made_by_the_api_is_refused(
    http: httpx.Client, path: str, cursor: str
) -> None:
    body = assert_problem(http.get(path, params={"cursor": cursor}), 422)
    assert body["title"] == "Invalid request"
    assert "cursor" in str(body["detail"])
    errors = body["errors"]
    assert isinstance(errors, list) and len(errors) == 1
    assert errors[0]["location"] == "query" and errors[0]["field"] == "cursor"
    assert errors[0]["message"]


JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    "body",
    [
        '{"slug": }',
        '{"slug": "a-claim",, "text": "It is so."}',
        '{\n  "slug": "a-claim",\n  "text": "It is so."\n',
        '{"slug": "a-claim", "text": "It is \u00e9t\u00e9 so.}',
    ],
)
def test_a_body_that_is_not_json_is_a_422_saying_where(http: httpx.Client, body: str) -> None:
    """Not a field named by the error's offset: the body, and the line and column."""
    with pytest.raises(json.JSONDecodeError) as parsed:
        json.loads(body)
    response = http.post("/claims", content=body.encode(), headers=JSON)
    problem = assert_problem(response, 422)
    assert problem["title"] == "Invalid request"
    [error] = problem["errors"]  # type: ignore[misc]
    assert error["location"] == "body" and error["field"] == ""
    where = f"(line {parsed.value.lineno}, column {parsed.value.colno})"
    assert error["message"] == f"not valid JSON: {parsed.value.msg} {where}"
    assert str(problem["detail"]) == f"body: {error['message']}"


def test_every_422_has_the_one_title_and_names_what_is_wrong(http: httpx.Client) -> None:
    """Whatever finds it: a parameter's model, a cursor's decoding, the JSON parser, the body
    limit's nesting check (a body's model and a write's own checks: tests/curation)."""
    nested = b"[" * 70 + b"]" * 70
    answers = [
        http.get("/claims", params={"limit": 0}),
        http.get("/statements", params={"cursor": "WzEsMl0"}),
        http.get("/positions"),
        http.post("/claims", content=b'{"slug": }', headers=JSON),
        http.post("/claims", content=nested, headers=JSON),
    ]
    for response in answers:
        body = assert_problem(response, 422)
        assert body["title"] == "Invalid request", response.request.url
        assert body["errors"], response.request.url


def test_an_unexpected_failure_is_a_500_problem_without_internals() -> None:
    app = create_app(Settings(database_url="sqlite://"))

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals")

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/boom")

    response = asyncio.run(call())
    body = assert_problem(response, 500)
    assert "secret" not in response.text
    assert body["title"] == "Internal server error"
