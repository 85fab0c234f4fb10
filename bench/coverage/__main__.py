"""Score the extractor on real coverage: several outlets' reports of one story, the first
stored from its gold, the others drafted against it (bench/coverage/README.md).

    python -m bench.coverage --texts /work/coverage-texts [--split dev] [--verbose]
    python -m bench.coverage --texts /work/coverage-texts --gold-only [--story SLUG]

The texts are not in the repository: each is read from TEXTS/<article>.txt and checked against
the SHA-256 its story.yaml records; a missing or different one is reported and not scored.
`--split dev` never opens a heldout story's gold files or texts. `--gold-only` checks the gold
files without running the extractor: each article's gold stands as its own draft, so every
figure must come out perfect (an annotator's check, before a story is ever extracted).
"""

import argparse
import shutil
import sys
import tempfile
from itertools import count
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.config import get_settings
from app.extract.article import ArticleMeta
from app.extract.coverage import STORIES, CoverageError, Story, read_stories, to_annotation
from app.extract.coverage_score import Drafter, coverage_report, evaluate_coverage
from bench.fixtures import seeded


def seeded_template(folder: Path) -> Path:
    """A SQLite database in FOLDER, migrated and holding the seed."""
    path = folder / "template.db"
    seeded(f"sqlite:///{path}", get_settings().seed_dir)
    return path


def gold_drafter(stories: list[Story]) -> Drafter:
    """A drafter that answers each article's own gold annotation (found by its slug), on the
    text the evaluation read and checked."""
    paths = {a.slug: story.gold_path(a) for story in stories for a in story.entry.articles}

    def draft(session: Session, text: str, meta: ArticleMeta) -> dict[str, Any]:
        assert meta.slug is not None  # the gold's own source slug (app/extract/gold.py)
        return to_annotation(paths[meta.slug], text)

    return draft


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.coverage", description=__doc__)
    parser.add_argument("--texts", type=Path, required=True, help="the folder of the texts")
    parser.add_argument("--split", choices=["dev", "heldout", "both"], default="both")
    parser.add_argument("--stories", type=Path, default=STORIES, help=argparse.SUPPRESS)
    parser.add_argument("--story", help="only the story of this slug")
    parser.add_argument(
        "--gold-only",
        action="store_true",
        help="check the gold files: each article's gold is its own draft, the extractor is not"
        " run, and every figure must be perfect",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="figures per article too, and per article the gold appearances missed and the"
        " false predictions, with their words (printed, never written to a file)",
    )
    args = parser.parse_args(argv)
    if not args.texts.is_dir():
        print(f"error: --texts {args.texts}: no such folder", file=sys.stderr)
        return 2
    try:
        stories = read_stories(args.stories, None if args.split == "both" else args.split)
    except CoverageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.story:
        stories = [s for s in stories if s.entry.story == args.story]
    if not stories:
        print(f"error: no stories under {args.stories}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="sayso-coverage-") as tmp:
        folder = Path(tmp)
        template = seeded_template(folder)
        numbers = count()

        def fresh() -> str:
            path = folder / f"db{next(numbers)}.db"
            shutil.copyfile(template, path)
            return f"sqlite:///{path}"

        scores = evaluate_coverage(
            stories,
            args.texts,
            fresh,
            progress=lambda m: print(m, file=sys.stderr),
            drafter=gold_drafter(stories) if args.gold_only else None,
            words=args.verbose,
        )
    print(coverage_report(scores))
    if args.verbose:
        for split, score in scores.items():
            print(f"\n{split}: per article")
            for line in score.per_article:
                print("  " + line)
            print(f"\n{split}: misses (missed: gold no prediction matched; false: a prediction")
            print("matching no gold; why: speaker, span (IoU below the threshold), none)")
            for line in score.misses:
                print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
