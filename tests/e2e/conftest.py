"""Browser tests against the real server.

The package starts `manage.py runserver` and a Celery worker as subprocesses on pytest-django's test database, filled
with the demo region (`load_demo`), and drives it with the Debian Chromium through Playwright. The
tests themselves do not touch the database: everything goes through the browser.

The e2e tests are marked `django_db` (pytest-django only creates the test database when a collected
test asks for it) but not `transaction=True`: a transactional test flushes the database when it
ends, which would wipe the committed demo data under the running server. The plain mark wraps the
test process's own (unused) connection in a transaction and leaves the server's data alone. After
the last e2e test the server is stopped first and the data flushed, before pytest-django drops the
test database. The server, the demo data and the browser are package fixtures, so in a run of the
whole suite they are gone before any test outside tests/e2e runs. The test database has its own name
(test_<name>_e2e), so a unit-test run at the same time does not clash with it.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from segment1.management.commands.load_demo import DEMO_PASSWORD

BASE_DIR = Path(settings.BASE_DIR)
# `make screenshots` writes them into the manual; an ordinary test run keeps the tracked images as they are.
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", BASE_DIR / "var" / "screenshots"))
CELERY_WORKER = [sys.executable, "-m", "celery", "-A", "segment1", "worker", "--pool=solo", "--loglevel=warning"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(db: dict) -> str:
    """A DATABASE_URL for the (test) database pytest-django just created."""
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    # The application name tells the server's sessions apart from this process's (see _end_other_sessions).
    return f"postgres://{auth}{host}{port}/{db['NAME']}?application_name=e2e-server"


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"De server stopte meteen (code {process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"De server antwoordde niet binnen {timeout:.0f} seconden:\n{log.read_text()}")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A test database of its own (test_<name>_e2e), so that a unit-test run at the same time on the
    same PostgreSQL (test_<name>) does not clash with the e2e run."""
    for db in settings.DATABASES.values():
        test = db.setdefault("TEST", {})
        test["NAME"] = f"{test.get('NAME') or 'test_' + db['NAME']}_e2e"


def _end_other_sessions(timeout: float = 15) -> None:
    """Make sure nothing but this connection uses the test database, so that pytest-django can drop it.

    The stopped server's sessions end a moment after the process. This process also keeps the
    (idle, rolled back) connection of the per-test transaction of the `django_db` mark: under
    Playwright's greenlets it lives in another context than this teardown, so neither
    `connections.close_all()` here nor pytest-django's own close reaches it. End what is left.
    """
    from django.db import connection

    deadline = time.monotonic() + timeout
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(f"SELECT count(*), count(*) FILTER (WHERE application_name = 'e2e-server') {others}")
            total, server = cursor.fetchone()
            if total == 0:
                return
            if server == 0:  # the server is gone: what is left is our own stale test connection
                cursor.execute(f"SELECT pg_terminate_backend(pid) {others}")
            time.sleep(0.1)


@pytest.fixture(scope="package")
def demo_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """The real server on the test database with the demo data; yields its base URL."""
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        pytest.fail("De e2e-tests hebben PostgreSQL nodig (zet DATABASE_URL, zie `make test-e2e`).")
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    tmp = tmp_path_factory.mktemp("server")
    log = tmp / "server.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(db),
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(tmp / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    # A Celery worker beside it, as in `make run`: documents made in the background need one.
    with (tmp / "worker.log").open("wb") as out:
        worker = subprocess.Popen(
            [*CELERY_WORKER, "--purge", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(f"{base_url}/account/inloggen/", process, log)
        yield base_url
    finally:
        # Stop the server and the worker (and their database connections) before pytest-django drops the database.
        for running in (process, worker):
            running.terminate()
        for running in (process, worker):
            try:
                running.wait(timeout=10)
            except subprocess.TimeoutExpired:
                running.kill()
                running.wait(timeout=10)
        with django_db_blocker.unblock():
            _end_other_sessions()
            # Leave the test database as empty as pytest-django made it, for any test run after these.
            call_command("flush", interactive=False, verbosity=0)
        connections.close_all()


@pytest.fixture(scope="session")
def demo_password() -> str:
    return DEMO_PASSWORD


@pytest.fixture(scope="package")
def known_bsns(demo_server, django_db_blocker) -> set[str]:
    """Every BSN already in the database, so that a test can register a new youth."""
    from referrals.models import Jeugdige

    with django_db_blocker.unblock():
        return set(Jeugdige.objects.exclude(bsn="").values_list("bsn", flat=True))


@pytest.fixture(scope="package")
def chromium(demo_server):
    """Headless Debian Chromium (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is niet geïnstalleerd (apt-get install chromium).")
    # Playwright's sync API keeps an asyncio loop in this thread; Django then refuses database work
    # here (pytest-django's per-test transaction) unless told that this synchronous use is fine.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=executable,
                headless=True,
                args=CHROMIUM_ARGS,
                # A Dutch browser, as on the users' machines: date fields show dd-mm-jjjj in the screenshots.
                # Needs the Debian package chromium-l10n; without it Chromium falls back to en-US formats.
                env={**os.environ, "LANGUAGE": "nl_NL", "LANG": "nl_NL.UTF-8"},
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(chromium, demo_server):
    """Open a fresh browser context (own cookies) per person; all closed after the test."""
    contexts = []

    def open_page():
        context = chromium.new_context(
            base_url=demo_server,
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR


class PageCheck:
    """Take a full-page screenshot of a page and run axe on it; collect serious problems."""

    BLOCKING = ("serious", "critical")

    def __init__(self, directory: Path):
        self.directory = directory
        self.problems: list[str] = []
        self.names: list[str] = []

    def __call__(self, page, name: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        page.wait_for_load_state("load")
        assert name not in self.names, f"schermafdruk {name} dubbel"
        self.names.append(name)
        page.screenshot(path=self.directory / f"{name}.png", full_page=True)
        violations = Axe().run(page).response["violations"]
        for v in violations:
            lines = [f"[{name}] {v['id']} ({v['impact']}): {v['help']} {v['helpUrl']}"]
            for node in v["nodes"]:
                summary = (node.get("failureSummary") or "").replace("\n", " ")
                lines.append(f"    {', '.join(map(str, node['target']))}: {node['html'][:160]} | {summary}")
            report = "\n".join(lines)
            print(report)  # shown with the test output when something fails
            if v["impact"] in self.BLOCKING:
                self.problems.append(report)

    def assert_accessible(self) -> None:
        assert not self.problems, "Toegankelijkheidsproblemen (axe, serious/critical):\n" + "\n".join(self.problems)


@pytest.fixture
def check_page(screenshot_dir) -> PageCheck:
    return PageCheck(screenshot_dir)
