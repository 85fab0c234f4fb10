"""What the seed annotation files say, read straight from the YAML: the oracle the API is
checked against (so a test asks "does the API report what the annotations declare?")."""

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from app.config import PROJECT_ROOT

SEED_ANNOTATIONS = PROJECT_ROOT / "seed_data" / "annotations"


@cache
def seed_files() -> tuple[dict[str, Any], ...]:
    return tuple(yaml.safe_load(p.read_text()) for p in sorted(SEED_ANNOTATIONS.glob("*.yaml")))


def declared(section: str) -> list[dict[str, Any]]:
    """Every entry of SECTION (actors, claims, sources, ...) across the seed files."""
    return [entry for f in seed_files() for entry in f.get(section, [])]


def statements() -> list[dict[str, Any]]:
    """Every declared statement (not the refs)."""
    return [s for s in declared("statements") if "ref" not in s]


def appearances_by_statement() -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Statement slug -> [(source slug, appearance)] across every file."""
    found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for f in seed_files():
        for s in f["statements"]:
            key = s.get("ref") or s["slug"]
            found.setdefault(key, []).extend((f["source"]["slug"], a) for a in s["appearances"])
    return found


def actors() -> dict[str, dict[str, Any]]:
    return {a["slug"]: a for a in declared("actors")}


def document_path(file: dict[str, Any]) -> Path:
    return SEED_ANNOTATIONS / file["source"]["document"]
