"""The HTTP limits of `sayso serve` (docs/http-limits.md), over a socket to the real server
(`python -m app.web.server`, what `sayso serve` runs), with short bounds set in its settings:
a head over the limit is refused (431, then the connection closed), a body over the limit
(chunked too) is a 413 problem, and a connection that never finishes its request is let go."""

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson
import pytest
from conftest import Databases

from app.config import PROJECT_ROOT
from app.db.engine import make_engine, session_scope
from app.models.enums import KeyRole
from app.web.auth import create_key

HEAD_TIMEOUT = 1.0
BODY_TIMEOUT = 1.0
KEEP_ALIVE = 1
MAX_BODY = 4_000
MAX_HEAD = 16_384  # the default
# A timer may fire late on a busy machine, never early.
LATE = 8.0


@dataclass
class Server:
    host: str
    port: int
    pid: int
    key: str  # an editor's

    def connect(self) -> socket.socket:
        sock = socket.create_connection((self.host, self.port))
        sock.settimeout(LATE + 10)
        return sock

    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    url = databases.fresh()
    engine = make_engine(url)
    with session_scope(engine) as session:
        key = create_key(session, "an editor", KeyRole.editor)
    engine.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "SAYSO_DATABASE_URL": url,
        "SAYSO_HEAD_TIMEOUT": str(HEAD_TIMEOUT),
        "SAYSO_BODY_TIMEOUT": str(BODY_TIMEOUT),
        "SAYSO_KEEP_ALIVE_TIMEOUT": str(KEEP_ALIVE),
        "SAYSO_MAX_BODY_BYTES": str(MAX_BODY),
    }
    log = tmp_path_factory.mktemp("server") / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.web.server", "127.0.0.1", str(port), "1"],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield Server("127.0.0.1", port, process.pid, key)
    finally:
        process.terminate()
        process.wait(30)
    # No limit made a server error of a client's doings.
    assert "Traceback" not in log.read_text(), log.read_text()


def read_until_closed(sock: socket.socket) -> tuple[bytes, float]:
    """What the server sends until it closes the connection, and how long that took."""
    started = time.monotonic()
    received = b""
    try:
        while chunk := sock.recv(65_536):
            received += chunk
    except ConnectionResetError:
        pass
    return received, time.monotonic() - started


def read_response(sock: socket.socket) -> bytes:
    """One response (with a Content-Length), read off a connection that stays open."""
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = sock.recv(65_536)
        assert chunk, received
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length: (\d+)\r?$", head)
    assert length, head
    while len(body) < int(length.group(1)):
        chunk = sock.recv(65_536)
        assert chunk, received
        body += chunk
    return head + b"\r\n\r\n" + body


def status_and_problem(response: bytes) -> tuple[int, dict[str, object]]:
    head, _, body = response.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    assert re.search(rb"(?im)^content-type: application/problem\+json\r?$", head), head
    problem: dict[str, object] = orjson.loads(body)
    assert problem["status"] == status
    return status, problem


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_a_head_within_the_limit_is_served(server: Server) -> None:
    response = httpx.get(server.url() + "/health", headers={"X-Filler": "a" * (MAX_HEAD - 500)})
    assert response.status_code == 200


def test_a_head_over_the_limit_is_431_and_the_connection_closed(server: Server) -> None:
    with server.connect() as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: " + b"a" * MAX_HEAD)
        response, _ = read_until_closed(sock)
    status, problem = status_and_problem(response)
    assert status == 431
    assert f"over {MAX_HEAD} bytes" in str(problem["detail"])


def test_huge_headers_are_not_read_into_memory(server: Server) -> None:
    # Eight 40 MB headers took 320 MB of a worker; each is now let go after 16 kB.
    before = rss_bytes(server.pid)
    for _ in range(8):
        with server.connect() as sock:
            sent = 0
            try:
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ")
                while sent < 40_000_000:
                    sock.sendall(b"a" * 1_000_000)
                    sent += 1_000_000
            except (BrokenPipeError, ConnectionResetError):
                pass
            response, _ = read_until_closed(sock)
        assert sent < 40_000_000, "the server read a 40 MB header"
        if response:  # else the connection was reset while the client was still sending
            assert status_and_problem(response)[0] == 431
    assert rss_bytes(server.pid) - before < 20_000_000
    assert httpx.get(server.url() + "/health").status_code == 200


