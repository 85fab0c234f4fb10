"""`sayso serve --load-seed` (what `make run` does) starts whatever the API has done to the seed:
it loads what is not there and serves a database that has moved on as it is, saying so."""

import shutil
from pathlib import Path

from seed_facts import SEED_ANNOTATIONS, declared
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from app.config import Settings
from app.db.engine import session_scope
from app.ingest.seed import load_seed
from app.main import create_app
from app.models import Statement
from app.models.enums import KeyRole
from app.web.auth import create_key


def _admin(engine: Engine) -> dict[str, str]:
    with session_scope(engine) as session:
        key = create_key(session, "the admin", KeyRole.admin)
    return {"Authorization": f"Bearer {key}"}


def _statements(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(Statement)) or 0)


def test_the_seed_is_loaded_once_then_left_as_it_is(engine: Engine) -> None:
    first = load_seed(engine, SEED_ANNOTATIONS)
    assert first.loaded["statements"] == _statements(engine) > 0
    again = load_seed(engine, SEED_ANNOTATIONS)
    assert again.loaded == {}
    assert again.moved_on() is None


def test_a_file_not_loaded_yet_is_loaded_beside_the_others(engine: Engine, tmp_path: Path) -> None:
    files = sorted(SEED_ANNOTATIONS.glob("*.yaml"))
    only_first = tmp_path / "annotations"
    only_first.mkdir()
    shutil.copy(files[0], only_first)
    shutil.copytree(SEED_ANNOTATIONS.parent / "documents", tmp_path / "documents")
    load_seed(engine, only_first)
    before = _statements(engine)
    run = load_seed(engine, SEED_ANNOTATIONS)
    assert run.loaded["statements"] == _statements(engine) - before > 0
    assert run.moved_on() is None


def test_edits_through_the_api_are_served_and_named(engine: Engine, db_url: str) -> None:
    load_seed(engine, SEED_ANNOTATIONS)
    claim = declared("claims")[0]["slug"]
    with TestClient(create_app(Settings(database_url=db_url))) as client:
        path = f"/claims/{claim}"
        etag = client.get(path).headers["etag"]
        edited = client.patch(
            path,
            json={"note": "Checked again by the desk."},
            headers={**_admin(engine), "If-Match": etag},
        )
        assert edited.status_code == 200, edited.text
    run = load_seed(engine, SEED_ANNOTATIONS)
    assert run.loaded == {}
    line = run.moved_on()
    assert line is not None
    assert f"claim '{claim}'" in line and "note" in line
    assert "sayso load seed_data/annotations" in line
    with TestClient(create_app(Settings(database_url=db_url))) as client:
        assert client.get(f"/claims/{claim}").json()["note"] == "Checked again by the desk."


def test_a_deletion_through_the_api_is_not_undone(engine: Engine, db_url: str) -> None:
    load_seed(engine, SEED_ANNOTATIONS)
    before = _statements(engine)
    statement = next(s["slug"] for s in declared("statements") if "ref" not in s)
    with TestClient(create_app(Settings(database_url=db_url))) as client:
        path = f"/statements/{statement}"
        etag = client.get(path).headers["etag"]
        gone = client.delete(path, headers={**_admin(engine), "If-Match": etag})
        assert gone.status_code == 204, gone.text
    run = load_seed(engine, SEED_ANNOTATIONS)
    assert _statements(engine) == before - 1
    line = run.moved_on()
    assert line is not None and "not there: statements (1)" in line
