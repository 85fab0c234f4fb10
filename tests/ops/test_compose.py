"""docker-compose.yml cannot be run here (no Docker daemon in CI): its services are read, and
checked to name each other as they must: the API instances write on the primary and read on
the replica, the replica is made from the primary, the proxy sends to every API instance, and
every file it mounts is in the repository (its shell scripts parse)."""

import re
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from app.config import PROJECT_ROOT, Settings

COMPOSE = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
APIS = [name for name, service in SERVICES.items() if service.get("build") == "."]


def mounts(service: dict[str, Any]) -> dict[str, str]:
    """A service's mounts, {where in the container: what}."""
    found = {}
    for volume in service.get("volumes", []):
        source, target = volume.split(":")[:2]
        found[target] = source
    return found


def host_of(url: str) -> str:
    host = urlsplit(url).hostname
    assert host is not None, url
    return host


def test_every_dependency_and_volume_is_declared() -> None:
    for name, service in SERVICES.items():
        for needed, condition in service.get("depends_on", {}).items():
            assert needed in SERVICES, f"{name} depends on {needed}, which is not a service"
            if condition["condition"] == "service_healthy":
                assert "healthcheck" in SERVICES[needed], f"{needed} has no healthcheck"
        for source in mounts(service).values():
            if source.startswith("./"):
                path = PROJECT_ROOT / source
                assert path.is_file(), f"{name} mounts {source}, which is not in the repository"
            else:
                assert source in COMPOSE["volumes"], f"{name}: volume {source} is not declared"


@pytest.mark.parametrize(
    "script", sorted((PROJECT_ROOT / "deploy" / "postgres").glob("*.sh")), ids=lambda p: p.name
)
def test_the_postgres_scripts_parse_and_run(script: Path) -> None:
    assert script.stat().st_mode & 0o111, f"{script} is not executable"
    checked = subprocess.run(["sh", "-n", str(script)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_two_api_instances_write_on_the_primary_and_read_on_its_replica(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert len(APIS) == 2
    for name in APIS:
        for key, value in SERVICES[name]["environment"].items():
            monkeypatch.setenv(key, value)
        settings = Settings()  # as the instance reads its environment
        primary = host_of(settings.database_url)
        (replica,) = [host_of(url) for url in settings.read_database_urls]
        assert (
            "primary-init.sh"
            in mounts(SERVICES[primary])["/docker-entrypoint-initdb.d/replication.sh"]
        )
        assert SERVICES[replica]["entrypoint"] == ["/replica.sh"]
        assert mounts(SERVICES[replica])["/replica.sh"] == "./deploy/postgres/replica.sh"
        assert SERVICES[replica]["environment"]["PRIMARY_HOST"] == primary
        password = SERVICES[primary]["environment"]["REPLICATION_PASSWORD"]
        assert SERVICES[replica]["environment"]["REPLICATION_PASSWORD"] == password
        # Healthy once /ready answers on the port the proxy sends to.
        assert "http://127.0.0.1:8000/ready" in SERVICES[name]["healthcheck"]["test"][3]
    # One instance migrates and loads the seed (the image's command); the other waits for it.
    (first,) = [name for name in APIS if "command" not in SERVICES[name]]
    (second,) = [name for name in APIS if name != first]
    assert "--load-seed" not in SERVICES[second]["command"]
    assert SERVICES[second]["depends_on"][first]["condition"] == "service_healthy"


def test_the_proxy_sends_to_every_api_instance() -> None:
    proxy = SERVICES["proxy"]
    config = PROJECT_ROOT / mounts(proxy)["/etc/nginx/conf.d/default.conf"]
    upstream = re.search(r"upstream sayso \{(.*?)\}", config.read_text(), re.S)
    assert upstream is not None
    servers = re.findall(r"^\s*server ([\w.-]+):(\d+);", upstream.group(1), re.M)
    assert sorted(servers) == sorted((name, "8000") for name in APIS)
    assert set(proxy["depends_on"]) == set(APIS)
    assert proxy["ports"] == ["8000:80"] and "listen 80;" in config.read_text()
