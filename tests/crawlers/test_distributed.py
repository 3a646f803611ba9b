"""Distributed mode: two crawler processes sharing one Redis queue fetch every page exactly once.

Runs two real `scrapy crawl jobs` processes against a local site of linked JobPosting pages, both started with
the same start URL and TALENT_CRAWL_REDIS_URL, storing into one database (SQLite, and PostgreSQL when
TALENT_TEST_POSTGRES_URL is set). Needs Redis on 127.0.0.1:6379 (skipped, saying so, when it is not running).
"""

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import select

from matcher.config import Settings
from matcher.store.db import make_engine
from matcher.store.models import Job

ROOT = Path(__file__).resolve().parents[2]
SCRAPY = Path(sys.executable).parent / "scrapy"
REDIS_URL = os.environ.get("TALENT_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")  # a db of its own
PAGES = 40
PAGE_DELAY = 0.25  # seconds per page, so that both processes have work while the other is fetching


def listing() -> bytes:
    """The start page, /jobs/: a list linking to every posting (as careers sites have)."""
    anchors = "".join(f'<li><a href="/jobs/{n}.html">job {n}</a></li>' for n in range(PAGES))
    return f"<html><body><h1>Open positions</h1><ul>{anchors}</ul></body></html>".encode()


def page(number: int) -> bytes:
    """Job page `number`: one JobPosting, links to the list and to a few other postings (so most are linked
    from several pages, and a link back to the start page tests that it is not fetched again)."""
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": f"job-{number}",
        "title": f"Distributed Systems Engineer {number}",
        "description": f"Build crawler number {number}.",
        "hiringOrganization": {"@type": "Organization", "name": "Example Robotics"},
        "jobLocation": {"@type": "Place", "address": {"addressLocality": "Shenzhen", "addressCountry": "CN"}},
        "datePosted": "2024-05-01",
    }
    links = sorted({(number + 1) % PAGES, (number * 7 + 3) % PAGES, (number * 3 + 1) % PAGES})
    anchors = '<a href="/jobs/">all jobs</a> ' + "".join(f'<a href="/jobs/{n}.html">job {n}</a> ' for n in links)
    return (
        f'<html><head><script type="application/ld+json">{json.dumps(posting)}</script></head>'
        f'<body><h1>Job {number}</h1>{anchors}<a href="https://elsewhere.invalid/">off-site</a></body></html>'
    ).encode()


class Site(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, str]] = []  # (User-Agent, path), every request in arrival order
        self.lock = threading.Lock()
        # The listing (the crawl's one seed) waits, up to a minute, until this says both processes have joined the
        # crawl: one that starts a few seconds sooner would otherwise crawl every page before the other begins.
        self.ready: Callable[[], bool] = lambda: True

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Site

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.requests.append((self.headers.get("User-Agent", ""), self.path))
        deadline = time.monotonic() + 60
        while self.path == "/jobs/" and not self.server.ready() and time.monotonic() < deadline:
            time.sleep(0.05)
        match = re.fullmatch(r"/jobs/(\d+)\.html", self.path)
        if self.path == "/robots.txt":
            body, kind = b"User-agent: *\nAllow: /\n", "text/plain"
        elif self.path == "/jobs/":
            time.sleep(PAGE_DELAY)
            body, kind = listing(), "text/html; charset=utf-8"
        elif match and int(match[1]) < PAGES:
            time.sleep(PAGE_DELAY)
            body, kind = page(int(match[1])), "text/html; charset=utf-8"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def shared_redis() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}: the distributed-crawl test is skipped")
    before = set(client.scan_iter("talent:jobs:*"))
    yield client
    leftovers = set(client.scan_iter("talent:jobs:*")) - before
    if leftovers:
        client.delete(*leftovers)
    client.close()


def stat(log: str, key: str) -> int:
    """One value from the stats Scrapy dumps when the spider closes (0 when absent)."""
    found = re.search(rf"'{re.escape(key)}': (\d+)", log)
    return int(found[1]) if found else 0


