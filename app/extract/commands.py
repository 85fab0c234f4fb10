"""`sayso extract` and `sayso eval-extract` (registered in app/cli.py)."""

import os
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from app.config import get_settings
from app.db.engine import make_engine
from app.extract.article import ArticleMeta, slugify
from app.extract.evaluate import evaluate, report, throughput
from app.extract.known_db import known_from_db
from app.extract.pipeline import Extraction, extract
from app.ingest.yamlfile import YamlError
from app.ingest.yamlfile import load as load_yaml


def _say(message: str) -> None:
    typer.echo(message, err=True)


def extract_command(
    article: Annotated[
        Path, typer.Argument(help="The article's text (UTF-8), stored byte for byte.")
    ],
    meta: Annotated[
        Path | None,
        typer.Option(help="YAML or JSON: slug, title, outlet, url, byline, language, dates."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write the draft here (default: standard output).")
    ] = None,
    no_db: Annotated[
        bool, typer.Option("--no-db", help="Do not resolve against the database.")
    ] = False,
) -> None:
    """Draft an annotation file for an article: review it, then `sayso load` it."""
    try:
        text = article.read_bytes().decode("utf-8")
    except OSError as exc:
        _say(f"error: cannot read {article}: {exc.strerror}")
        raise typer.Exit(1) from exc
    except UnicodeDecodeError as exc:
        _say(f"error: {article} is not UTF-8 text ({exc.reason} at byte {exc.start})")
        raise typer.Exit(1) from exc
    info = _meta(meta)
    where = out.parent if out else Path.cwd()
    info = info.model_copy(
        update={
            "document": info.document or _relative(article, where),
            "slug": info.slug or slugify(article.stem, 80),
        }
    )
    result = _run(text, info, no_db)
    document = _yaml(result)
    if out is None:
        typer.echo(document, nl=False)
    else:
        out.write_text(document, encoding="utf-8")
    _say(
        f"{result.statements} statement(s) drafted"
        + (f"; {result.reason}" if result.reason else "")
        + "".join(f"; {w}" for w in result.warnings)
    )


def _meta(path: Path | None) -> ArticleMeta:
    if path is None:
        return ArticleMeta()
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
        return ArticleMeta.model_validate(data)
    except YamlError as exc:
        _say(f"error: {path}:{exc.line}: {exc}" if exc.line else f"error: {path}: {exc}")
        raise typer.Exit(1) from exc
    except (OSError, ValueError) as exc:  # ValidationError, UnicodeDecodeError
        _say(f"error: {path}: {exc}")
        raise typer.Exit(1) from exc


def _relative(article: Path, where: Path) -> str:
    return Path(os.path.relpath(article.resolve(), where.resolve())).as_posix()


def _run(text: str, meta: ArticleMeta, no_db: bool) -> Extraction:
    """Extract against the configured database when there is one with sayso's schema."""
    url = get_settings().database_url
    parsed = make_url(url)
    if no_db or (
        parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists()
    ):
        return extract(text, meta)
    engine = make_engine(url)
    try:
        if not inspect(engine).has_table("claims"):
            _say("note: the database has no sayso schema yet (sayso migrate); not resolving")
            return extract(text, meta)
        with engine.connect() as conn:
            from sqlalchemy.orm import Session

            with Session(conn) as session:
                return extract(text, meta, lookup=lambda a: known_from_db(session, a, meta.outlet))
    finally:
        engine.dispose()


def _yaml(result: Extraction) -> str:
    """The draft as YAML, with what a reviewer should know in comments at the top."""
    head = [
        "# Draft made by `sayso extract`: every statement here is a proposal. Check speakers,",
        "# stances and claims against the text, then load it with `sayso load`.",
    ]
    if result.reason:
        head.append(f"# Note: {result.reason}.")
    head += [f"# Warning: {w}." for w in result.warnings]
    body = yaml.safe_dump(_plain(result.draft), sort_keys=False, allow_unicode=True, width=100)
    return "\n".join(head) + "\n\n" + body


def _plain(value: Any) -> Any:
    """Draft data YAML can write: enums as their values, tuples as lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def eval_extract_command(
    half: Annotated[str, typer.Option("--half", help="dev, held-out, or both.")] = "both",
    speed: Annotated[bool, typer.Option(help="Measure throughput too.")] = True,
    verbose: Annotated[bool, typer.Option(help="Figures per document too.")] = False,
) -> None:
    """Score the extractor against the gold annotations (dev and held-out halves)."""
    halves = ("dev", "held-out") if half == "both" else (half,)
    if not set(halves) <= {"dev", "held-out"}:
        _say("error: --half is dev, held-out or both")
        raise typer.Exit(2)
    scores = evaluate(halves)
    figures = throughput(halves=halves) if speed else None
    typer.echo(report(scores, figures))
    if verbose:
        for name, score in scores.items():
            typer.echo(f"\n{name}: document, gold, predicted, matched")
            for row in score.per_document:
                typer.echo("  " + ", ".join(str(x) for x in row))
