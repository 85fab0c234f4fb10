"""The benchmark's gold annotations are valid sayso/1: they load with the real loader, after the
seed, on both databases."""

from extract_support import BENCH
from seed_facts import SEED_ANNOTATIONS
from sqlalchemy import Engine

from app.db.engine import session_scope
from app.extract import evaluate
from app.ingest.loader import load


def test_every_gold_file_loads_after_the_seed(engine: Engine) -> None:
    halves = evaluate.splits()
    # dev: the two seed documents and eighteen benchmark articles (thirteen of them the first
    # two held-out halves); held-out: the third half, eight articles.
    assert len(halves["dev"]) == 2 + 18
    assert len(halves["held-out"]) == 8
    with session_scope(engine) as session:
        counts = load(
            session,
            [SEED_ANNOTATIONS, BENCH / "dev" / "annotations", BENCH / "heldout" / "annotations"],
        )
    # Sources: the seed's two documents and the Reuters story they cite (no text), the eighteen
    # dev articles, then the eight held-out ones. Appearances: 392 in the seed and dev gold, 119
    # held-out.
    assert counts["sources"] == 2 + 1 + 18 + 8
    assert counts["appearances"] == 392 + 119
