"""docker-compose.yml cannot be started here (no Docker engine), so this keeps it honest: every
variable it sets is one the settings read, every host it names is one of its services, and every
command it runs exists in this project."""

import importlib
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def settings_variables() -> set[str]:
    source = (ROOT / "segment1" / "settings.py").read_text()
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source))


def test_the_stack_has_web_worker_beat_postgres_and_redis():
    assert {"web", "worker", "beat", "db", "redis"} <= set(SERVICES)
    assert SERVICES["db"]["image"].startswith("postgres")
    assert SERVICES["redis"]["image"].startswith("redis")


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_set_only_variables_the_settings_read(name):
    environment = SERVICES[name]["environment"]
    unknown = set(environment) - settings_variables()
    assert not unknown, f"{name} sets variables that segment1/settings.py never reads: {unknown}"
    assert {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SECRET_KEY"} <= set(environment)


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_urls_point_at_services_of_the_stack(name):
    environment = SERVICES[name]["environment"]
    database = urlparse(environment["DATABASE_URL"])
    broker = urlparse(environment["CELERY_BROKER_URL"])
    assert database.scheme == "postgres" and database.hostname in SERVICES
    assert database.path.lstrip("/") == SERVICES[database.hostname]["environment"]["POSTGRES_DB"]
    assert database.username == SERVICES[database.hostname]["environment"]["POSTGRES_USER"]
    assert broker.scheme == "redis" and broker.hostname in SERVICES


def _words(command) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else list(command)


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_commands_name_things_that_exist(name):
    command = " ".join(_words(SERVICES[name]["command"]))
    for target in re.findall(r"gunicorn (\S+)", command):
        module, attribute = target.split(":")
        assert hasattr(importlib.import_module(module), attribute)
    for app in re.findall(r"celery -A (\S+)", command):
        assert importlib.import_module(app).celery_app is not None
    for management_command in re.findall(r"manage\.py (\w+)", command):
        assert management_command in get_commands()
    assert (ROOT / "Dockerfile").exists()


def test_docker_compose_validates_the_file():
    if shutil.which("docker-compose") is None:
        pytest.fail("docker-compose is not installed: apt-get install docker-compose")
    result = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
