"""The production smoke test (``make smoke``; ``.ci/run`` runs it after the two suites).

It does what docs/deployment.md tells an operator to do, on a new PostgreSQL database and a free port:
migrate, collect the static files, load the demo plan, create an office user with ``baqylau create-user``,
start ``baqylau serve`` (production settings: gunicorn and a queue worker), then a real HTTP client
logs in (CSRF included) and fetches every page of the navigation, a measure page, the API root and a
static file, and uploads a workbook that the worker imports. Any answer but the expected one, or an
error in the server's log, fails it. Everything it starts is stopped, and the database dropped.

The tests in tests/deploy/ use the same ``Site`` and ``Browser`` to start the product as deployed.
"""

import argparse
import contextlib
import html
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import requests
from psycopg import sql

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/baqylau_smoke"
SMOKE_SECONDS = 900  # the whole smoke test, whatever hangs
START_SECONDS = 90  # for the server to answer /healthz
STOP_SECONDS = 60  # for `baqylau serve` to stop gunicorn and the workers
PLAN = "MNG-URGENT-2024"


def free_port() -> int:
    """A free port: in BAQYLAU_TEST_PORTS ("8100-8199") when set, else one the system chooses."""
    ports = os.environ.get("BAQYLAU_TEST_PORTS", "")
    first, _, last = ports.partition("-")
    candidates = range(int(first), int(last or first) + 1) if ports else [0]
    for port in candidates:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError(f"No free port in {ports}.")


@contextlib.contextmanager
def postgres_database(server_url: str, name: str):
    """A new, empty database on the PostgreSQL server of ``server_url``; dropped afterwards."""
    parts = urlsplit(server_url)
    maintenance = urlunsplit(parts._replace(path="/postgres"))

    def drop(conn):
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    with psycopg.connect(maintenance, autocommit=True) as conn:
        drop(conn)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            drop(conn)


class Site:
    """One deployment: its database, folders and environment, as an operator's shell would have them."""

    def __init__(self, database_url: str, folder: Path, **env: str):
        self.folder = Path(folder)
        self.media = self.folder / "media"
        self.log = self.folder / "serve.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("BAQYLAU_", "DJANGO_"))} | {
            "DJANGO_SETTINGS_MODULE": "baqylau.settings.production",
            "BAQYLAU_SECRET_KEY": secrets.token_urlsafe(50),
            "BAQYLAU_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "BAQYLAU_HOME": str(self.folder),
            "BAQYLAU_STATIC_ROOT": str(self.folder / "static"),
            "BAQYLAU_MEDIA_ROOT": str(self.media),
            "BAQYLAU_LOG_LEVEL": "INFO",
        }
        self.env.update(env)

    def run(self, *args: str, input: str | None = None, check: bool = True, timeout: float = 600):
        """``baqylau ARGS`` in a new process; a failure shows what it printed."""
        result = subprocess.run(
            [sys.executable, "-m", "baqylau.cli", *args],
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"baqylau {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
            )
        return result

    def dump(self, *labels: str) -> list[dict]:
        """The rows, as ``baqylau dumpdata`` writes them (every table when no label is given)."""
        return json.loads(self.run("dumpdata", *labels, "--indent", "0").stdout)

    def prepare(self, users: dict[str, tuple[str, ...]] | None = None, static_root: Path | None = None):
        """The operator's steps before the first start, users made with ``baqylau create-user``."""
        if static_root is not None:
            self.env["BAQYLAU_STATIC_ROOT"] = str(static_root)
        self.run("migrate", "--no-input")
        if static_root is None:
            self.run("collectstatic", "--no-input")
        self.run("load-demo")
        for username, role_args in (users or {}).items():
            self.run("create-user", username, *role_args, "--password-stdin", input=password(username) + "\n")

    @contextlib.contextmanager
    def serving(self, *serve_args: str, port: int | None = None):
        """``baqylau serve`` on a free port until the block ends; yields the base URL."""
        port = port or free_port()
        command = [sys.executable, "-m", "baqylau.cli", "serve", "--port", str(port), *serve_args]
        with self.log.open("ab") as log:
            process = subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_healthy(base, process, self.log)
            yield base
        finally:
            stop(process)

    def errors_in_log(self) -> list[str]:
        lines = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        return [line for line in lines if '"level": "ERROR"' in line or '"level": "CRITICAL"' in line]


