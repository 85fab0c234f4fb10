"""The example body the OpenAPI document gives for every write is one the API takes. The
examples tell one story (a wire report of a bridge reopening, beside the seed's ceasefire
claims), so they run in order, on one fresh seeded database, with an admin's key and, where a
write needs it, the object's ETag in If-Match."""

from typing import Any

from conftest import openapi_document
from sites import Site, etag, site  # noqa: F401 (a fixture)

CLAIM = "putin-signalled-ceasefire-2023"
# (method, path in the document, the address it is sent to): the order the story needs.
STORY = [
    ("POST", "/ingest", "/ingest"),
    ("POST", "/extract", "/extract"),
    ("POST", "/sources", "/sources"),
    (
        "POST",
        "/statements/{slug}/appearances",
        "/statements/silva-bridge-reopens-in-may/appearances",
    ),
    ("POST", "/claims", "/claims"),
    ("POST", "/claims/{slug}/merge", "/claims/putin-offered-ceasefire-via-intermediaries/merge"),
    ("POST", "/actors", "/actors"),
    ("POST", "/statements", "/statements"),
    ("POST", "/contradictions", "/contradictions"),
    ("PATCH", "/claims/{slug}", f"/claims/{CLAIM}"),
    ("PATCH", "/actors/{slug}", "/actors/dmitry-peskov"),
    ("PATCH", "/statements/{slug}", "/statements/us-source-denies-official-contact"),
    ("PATCH", "/sources/{slug}", "/sources/indiatv-2024-02-14-putin-ceasefire-rejected"),
    ("PATCH", "/appearances/{id}", "/appearances/{appearance}"),
    ("PATCH", "/contradictions/{id}", "/contradictions/{contradiction}"),
]


def _examples() -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): op["requestBody"]["content"]["application/json"]["example"]
        for path, methods in openapi_document()["paths"].items()
        for method, op in methods.items()
        if "requestBody" in op
    }


def test_the_story_covers_every_write_with_a_body() -> None:
    assert {(method, path) for method, path, _ in STORY} == set(_examples())


def test_every_example_body_is_taken(site: Site) -> None:
    examples = _examples()
    made: dict[str, str] = {}
    for method, path, address in STORY:
        address = address.format(**made)
        headers = {}
        if method == "PATCH" or path.endswith("/merge"):
            headers["If-Match"] = etag(site.admin, address.removesuffix("/merge"))
        response = site.admin.request(
            method, address, json=examples[(method, path)], headers=headers
        )
        assert response.status_code in (200, 201), (method, address, response.text)
        if path == "/statements/{slug}/appearances":
            made["appearance"] = response.headers["location"].rsplit("/", 1)[-1]
        if path == "/contradictions":
            made["contradiction"] = response.headers["location"].rsplit("/", 1)[-1]
