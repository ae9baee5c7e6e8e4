"""Browser tests: a live server with the Mangystau demo, driven by Debian's Chromium through Playwright.

Mechanics worth knowing:

* ``live_server`` runs each test in ``transactional_db``, which FLUSHES the database afterwards. The
  ``site`` fixture therefore (re)loads the demo plan and the demo accounts before every browser test, and
  after the last browser test of a run of them the demo plan is put back (``pytest_runtest_teardown``),
  so a test from elsewhere that relies on the session-loaded demo (``tests/conftest.py``) still finds it.
* Playwright's sync API keeps an asyncio loop running in the test thread for as long as it is started,
  and Django refuses queries from a thread with a running loop. So Playwright is started for the first
  browser test and stopped after the last one of a run of them, and ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set
  only in between (it would also fail ``check --deploy`` in a subprocess of a later test).
* Nothing leaves the machine: any request to another host (the map's tiles) is aborted, as on a network
  without internet; the pages must still work.
* Every page a test visits is saved to ``test-artifacts/screenshots/`` at 1300 px and at 375 px wide.
"""

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Download,
    Page,
    Playwright,
    Response,
    expect,
    sync_playwright,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
DOWNLOADS = ARTIFACTS / "downloads"
WIDE, NARROW = 1300, 375
HEIGHT = 900
OUTSIDE = re.compile(r"^https?://(?!(localhost|127\.0\.0\.1)[:/])")
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

_RELOAD_DEMO = pytest.StashKey[object]()
_SHOTS: Counter[str] = Counter()  # screenshots taken per test module, to number them in order


class _Chromium:
    """Playwright with one headless Chromium (Debian's: Playwright's own download is never used)."""

    def __init__(self) -> None:
        self.playwright: Playwright | None = None
        self.browser: Browser | None = None
        self.changed_env, self.env_before = False, None
        self.first = True

    @property
    def running(self) -> bool:
        return self.playwright is not None

    def allow_queries(self) -> None:
        if not self.changed_env:
            self.changed_env, self.env_before = True, os.environ.get(ASYNC_UNSAFE)
            os.environ[ASYNC_UNSAFE] = "true"

    def forbid_queries_again(self) -> None:
        if self.changed_env:
            if self.env_before is None:
                os.environ.pop(ASYNC_UNSAFE, None)
            else:
                os.environ[ASYNC_UNSAFE] = self.env_before
            self.changed_env, self.env_before = False, None

    def start(self) -> Browser:
        if self.browser is None:
            if not Path(CHROMIUM).exists():
                pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium.")
            if self.first:  # the folder shows the last run only
                for old in SCREENSHOTS.glob("*.png"):
                    old.unlink()
                self.first = False
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
        return self.browser

    def stop(self) -> None:
        if self.browser is not None:
            self.browser.close()
        if self.playwright is not None:
            self.playwright.stop()
        self.playwright = self.browser = None


_CHROMIUM = _Chromium()


def _is_browser_test(item) -> bool:
    return item is not None and item.get_closest_marker("browser") is not None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    if _is_browser_test(item):
        _CHROMIUM.allow_queries()  # before any fixture: Playwright may still run from the previous test
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the last browser test in a row: stop the browser, put the demo plan back, forbid again."""
    try:
        return (yield)  # the fixtures' teardown, the flush of the database among them
    finally:
        if _is_browser_test(item) and not _is_browser_test(nextitem):
            _CHROMIUM.stop()
            blocker = item.stash.get(_RELOAD_DEMO, None)
            if blocker is not None and nextitem is not None:  # with no next test, no database either
                from baqylau.demo.loader import load_mangystau

                with blocker.unblock():
                    load_mangystau()
            _CHROMIUM.forbid_queries_again()


def pytest_sessionfinish(session):
    if _CHROMIUM.running:  # e.g. the run was interrupted inside a browser test
        _CHROMIUM.stop()
        _CHROMIUM.forbid_queries_again()


@pytest.fixture(autouse=True)
def _reload_demo_afterwards(django_db_blocker, request):
    """Before anything can fail: remember how to reach the database once the test is over."""
    request.node.stash[_RELOAD_DEMO] = django_db_blocker


@pytest.fixture
def chromium() -> Browser:
    return _CHROMIUM.start()


@pytest.fixture
def site(live_server):
    """The live server's address, with the demo plan and the demo accounts loaded (again)."""
    from baqylau.demo.accounts import create_demo_accounts
    from baqylau.demo.loader import load_mangystau

    load_mangystau()
    create_demo_accounts()
    return live_server.url


