"""End to end: `talent crawl profiles` over ORCID v3.0 records and academic homepages served on a local HTTP server.

Acceptance: "`talent crawl profiles` on ORCID v3.0 records stores name, education (institution, degree, field,
end year), employment and keywords; stored profiles are found by `talent search candidates`."

The crawl runs in a subprocess (Twisted's reactor cannot restart in one process), against the `settings`
fixture's database (SQLite, and PostgreSQL when TALENT_TEST_POSTGRES_URL is set).
"""

import io
import json
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select

from matcher.config import Settings
from matcher.ingest.export import export_jsonl
from matcher.platform import Platform
from matcher.store.models import Candidate, Enterprise, Job
from tests.crawlers.conftest import LocalSite, Route
from tests.processes import run_talent

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "orcid"
ORCID_XML = "record-0000-0003-1415-9269.xml"
ORCID_JSON = "record-0000-0002-7182-8185.json"


CONTENT_TYPES = {
    ".xml": "application/vnd.orcid+xml; qs=5;charset=UTF-8",  # as pub.orcid.org sends them
    ".json": "application/json;charset=UTF-8",
    ".html": "text/html; charset=utf-8",
}


@pytest.fixture
def profile_site(http_server: Callable[[dict[str, Route]], LocalSite]) -> LocalSite:
    """tests/samples/orcid served by tests/crawlers/conftest.py's local server, with the content types above."""
    routes = {
        "/" + path.relative_to(SAMPLES).as_posix(): (
            200,
            {"Content-Type": CONTENT_TYPES[path.suffix]},
            path.read_bytes(),
        )
        for path in SAMPLES.rglob("*")
        if path.suffix in CONTENT_TYPES and not path.name.endswith(".expected.json")
    }
    return http_server(routes)


@pytest.fixture
def clean_store(settings: Settings) -> Iterator[Platform]:
    """The `settings` database with no candidates, jobs or enterprises (catalogue kept); no model loaded here."""
    platform = Platform(settings)
    platform.init()
    with platform.session() as session:
        for model in (Candidate, Job, Enterprise):
            session.execute(delete(model))
    yield platform
    platform.close()


def talent(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return run_talent(settings, *args)


def stored_candidates(platform: Platform) -> dict[str, dict[str, Any]]:
    buffer = io.StringIO()
    with platform.session() as session:
        export_jsonl(session, "candidates", buffer)
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    return {r["external_id"]: r for r in records}


def test_crawl_profiles_stores_orcid_records_and_homepages_and_search_finds_them(
    profile_site: LocalSite, clean_store: Platform, settings: Settings
) -> None:
    started = time.monotonic()
    base = profile_site.url + "/"
    urls = [base + ORCID_XML, base + ORCID_JSON, base + "people/en-homepage.html"]
    crawl = talent(settings, "crawl", "profiles", *urls)
    assert crawl.returncode == 0, crawl.stdout + crawl.stderr
    report = crawl.stdout
    # 3 start URLs + the 2 homepages linked from the first (robots.txt is a 404 and is not a page of ours)
    assert "items: 4 stored" in report, report
    assert "noindex 1" in report, report  # the noindex homepage was read, dropped and counted
    assert "spider exceptions" not in report and "malformed" not in report, report

    stored = stored_candidates(clean_store)
    assert set(stored) == {
        "0000-0003-1415-9269",
        "0000-0002-7182-8185",
        "https://people.example.ac.uk/~arahman/#me",
        base + "people/zh-homepage.html",
    }
    requested = set(profile_site.requested)
    assert "/people/noindex-homepage.html" in requested  # fetched (noindex is not nofollow) ...
    assert "/people/cv.pdf" not in requested  # ... documents are not
    assert "/robots.txt" in requested

    wen = stored["0000-0003-1415-9269"]  # ORCID XML
    assert wen["source"] == "orcid"
    assert wen["url"] == "https://orcid.org/0000-0003-1415-9269"
    assert wen["name"] == "Wen Li"
    assert {
        "school": "University of Edinburgh",
        "degree": "MSc",
        "major": "Cyber Security",
        "end_year": 2016,
    }.items() <= (wen["education"][0].items())
    assert wen["education"][1]["school"] == "Zhengzhou University"
    assert wen["education"][1]["end_year"] == 2014
    assert wen["experience"][0] == {
        "title": "Senior Security Engineer",
        "organization": "Northbridge Energy Ltd",
        "description": "Industrial Security",
        "start": "2019-03",
        "end": "",
    }
    assert "Not For Publication Ltd" not in json.dumps(wen)  # a private entry is never stored
    assert "intrusion detection" in wen["skills"]

    min_zhang = stored["0000-0002-7182-8185"]  # ORCID JSON
    assert min_zhang["name"] == "Min Zhang"
    assert min_zhang["education"][0] == {
        "school": "Imperial College London",
        "degree": "PhD",
        "major": "Department of Materials",
        "country": "GB",
        "end_year": 2018,
    }
    assert min_zhang["experience"][0]["organization"] == "中原储能科技有限公司"
    assert min_zhang["skills"] == ["锂离子电池", "储能", "electrochemistry"]

    assert "Tom Okafor" not in {r.get("name") for r in stored.values()}  # the noindex page

    for query, wanted in (
        ("intrusion detection for industrial control systems", "0000-0003-1415-9269"),
        ("锂离子电池 储能", "0000-0002-7182-8185"),
    ):
        search = talent(settings, "search", "candidates", query, "--json")
        assert search.returncode == 0, search.stderr
        results = json.loads(search.stdout)
        assert results and results[0]["source"] == "orcid" and results[0]["external_id"] == wanted, results
    print(f"crawl + 2 searches: {time.monotonic() - started:.1f}s")


def test_crawl_profiles_twice_changes_nothing(
    profile_site: LocalSite, clean_store: Platform, settings: Settings
) -> None:
    """A second crawl of the same records stores them as unchanged (upsert on source + external_id)."""
    url = profile_site.url + "/" + ORCID_XML
    first = talent(settings, "crawl", "profiles", url)
    assert first.returncode == 0 and "items: 1 stored" in first.stdout, first.stdout + first.stderr
    second = talent(settings, "crawl", "profiles", url)
    assert second.returncode == 0 and "1 unchanged" in second.stdout, second.stdout + second.stderr
    assert list(stored_candidates(clean_store)) == ["0000-0003-1415-9269"]


def test_crawl_with_a_source_name_stores_under_it(
    profile_site: LocalSite, clean_store: Platform, settings: Settings
) -> None:
    """`--source NAME`: a mirror of a source stores under the name given, not under the mirror's host."""
    crawl = talent(settings, "crawl", "profiles", f"{profile_site.url}/{ORCID_XML}", "--source", "orcid-mirror")
    assert crawl.returncode == 0 and "items: 1 stored" in crawl.stdout, crawl.stdout + crawl.stderr
    with clean_store.session() as session:
        assert [(c.source, c.external_id) for c in session.scalars(select(Candidate))] == [
            ("orcid-mirror", "0000-0003-1415-9269")
        ]
