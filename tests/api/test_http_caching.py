"""HTTP for front ends and caches: ETags and 304s, gzip, Cache-Control on a source's text, and
CORS when the setting names origins."""

import gzip
import hashlib

import httpx
import pytest
from conftest import in_process

from app.config import Settings
from app.main import create_app

SOURCE = "indiatv-2024-02-14-putin-ceasefire-rejected"
GETS = [
    "/claims",
    "/claims/putin-signalled-ceasefire-2023",
    "/claims/putin-signalled-ceasefire-2023/positions",
    "/claims/putin-signalled-ceasefire-2023/timeline",
    "/actors/kremlin",
    "/statements?stance=denies",
    "/statements/peskov-denies-peace-proposals",
    "/statements/peskov-denies-peace-proposals/chains",
    f"/sources/{SOURCE}",
    "/contradictions",
    "/search?q=ceasefire",
]


@pytest.mark.parametrize("path", GETS)
def test_every_get_has_an_etag_and_a_304_when_the_client_has_it(
    http: httpx.Client, path: str
) -> None:
    first = http.get(path)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert http.get(path).headers["etag"] == etag, "the same answer has the same tag"
    again = http.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    listed = http.get(path, headers={"If-None-Match": f'"other", W/{etag}'})
    assert listed.status_code == 304, "a list of tags, and weak comparison"
    stale = http.get(path, headers={"If-None-Match": '"not-this-one"'})
    assert stale.status_code == 200
    assert stale.content == first.content


@pytest.mark.parametrize("path", [*GETS, "/claims/no-such-claim", "/statements.csv"])
def test_every_get_says_it_varies_with_the_key(http: httpx.Client, path: str) -> None:
    # A key may show drafts and the history: a cache must not give one key's answer to another.
    response = http.get(path)
    assert "Authorization" in response.headers["vary"]
    if response.status_code == 200 and "etag" in response.headers:
        again = http.get(path, headers={"If-None-Match": response.headers["etag"]})
        assert again.status_code == 304
        assert "Authorization" in again.headers["vary"]


def test_different_answers_have_different_etags(http: httpx.Client) -> None:
    tags = {http.get(path).headers["etag"] for path in GETS}
    assert len(tags) == len(GETS)


def test_errors_carry_no_etag(http: httpx.Client) -> None:
    response = http.get("/claims/no-such-claim")
    assert response.status_code == 404
    assert "etag" not in response.headers


def test_large_answers_are_gzipped_when_the_client_accepts_it(http: httpx.Client) -> None:
    plain = http.get("/statements?limit=100", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    with http.stream(
        "GET", "/statements?limit=100", headers={"Accept-Encoding": "gzip"}
    ) as response:
        raw = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["vary"]
    assert len(raw) < len(plain.content) / 3
    assert gzip.decompress(raw) == plain.content
    # Its own tag (a strong ETag names one representation), and either tag revalidates.
    assert response.headers["etag"] != plain.headers["etag"]
    for tag in (response.headers["etag"], plain.headers["etag"]):
        revalidated = http.get(
            "/statements?limit=100", headers={"Accept-Encoding": "gzip", "If-None-Match": tag}
        )
        assert revalidated.status_code == 304


def test_small_answers_are_not_gzipped(http: httpx.Client) -> None:
    response = http.get("/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in response.headers


@pytest.mark.parametrize("export", ["/statements.csv", "/statements.ndjson"])
def test_streamed_exports_are_gzipped_as_they_stream(http: httpx.Client, export: str) -> None:
    plain = http.get(export, headers={"Accept-Encoding": "identity"}).content
    with http.stream("GET", export, headers={"Accept-Encoding": "gzip"}) as response:
        raw = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw) == plain


def test_a_sources_text_is_tagged_by_its_sha256_and_immutable_when_pinned(
    http: httpx.Client,
) -> None:
    sha256 = http.get(f"/sources/{SOURCE}").json()["sha256"]
    text = http.get(f"/sources/{SOURCE}/text", headers={"Accept-Encoding": "identity"})
    assert hashlib.sha256(text.content).hexdigest() == sha256
    assert text.headers["etag"] == f'"{sha256}"'
    zipped = http.get(f"/sources/{SOURCE}/text", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["etag"] == f'"{sha256}-gzip"'
    assert zipped.content == text.content
    assert text.headers["cache-control"] == "public, no-cache"
    pinned = http.get(f"/sources/{SOURCE}/text", params={"sha256": sha256})
    assert pinned.content == text.content
    assert pinned.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert http.get(f"/sources/{SOURCE}/text", params={"sha256": "0" * 64}).status_code == 404
    revalidated = http.get(f"/sources/{SOURCE}/text", headers={"If-None-Match": f'"{sha256}"'})
    assert revalidated.status_code == 304
    assert revalidated.headers["cache-control"] == "public, no-cache"


def test_no_cors_headers_unless_the_setting_names_origins(http: httpx.Client) -> None:
    response = http.get("/claims", headers={"Origin": "https://app.example.org"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_for_the_origins_the_setting_names(seeded_url: str) -> None:
    app = create_app(Settings(database_url=seeded_url, cors_origins=["https://app.example.org"]))
    with in_process(app) as clients:
        client = clients()
        allowed = client.get("/claims", headers={"Origin": "https://app.example.org"})
        assert allowed.headers["access-control-allow-origin"] == "https://app.example.org"
        assert "ETag" in allowed.headers["access-control-expose-headers"]
        other = client.get("/claims", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers
        preflight = client.options(
            "/claims",
            headers={
                "Origin": "https://app.example.org",
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "If-None-Match",
            },
        )
        assert preflight.status_code == 200
        assert "GET" in preflight.headers["access-control-allow-methods"]
