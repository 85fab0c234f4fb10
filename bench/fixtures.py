"""What the benchmarks borrow from the tests, and the database most of them start from.

- `tests_module(name)`: a module of tests/ (pg_server.py's throwaway PostgreSQL servers,
  replica_pair.py's streaming replicas), loaded by its path and registered under its name, so
  that the tests' own `from pg_server import ...` finds it.
- `seeded(url)`: the database at URL migrated to the head (quietly: Alembic leaves the
  logging alone) and holding the seed.
"""

import importlib.util
import sys
from pathlib import Path
from typing import Any

from alembic import command

from app.cli import alembic_config
from app.config import PROJECT_ROOT
from app.db.engine import make_engine, session_scope
from app.ingest.loader import load

SEED = PROJECT_ROOT / "seed_data"


def tests_module(name: str) -> Any:
    """tests/NAME.py, loaded once (the same module object for every caller)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "tests" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def migrated(url: str) -> None:
    """The schema of the database at URL brought to the migrations' head."""
    config = alembic_config()
    config.attributes["url"] = url
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


def seeded(url: str, seed_dir: Path = SEED) -> None:
    """The database at URL migrated and holding the seed of SEED_DIR."""
    migrated(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            load(session, [seed_dir / "annotations"])
    finally:
        engine.dispose()
