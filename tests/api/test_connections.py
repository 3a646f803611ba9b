"""One pooled connection per request: unmasked views are audited in the request's own unit of work (on SQLite, for a
read, right after it, in a short writer of its own: never two connections at once), so many audited searches at a
time neither stall nor fail; a request that cannot get a connection in time, or finds SQLite's write lock held too
long, answers a JSON 503 with Retry-After (a page, on the console), never a stall or a plain-text 500; and /health
stays fast while the pool is saturated."""

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from api.web.auth import PREFIX
from api.web.i18n import LANG_COOKIE
from cli.page_timing import serve_in_background
from matcher.platform import Platform
from matcher.store.db import WRITER
from matcher.store.models import AuditEvent, Candidate, Consent, Organization
from tests.api.conftest import PARTNER_A, Keys, bearer

CONCURRENT = 24
SEARCH = "/search/candidates?q=engineer&limit=10"
VIEW = "personal_data.view"


def consent_to_partner_a(platform: Platform) -> None:
    """Every sample candidate lets partner firm A see them unmasked (so each of its searches audits every result)."""
    with platform.session() as session:
        firm = session.scalars(select(Organization).where(Organization.name == PARTNER_A)).one()
        ids = list(session.scalars(select(Candidate.id)))
        session.add_all(Consent(candidate_id=i, organization_id=firm.id, purpose="contact") for i in ids)


def views(platform: Platform) -> int:
    """How many views the audit log holds."""
    with platform.session() as session:
        statement = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == VIEW)
        return int(session.execute(statement).scalar_one())


def get(url: str, key: str | None = None, timeout: float = 60) -> tuple[int, dict[str, Any], dict[str, str], float]:
    """GET `url`: status, JSON body, headers and seconds taken (errors answered too, not raised)."""
    request = urllib.request.Request(url, headers=bearer(key) if key else {})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, body, headers = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        status, body, headers = error.code, error.read(), dict(error.headers)
    except TimeoutError:
        return 0, {}, {}, time.perf_counter() - start
    answer = json.loads(body) if body.startswith(b"{") else {"text": body.decode()}  # a bare 500 is text
    return status, answer, headers, time.perf_counter() - start


@pytest.fixture
def live_server(loaded: Platform) -> Iterator[str]:
    """The app on its own platform (the settings' pool), served by uvicorn on a free localhost port."""
    server = serve_in_background(create_app(loaded.settings), timeout=60)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True


@pytest.mark.serial  # timed: alone, not beside another worker's tests
def test_concurrent_audited_searches_all_answer_and_are_all_audited(
    live_server: str, loaded: Platform, keys: Keys
) -> None:
    consent_to_partner_a(loaded)
    status, body, _, _ = get(f"{live_server}{SEARCH}", keys.partner)  # warm: the engine is loaded, the pool opened
    assert status == 200 and body["items"] and not any(item["masked"] for item in body["items"])
    before = views(loaded)

    start = threading.Barrier(CONCURRENT + 1)
    done = threading.Event()
    health: list[tuple[int, float]] = []

    def search(_n: int) -> tuple[int, dict[str, Any], float]:
        start.wait()
        status, body, _headers, took = get(f"{live_server}{SEARCH}", keys.partner)
        return status, body, took

    def probe() -> None:
        start.wait()
        while not done.is_set():
            status, _, _, took = get(f"{live_server}/health", timeout=60)
            health.append((status, took))
            time.sleep(0.05)

    prober = threading.Thread(target=probe)
    prober.start()
    began = time.perf_counter()
    with ThreadPoolExecutor(CONCURRENT) as pool:
        answers = list(pool.map(search, range(CONCURRENT)))
    elapsed = time.perf_counter() - began
    done.set()
    prober.join()

    slowest = max(took for _, _, took in answers)
    print(
        f"\n{CONCURRENT} audited searches: all answered in {elapsed:.2f} s (slowest {slowest:.2f} s), statuses "
        f"{sorted(status for status, _, _ in answers)}; /health {len(health)} probes, slowest "
        f"{max(t for _, t in health):.2f} s, statuses {sorted({s for s, _ in health})}"
    )
    assert [status for status, _, _ in answers] == [200] * CONCURRENT, [body for _, body, _ in answers]
    shown = sum(1 for _, body, _ in answers for item in body["items"] if not item["masked"])
    assert shown >= CONCURRENT  # every search showed someone unmasked...
    assert views(loaded) - before == shown  # ...and every view is in the audit log, once
    assert elapsed < 15
    assert health and all(status == 200 for status, _ in health)
    assert max(took for _, took in health) < 2


