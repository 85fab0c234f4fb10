"""What a load will write: rows keyed by slug, with references still given as slugs."""

from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]


@dataclass
class Plan:
    """Every row a batch of annotation files adds, in the order they must be written."""

    actors: dict[str, Row] = field(default_factory=dict)
    claims: dict[str, Row] = field(default_factory=dict)
    sources: dict[str, Row] = field(default_factory=dict)
    source_dates: list[Row] = field(default_factory=list)
    citations: list[Row] = field(default_factory=list)
    furniture: list[Row] = field(default_factory=list)
    statements: dict[str, Row] = field(default_factory=dict)
    appearances: list[Row] = field(default_factory=list)
    contradictions: list[Row] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "actors": len(self.actors),
            "claims": len(self.claims),
            "sources": len(self.sources),
            "statements": len(self.statements),
            "appearances": len(self.appearances),
            "contradictions": len(self.contradictions),
        }

    def is_empty(self) -> bool:
        return not any(self.counts().values()) and not (
            self.source_dates or self.citations or self.furniture
        )