@pytest.mark.serial  # two crawler processes share the work only if both get the machine: not beside other tests
def test_two_processes_sharing_redis_fetch_each_page_once(
    site: Site, shared_redis: redis.Redis, settings: Settings
) -> None:
    agents = ("TalentBridgeTest/worker-a", "TalentBridgeTest/worker-b")
    base_env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "TALENT_DATA_DIR": str(settings.data_dir),
        "TALENT_DATABASE_URL": settings.resolved_database_url,
        "TALENT_ENCODER": settings.encoder,
        "TALENT_CRAWL_REDIS_URL": REDIS_URL,
        "TALENT_CRAWL_DOWNLOAD_DELAY": "0",
    }
    keys_before = set(shared_redis.scan_iter("talent:jobs:*"))
    workers_keys = "talent:jobs:*:workers"  # crawlers.distributed counts the processes in a crawl there
    site.ready = lambda: any(int(shared_redis.get(key) or 0) >= 2 for key in shared_redis.scan_iter(workers_keys))
    command = [str(SCRAPY), "crawl", "jobs", "-a", f"urls={site.base}/jobs/"]
    command += ["-s", "TALENT_REDIS_IDLE_BEFORE_CLOSE=3", "-s", "LOG_LEVEL=INFO"]
    # Two requests at a time per process: with the default 16, the first process to start takes every request
    # queued before the other's engine (which looks at an empty queue every 5 s) asks for one.
    command += ["-s", "CONCURRENT_REQUESTS=2"]
    started = time.monotonic()
    workers = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            env={**base_env, "TALENT_CRAWL_USER_AGENT": agent},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for agent in agents
    ]
    logs = []
    try:
        for worker in workers:
            logs.append(worker.communicate(timeout=180)[0])
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    elapsed = time.monotonic() - started
    for worker, log in zip(workers, logs, strict=True):
        assert worker.returncode == 0, log[-4000:]
        assert "'finish_reason': 'finished'" in log, log[-4000:]

    pages = [(agent, path) for agent, path in site.requests if path != "/robots.txt"]
    per_path = Counter(path for _, path in pages)
    assert set(per_path) == {"/jobs/"} | {f"/jobs/{n}.html" for n in range(PAGES)}
    assert {path: count for path, count in per_path.items() if count > 1} == {}
    per_worker = Counter(agent for agent, _ in pages)
    assert set(per_worker) == set(agents), f"one process did all the work: {per_worker} in {elapsed:.1f}s"
    # Each process asks for robots.txt itself (robots.txt is not scheduled): that is the only repeat.
    assert Counter(agent for agent, path in site.requests if path == "/robots.txt") == dict.fromkeys(agents, 1)

    fetched = [stat(log, "response_received_count") - 1 for log in logs]  # less robots.txt
    assert fetched == [per_worker[agent] for agent in agents]
    # The last process to finish deleted the crawl's queue, seen-set and worker count: a re-run starts afresh.
    left = set(shared_redis.scan_iter("talent:jobs:*")) - keys_before
    assert left == set(), [re.findall(r".*Distributed crawl.*|.*Spider (?:opened|closed).*", log) for log in logs]

    # Every posting stored exactly once, by one process or the other.
    errors = [log[log.find("ERROR") - 30 : log.find("ERROR") + 3000] for log in logs if "ERROR" in log]
    assert errors == []
    inserted = [stat(log, "talent/stored/inserted") for log in logs]
    assert sum(inserted) == PAGES, inserted
    assert not any(stat(log, "talent/dropped/duplicate") for log in logs)
    engine = make_engine(settings.resolved_database_url)
    try:
        with engine.connect() as connection:
            source = site.base.removeprefix("http://")
            ids = connection.execute(select(Job.external_id).where(Job.source == source)).scalars().all()
    finally:
        engine.dispose()
    assert sorted(ids) == sorted(f"job-{n}" for n in range(PAGES))