def tiny_pool(platform: Platform, **settings: Any) -> Platform:
    """Another platform on `platform`'s (committed) database and model, with other database settings."""
    other = Platform(platform.settings.model_copy(update=settings))
    other.__dict__["encoder"] = platform.encoder
    return other


@pytest.mark.committed  # the pool is the engine's: the test's own unit of work would not use it
def test_a_request_that_gets_no_connection_in_time_is_answered_503_at_once(loaded: Platform, keys: Keys) -> None:
    consent_to_partner_a(loaded)
    # A server as `talent serve` runs it (its own platform, following the change feed), with one connection.
    tiny = {"db_pool_size": 1, "db_max_overflow": 0, "db_pool_timeout": 0.2, "feed_poll_interval": 60}
    with TestClient(create_app(loaded.settings.model_copy(update=tiny))) as client:
        assert client.post(f"{PREFIX}/login", data={"key": keys.partner}).status_code == 200  # a console session
        held = client.app.state.platform.engine.connect()  # type: ignore[attr-defined]  # another request's
        try:
            began = time.perf_counter()
            response = client.get(SEARCH, headers=bearer(keys.partner))
            assert time.perf_counter() - began < 2
            assert response.status_code == 503 and response.headers["retry-after"] == "1"
            assert response.json() == {
                "error": {"code": "database_busy", "message": "the database is busy; try again in a moment"}
            }

            page = client.get(f"{PREFIX}/partner", params={"q": "engineer"})  # the console: a page, in Chinese...
            assert page.status_code == 503 and page.headers["retry-after"] == "1"
            assert "text/html" in page.headers["content-type"] and "系统繁忙" in page.text
            client.cookies.set(LANG_COOKIE, "en")
            page = client.get(f"{PREFIX}/partner", params={"q": "engineer"})  # ...or in English
            assert page.status_code == 503 and "The database is busy; try again in a moment." in page.text

            began = time.perf_counter()
            health = client.get("/health")  # a probe does not queue behind the pool
            assert time.perf_counter() - began < 1 and health.status_code == 200
            assert health.json()["status"] == "degraded" and "database is busy" in health.json()["detail"]
        finally:
            held.close()
        found = client.get(SEARCH, headers=bearer(keys.partner))  # served again once a connection is free
        assert found.status_code == 200 and found.json()["items"]
        assert client.get("/health").json()["status"] == "ok"


@pytest.mark.committed
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_write_lock_held_too_long_is_answered_503_and_shows_nothing_unaudited(loaded: Platform, keys: Keys) -> None:
    consent_to_partner_a(loaded)
    before = views(loaded)
    quick = tiny_pool(loaded, db_lock_timeout=0.2)
    with TestClient(create_app(platform=quick)) as client:
        holder = quick.engine.execution_options(**{WRITER: True}).connect()
        holder.begin()  # BEGIN IMMEDIATE: another writer (an import, say) holds SQLite's write lock
        try:
            saved = client.post("/saved-searches", headers=bearer(keys.partner), json={"name": "x", "q": "engineer"})
            assert saved.status_code == 503 and saved.json()["error"]["code"] == "database_busy"
            found = client.get(SEARCH, headers=bearer(keys.partner))  # it reads, but cannot write its audit...
            assert found.status_code == 503 and found.headers["retry-after"] == "1"  # ...so it shows nothing
        finally:
            holder.close()
        assert views(loaded) == before
        found = client.get(SEARCH, headers=bearer(keys.partner))
        assert found.status_code == 200
        shown = sum(not item["masked"] for item in found.json()["items"])
        assert shown and views(loaded) == before + shown
    quick.close()


def test_views_shown_by_a_get_are_audited(loaded: Platform, keys: Keys) -> None:
    consent_to_partner_a(loaded)
    with loaded.session() as session:
        candidate_id = session.scalars(select(Candidate.id).where(Candidate.external_id == "c-gnss")).one()
    with TestClient(create_app(platform=loaded), headers=bearer(keys.partner)) as client:
        shown = client.get(f"/candidates/{candidate_id}")
        assert shown.status_code == 200 and shown.json()["masked"] is False
        found = client.get(SEARCH).json()["items"]
    with loaded.session() as session:
        entries = session.scalars(select(AuditEvent).where(AuditEvent.action == VIEW)).all()
        where = [(e.subject, e.detail["where"]) for e in entries]
    assert (f"candidate:{candidate_id}", "GET /candidates/{id}") in where
    assert sorted(s for s, w in where if w == "GET /search/candidates") == sorted(
        f"candidate:{item['id']}" for item in found if not item["masked"]
    )
