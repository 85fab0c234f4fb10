"""How much the database holds: the figures a front page opens with."""

from sqlalchemy import func, select
from typing_extensions import TypedDict

from app.db.reads import SQL, ReadDB
from app.db.review import confirmed
from app.models import Actor, Appearance, Claim, Contradiction, Source, Statement


class Counts(TypedDict):
    claims: int
    actors: int
    sources: int
    statements: int
    appearances: int
    contradictions: int


# Statements, appearances and contradictions as the reads show them: confirmed ones.
_COUNTS = SQL(
    select(
        select(func.count()).select_from(Claim).scalar_subquery().label("claims"),
        select(func.count()).select_from(Actor).scalar_subquery().label("actors"),
        select(func.count()).select_from(Source).scalar_subquery().label("sources"),
        select(func.count())
        .where(confirmed(Statement.status))
        .scalar_subquery()
        .label("statements"),
        select(func.count())
        .where(confirmed(Appearance.status))
        .scalar_subquery()
        .label("appearances"),
        select(func.count())
        .where(confirmed(Contradiction.status))
        .scalar_subquery()
        .label("contradictions"),
    )
)


def counts(db: ReadDB) -> Counts:
    """How many claims, actors, sources, and confirmed statements, reports and contradictions."""
    row = db.one(_COUNTS)
    assert row is not None  # an aggregate always has its one row
    return {
        "claims": row["claims"],
        "actors": row["actors"],
        "sources": row["sources"],
        "statements": row["statements"],
        "appearances": row["appearances"],
        "contradictions": row["contradictions"],
    }
