"""The product started as deployed: production settings, its own database, ``baqylau serve`` on a port.

These tests drive new processes (the ``baqylau`` command, gunicorn, queue workers) through
``deploy/smoke.py``'s ``Site`` and ``Browser``, as the CI smoke test does. The server's database is of
the suite's kind: a SQLite file when the suite runs on SQLite, a PostgreSQL database of its own (named
after the suite's) when DATABASE_URL names PostgreSQL. It never touches the suite's test database.
Ports come from BAQYLAU_TEST_PORTS ("8100-8199") when it is set.
"""

import contextlib
import importlib.util
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("baqylau_smoke", ROOT / "deploy" / "smoke.py")
smoke = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(smoke)

# Agency editors of the demo's agencies, and the office; made with `baqylau create-user`.
USERS = {
    "office-1": ("--role", "office"),
    "men-1": ("--role", "agency_editor", "--agency", "MEN"),
    "men-2": ("--role", "agency_editor", "--agency", "MEN"),
    "akimat-1": ("--role", "agency_editor", "--agency", "AKIMAT"),
    "akimat-2": ("--role", "agency_editor", "--agency", "AKIMAT"),
}


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


@contextlib.contextmanager
def new_database(folder: Path, name: str):
    """A new, empty database of the suite's kind; its URL."""
    if on_postgres():
        suite = os.environ["DATABASE_URL"]
        base = urlsplit(suite).path.lstrip("/") or "baqylau"
        with smoke.postgres_database(suite, f"test_{base}_{name}") as url:
            yield url
    else:
        yield f"sqlite:///{folder / f'{name}.sqlite3'}"


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """The static files collected once, under production settings, as `baqylau collectstatic` does."""
    folder = tmp_path_factory.mktemp("collect")
    site = smoke.Site("sqlite:///:memory:", folder)
    site.run("collectstatic", "--no-input")
    return folder / "static"


@pytest.fixture(scope="session")
def deployed(tmp_path_factory, static_root):
    """A site with the demo plan and USERS, its server running (gunicorn, no queue worker of its own:
    the tests start workers when they want them); yields (site, base URL)."""
    folder = tmp_path_factory.mktemp("site")
    with new_database(folder, "site") as url:
        site = smoke.Site(url, folder, BAQYLAU_WORKER_HEARTBEAT_SECONDS="1")
        site.prepare(users=USERS, static_root=static_root)
        with site.serving("--workers", "5", "--task-workers", "0") as base:
            yield site, base


@pytest.fixture
def site(deployed):
    site, _ = deployed
    before = len(site.errors_in_log())
    yield site
    errors = site.errors_in_log()[before:]
    assert not errors, "the server logged errors:\n" + "\n".join(line[:1000] for line in errors[:5])


@pytest.fixture
def base(deployed):
    return deployed[1]


@pytest.fixture
def browser(base):
    def log_in(username: str) -> "smoke.Browser":
        browser = smoke.Browser(base)
        browser.login(username)
        return browser

    return log_in
