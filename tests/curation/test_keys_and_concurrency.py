"""API keys from the command line, reads that need a key when the setting says so, and many
clients editing the same objects at once: no accepted change lost, every one in the history."""

import hashlib
import itertools
import threading
from collections import Counter
from collections.abc import Callable

import httpx
from conftest import in_process, sayso
from sites import Site, changed, etag, keyed_db, served_site  # noqa: F401 (fixtures)
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.appearances.writes import update_appearance
from app.config import Settings
from app.db.engine import make_engine, session_scope
from app.main import create_app
from app.models import ApiKey, Appearance, Source, Statement
from app.models.enums import KeyRole, ReviewStatus
from app.sources.writes import delete_source
from app.web.auth import Editor
from app.web.errors import Conflict

CEASEFIRE = "putin-signalled-ceasefire-2023"
SIGNALS = "three-sources-putin-sent-signals"
INDIA_TV = "indiatv-2024-02-14-putin-ceasefire-rejected"
DAN_TRI = "dantri-2024-putin-ceasefire-revealed"


def test_keys_are_made_shown_once_kept_as_a_hash_listed_and_revoked(db_url: str) -> None:
    made = sayso(db_url, "keys", "create", "--name", "newsroom", "--role", "editor")
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip()
    assert key.startswith("sayso_") and len(key) > 40
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(select(ApiKey.key_hash, ApiKey.role)).one()
    finally:
        engine.dispose()
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in sayso(db_url, "keys", "list").stdout
    again = sayso(db_url, "keys", "create", "--name", "newsroom", "--role", "admin")
    assert again.returncode == 1 and "exists already" in again.stderr
    bad_role = sayso(db_url, "keys", "create", "--name", "x", "--role", "owner")
    assert bad_role.returncode != 0
    listed = sayso(db_url, "keys", "list").stdout
    assert "newsroom\teditor\t" in listed and "in use" in listed
    assert sayso(db_url, "keys", "revoke", "newsroom").returncode == 0
    assert "revoked" in sayso(db_url, "keys", "list").stdout
    assert sayso(db_url, "keys", "revoke", "newsroom").returncode == 1


def test_a_created_key_writes_and_a_revoked_one_no_longer(
    keyed_db: tuple[str, dict[str, str]],
) -> None:
    db_url, _ = keyed_db
    key = sayso(db_url, "keys", "create", "--name", "desk", "--role", "editor").stdout.strip()
    with in_process(create_app(Settings(database_url=db_url))) as client:
        desk = client(Authorization=f"Bearer {key}")
        body = {"slug": "desk-claim", "text": "A claim from the desk."}
        assert desk.post("/claims", json=body).status_code == 201
        assert sayso(db_url, "keys", "revoke", "desk").returncode == 0
        body = {"slug": "desk-claim-2", "text": "Another."}
        assert desk.post("/claims", json=body).status_code == 401


def test_reads_need_a_key_when_the_setting_says_so(keyed_db: tuple[str, dict[str, str]]) -> None:
    db_url, keys = keyed_db
    app = create_app(Settings(database_url=db_url, reads_need_key=True))
    with in_process(app) as client:
        closed = client().get(f"/claims/{CEASEFIRE}")
        assert closed.status_code == 401
        assert closed.headers["content-type"] == "application/problem+json"
        for role in ("editor", "admin"):
            auth = client(Authorization=f"Bearer {keys[role]}")
            assert auth.get(f"/claims/{CEASEFIRE}").status_code == 200
        revoked = client(Authorization=f"Bearer {keys['revoked']}")
        assert revoked.get(f"/claims/{CEASEFIRE}").status_code == 401
        # The documentation and the health check stay open.
        assert client().get("/health").status_code == 200
        assert client().get("/openapi.json").status_code == 200


def test_many_clients_editing_one_claim_lose_nothing(served_site: Site) -> None:
    """Eight clients, each reading the claim and writing its note with the ETag it read, twelve
    times over, all at once: every write is accepted (200) or refused as stale (412); the
    accepted ones are exactly the history's updates, in version order, and the claim ends as
    the last of them."""
    site = served_site
    path = f"/claims/{CEASEFIRE}"
    outcomes: list[tuple[int, str]] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        with httpx.Client(base_url=site.url, headers=site.editor.headers, timeout=60) as http:
            for i in range(12):
                note = f"client {n}, edit {i}"
                tag = etag(http, path)
                response = http.patch(path, json={"note": note}, headers={"If-Match": tag})
                with lock:
                    outcomes.append((response.status_code, note))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = Counter(status for status, _ in outcomes)
    assert set(statuses) <= {200, 412}, statuses
    accepted = [note for status, note in outcomes if status == 200]
    assert accepted, "some edits go through"
    claim = site.anonymous.get(path).json()
    assert claim["version"] == 1 + len(accepted)
    history = site.editor.get(f"{path}/history", params={"limit": 500}).json()["items"]
    updates = [changed(c)["note"] for c in history if c["action"] == "update"]
    assert sorted(after for _, after in updates) == sorted(accepted)
    # Each accepted edit started from the one before it: a chain of edits, none lost.
    assert len(updates) == len(accepted) == claim["version"] - 1
    for earlier, later in itertools.pairwise(updates):
        assert later[0] == earlier[1]
    assert claim["note"] == updates[-1][1]


