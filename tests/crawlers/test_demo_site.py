"""The demo site reads back as the demo data.

Every job page (JSON-LD and microdata), person page and ORCID record the site publishes, parsed by the platform
spiders and the normalize pipeline, gives the record the generator wrote: what `make run` crawls is the demo
data, not a lossy copy of it. Offline: the site's files are read as responses, no server and no database.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import scrapy
from pydantic import BaseModel
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler

from crawlers.items import JobPostingItem, MajorListingItem, ProfileItem
from crawlers.pipelines.normalize import NormalizePipeline
from crawlers.pipelines.store import candidate_record, enterprise_record, job_record
from crawlers.spiders.jobs import JobsSpider
from crawlers.spiders.majors import MajorsSpider
from crawlers.spiders.profiles import ProfilesSpider
from matcher.degrees import DegreeLevel
from matcher.demo import site as demo_site
from matcher.demo.generator import generate
from matcher.demo.profile_pages import ORCID_JSON, highest_level, orcid_check_digit, orcid_id
from matcher.demo.reference import load_majors
from matcher.demo.site import write_site
from matcher.records import CandidateRecord, EnterpriseRecord, JobRecord

BASE = "http://127.0.0.1:8765"  # any address: the pages name their canonical URLs themselves
R = TypeVar("R", bound=BaseModel)


@dataclass
class Demo:
    site: Path
    enterprises: dict[str, EnterpriseRecord]
    jobs: list[JobRecord]
    candidates: list[CandidateRecord]


def _read(path: Path, model: type[R]) -> list[R]:
    return [model.model_validate_json(line) for line in path.read_text("utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    root = tmp_path_factory.mktemp("demo")
    files = generate(root / "data", seed=7, candidates=60, jobs=12, enterprises=4)
    write_site(files, root / "site")
    return Demo(
        site=root / "site",
        enterprises={e.external_id: e for e in _read(files["enterprises"], EnterpriseRecord)},
        jobs=_read(files["jobs"], JobRecord),
        candidates=_read(files["candidates"], CandidateRecord),
    )


def parse(spider_class: type[scrapy.Spider], response: scrapy.http.Response) -> list[Any]:
    """Items (normalized) and requests the spider makes of one response."""
    crawler = get_crawler(spider_class)
    spider = spider_class.from_crawler(crawler, urls=f"{BASE}/")
    normalize = NormalizePipeline.from_crawler(crawler)
    results = []
    for result in spider.parse(response):
        results.append(result if isinstance(result, scrapy.Request) else normalize.process_item(result, spider))
    return results


def html(demo: Demo, path: str) -> HtmlResponse:
    return HtmlResponse(url=f"{BASE}/{path}", body=(demo.site / path).read_bytes(), encoding="utf-8")


def words(text: str) -> str:
    return " ".join(text.split())


def test_every_job_page_gives_its_job_and_enterprise(demo: Demo) -> None:
    syntaxes = set()
    for job in demo.jobs:
        page = f"jobs/{job.external_id}.html"
        syntaxes.add("json-ld" if "application/ld+json" in (demo.site / page).read_text("utf-8") else "microdata")
        items = [i for i in parse(JobsSpider, html(demo, page)) if isinstance(i, JobPostingItem)]
        assert len(items) == 1, page
        got = job_record(items[0])
        assert (got.external_id, got.url, got.title) == (job.external_id, job.url, job.title)
        assert (got.enterprise, got.enterprise_external_id, got.industry) == (
            job.enterprise,
            job.enterprise_external_id,
            job.industry,
        )
        assert got.majors == job.majors and got.min_degree == job.min_degree
        assert (got.salary_min, got.salary_max, got.currency, got.salary_period) == (
            job.salary_min,
            job.salary_max,
            job.currency,
            job.salary_period,
        )
        assert got.posted_at == job.posted_at and got.location.startswith(job.location)
        assert words(got.description) == words(job.description)
        assert words(job.requirements) in words(got.requirements)
        years = int(job.extras["experience_years"])
        assert got.extras.get("experience_months") == (years * 12 or None)
        assert got.extras["openings"] == job.extras["headcount"]  # schema.org totalJobOpenings
        enterprise = enterprise_record(items[0])
        own = demo.enterprises[str(job.enterprise_external_id)]
        assert enterprise is not None
        assert (enterprise.external_id, enterprise.name, enterprise.description, enterprise.website) == (
            own.external_id,
            own.name,
            own.description,
            own.url,
        )
    assert syntaxes == {"json-ld", "microdata"}


def test_every_profile_page_gives_its_candidate(demo: Demo) -> None:
    pages = 0
    for candidate in demo.candidates:
        if highest_level(candidate) is DegreeLevel.DOCTORATE:
            continue
        pages += 1
        items = [i for i in parse(ProfilesSpider, html(demo, f"people/{candidate.external_id}.html")) if i]
        items = [i for i in items if isinstance(i, ProfileItem)]
        assert len(items) == 1
        got = candidate_record(items[0])
        fields = {"email", "consent_to_contact", "url", "fetched_at", "extras", "source"}
        assert got.model_dump(exclude=fields) == candidate.model_dump(exclude=fields)
        assert got.email is None and got.consent_to_contact is False  # never published, never crawled
    assert pages > 30


def test_every_orcid_record_gives_what_orcid_holds_of_the_candidate(demo: Demo) -> None:
    records = 0
    for number, candidate in enumerate(demo.candidates, start=1):
        if highest_level(candidate) is not DegreeLevel.DOCTORATE:
            continue
        records += 1
        path = f"orcid/v3.0/{orcid_id(number)}/record"
        body = (demo.site / path).read_bytes()
        response = TextResponse(url=f"{BASE}/{path}", body=body, headers={"Content-Type": ORCID_JSON})
        items = [i for i in parse(ProfilesSpider, response) if isinstance(i, ProfileItem)]
        assert len(items) == 1
        got = candidate_record(items[0])
        assert got.external_id == orcid_id(number) and got.name == candidate.name
        assert got.url == f"https://demo.talentbridge.invalid/orcid/{orcid_id(number)}"
        assert got.skills == candidate.skills and candidate.summary in got.summary
        assert sorted((e.school, e.degree, e.major, e.end_year) for e in got.education) == sorted(
            (e.school, e.degree, e.major, e.end_year) for e in candidate.education
        )
        assert [(x.title, x.organization, x.start, x.end) for x in got.experience] == [
            (x.title, x.organization, x.start, x.end) for x in candidate.experience
        ]
        assert got.location and len(got.location) == 2  # ORCID keeps a country code, nothing finer
    assert records > 0


def test_catalogue_page_lists_every_major(demo: Demo) -> None:
    items = [i for i in parse(MajorsSpider, html(demo, "majors/catalogue.html")) if isinstance(i, MajorListingItem)]
    catalogue = load_majors()
    assert len(items) == len(catalogue) == 883
    for item in items:
        row = catalogue[item["name"]]
        assert (item["code"], item["class_name"], item["category_name"]) == (
            row["code"],
            row["class_name"],
            row["category_name"],
        )
        assert item["url"] == "https://demo.talentbridge.invalid/majors/catalogue.html"  # canonical, not BASE


def test_listing_pages_link_to_every_profile(demo: Demo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(demo_site, "PAGE_SIZE", 25)
    links = [(f"../people/p{n}.html", f"p{n}") for n in range(60)]
    demo_site._listing(tmp_path / "profiles", "Profiles", links)
    assert sorted(p.name for p in (tmp_path / "profiles").iterdir()) == ["index.html", "page-2.html", "page-3.html"]
    found, page = [], "index.html"
    while page:
        response = HtmlResponse(url=f"{BASE}/profiles/{page}", body=(tmp_path / "profiles" / page).read_bytes())
        hrefs = response.css("a::attr(href)").getall()
        found += [h for h in hrefs if "people/" in h]
        page = next((h for h in hrefs if h.startswith("page-")), "")
    assert found == [href for href, _ in links]


def test_synthetic_orcid_ids_have_valid_check_digits() -> None:
    # Real iDs from ORCID's documentation, one with the check character X.
    assert orcid_check_digit("000000021825009") == "7"  # 0000-0002-1825-0097
    assert orcid_check_digit("000000021694233") == "X"  # 0000-0002-1694-233X
    assert orcid_id(17) == "0000-0000-0000-0175"
    ids = [orcid_id(n) for n in range(1, 5000)]
    assert len(set(ids)) == len(ids) and all(i.startswith("0000-0000-") for i in ids)
