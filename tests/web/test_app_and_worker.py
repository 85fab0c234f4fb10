"""What the app factory leaves to the server, and the settings a built app reads for itself."""

import gc
import inspect
import subprocess
import sys

from fastapi.routing import APIRoute
from starlette.testclient import TestClient

from app.config import PROJECT_ROOT, Settings
from app.main import create_app


def test_starting_the_app_leaves_its_host_process_alone(seeded_url: str) -> None:
    # gc.freeze and malloc_trim are a server worker's tuning (app.web.worker.settle): an app
    # started in a test, or under another server, must not freeze its host's objects.
    before = gc.get_freeze_count()
    with TestClient(create_app(Settings(database_url=seeded_url))) as client:
        assert client.get("/claims").status_code == 200
    assert gc.get_freeze_count() == before


def test_a_worker_settles_after_start_up() -> None:
    code = "import gc; from app.web.worker import settle; settle(); print(gc.get_freeze_count())"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert int(out.stdout) > 0


def test_a_page_is_as_long_as_the_apps_own_setting(seeded_url: str) -> None:
    for size in (1, 2):
        app = create_app(Settings(database_url=seeded_url, page_size=size))
        with TestClient(app) as client:
            # Both paths to a list: the direct read (GET) and FastAPI's routing (HEAD).
            page = client.get("/statements").json()
            assert len(page["items"]) == size
            assert page["next_cursor"] is not None
            assert len(client.get("/actors").json()["items"]) == size


def test_every_write_runs_in_the_one_transaction() -> None:
    # Every route that changes data goes through app.curation.editing.in_transaction: one
    # transaction, one mapping of database errors to answers.
    app = create_app(Settings(database_url="sqlite://"))
    # FastAPI keeps each included router whole (its original_router).
    routes = [
        r for i in app.routes for r in getattr(getattr(i, "original_router", None), "routes", [i])
    ]
    writes = [
        r
        for r in routes
        if isinstance(r, APIRoute) and r.methods & {"POST", "PUT", "PATCH", "DELETE"}
    ]
    assert len(writes) > 20
    for route in writes:
        assert "in_transaction(" in inspect.getsource(route.endpoint), route.path
