"""The benchmark's gold annotations are valid sayso/1: they load with the real loader, after the
seed, on both databases."""

from extract_support import BENCH
from seed_facts import SEED_ANNOTATIONS
from sqlalchemy import Engine

from app.db import session_scope
from app.extract import evaluate
from app.ingest.loader import load


def test_every_gold_file_loads_after_the_seed(engine: Engine) -> None:
    halves = evaluate.splits()
    # dev: the two seed documents and ten benchmark articles (five of them the first held-out
    # half); held-out: the eight articles written on 2026-11-23.
    assert len(halves["dev"]) == 2 + 10 and len(halves["held-out"]) == 8
    with session_scope(engine) as session:
        counts = load(
            session,
            [SEED_ANNOTATIONS, BENCH / "dev" / "annotations", BENCH / "heldout" / "annotations"],
        )
    # Sources: the seed's two documents and the Reuters story they cite (no text), then the
    # eighteen benchmark articles. Appearances: 262 in the seed and dev gold, 120 held-out.
    assert counts["sources"] == 2 + 1 + 10 + 8
    assert counts["appearances"] == 262 + 120
