"""`talent bench --console`: time every console page as each demo role sees it, on the data already stored (a
benchmark that prints figures, not a test). The app is served by uvicorn on a free localhost port and read over
HTTP with a signed-in cookie, as a browser would."""

import http.cookiejar
import json
import statistics
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from sqlalchemy import select

from api.app import create_app
from api.web.auth import PREFIX
from api.web.nav import NAV
from matcher.config import Settings
from matcher.demo.load import DEMO_KEYS
from matcher.demo.scale_server import free_port
from matcher.errors import Invalid
from matcher.people.accounts import Role
from matcher.platform import Platform
from matcher.store.models import Account, Job, Organization


@dataclass(frozen=True)
class PageTime:
    role: str
    path: str
    status: int
    first_ms: float  # the first load (caches cold)
    p50_ms: float  # later loads
    max_ms: float


def _extra_pages(settings: Settings, enterprise_account: int) -> dict[Role, list[str]]:
    """Pages behind the menus worth timing: searches, and one of the enterprise's jobs with its candidates."""
    platform = Platform(settings)
    try:
        with platform.session() as session:
            enterprise_id = session.scalar(
                select(Organization.enterprise_id)
                .join(Account, Account.organization_id == Organization.id)
                .where(Account.id == enterprise_account)
            )
            job = session.scalar(select(Job.id).where(Job.enterprise_id == enterprise_id).order_by(Job.id))
    finally:
        platform.close()
    search = urllib.parse.urlencode({"q": "嵌入式软件 RTOS", "location": "郑州"})
    return {
        Role.partner: [f"/partner?{search}", "/partner?" + urllib.parse.urlencode({"q": "battery management"})],
        Role.enterprise: [f"/enterprise/jobs/{job}"] if job else [],
        Role.admin: ["/office/certification?candidate=1"],
    }


def time_console(settings: Settings, repeat: int = 5) -> list[PageTime]:
    """Each role's menu pages (and a few behind them), loaded `repeat` times by that role's demo key."""
    keys_file = Path(settings.data_dir) / DEMO_KEYS
    if not keys_file.exists():
        raise Invalid(f"{keys_file} is missing: run `talent demo` (or `make run`) first")
    keys = json.loads(keys_file.read_text(encoding="utf-8"))
    extra = _extra_pages(settings, keys["enterprise"]["account_id"])
    server = serve_in_background(create_app(settings))
    base = f"http://127.0.0.1:{server.config.port}"
    times: list[PageTime] = []
    try:
        for role in Role:
            browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            login = urllib.parse.urlencode({"key": keys[role.value]["key"]}).encode()
            browser.open(f"{base}{PREFIX}/login", data=login, timeout=60).read()
            for path in [item[0] for item in NAV[role]] + extra.get(role, []):
                times.append(_time_page(browser, role.value, f"{base}{PREFIX}{path}", path, repeat))
    finally:
        server.should_exit = True
    return times


def serve_in_background(app: FastAPI, timeout: float = 120) -> uvicorn.Server:
    """`app` served by uvicorn on a free localhost port, in a daemon thread (stop it with `should_exit = True`);
    its address is http://127.0.0.1:{server.config.port}. Also what the browser tests serve the console with."""
    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning", proxy_headers=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise Invalid(f"the app did not start on 127.0.0.1:{config.port}")
        time.sleep(0.05)
    return server


def _time_page(browser: urllib.request.OpenerDirector, role: str, url: str, path: str, repeat: int) -> PageTime:
    durations, status = [], 0
    for _ in range(repeat + 1):
        start = time.perf_counter()
        with browser.open(url, timeout=60) as response:
            response.read()
            status = response.status
        durations.append((time.perf_counter() - start) * 1000)
    later = durations[1:]
    return PageTime(role, path, status, durations[0], statistics.median(later), max(later))
