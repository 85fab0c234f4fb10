"""POST /ingest: one annotated document per request, validated and written as `sayso load`
does, in one transaction, recorded in the history; proposed data stays out of sight until
confirmed."""

import hashlib
from typing import Any

import pytest
from seed_facts import SEED_ANNOTATIONS, document_path, seed_files
from sites import Site, site  # noqa: F401 (a fixture)

TEXT = (
    "BRUSSELS (Wire) - The bridge would reopen in May, transport minister Ana Silva said on "
    'Monday. "We are on schedule," she told reporters.\n'
    "A spokesman for the contractor denied that the bridge would reopen in May.\n"
)


def story(**changes: Any) -> dict[str, Any]:
    """A new document with its annotations, as a client posts it."""
    doc: dict[str, Any] = {
        "format": "sayso/1",
        "source": {
            "slug": "wire-bridge",
            "title": "Bridge to reopen",
            "language": "en",
            "text": TEXT,
        },
        "actors": [
            {"slug": "ana-silva", "name": "Ana Silva", "kind": "person", "aliases": ["Silva"]},
            {
                "slug": "contractor-spokesman",
                "name": "A spokesman for the contractor",
                "kind": "unnamed",
            },
        ],
        "claims": [{"slug": "bridge-reopens-in-may", "text": "The bridge reopens in May."}],
        "statements": [
            {
                "slug": "silva-bridge-may",
                "speaker": "ana-silva",
                "claim": "bridge-reopens-in-may",
                "stance": "asserts",
                "appearances": [
                    {
                        "quote": "The bridge would reopen in May",
                        "mode": "indirect",
                        "attribution": "transport minister Ana Silva said",
                    }
                ],
            },
            {
                "slug": "contractor-denies-bridge-may",
                "speaker": "contractor-spokesman",
                "claim": "bridge-reopens-in-may",
                "stance": "denies",
                "appearances": [{"quote": "the bridge would reopen in May", "mode": "indirect"}],
            },
        ],
    }
    doc.update(changes)
    return doc


def test_an_editor_ingests_a_document_and_it_reads_back(site: Site) -> None:
    response = site.editor.post("/ingest", json=story())
    assert response.status_code == 201, response.text
    assert response.headers["location"] == "/sources/wire-bridge"
    assert response.json()["added"]["statements"] == 2
    source = site.anonymous.get("/sources/wire-bridge").json()
    assert source["text"] == TEXT
    assert source["sha256"] == hashlib.sha256(TEXT.encode()).hexdigest()
    statement = site.anonymous.get("/statements/silva-bridge-may").json()
    (appearance,) = statement["appearances"]
    start, end = appearance["span"]["start"], appearance["span"]["end"]
    assert TEXT[start:end] == "The bridge would reopen in May"
    # The denial follows from the stances, as on a load.
    denials = site.anonymous.get("/claims/bridge-reopens-in-may/contradictions").json()["items"]
    assert [(d["kind"], d["b"]["statement"]["slug"]) for d in denials] == [
        ("denial", "contractor-denies-bridge-may")
    ]
    history = site.editor.get("/claims/bridge-reopens-in-may/history").json()["items"]
    assert [(c["action"], c["who"]) for c in history] == [("create", "an editor")]
    assert [f["after"] for f in history[0]["fields"] if f["field"] == "text"] == [
        "The bridge reopens in May."
    ]
    assert history[0]["note"].startswith("created by POST /ingest of the source")
    again = site.editor.post("/ingest", json=story())
    assert again.status_code == 200, again.text
    assert not any(again.json()["added"].values())


def test_proposed_data_is_hidden_until_asked_for(site: Site) -> None:
    response = site.editor.post("/ingest", params={"status": "proposed"}, json=story())
    assert response.status_code == 201, response.text
    claim = "/claims/bridge-reopens-in-may"
    assert site.anonymous.get(f"{claim}/statements").json()["items"] == []
    assert site.anonymous.get(f"{claim}/contradictions").json()["items"] == []
    assert site.anonymous.get(claim).json()["statement_count"] == 0
    asked = {"review": "proposed"}
    assert site.anonymous.get(f"{claim}/statements", params=asked).status_code == 401
    assert site.anonymous.get("/statements/silva-bridge-may").status_code == 404
    proposed = site.editor.get(f"{claim}/statements", params=asked).json()
    assert {s["slug"] for s in proposed["items"]} == {
        "silva-bridge-may",
        "contractor-denies-bridge-may",
    }
    assert {s["status"] for s in proposed["items"]} == {"proposed"}
    assert {a["status"] for s in proposed["items"] for a in s["appearances"]} == {"proposed"}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (
            {
                "statements": [
                    {
                        **story()["statements"][0],
                        "appearances": [{"quote": "reopen in June", "mode": "direct"}],
                    }
                ]
            },
            "statements[0].appearances[0].quote",
            "not in the document",
        ),
        (
            {"statements": [{**story()["statements"][0], "stance": "refutes"}]},
            "statements[0].stance",
            "",
        ),
        (
            {
                "source": {
                    "slug": "wire-bridge",
                    "language": "en",
                    "document": "/etc/passwd",
                    "sha256": "0" * 64,
                }
            },
            "source.document",
            "give the text itself",
        ),
        ({"format": "sayso/2"}, "format", ""),
        (
            # A well-formed tag longer than the column holds (PostgreSQL refused it: a 500).
            {"source": {**story()["source"], "language": "cjn-" + "-".join(["abcdefgh"] * 4)}},
            "source.language",
            "35",
        ),
        (
            {"statements": [{**story()["statements"][0], "speaker": "nobody-known"}]},
            "statements[0].speaker",
            "nobody-known",
        ),
    ],
)
def test_an_invalid_document_is_422_where_it_is_wrong_and_writes_nothing(
    site: Site, change: dict[str, Any], field: str, words: str
) -> None:
    response = site.editor.post("/ingest", json=story(**change))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert field in [e["field"] for e in errors], errors
    assert words in " ".join(e["message"] for e in errors)
    assert site.anonymous.get("/sources/wire-bridge").status_code == 404
    assert site.anonymous.get("/claims/bridge-reopens-in-may").status_code == 404


def test_a_request_that_is_not_json_is_422(site: Site) -> None:
    response = site.editor.post(
        "/ingest", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]


def test_ingest_needs_a_key(site: Site) -> None:
    assert site.anonymous.post("/ingest", json=story()).status_code == 401
    assert site.revoked.post("/ingest", json=story()).status_code == 401
    assert site.anonymous.get("/sources/wire-bridge").status_code == 404


def test_a_seed_document_posted_again_adds_nothing(site: Site) -> None:
    # The same validation as the loader: the seed's own annotations, posted with their text.
    for f in seed_files():
        doc = {**f, "source": {**f["source"], "text": document_path(f).read_text()}}
        del doc["source"]["document"]
        response = site.editor.post(
            "/ingest", content=_json(doc), headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 200, response.text
        assert not any(response.json()["added"].values())
    assert SEED_ANNOTATIONS.exists()


def _json(doc: dict[str, Any]) -> bytes:
    import orjson

    return orjson.dumps(doc)
