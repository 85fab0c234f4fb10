"""A read query is stopped at the statement time limit (SQLite: the connection's progress
handler; PostgreSQL: statement_timeout) and answered 503 with Retry-After; the worker answers
the next request. An export's connection is not held to it."""

from conftest import in_process
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import Response

from app.config import Settings
from app.db.reads import SQL, StatementTimeout, reads_for
from app.main import create_app


def counting(steps: int) -> SQL:
    """A query that counts to STEPS one row at a time (a recursive CTE): slow on purpose, on
    either database."""
    return SQL(
        text(
            "WITH RECURSIVE steps(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM steps "
            f"WHERE n < {steps}) SELECT count(*) AS n FROM steps"
        )
    )


# Seconds, or more, on either database; cut at the limit below.
SLOW = counting(20_000_000)
LIMIT = 0.05


def test_a_slow_read_is_stopped_and_the_connection_reads_on(seeded_url: str) -> None:
    reads = reads_for(seeded_url, statement_timeout=LIMIT)
    try:
        try:
            reads.all(SLOW)
        except StatementTimeout as exc:
            assert exc.limit == LIMIT
        else:
            raise AssertionError("the slow query ran to its end")
        # The same connection, the next query: answered.
        assert reads.one(counting(10)) == {"n": 10}
    finally:
        reads.close()


def test_an_exports_connection_is_not_held_to_the_limit(seeded_url: str) -> None:
    # A limit no query of this size keeps (a millisecond): the read connection's query is
    # stopped, the export's own runs to its end.
    reads = reads_for(seeded_url, statement_timeout=0.001)
    medium = counting(300_000)
    try:
        try:
            reads.all(medium)
        except StatementTimeout:
            pass
        else:
            raise AssertionError("the query ran to its end on a limited connection")
        with reads.apart() as apart:
            rows = [row for chunk in apart.rows(medium) for row in chunk]
        assert rows == [(300_000,)]
    finally:
        reads.close()


def test_a_slow_read_is_answered_503_and_the_worker_goes_on(seeded_url: str) -> None:
    app = create_app(Settings(database_url=seeded_url, statement_timeout=LIMIT))

    async def slow(request: Request) -> Response:
        request.app.state.reads.all(SLOW)
        return Response(b"{}", media_type="application/json")

    app.add_api_route("/slow", slow)
    with in_process(app) as client:
        answer = client().get("/slow")
        after = client().get("/claims")
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "10"
    problem = answer.json()
    assert problem["title"] == "Service unavailable"
    assert "statement time limit (0.05 s" in problem["detail"]
    assert after.status_code == 200