@dataclass
class Visit:
    """A browser tab on the live server, with what went wrong in it and a way to keep pictures of it."""

    base: str
    page: Page
    name: str
    console_errors: list[ConsoleMessage] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # requests to other hosts, refused

    @property
    def host(self) -> str:
        return urlsplit(self.base).netloc

    def url(self, path: str) -> str:
        return self.base + path

    def goto(self, path: str) -> Response | None:
        return self.page.goto(self.url(path))

    def login(self, username: str) -> None:
        from baqylau.demo.accounts import demo_password

        self.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", demo_password())
        self.page.locator("main form button[type=submit]").click()
        expect(self.page).not_to_have_url(re.compile(r"/accounts/login/"))
        # The page's scripts bind the header's controls (the language switch) once loaded: a test that
        # uses them at once would race them.
        self.page.wait_for_load_state("load")

    def logout(self) -> None:
        self.page.locator("header.site .tools form button[type=submit]").click()
        expect(self.page).to_have_url(re.compile(r"/accounts/login/"))

    def shot(self, label: str, both_widths: bool = True, full_page: bool = True) -> list[Path]:
        """Save the page as it is now, at this width and (by default) at the other one too."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        size = self.page.viewport_size or {"width": WIDE, "height": HEIGHT}
        widths = [size["width"]]
        if both_widths:
            widths.append(NARROW if size["width"] != NARROW else WIDE)
        paths = []
        _SHOTS[self.name] += 1
        for width in widths:
            if width != self.page.viewport_size["width"]:
                self.page.set_viewport_size({"width": width, "height": size["height"]})
                self.page.wait_for_timeout(150)  # charts and the map redraw on resize
            path = SCREENSHOTS / f"{self.name}-{_SHOTS[self.name]:02d}-{label}-{width}px.png"
            self.page.screenshot(path=str(path), full_page=full_page)
            paths.append(path)
        if self.page.viewport_size != size:
            self.page.set_viewport_size(size)
        return sorted(paths)

    def keep(self, download: Download) -> Path:
        """Save a download under ``test-artifacts/downloads/`` and return where."""
        DOWNLOADS.mkdir(parents=True, exist_ok=True)
        path = DOWNLOADS / download.suggested_filename
        download.save_as(path)
        return path

    def own_console_errors(self) -> list[str]:
        """Console errors except those about resources from other hosts (the map's tiles)."""
        return [
            f"{m.text} ({m.location.get('url', '')})"
            for m in self.console_errors
            if urlsplit(m.location.get("url", "")).netloc in ("", self.host)
        ]


def _open(chromium, site: str, request, width: int) -> Visit:
    context = chromium.new_context(
        viewport={"width": width, "height": HEIGHT}, locale="en-US", accept_downloads=True
    )
    request.addfinalizer(context.close)
    context.set_default_timeout(10_000)
    page = context.new_page()
    module = request.node.module.__name__.rpartition(".")[2]
    visit = Visit(base=site, page=page, name=module.removeprefix("test_"))

    def refuse(route) -> None:
        visit.refused.append(route.request.url)
        route.abort("internetdisconnected")

    # No internet, here or on any machine that runs the tests: whatever is not the product is refused.
    context.route(OUTSIDE, refuse)
    page.on("console", lambda m: visit.console_errors.append(m) if m.type == "error" else None)
    page.on("pageerror", lambda error: visit.page_errors.append(str(error)))

    def record(response: Response) -> None:
        if urlsplit(response.url).netloc == visit.host and response.status >= 400:
            visit.bad_responses.append(f"{response.status} {response.url}")

    page.on("response", record)
    return visit


@pytest.fixture
def artifacts() -> Path:
    """``test-artifacts/`` (git-ignored), for what a person should look at after the run."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def visit(chromium, site, request) -> Visit:
    """A fresh browser tab (own cookies) 1300 px wide."""
    return _open(chromium, site, request, WIDE)


@pytest.fixture
def phone(chromium, site, request) -> Visit:
    """A fresh browser tab (own cookies) 375 px wide."""
    return _open(chromium, site, request, NARROW)


OPEN_BIGGEST_CLUSTER = """() => {
    const clusters = [...document.querySelectorAll("div[data-map=facilities] .marker-cluster")];
    if (!clusters.length) return 0;
    clusters.sort((a, b) => Number(b.textContent) - Number(a.textContent));
    clusters[0].dispatchEvent(new MouseEvent("click", {bubbles: true}));
    return clusters.length;
}"""


def open_clusters(page: Page, tries: int = 12) -> None:
    """Click the map's biggest cluster (a click zooms in) until each facility is drawn on its own."""
    for _ in range(tries):
        if not page.evaluate(OPEN_BIGGEST_CLUSTER):
            return
        page.wait_for_timeout(500)  # the zoom animates
