"""The README's curl examples run against the seed data, and show the API's real answers.

Run with SAYSO_UPDATE_README=1 to rewrite the shown answers from the API (then review the diff).
"""

import json
import os
import re
from typing import Any

import httpx
import pytest

from app.config import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
HOST = "http://127.0.0.1:8000"
# A ```sh block holding one curl command, then the ```json block that shows its answer.
EXAMPLE = re.compile(
    r"```sh\ncurl -s '(?P<url>[^']+)'\n```\n\n```json\n(?P<answer>.*?)```", re.DOTALL
)


def _shown(answer: Any) -> str:
    return json.dumps(answer, indent=2, ensure_ascii=False) + "\n"


def test_every_curl_example_answers(http: httpx.Client) -> None:
    text = README.read_text()
    urls = re.findall(r"^curl -s '([^']+)'", text, flags=re.MULTILINE)
    assert len(urls) >= 10
    for url in urls:
        assert url.startswith(HOST)
        response = http.get(url.removeprefix(HOST))
        expected = 422 if "refutes" in url else 200  # the error example
        assert response.status_code == expected, url


def test_the_readme_shows_the_real_answers(
    http: httpx.Client, server_url: str, backend: str
) -> None:
    text = README.read_text()
    examples = list(EXAMPLE.finditer(text))
    assert len(examples) >= 10

    def answer(match: re.Match[str]) -> str:
        body = http.get(match["url"].removeprefix(HOST)).text.replace(server_url, HOST)
        start, end = match.span("answer")
        whole = match.start()
        return match[0][: start - whole] + _shown(json.loads(body)) + match[0][end - whole :]

    if os.environ.get("SAYSO_UPDATE_README") == "1":
        README.write_text(EXAMPLE.sub(answer, text))
        pytest.skip("README answers rewritten from the API; review the diff")
    for match in examples:
        if backend != "sqlite" and match["url"].startswith(f"{HOST}/search"):
            continue  # search ranks by each engine's own measure; the README shows SQLite's
        body = http.get(match["url"].removeprefix(HOST)).text.replace(server_url, HOST)
        assert json.loads(match["answer"]) == json.loads(body), match["url"]


def test_the_readme_shows_real_etags(http: httpx.Client) -> None:
    text = README.read_text()
    shown = re.search(r"\$ curl -si '(?P<url>[^']+)'\n(?:.*\n)*?  etag: (?P<etag>\S+)", text)
    assert shown is not None
    response = http.get(shown["url"].removeprefix(HOST), headers={"Accept-Encoding": "identity"})
    assert response.headers["etag"] == shown["etag"]
    assert f"If-None-Match: {shown['etag']}" in text