def test_many_clients_adding_claims_at_once_all_land(served_site: Site) -> None:
    """Writes that do not conflict all succeed, whatever their interleaving."""
    site = served_site
    codes: list[int] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        with httpx.Client(base_url=site.url, headers=site.editor.headers, timeout=60) as http:
            for i in range(5):
                body = {"slug": f"claim-{n}-{i}", "text": f"Claim {n}.{i}."}
                status = http.post("/claims", json=body).status_code
                with lock:
                    codes.append(status)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [201] * 30
    listed = site.anonymous.get("/claims", params={"q": "claim", "limit": 500}).json()["items"]
    assert {c["slug"] for c in listed} >= {f"claim-{n}-{i}" for n in range(6) for i in range(5)}


EDITOR = Editor(key_id=None, name="an editor", role=KeyRole.editor)
REJECT = {"status": ReviewStatus.rejected, "status_reason": "Misplaced."}


def _second_waits_then_is_refused(
    engine: Engine, first: Callable[[Session], object], second: Callable[[Session], object]
) -> Conflict:
    """Run FIRST in a transaction and, while it is open, SECOND in another: SECOND must wait
    for FIRST's commit, then be refused, having seen what FIRST did."""
    outcome: list[object] = []

    def other_editor() -> None:
        try:
            with session_scope(engine) as session:
                outcome.append(second(session))
        except Conflict as exc:
            outcome.append(exc)

    with session_scope(engine) as session:
        first(session)
        other = threading.Thread(target=other_editor)
        other.start()
        other.join(timeout=2)
        waited = other.is_alive()
    other.join()
    assert waited
    [refused] = outcome
    assert isinstance(refused, Conflict), refused
    return refused


def _confirmed(engine: Engine, statement: int) -> list[int]:
    with engine.connect() as conn:
        return list(
            conn.scalars(
                select(Appearance.id).where(
                    Appearance.statement_id == statement,
                    Appearance.status == ReviewStatus.confirmed,
                )
            )
        )


def test_two_editors_rejecting_a_statements_last_two_reports_at_once_keep_one(
    seeded_db_url: str,
) -> None:
    engine = make_engine(seeded_db_url)
    try:
        with engine.connect() as conn:
            # A confirmed statement with exactly two confirmed reports, and those two.
            statement, first, second = conn.execute(
                select(Appearance.statement_id, func.min(Appearance.id), func.max(Appearance.id))
                .where(Appearance.status == ReviewStatus.confirmed)
                .group_by(Appearance.statement_id)
                .having(func.count() == 2)
                .order_by(Appearance.statement_id)
                .limit(1)
            ).one()
        refused = _second_waits_then_is_refused(
            engine,
            lambda session: update_appearance(session, EDITOR, first, 1, REJECT),
            lambda session: update_appearance(session, EDITOR, second, 1, REJECT),
        )
        assert "only confirmed report" in str(refused)
        assert _confirmed(engine, statement) == [second]
    finally:
        engine.dispose()


def test_a_source_deleted_while_a_report_elsewhere_is_rejected_keeps_one(
    seeded_db_url: str,
) -> None:
    engine = make_engine(seeded_db_url)
    try:
        with engine.connect() as conn:
            # India TV reports SIGNALS twice, Dan Tri once: all three confirmed.
            statement, dan_tri = conn.execute(
                select(Statement.id, Appearance.id)
                .join(Appearance, Appearance.statement_id == Statement.id)
                .join(Source, Source.id == Appearance.source_id)
                .where(Statement.slug == SIGNALS, Source.slug == DAN_TRI)
            ).one()
        refused = _second_waits_then_is_refused(
            engine,
            lambda session: delete_source(session, EDITOR, INDIA_TV, 1),
            lambda session: update_appearance(session, EDITOR, dan_tri, 1, REJECT),
        )
        assert "only confirmed report" in str(refused)
        assert _confirmed(engine, statement) == [dan_tri]
    finally:
        engine.dispose()
