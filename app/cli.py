"""The command line: `sayso serve`, `sayso load`, `sayso migrate`."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from alembic import command
from alembic.config import Config

from app.config import PROJECT_ROOT, get_settings
from app.db import make_engine, session_scope
from app.ingest.loader import load
from app.ingest.problems import InvalidAnnotations

cli = typer.Typer(help="sayso: a sourced-statement database.", no_args_is_help=True)


def _say(message: str) -> None:
    typer.echo(message, err=True)


def alembic_config() -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    return config


@cli.command()
def migrate() -> None:
    """Bring the database's schema up to date (alembic upgrade head)."""
    command.upgrade(alembic_config(), "head")


def _load(paths: list[Path]) -> None:
    engine = make_engine(get_settings().database_url)
    try:
        with session_scope(engine) as session:
            counts = load(session, paths, progress=_say)
    except InvalidAnnotations as exc:
        _say(f"error: {exc}")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    added = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
    _say(f"loaded: {added}" if added else "loaded: nothing new (already in the database)")


@cli.command("load")
def load_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Annotation files, or folders of them (*.yaml).")
    ],
) -> None:
    """Validate annotation files and load them in one transaction: all of them, or nothing."""
    _load(paths)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    load_seed: Annotated[
        bool, typer.Option("--load-seed", help="Migrate and load seed_data/ first.")
    ] = False,
) -> None:
    """Serve the API (with --load-seed: migrate, load the seed data, then serve)."""
    if load_seed:
        migrate()
        _load([get_settings().seed_dir / "annotations"])
    _say(f"serving sayso on http://{host}:{port} (API docs at /docs)")
    # uvicorn replaces this process, so that the server does not carry the loader's memory.
    args = ["--host", host, "--port", str(port), "--workers", str(workers)]
    os.execv(
        sys.executable,
        [sys.executable, "-m", "uvicorn", "app.main:app", *args, "--log-level", "warning"],
    )


def main() -> None:
    cli(prog_name="sayso")


if __name__ == "__main__":
    main()
