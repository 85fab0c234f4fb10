"""Scoring the dev half alone never touches the held-out half."""

from pathlib import Path

import pytest

from app.extract import evaluate, gold
from app.extract.gold import GoldDoc


def test_scoring_dev_never_reads_the_held_out_files(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[Path] = []
    original = gold.read

    def recording(path: Path) -> GoldDoc:
        read.append(path)
        return original(path)

    monkeypatch.setattr(gold, "read", recording)
    evaluate.evaluate(["dev"])
    assert read and all("heldout" not in path.parts for path in read)
    assert list(evaluate.splits("dev")) == ["dev"]
