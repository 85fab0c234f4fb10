"""The methods a path takes, as HTTP means them: HEAD answers every GET route as the GET would,
without the body; OPTIONS and a 405's `Allow` name every method of the path; a refused CORS
preflight is a problem like every other error."""

import httpx
import pytest
from conftest import in_process
from test_errors import assert_problem

from app.config import Settings
from app.main import create_app

CLAIM = "putin-signalled-ceasefire-2023"
SOURCE = "indiatv-2024-02-14-putin-ceasefire-rejected"
# Direct reads (app/web/direct_reads.py), routed ones, answers of each kind, and errors.
GETS = [
    "/claims",
    "/claims?limit=2",
    f"/claims/{CLAIM}",
    f"/claims/{CLAIM}/positions",
    f"/positions?claim={CLAIM}&claim=us-rejected-putin-ceasefire",
    "/statements?stance=denies&limit=100",
    "/actors/dmitry-peskov",
    f"/sources/{SOURCE}/text",
    "/search?q=ceasefire",
    "/health",
    "/openapi.json",
    "/claims/no-such-claim",
    "/claims?limit=0",
    "/no/such/endpoint",
]
COMPARED = ("content-type", "content-length", "etag", "content-encoding", "vary", "cache-control")


@pytest.mark.parametrize("path", GETS)
@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_head_answers_as_get_without_the_body(http: httpx.Client, path: str, encoding: str) -> None:
    headers = {"Accept-Encoding": encoding}
    with http.stream("GET", path, headers=headers) as got:
        raw = b"".join(got.iter_raw())
    head = http.head(path, headers=headers)
    assert head.status_code == got.status_code, path
    assert head.content == b""
    assert {h: head.headers.get(h) for h in COMPARED} == {h: got.headers.get(h) for h in COMPARED}
    if "content-length" in got.headers:
        assert int(head.headers["content-length"]) == len(raw)


def test_head_revalidates_as_get_does(http: httpx.Client) -> None:
    etag = http.head(f"/claims/{CLAIM}").headers["etag"]
    assert etag == http.get(f"/claims/{CLAIM}").headers["etag"]
    again = http.head(f"/claims/{CLAIM}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["etag"] == etag


@pytest.mark.parametrize("export", ["/statements.csv", "/statements.ndjson"])
def test_head_on_an_export_sends_its_headers_and_stops(http: httpx.Client, export: str) -> None:
    got = http.get(export)
    head = http.head(export)
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers.get("content-disposition") == got.headers.get("content-disposition")
    # The server is none the worse for the export it left off.
    assert http.get(export).content == got.content


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/claims", "GET, HEAD, POST, OPTIONS"),
        ("DELETE", "/claims", "GET, HEAD, POST, OPTIONS"),
        ("PUT", f"/claims/{CLAIM}", "GET, HEAD, PATCH, DELETE, OPTIONS"),
        ("POST", f"/claims/{CLAIM}/positions", "GET, HEAD, OPTIONS"),
        ("GET", f"/claims/{CLAIM}/restore", "POST, OPTIONS"),
        ("HEAD", f"/claims/{CLAIM}/merge", "POST, OPTIONS"),
        ("POST", "/statements.csv", "GET, HEAD, OPTIONS"),
        ("GET", "/ingest", "POST, OPTIONS"),
        ("PATCH", "/appearances/1/history", "GET, HEAD, OPTIONS"),
    ],
)
def test_a_405_allows_every_method_of_the_path(
    http: httpx.Client, method: str, path: str, allowed: str
) -> None:
    response = http.request(method, path)
    assert response.headers["allow"] == allowed
    if method == "HEAD":
        assert response.status_code == 405
        assert response.content == b""
        return
    body = assert_problem(response, 405)
    assert body["title"] == "Method not allowed"
    assert method in str(body["detail"]) and allowed in str(body["detail"])


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/claims", "GET, HEAD, POST, OPTIONS"),
        (f"/claims/{CLAIM}", "GET, HEAD, PATCH, DELETE, OPTIONS"),
        ("/positions", "GET, HEAD, OPTIONS"),
        ("/ingest", "POST, OPTIONS"),
    ],
)
def test_options_names_the_methods_of_the_path(http: httpx.Client, path: str, allowed: str) -> None:
    response = http.options(path)
    assert response.status_code == 204
    assert response.headers["allow"] == allowed
    assert response.content == b""


def test_options_on_no_endpoint_is_a_404(http: httpx.Client) -> None:
    assert_problem(http.options("/no/such/endpoint"), 404)


def test_a_refused_cors_preflight_is_a_problem_saying_what_was_refused(seeded_url: str) -> None:
    app = create_app(Settings(database_url=seeded_url, cors_origins=["https://app.example.org"]))
    allowed_origin = {"Origin": "https://app.example.org"}
    with in_process(app) as clients:
        client = clients()
        for method in ("GET", "HEAD", "PATCH"):
            ok = client.options(
                "/claims", headers={**allowed_origin, "Access-Control-Request-Method": method}
            )
            assert ok.status_code == 200, method
        refused = [
            (
                {"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"},
                "origin 'https://elsewhere.example'",
            ),
            ({**allowed_origin, "Access-Control-Request-Method": "TRACE"}, "method 'TRACE'"),
            (
                {
                    **allowed_origin,
                    "Access-Control-Request-Method": "GET",
                    "Access-Control-Request-Headers": "If-None-Match, X-Secret",
                },
                "headers X-Secret",
            ),
        ]
        for headers, named in refused:
            response = client.options("/claims", headers=headers)
            body = assert_problem(response, 400)
            assert body["title"] == "CORS request refused"
            assert named in str(body["detail"]), body["detail"]
        # A HEAD from the allowed origin is answered with the CORS headers a GET has.
        head = client.head("/claims", headers=allowed_origin)
        assert head.status_code == 200
        assert head.headers["access-control-allow-origin"] == "https://app.example.org"
