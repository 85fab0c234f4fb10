"""/health says the server runs; /ready that it can serve: the database answers and its schema
is at the migrations' head. The Docker image and the compose file check /ready."""

from pathlib import Path

import pytest
import yaml
from alembic import command
from alembic.script import ScriptDirectory
from conftest import in_process, migration_config
from db_copies import Databases, load_seed
from pydantic import ValidationError
from seed_facts import SEED_ANNOTATIONS
from sqlalchemy import make_url

from app.config import PROJECT_ROOT, Settings
from app.db.engine import make_engine, session_scope
from app.db.schema import migrations
from app.ingest.loader import annotation_files, load
from app.ingest.seed import seed_sources
from app.main import create_app


def test_the_migrations_head_is_alembics() -> None:
    script = ScriptDirectory.from_config(migration_config("sqlite://"))
    assert migrations().heads == tuple(script.get_heads())
    assert migrations().known == {rev.revision for rev in script.walk_revisions()}


def test_ready_on_a_migrated_database(db_url: str, backend: str) -> None:
    (head,) = migrations().heads
    with in_process(create_app(Settings(database_url=db_url))) as client:
        ready = client().get("/ready")
        health = client().get("/health")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": backend, "revision": head}
    assert ready.headers["cache-control"] == "no-store"
    assert health.json() == {"status": "ok"}


def test_not_ready_behind_the_migrations_head_then_ready_once_migrated(db_url: str) -> None:
    (head,) = migrations().heads
    config = migration_config(db_url)
    command.downgrade(config, "-1")
    with in_process(create_app(Settings(database_url=db_url))) as client:
        behind = client().get("/ready")
        assert client().get("/health").status_code == 200  # alive all the same
        command.upgrade(config, "head")
        again = client().get("/ready")
    assert behind.status_code == 503
    assert behind.headers["content-type"] == "application/problem+json"
    problem = behind.json()
    assert problem["title"] == "Not ready"
    assert head in problem["detail"] and "sayso migrate" in problem["detail"]
    previous = problem["detail"].split("revision ")[1].split(":")[0]
    assert previous != head and previous in migrations().known
    assert again.status_code == 200 and again.json()["revision"] == head


def test_not_ready_on_a_database_without_schema(tmp_path: Path) -> None:
    empty = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}"))
    with in_process(empty) as client:
        bare = client().get("/ready")
    assert bare.status_code == 503
    assert "no schema" in bare.json()["detail"] and "sayso migrate" in bare.json()["detail"]


def test_not_ready_when_the_database_does_not_answer(
    db_url: str, databases: Databases, tmp_path: Path
) -> None:
    # PostgreSQL: the database is dropped under the running server (its sessions ended). SQLite
    # has no server to lose: a file that cannot be opened.
    url = db_url if databases.pg else f"sqlite:///{tmp_path / 'no-such-folder' / 'x.db'}"
    with in_process(create_app(Settings(database_url=url))) as client:
        if databases.pg:
            assert client().get("/ready").status_code == 200
            name = make_url(db_url).database
            assert name is not None
            databases.pg.drop_database(name)
        gone = [client().get("/ready") for _ in range(2)]  # the session lost, then none to open
        assert client().get("/health").status_code == 200
    for answer in gone:
        assert answer.status_code == 503
        assert answer.json()["detail"].startswith("The database does not answer: ")


def test_health_and_ready_stay_open_when_reads_need_a_key(db_url: str) -> None:
    app = create_app(Settings(database_url=db_url, reads_need_key=True))
    with in_process(app) as client:
        assert client().get("/claims").status_code == 401
        assert client().get("/ready").status_code == 200
        assert client().get("/health").status_code == 200


def test_the_image_and_the_compose_file_check_ready() -> None:
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    lines = [line.strip() for line in dockerfile.splitlines()]
    (check,) = [line for line in lines if line.startswith('CMD ["python"')]
    assert "HEALTHCHECK" in dockerfile and "/ready" in check
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    test = compose["services"]["api"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"] and "http://127.0.0.1:8000/ready" in test[3]


def test_ready_requiring_data_waits_for_a_source(db_url: str) -> None:
    settings = Settings(database_url=db_url, ready_requires="data")
    with in_process(create_app(settings)) as client:
        empty = client().get("/ready")
    assert empty.status_code == 503
    assert empty.headers["content-type"] == "application/problem+json"
    assert "no source" in empty.json()["detail"] and "sayso load" in empty.json()["detail"]
    load_seed(db_url)
    with in_process(create_app(settings)) as client:
        assert client().get("/ready").status_code == 200


def test_ready_requiring_the_seed_names_its_missing_sources(db_url: str) -> None:
    files = annotation_files([SEED_ANNOTATIONS])
    slugs = seed_sources(SEED_ANNOTATIONS)
    assert len(slugs) == len(files) >= 2
    settings = Settings(
        database_url=db_url, ready_requires="seed", seed_dir=SEED_ANNOTATIONS.parent
    )
    engine = make_engine(db_url)
    try:
        with session_scope(engine) as session:
            load(session, files[:1])  # one seed file of several
        with in_process(create_app(settings)) as client:
            partial = client().get("/ready")
            assert client().get("/health").status_code == 200
        with session_scope(engine) as session:
            load(session, files[1:])
    finally:
        engine.dispose()
    with in_process(create_app(settings)) as client:
        whole = client().get("/ready")
    assert partial.status_code == 503
    detail = partial.json()["detail"]
    assert f"{len(slugs) - 1} of the seed's {len(slugs)} sources" in detail
    assert all(slug in detail for slug in slugs[1:]) and slugs[0] not in detail
    assert whole.status_code == 200 and whole.json()["status"] == "ready"


def test_ready_requiring_a_seed_that_names_no_source(db_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=db_url, ready_requires="seed", seed_dir=tmp_path)
    with in_process(create_app(settings)) as client:
        answer = client().get("/ready")
    assert answer.status_code == 503
    assert "names no source" in answer.json()["detail"]


def test_ready_requires_is_a_choice() -> None:
    assert Settings(ready_requires="DATA").ready_requires == "data"
    with pytest.raises(ValidationError):
        Settings(ready_requires="everything")
