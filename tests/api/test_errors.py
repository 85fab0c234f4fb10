"""Every error is application/problem+json with the same fields, and says what is wrong."""

import asyncio

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


@pytest.mark.parametrize("cursor", ["not-a-cursor", "WyJ4Il0", "WzEsMl0"])
def test_a_cursor_not_made_by_the_api_is_refused(http: httpx.Client, cursor: str) -> None:
    body = assert_problem(http.get("/statements", params={"cursor": cursor}), 422)
    assert "cursor" in str(body["detail"])


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
