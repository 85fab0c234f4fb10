"""Prometheus metrics at /metrics (SAYSO_METRICS=true): requests by route template and status,
their time and database time, in flight, workers alive, loads and extractions; off by default,
with nothing installed; one server's figures whichever of its workers answers."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
from conftest import _free_port, in_process
from db_copies import add_keys
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client.parser import text_string_to_metric_families

from app.config import PROJECT_ROOT, Settings
from app.main import create_app
from app.web.access import AccessLog

CEASEFIRE = "putin-signalled-ceasefire-2023"
REQUESTS = "sayso_http_request_duration_seconds"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def samples(text: str) -> Samples:
    """{(sample name, sorted labels): value} of a /metrics answer (parsed by prometheus_client's
    own parser: the text is what Prometheus reads)."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def count(found: Samples, method: str, route: str, status: str) -> float:
    return value(found, f"{REQUESTS}_count", method=method, route=route, status=status)


def routes(found: Samples) -> set[str]:
    return {dict(labels)["route"] for name, labels in found if name == f"{REQUESTS}_count"}


def test_off_by_default_nothing_is_installed(seeded_url: str) -> None:
    app = create_app(Settings(database_url=seeded_url))
    # The access log counts nothing, the read driver's queries are its own, untimed.
    assert [m.kwargs for m in app.user_middleware if m.cls is AccessLog] == [{"metrics": None}]
    assert "all" not in vars(app.state.reads)
    assert not hasattr(app.state, "metrics")
    with in_process(app) as client:
        assert client().get("/metrics").status_code == 404


def test_requests_are_counted_by_route_template_and_status(seeded_db_url: str) -> None:
    keys = add_keys(seeded_db_url)
    app = create_app(Settings(database_url=seeded_db_url, metrics=True))
    with in_process(app) as client:
        anyone = client()
        assert anyone.get(f"/claims/{CEASEFIRE}").status_code == 200  # a direct read
        assert anyone.get(f"/claims/{CEASEFIRE}/statements").status_code == 200
        assert anyone.head(f"/claims/{CEASEFIRE}").status_code == 200
        assert anyone.get("/claims/no-such-claim").status_code == 404
        for n in range(3):
            assert anyone.get(f"/made-up/path-{n}").status_code == 404
        made = client(Authorization=f"Bearer {keys['editor']}").post(
            "/claims", json={"slug": "counted-claim", "text": "A claim to count."}
        )
        assert made.status_code == 201
        found = samples(anyone.get("/metrics").text)
    assert count(found, "GET", "/claims/{slug}", "200") == 1
    assert count(found, "GET", "/claims/{slug}/statements", "200") == 1
    assert count(found, "HEAD", "/claims/{slug}", "200") == 1
    assert count(found, "GET", "/claims/{slug}", "404") == 1
    assert count(found, "POST", "/claims", "201") == 1
    # Made-up paths share one label: no series of their own.
    assert count(found, "GET", "unmatched", "404") == 3
    assert not any("made-up" in route for route in routes(found))
    # The latency histogram.
    labels = {"method": "GET", "route": "/claims/{slug}", "status": "200"}
    assert value(found, f"{REQUESTS}_bucket", **labels, le="+Inf") == 1
    assert value(found, f"{REQUESTS}_sum", **labels) > 0
    # Database time: the reads' queries and the write's statements.
    db = "sayso_http_request_db_seconds_total"
    assert value(found, db, method="GET", route="/claims/{slug}") > 0
    assert value(found, db, method="POST", route="/claims") > 0
    assert value(found, db, method="GET", route="unmatched") == 0
    assert value(found, "sayso_workers") == 1
    assert value(found, "sayso_http_requests_in_flight") == 1  # the /metrics request itself


