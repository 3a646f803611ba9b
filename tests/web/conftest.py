"""The console against a live server on localhost, driven by Debian's Chromium through Playwright; and a plain HTTP
client for what needs no browser. Console tests run on SQLite: the pages add no queries of their own that the
API's tests do not already run on PostgreSQL."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.web.auth import PREFIX
from cli.page_timing import serve_in_background
from matcher.platform import Platform
from tests.api.conftest import Keys, make_keys

CHROMIUM = os.environ.get("TALENT_TEST_CHROMIUM", "/usr/bin/chromium")
# As root in a closed network: no sandbox, and no background calls to Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parent.parent.parent
OUTPUT = Path(os.environ.get("TALENT_TEST_OUTPUT", ROOT / "test-output"))
SCREENSHOTS = OUTPUT / "screenshots"
PAGE_TIMES: list[tuple[str, float]] = []

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def keys(loaded: Platform) -> Keys:
    return make_keys(loaded)


@pytest.fixture
def console(loaded: Platform) -> Iterator[TestClient]:
    """An HTTP client of the console (no browser), not signed in."""
    with TestClient(create_app(platform=loaded), follow_redirects=False) as client:
        yield client


def sign_in_client(client: TestClient, key: str) -> None:
    response = client.post(f"{PREFIX}/login", data={"key": key})
    assert response.status_code == 303, response.text


def form_token(client: TestClient, path: str) -> str:
    """The form token a console page carries (what a browser would post back)."""
    html = client.get(path).text
    marker = 'name="csrf" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


@pytest.fixture
def live_server(loaded: Platform) -> Iterator[str]:
    """The whole app served by uvicorn on a free localhost port, for the browser."""
    server = serve_in_background(create_app(loaded.settings), timeout=60)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Headless Chromium from Debian (`make test` installs it), launched once for the run."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: `make browser` installs Debian's chromium for the console's browser tests"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh browser profile (no cookies) on a laptop-sized window."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A fresh browser profile on a phone-sized screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def shot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot under the test output (test-output/screenshots by default)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def visit(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """Open `url` and note how long the page took to load (written to test-output/page-times.tsv: figures for
    people, not a timed assertion)."""
    page.goto(url)
    duration = page.evaluate("() => performance.getEntriesByType('navigation')[0].duration")
    PAGE_TIMES.append((url.split("://", 1)[-1].split("/", 1)[-1], float(duration)))


def sign_in(page, base: str, key: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the form, as a person would."""
    visit(page, f"{base}{PREFIX}/login")
    page.fill("input[name=key]", key)
    with page.expect_navigation():
        page.click("form[action$='/login'] button[type=submit]")


def within_screen(page) -> bool:  # type: ignore[no-untyped-def]
    """Nothing on the page is wider than the screen: the document's scroll width against the layout viewport's width.
    Not `window.innerWidth`, which a phone (`is_mobile`) widens to the overflowing content by zooming out."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


def listed_ids(page, rows: str) -> list[int]:  # type: ignore[no-untyped-def]
    """The ids of the rows `rows` selects (candidate-12 -> 12), top to bottom."""
    ids = page.locator(rows).evaluate_all("rows => rows.map(row => row.id)")
    return [int(i.rsplit("-", 1)[-1]) for i in ids]


def sort_by(page, order: str) -> None:  # type: ignore[no-untyped-def]
    """Follow a list's sort link (data-sort = the order's name)."""
    with page.expect_navigation():
        page.click(f"[data-test=sort] a[data-sort={order}]")


def current_sort(page) -> str:  # type: ignore[no-untyped-def]
    """The order a list is in, as its sort links name it."""
    return str(page.locator("[data-test=sort] strong[aria-current=true]").inner_text())


def assert_not_shown(page, *secrets: str) -> None:  # type: ignore[no-untyped-def]
    """None of these strings (names, e-mails) is anywhere in the page's HTML, visible or not."""
    html = page.content()
    for secret in secrets:
        assert secret and secret not in html, f"{secret!r} is shown on {page.url}"


@pytest.fixture(scope="session", autouse=True)
def _write_page_times() -> Iterator[None]:
    yield
    if PAGE_TIMES:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        worker = os.environ.get("PYTEST_XDIST_WORKER")  # under pytest-xdist, one file per worker
        lines = [f"{ms:.0f}\t{path}" for path, ms in PAGE_TIMES]
        name = f"page-times-{worker}.tsv" if worker else "page-times.tsv"
        (OUTPUT / name).write_text("ms\tpage\n" + "\n".join(lines) + "\n", encoding="utf-8")
