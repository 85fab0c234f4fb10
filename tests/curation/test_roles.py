"""Who may write what, for every write endpoint the API has: without a key or with a revoked
one, 401; with an editor's key where only an admin may, 403; and nothing written."""

import re

import pytest
from conftest import openapi_document
from sites import Site, site  # noqa: F401 (a fixture)
from sqlalchemy import func, select

from app.db.engine import make_engine
from app.models import Base

# POST /extract only reads, unless asked to ingest (tests/curation/test_extract_ingest.py).
# A real object for each kind of path parameter, from the seed.
FILL = {
    "/claims/{slug}": "putin-signalled-ceasefire-2023",
    "/actors/{slug}": "dmitry-peskov",
    "/sources/{slug}": "indiatv-2024-02-14-putin-ceasefire-rejected",
    "/statements/{slug}": "peskov-denies-peace-proposals",
    "/appearances/{id}": "1",
    "/contradictions/{id}": "1",
}
ADMIN_ONLY = re.compile(r"(/restore|/merge|/purge)$")
WRITES = [
    (method.upper(), path)
    for path, methods in openapi_document()["paths"].items()
    for method in methods
    if method in ("post", "patch", "put", "delete") and path != "/extract"
]


def _url(path: str) -> str:
    for prefix, value in FILL.items():
        name = prefix.rsplit("/", 1)[1]
        if path.startswith(prefix):
            path = path.replace(name, value, 1)
    assert "{" not in path, path
    return path


def _rows(db_url: str) -> dict[str, int]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def test_every_write_endpoint_is_covered() -> None:
    assert len(WRITES) >= 20
    assert {("DELETE", "/statements/{slug}"), ("POST", "/ingest")} <= set(WRITES)


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_no_key_a_revoked_key_or_the_wrong_role_writes_nothing(
    site: Site, method: str, path: str
) -> None:
    url = _url(path)
    before = _rows(site.db_url)
    headers = {"If-Match": '"1.0"'}
    for caller in (site.anonymous, site.revoked):
        response = caller.request(method, url, json={}, headers=headers)
        assert response.status_code == 401, (caller, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    if method == "DELETE" or ADMIN_ONLY.search(path):
        response = site.editor.request(method, url, json={}, headers=headers)
        assert response.status_code == 403, response.text
        assert "admin" in response.json()["detail"]
    else:
        # An editor may: the request gets past the key, to the checks of its (empty) body.
        response = site.editor.request(method, url, json={}, headers=headers)
        assert response.status_code == 422, response.text
    assert _rows(site.db_url) == before