def test_the_key_checks_query_is_database_time_too(seeded_url: str) -> None:
    """With SAYSO_READS_NEED_KEY, each key is looked up by a query of the read driver: its time
    counts, although the key check holds the driver from before the metrics were installed."""
    settings = Settings(database_url=seeded_url, metrics=True, reads_need_key=True)
    with in_process(create_app(settings)) as client:
        refused = client(Authorization="Bearer not-a-key").get(f"/claims/{CEASEFIRE}")
        found = samples(client().get("/metrics").text)
    assert refused.status_code == 401
    assert count(found, "GET", "unmatched", "401") == 1
    db = "sayso_http_request_db_seconds_total"
    assert value(found, db, method="GET", route="unmatched") > 0


def test_loads_and_extractions_are_counted(seeded_db_url: str, tmp_path: Path) -> None:
    keys = add_keys(seeded_db_url)
    settings = Settings(database_url=seeded_db_url, metrics=True, extract_anonymous_chars=100)
    annotation = {
        "format": "sayso/1",
        "source": {
            "slug": "metrics-wire",
            "title": "Bridge to reopen",
            "language": "en",
            "text": 'The bridge would reopen in May, minister Ana Silva said. "We are on time."\n',
        },
        "actors": [{"slug": "ana-silva-m", "name": "Ana Silva", "kind": "person"}],
        "claims": [{"slug": "bridge-reopens-may-m", "text": "The bridge reopens in May."}],
        "statements": [
            {
                "slug": "silva-bridge-may-m",
                "speaker": "ana-silva-m",
                "claim": "bridge-reopens-may-m",
                "stance": "asserts",
                "appearances": [{"quote": "The bridge would reopen in May", "mode": "indirect"}],
            }
        ],
    }
    with in_process(create_app(settings)) as client:
        editor = client(Authorization=f"Bearer {keys['editor']}")
        assert editor.post("/ingest", json=annotation).status_code == 201
        # A quote the text does not hold: refused.
        statement = {**annotation["statements"][0], "slug": "silva-misquoted-m"}
        statement["appearances"] = [{"quote": "The bridge is closed for good", "mode": "direct"}]
        broken = {**annotation, "statements": [statement]}
        assert editor.post("/ingest", json=broken).status_code == 422
        assert client().post("/extract", json={"text": "x" * 101}).status_code == 413
        drafted = client().post("/extract", json={"text": annotation["source"]["text"]})
        assert drafted.status_code == 200
        found = samples(client().get("/metrics").text)
    assert value(found, "sayso_ingest_files_total", outcome="loaded") == 1
    assert value(found, "sayso_ingest_files_total", outcome="refused") == 1
    assert value(found, "sayso_ingest_statements_total") == 1
    assert value(found, "sayso_extractions_total", outcome="refused") == 1
    assert value(found, "sayso_extractions_total", outcome="drafted") == 1
    assert value(found, "sayso_extractions_total", outcome="timed_out") == 0


def test_a_metrics_token_is_asked_for_when_set(seeded_url: str) -> None:
    settings = Settings(
        database_url=seeded_url, metrics=True, metrics_token="scrape-me", reads_need_key=True
    )
    with in_process(create_app(settings)) as client:
        missing = client().get("/metrics")
        wrong = client(Authorization="Bearer scrape-you").get("/metrics")
        right = client(Authorization="Bearer scrape-me").get("/metrics")
    for refused in (missing, wrong):
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"
        assert "metrics token" in refused.json()["detail"]
    # Open to its token although reads need an API key: a scraper needs no editor's key.
    assert right.status_code == 200
    assert right.headers["content-type"] == CONTENT_TYPE_LATEST
    assert right.headers["cache-control"] == "no-store"


