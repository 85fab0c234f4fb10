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
    assert len(halves["dev"]) >= 7 and len(halves["held-out"]) >= 5
    with session_scope(engine) as session:
        counts = load(
            session,
            [SEED_ANNOTATIONS, BENCH / "dev" / "annotations", BENCH / "heldout" / "annotations"],
        )
    assert counts["sources"] == 2 + 1 + 10 and counts["appearances"] > 250