def password(username: str) -> str:
    return f"{username}-Smoke-Pass-2024"


def wait_until_healthy(base: str, process: subprocess.Popen, log: Path) -> dict:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"baqylau serve exited {process.returncode}:\n{log.read_text()[-4000:]}")
        with contextlib.suppress(requests.RequestException):  # not listening yet, or still booting
            response = requests.get(f"{base}/healthz", headers={"X-Forwarded-Proto": "https"}, timeout=30)
            if response.status_code == 200:
                return response.json()
        time.sleep(0.3)
    raise AssertionError(f"baqylau serve did not answer in {START_SECONDS} s:\n{log.read_text()[-4000:]}")


def _children(pid: int) -> list[int]:
    found = []
    with contextlib.suppress(OSError):
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            found += [int(child), *_children(int(child))]
    return found


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, as systemd stops it; what is still running after STOP_SECONDS is killed."""
    if process.poll() is not None:
        return
    children = _children(process.pid)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    for pid in children:  # only if serve itself failed to stop them
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


class Browser(requests.Session):
    """A person's browser, as seen by the application behind its reverse proxy (X-Forwarded-Proto)."""

    def __init__(self, base: str, language: str = "en"):
        super().__init__()
        self.base = base
        self.headers.update({"X-Forwarded-Proto": "https", "Accept-Language": language})

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base + url
        if method.upper() == "POST":  # Django checks the Origin of an HTTPS form against the host
            kwargs.setdefault("headers", {})["Origin"] = "https://" + urlsplit(self.base).netloc
        # The client stands where the TLS-terminating proxy would: it sends the Secure cookies over HTTP
        # (a cookie jar would keep them for https:// addresses).
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        if cookies:
            kwargs.setdefault("headers", {})["Cookie"] = cookies
        kwargs.setdefault("timeout", 60)
        kwargs.setdefault("allow_redirects", False)
        return super().request(method, url, *args, **kwargs)

    def csrf_token(self, page: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, "the form has no CSRF token"
        return match.group(1)

    def login(self, username: str, secret: str | None = None) -> None:
        form = self.get("/accounts/login/")
        assert form.status_code == 200, f"login page: {form.status_code}"
        answer = self.post(
            "/accounts/login/",
            data={
                "username": username,
                "password": secret or password(username),
                "csrfmiddlewaretoken": self.csrf_token(form.text),
            },
        )
        assert answer.status_code == 302, f"login of {username}: {answer.status_code}\n{answer.text[:2000]}"

    def submit_form(self, path: str, data: dict, files: dict | None = None) -> requests.Response:
        """Open the form at ``path`` (for its CSRF token) and post it."""
        form = self.get(path)
        assert form.status_code == 200, f"{path}: {form.status_code}"
        return self.post(path, data={**data, "csrfmiddlewaretoken": self.csrf_token(form.text)}, files=files)

    def upload_workbook(self, content: bytes, name: str, **fields) -> int:
        """Upload a workbook at /plans/import/; the job's number."""
        answer = self.submit_form("/plans/import/", fields, files={"workbook": (name, content)})
        assert answer.status_code == 302, f"upload: {answer.status_code}\n{answer.text[:2000]}"
        return int(re.search(r"/plans/import/(\d+)/", answer.headers["Location"]).group(1))

    def wait_for_import(self, job: int, seconds: float = 180) -> str:
        """Poll the job's page as the page itself does (htmx) until it is finished; its status."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            part = self.get(f"/plans/import/{job}/", headers={"HX-Request": "true"})
            assert part.status_code == 200, f"import job {job}: {part.status_code}"
            status = re.search(r"<strong[^>]*>([^<]+)</strong>", part.text).group(1)
            if "hx-get" not in part.text:  # the partial stops polling once the job is finished
                return html.unescape(status)
            time.sleep(0.5)
        raise AssertionError(f"import job {job} not finished after {seconds} s")


class Checks:
    """Each check prints one line; the closing line counts them."""

    def __init__(self):
        self.passed, self.failed = 0, []

    def __call__(self, name: str, ok: bool, detail: str = "") -> bool:
        print(f"{'ok  ' if ok else 'FAIL'} {name}{'' if ok else ': ' + detail}", flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed.append(name)
        return ok

    def page(self, browser: Browser, path: str) -> requests.Response:
        response = browser.get(path)
        headers = response.headers
        missing = [h for h in ("Content-Security-Policy", "Strict-Transport-Security") if h not in headers]
        self(
            f"GET {path}",
            response.status_code == 200 and not missing,
            f"status {response.status_code}, missing headers {missing}",
        )
        return response


def navigation(page: str) -> list[str]:
    """The links of the main navigation of a page."""
    nav = re.search(r'<nav aria-label="[^"]*">(.*?)</nav>', page, re.S)
    return re.findall(r'href="([^"]+)"', nav.group(1)) if nav else []


def smoke(site: Site, check: Checks, port: int | None = None) -> None:
    user = "smoke-office"
    site.prepare(users={user: ("--role", "office", "--full-name", "Smoke Office")})
    with site.serving("--workers", "2", "--task-workers", "1", port=port) as base:
        health = requests.get(f"{base}/healthz", timeout=10).json()
        check("healthz: database and a live worker", health["workers"]["alive"] >= 1, json.dumps(health))
        browser = Browser(base)
        browser.login(user)
        check("log in as the office user (CSRF included)", True)
        dashboard = check.page(browser, "/")
        links = navigation(dashboard.text)
        check("the navigation has its links", len(links) >= 5, str(links))
        for link in links:
            if link != "/":
                check.page(browser, link)
        register = browser.get("/measures/").text
        measure = re.search(rf'href="(/measures/{PLAN}/[^"/]+/)"', register)
        if check("the register links to a measure page", measure is not None):
            check.page(browser, measure.group(1))
        check.page(browser, "/api/v1/")
        script = re.search(r'<script src="(/static/[^"]+\.js)"', dashboard.text)
        if check("the page names a static file", script is not None):
            static = browser.get(script.group(1), headers={"Accept-Encoding": "br, gzip"})
            cache = static.headers.get("Cache-Control", "")
            check(
                f"GET {script.group(1)} (far-future cache, compressed, HSTS)",
                static.status_code == 200
                and "immutable" in cache
                and static.headers.get("Content-Encoding") in ("br", "gzip")
                and "Strict-Transport-Security" in static.headers,
                f"status {static.status_code}, headers {dict(static.headers)}",
            )
        workbook = browser.get(f"/plans/{PLAN}/workbook.xlsx")
        check("download the plan workbook", workbook.status_code == 200, f"status {workbook.status_code}")
        job = browser.upload_workbook(workbook.content, f"{PLAN}.xlsx", plan=PLAN)
        status = browser.wait_for_import(job)
        # The plan's own export imported again: finished, and nothing changed.
        check(
            "the worker imported the uploaded workbook", status == "nothing changed", f"job {job} is {status}"
        )
        health = requests.get(f"{base}/healthz", timeout=10).json()
        check(
            "healthz: the queue is empty and the worker took the task",
            health["queue"]["waiting"] == 0 and health["queue"]["last_finished_seconds_ago"] is not None,
            json.dumps(health),
        )
    errors = site.errors_in_log()
    check("no error in the server's log", not errors, "\n".join(errors[:5]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("SMOKE_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="PostgreSQL; this database is created anew and dropped afterwards",
    )
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args(argv)

    def out_of_time(signum, frame):
        raise TimeoutError(f"the smoke test took more than {SMOKE_SECONDS} s")

    signal.signal(signal.SIGALRM, out_of_time)  # an exception, so that everything started is stopped
    signal.alarm(SMOKE_SECONDS)
    check = Checks()
    started = time.monotonic()
    name = urlsplit(args.database_url).path.lstrip("/")
    with tempfile.TemporaryDirectory(prefix="baqylau-smoke-") as folder:
        site = Site(args.database_url, Path(folder))
        try:
            with postgres_database(args.database_url, name) as url:
                site.env["DATABASE_URL"] = url
                smoke(site, check, port=args.port)
        except Exception as exc:  # a step that could not even be checked
            check("the smoke test ran to its end", False, f"{type(exc).__name__}: {exc}")
            if site.log.exists():
                print(site.log.read_text(errors="replace")[-6000:])
    signal.alarm(0)
    print(f"smoke: took {time.monotonic() - started:.0f} s")
    print(f"smoke: {check.passed} passed, {len(check.failed)} failed")
    return 1 if check.failed else 0


if __name__ == "__main__":
    sys.exit(main())