def _children(pid: int) -> set[int]:
    """The processes whose parent is PID (from /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry))
    return found


def _wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:.0f} s: {what}")
        time.sleep(0.2)


@contextmanager
def server(url: str, folder: Path, workers: int = 2) -> Iterator[tuple[str, int]]:
    """`sayso serve --workers WORKERS` with metrics on, their files in FOLDER: (base URL, the
    server's pid)."""
    port = _free_port()
    env = {
        **os.environ,
        "SAYSO_DATABASE_URL": url,
        "SAYSO_METRICS": "true",
        "SAYSO_METRICS_DIR": str(folder),
        "SAYSO_LOG_LEVEL": "warning",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=PROJECT_ROOT,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            return httpx.get(f"{base}/health", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    try:
        _wait_for(answers, "sayso serve answers")
        _wait_for(lambda: len(_children(process.pid)) == workers, f"{workers} workers")
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _served_by(folder: Path) -> set[int]:
    """The workers that have counted a request: each writes its histograms to a file of its own."""
    return {int(f.stem.rpartition("_")[2]) for f in folder.glob("histogram_*.db")}


def test_two_workers_figures_add_up_whichever_answers(seeded_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "histogram_1.db").write_bytes(b"an earlier run's")  # emptied at start
    path = f"/claims/{CEASEFIRE}"
    with server(seeded_url, folder) as (base, pid):
        workers = _children(pid)
        assert not (folder / "histogram_1.db").exists()
        sent = 0

        def get(_: int) -> int:
            return httpx.get(f"{base}{path}", timeout=10).status_code  # a connection each

        # Until both workers have answered some (the kernel hands each connection to one).
        with ThreadPoolExecutor(4) as pool:
            while _served_by(folder) != workers:
                assert sent < 2000, f"one worker took every connection: {_served_by(folder)}"
                assert set(pool.map(get, range(20))) == {200}
                sent += 20
        assert httpx.get(f"{base}/no/such/path-xyz").status_code == 404

        def scrape() -> Samples:
            return samples(httpx.get(f"{base}/metrics").text)

        # Each worker writes what it counted every second (FLUSH_S): then every answer to
        # /metrics, whichever worker gives it, holds every worker's requests.
        def written() -> bool:
            found = scrape()
            return (
                count(found, "GET", "/claims/{slug}", "200") == sent
                and count(found, "GET", "unmatched", "404") == 1
            )

        _wait_for(written, "every worker's requests written")
        scraped = [scrape() for _ in range(6)]
        for found in scraped:
            assert count(found, "GET", "/claims/{slug}", "200") == sent
            assert count(found, "GET", "unmatched", "404") == 1
            assert not any("path-xyz" in route for route in routes(found))
            assert value(found, "sayso_workers") == 2

        # A worker killed: another takes its place; its requests still count, it no longer does.
        killed = min(workers)
        os.kill(killed, signal.SIGKILL)
        _wait_for(
            lambda: len(_children(pid)) == 2 and killed not in _children(pid),
            "a new worker in place of the killed one",
        )
        _wait_for(lambda: value(scrape(), "sayso_workers") == 2, "two workers alive in the metrics")
        # A worker killed between creating its file and sizing it leaves the file empty: it
        # holds no figures, and the scrape still answers (prometheus_client's own collector
        # fails on it, for every scrape after).
        (folder / "counter_999999.db").touch()
        answer = httpx.get(f"{base}/metrics")
        assert answer.status_code == 200, answer.text
        after = samples(answer.text)
    assert count(after, "GET", "/claims/{slug}", "200") == sent
    assert not list(folder.glob(f"gauge_livesum_{killed}.db"))


def test_off_neither_the_server_nor_the_app_imports_the_libraries(tmp_path: Path) -> None:
    """Metrics and rate limits off: the server's side and the app import neither
    prometheus_client nor limits, and set no metrics folder."""
    script = (
        "import json, os, sys\n"
        "from app.web import metrics_dir\n"
        "metrics_dir.prepare()\n"
        "metrics_dir.worker_exited(1)\n"
        "import app.main\n"
        "print(json.dumps([m in sys.modules for m in ('prometheus_client', 'limits')]"
        " + ['PROMETHEUS_MULTIPROC_DIR' in os.environ]))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAYSO_", "PROMETHEUS_"))}
    env["SAYSO_DATABASE_URL"] = f"sqlite:///{tmp_path / 'none.db'}"
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout) == [False, False, False]
