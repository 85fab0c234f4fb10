"""The command line: `sayso serve`, `load`, `export`, `backup`, `restore`, `migrate`, `keys`,
`extract`, `eval-extract`."""

import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from pydantic import ValidationError

from app.config import PROJECT_ROOT, get_settings
from app.db.engine import load_session, make_engine, session_scope
from app.extract.commands import eval_extract_command, extract_command
from app.ingest.backup import BackupError, backup, check_file, check_restorable, restore
from app.ingest.dump import NotExportable, export, snapshot_session
from app.ingest.loader import load
from app.ingest.problems import ChecksStopped, InvalidAnnotations
from app.ingest.seed import load_seed
from app.models.enums import KeyRole
from app.web.auth import create_key, list_keys, revoke_key
from app.web.logs import configure

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


def schema_head() -> str:
    """The schema revision this sayso's migrations end at."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _load(paths: list[Path], workers: int | None = None, batch_files: int | None = None) -> None:
    engine = make_engine(get_settings().database_url)
    try:
        with load_session(engine) as session:
            if session.info["rollback_journal"]:
                _say("no other connection has the database open: writing its file directly")
            counts = load(session, paths, progress=_say, workers=workers, batch_files=batch_files)
    except (InvalidAnnotations, ChecksStopped) as exc:
        _say(f"error: {exc}")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    added = ", ".join(f"{n} {what}" for what, n in counts.items() if n)
    _say(f"loaded: {added}" if added else "loaded: nothing new (already in the database)")


def _seed() -> None:
    engine = make_engine(get_settings().database_url)
    try:
        run = load_seed(engine, get_settings().seed_dir / "annotations", progress=_say)
    except (InvalidAnnotations, ChecksStopped) as exc:
        _say(f"error: {exc}")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    added = ", ".join(f"{n} {what}" for what, n in run.loaded.items() if n)
    _say(f"seed: loaded {added}" if added else "seed: already in the database")
    moved_on = run.moved_on()
    if moved_on is not None:
        _say(f"seed: {moved_on}")


@cli.command("load")
def load_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Annotation files, or folders of them (*.yaml).")
    ],
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Processes that check the files (1: this one alone). Default: one per core "
            "for 2,000 files or more, else 1.",
        ),
    ] = None,
    batch_files: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Check and write the files in batches of this many (default 20,000), in the "
            "load's one transaction: the loader's memory is one batch's. A file may refer only "
            "to what its batch, a batch before it or the database declares.",
        ),
    ] = None,
) -> None:
    """Validate annotation files and load them in one transaction: all of them, or nothing."""
    _load(paths, workers, batch_files)


# Help texts that say which of `export` and `backup` is which (docs/backup.md). Each paragraph is
# one line: the help shows a docstring's line breaks as they are.
EXPORT_HELP = (
    "Write the database as annotation files (sayso/1) to read, share and `sayso load`.\n\n"
    "What the annotations say, not a backup: ids, history, deletions, merges and API keys are "
    "not written (`sayso backup` keeps everything)."
)
BACKUP_HELP = (
    "Back up everything to one file that `sayso restore` puts back exactly.\n\n"
    "Every table's rows with their ids: actors, sources, claims, statements, appearances, "
    "contradictions, the change history, deletions, merges and the hashed API keys. It reads one "
    "snapshot: the server may keep running and writing meanwhile. (`sayso export` writes "
    "annotation files for sharing instead.) See docs/backup.md."
)
RESTORE_HELP = (
    "Put a `sayso backup` file back: ids, history, deletions, merges and keys as they were.\n\n"
    "Into a database migrated to the backup's schema revision (`sayso migrate`) that holds no "
    "rows; with --force, into one that does, whose rows are all replaced. The file is checked "
    "whole first, then written in one transaction: all of it, or nothing."
)


@cli.command("export", help=EXPORT_HELP)
def export_command(
    directory: Annotated[
        Path, typer.Argument(help="A new (or empty) folder for the annotation files.")
    ],
) -> None:
    """`sayso export` (EXPORT_HELP)."""
    engine = make_engine(get_settings().database_url)
    try:
        with snapshot_session(engine) as session:
            counts = export(session, directory, progress=_say)
    except (NotExportable, FileExistsError) as exc:
        _say(f"error: {exc}")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    written = ", ".join(f"{n} {what}" for what, n in counts.items() if n) or "nothing"
    _say(f"exported: {written} to {directory}")


def _counted(rows: dict[str, int]) -> str:
    shown = ", ".join(f"{n} {table}" for table, n in rows.items() if n)
    return f"{sum(rows.values())} rows ({shown or 'no rows'})"


@cli.command("backup", help=BACKUP_HELP)
def backup_command(
    file: Annotated[Path, typer.Argument(help="The backup file to write (gzip'd JSON lines).")],
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
) -> None:
    """`sayso backup` (BACKUP_HELP)."""
    engine = make_engine(get_settings().database_url)
    began = time.perf_counter()
    try:
        rows = backup(engine, file, schema_head(), replace=force, progress=_say)
    except BackupError as exc:
        _say(f"error: {exc}")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    size = file.stat().st_size / 1e6
    took = time.perf_counter() - began
    _say(f"backed up {_counted(rows)} to {file} ({size:.1f} MB) in {took:.1f} s")


@cli.command("restore", help=RESTORE_HELP)
def restore_command(
    file: Annotated[Path, typer.Argument(help="A file written by `sayso backup`.")],
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace everything in a database that is not empty."),
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Only read FILE through and check it; restore nothing."),
    ] = False,
) -> None:
    """`sayso restore` (RESTORE_HELP)."""
    began = time.perf_counter()
    if check:
        try:
            contents = check_file(file)
            check_restorable(contents, schema_head())
        except BackupError as exc:
            _say(f"error: {exc}")
            raise typer.Exit(1) from exc
        _say(
            f"{file} is whole: {_counted(contents.rows)}, schema revision {contents.revision}, "
            f"made {contents.made_at} from {contents.database}"
        )
        return
    engine = make_engine(get_settings().database_url)
    try:
        contents = restore(engine, file, schema_head(), force=force, progress=_say)
    except BackupError as exc:
        _say(f"error: {exc}")
        _say("nothing was restored: the database is as it was")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    took = time.perf_counter() - began
    _say(f"restored {_counted(contents.rows)} from {file} in {took:.1f} s")


keys = typer.Typer(help="API keys: create, list, revoke.", no_args_is_help=True)
cli.add_typer(keys, name="keys")


@keys.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Whose key: a person or an app.")],
    role: Annotated[
        KeyRole, typer.Option(help="editor: create, edit, review; admin: also delete.")
    ],
) -> None:
    """Make a key and print it, once: only its hash is kept."""
    engine = make_engine(get_settings().database_url)
    try:
        with session_scope(engine) as session:
            key = create_key(session, name, role)
    except ValueError as exc:
        _say(f"error: {exc}")
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    typer.echo(key)
    _say(f"created an {role} key for '{name}': keep it now, it is not shown again")


@keys.command("list")
def keys_list() -> None:
    """The keys: name, role, its first characters, when made, and when revoked."""
    engine = make_engine(get_settings().database_url)
    try:
        with session_scope(engine) as session:
            for k in list_keys(session):
                revoked = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "in use"
                typer.echo(
                    f"{k.name}\t{k.role}\t{k.prefix}…\t{k.created_at:%Y-%m-%d %H:%M}\t{revoked}"
                )
    finally:
        engine.dispose()


@keys.command("revoke")
def keys_revoke(name: Annotated[str, typer.Argument(help="The key's name.")]) -> None:
    """Revoke a key: it is refused from now on."""
    engine = make_engine(get_settings().database_url)
    try:
        with session_scope(engine) as session:
            revoked = revoke_key(session, name)
    finally:
        engine.dispose()
    if not revoked:
        _say(f"error: no key named '{name}' in use")
        raise typer.Exit(1)
    _say(f"revoked the key '{name}'")


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    load_seed: Annotated[
        bool, typer.Option("--load-seed", help="Migrate and load seed_data/ first.")
    ] = False,
) -> None:
    """Serve the API (with --load-seed: migrate, load the seed data where it is not there yet,
    then serve; a database that has moved on from the seed through the API is served as it is)."""
    get_settings()  # a wrong setting is said here, not by each worker
    if load_seed:
        migrate()
        _log()  # again: Alembic's logging set-up (alembic.ini) replaced it
        _seed()
    _say(f"serving sayso on http://{host}:{port} (API docs at /docs)")
    # The server (app/web/server.py) replaces this process: it does not carry the CLI's or the
    # loader's memory.
    args = [host, str(port), str(workers)]
    os.execv(sys.executable, [sys.executable, "-m", "app.web.server", *args])


# Drafting annotations from articles, and scoring that against gold annotations.
cli.command("extract")(extract_command)
cli.command("eval-extract")(eval_extract_command)


def main() -> None:
    _log()
    try:
        cli(prog_name="sayso")
    except ValidationError as exc:
        if exc.title != "Settings":
            raise
        # A wrong setting: said in a line each, named as the environment names it, no traceback.
        for error in exc.errors():
            where = "_".join(str(part) for part in error["loc"]).upper()
            name = f"SAYSO_{where}: " if where else ""
            print(f"sayso: {name}{error['msg'].removeprefix('Value error, ')}", file=sys.stderr)
        sys.exit(2)


def _log() -> None:
    """The commands' log records (the loader's lines: app/ingest/loader.py) on stderr, as the
    server writes them (SAYSO_LOG_LEVEL, SAYSO_LOG_FORMAT)."""
    try:
        settings = get_settings()
    except ValueError:  # a setting that is wrong: the command that reads it says which
        return
    configure(settings.log_level, settings.log_format)


if __name__ == "__main__":
    main()