@pytest.mark.parametrize("path", ["/claims", "/ingest"])
def test_a_chunked_body_over_the_limit_is_413_problem(server: Server, path: str) -> None:
    with server.connect() as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {server.key}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
        )
        # Just over the limit, and no end: the answer cannot wait for the rest.
        piece = b" " * 1_000
        for _ in range(MAX_BODY // len(piece) + 1):
            sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        response = read_response(sock)
    status, problem = status_and_problem(response)
    assert status == 413, response
    assert problem["instance"] == path
    assert f"over {MAX_BODY} bytes" in str(problem["detail"])


def test_a_body_over_the_limit_by_its_length_is_413(server: Server) -> None:
    response = httpx.post(
        server.url() + "/claims",
        content=b"x" * (MAX_BODY + 1),
        headers={"Authorization": f"Bearer {server.key}", "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_a_connection_that_sends_nothing_is_dropped(server: Server) -> None:
    with server.connect() as sock:
        response, waited = read_until_closed(sock)
    assert response == b""
    assert HEAD_TIMEOUT * 0.9 <= waited < HEAD_TIMEOUT + LATE


def test_a_half_sent_head_is_answered_408_and_dropped(server: Server) -> None:
    with server.connect() as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        response, waited = read_until_closed(sock)
    assert status_and_problem(response)[0] == 408
    assert HEAD_TIMEOUT * 0.9 <= waited < HEAD_TIMEOUT + LATE


@pytest.mark.parametrize("kept_alive", [False, True], ids=["new", "kept alive"])
def test_a_head_sent_a_byte_at_a_time_does_not_hold_the_connection(
    server: Server, kept_alive: bool
) -> None:
    # Each byte comes well within the bound; the whole head does not.
    head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100
    with server.connect() as sock:
        if kept_alive:  # a request answered first: the next one is timed from its first byte
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            assert read_response(sock).startswith(b"HTTP/1.1 200 ")
        started = time.monotonic()
        try:
            for byte in head:
                sock.sendall(bytes([byte]))
                time.sleep(HEAD_TIMEOUT / 5)
        except (BrokenPipeError, ConnectionResetError):
            pass
        response, _ = read_until_closed(sock)
        waited = time.monotonic() - started
    assert status_and_problem(response)[0] == 408
    assert waited < HEAD_TIMEOUT + LATE


def test_a_body_that_stops_coming_is_dropped(server: Server) -> None:
    with server.connect() as sock:
        sock.sendall(
            f"POST /ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {server.key}\r\n"
            "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n".encode()
            + b'{"format": '
        )
        response, waited = read_until_closed(sock)
    assert response == b""
    assert BODY_TIMEOUT * 0.9 <= waited < BODY_TIMEOUT + LATE


def test_an_idle_kept_alive_connection_is_closed(server: Server) -> None:
    with server.connect() as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        response, waited = read_until_closed(sock)
    assert response.startswith(b"HTTP/1.1 200 ")
    assert KEEP_ALIVE * 0.9 <= waited < KEEP_ALIVE + LATE


def test_requests_within_the_bounds_are_served_as_ever(server: Server) -> None:
    # Several requests on one connection, and a body sent in pieces with pauses under the bound.
    with httpx.Client(base_url=server.url()) as client:
        for _ in range(5):
            assert client.get("/health").status_code == 200

    def pieces() -> Iterator[bytes]:
        yield b'{"slug": "a-claim", '
        time.sleep(BODY_TIMEOUT / 2)
        yield b'"text": "A claim."}'

    response = httpx.post(
        server.url() + "/claims",
        content=pieces(),
        headers={"Authorization": f"Bearer {server.key}", "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
