"""`talent crawl jobs` end to end: real Scrapy (in a subprocess: Twisted's reactor cannot restart in one
process) against local HTTP sites, checking the printed summary and what reached the database."""

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from matcher.config import Settings
from matcher.degrees import DegreeLevel
from matcher.platform import Platform
from matcher.store.models import Job
from tests.crawlers.conftest import LocalSite, Route
from tests.processes import run_talent

HTML = {"Content-Type": "text/html; charset=utf-8"}
ROBOTS = {"Content-Type": "text/plain"}
TIMEOUT = 2  # TALENT_CRAWL_TIMEOUT for the crawls; the slow page sleeps longer


def page(*postings: dict[str, Any], body: str = "", raw_jsonld: str | None = None) -> str:
    """An HTML page with the postings as JSON-LD (or a raw, possibly broken, JSON-LD block)."""
    blocks = [json.dumps({"@context": "https://schema.org", **p}, ensure_ascii=False) for p in postings]
    if raw_jsonld is not None:
        blocks.append(raw_jsonld)
    scripts = "".join(f'<script type="application/ld+json">{b}</script>\n' for b in blocks)
    return f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">{scripts}</head><body>{body}</body></html>'


def posting(title: str, company: str, city: str, region: str, **more: Any) -> dict[str, Any]:
    return {
        "@type": "JobPosting",
        "title": title,
        "hiringOrganization": {"@type": "Organization", "name": company},
        "jobLocation": {"@type": "Place", "address": {"addressLocality": city, "addressRegion": region}},
        **more,
    }


def monthly(low: int, high: int) -> dict[str, Any]:
    return {
        "@type": "MonetaryAmount",
        "currency": "CNY",
        "value": {"@type": "QuantitativeValue", "minValue": low, "maxValue": high, "unitText": "MONTH"},
    }


ZHENGZHOU = posting(
    "Java开发工程师",
    "郑州中原数智科技有限公司",
    "郑州",
    "河南",
    description="负责政务云平台后端开发，Spring Boot 微服务。",
    educationRequirements="本科及以上",
    baseSalary=monthly(12000, 18000),
    datePosted="2026-03-01",
)
ANALYST_DESCRIPTION = "负责用户增长数据分析，搭建指标体系。"
ANALYST_CHANGED = "负责跨境电商物流时效的数据建模与预测，熟悉运筹优化。"


def analyst_page(description: str) -> str:
    """The same posting twice on one page (JSON-LD and microdata), salary only as text."""
    microdata = (
        '<div itemscope itemtype="https://schema.org/JobPosting"><h1 itemprop="title">数据分析师</h1>'
        '<div itemprop="hiringOrganization" itemscope itemtype="https://schema.org/Organization">'
        '<span itemprop="name">上海浦江数据服务有限公司</span></div>'
        '<div itemprop="jobLocation" itemscope itemtype="https://schema.org/Place">'
        '<div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">'
        '<span itemprop="addressLocality">上海</span><span itemprop="addressRegion">上海</span></div></div>'
        f'<p itemprop="description">{description}</p></div>'
    )
    analyst = posting(
        "数据分析师",
        "上海浦江数据服务有限公司",
        "上海",
        "上海",
        description=description,
        educationRequirements={"@type": "EducationalOccupationalCredential", "credentialCategory": "硕士"},
        baseSalary={"@type": "MonetaryAmount", "currency": "CNY", "value": "15-25K·13薪"},
    )
    return page(analyst, body=microdata)


def site_a_routes(analyst_description: str = ANALYST_DESCRIPTION) -> dict[str, Route]:
    links = ["/jobs/1.html", "/jobs/2.html", "/jobs/graph.html", "/private/secret.html", "/missing.html"]
    links += ["/broken.html", "/slow.html", "/malformed.html", "/about.html"]
    index = "".join(f'<a href="{link}">{link}</a> ' for link in links)
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            posting(
                "机械设计工程师",
                "武汉光谷精密制造股份有限公司",
                "武汉",
                "湖北",
                identifier="GG-ME-01",
                educationRequirements="大专",
                baseSalary=monthly(8000, 12000),
            ),
            posting(
                "嵌入式软件工程师",
                "武汉光谷精密制造股份有限公司",
                "武汉",
                "湖北",
                identifier="GG-SW-02",
                educationRequirements="本科",
                baseSalary=monthly(15000, 22000),
            ),
        ],
    }
    return {
        "/robots.txt": (200, ROBOTS, "User-agent: *\nDisallow: /private/\n"),
        "/": (200, HTML, f"<html><body>{index}</body></html>"),
        "/jobs/1.html": (200, HTML, page(ZHENGZHOU, body='<a href="/">home</a>')),
        "/jobs/2.html": (200, HTML, analyst_page(analyst_description)),
        "/jobs/graph.html": (200, HTML, page(raw_jsonld=json.dumps(graph, ensure_ascii=False))),
        "/private/secret.html": (200, HTML, page(posting("内部岗位", "保密公司", "北京", "北京"))),
        "/broken.html": (500, HTML, "<h1>Internal Server Error</h1>"),
        "/slow.html": (200, HTML, page(posting("慢页面岗位", "慢公司", "成都", "四川")), TIMEOUT + 1.5),
        "/malformed.html": (200, HTML, page(raw_jsonld='{"@type": "JobPosting", "title": "坏JSON",, }')),
        "/about.html": (200, HTML, "<html><body><p>关于我们：没有职位信息的页面。</p></body></html>"),
    }


def site_b_routes() -> dict[str, Route]:
    """Another site carrying the Zhengzhou posting again (served late, so site A's copy is the one kept)."""
    return {
        "/robots.txt": (200, ROBOTS, "User-agent: *\nAllow: /\n"),
        "/": (200, HTML, '<html><body><a href="/list.html">jobs</a></body></html>'),
        "/list.html": (200, HTML, '<html><body><a href="/zz/java.html">Java开发工程师</a></body></html>'),
        "/zz/java.html": (200, HTML, page(ZHENGZHOU), 1.0),
    }


@pytest.fixture
def talent(settings: Settings) -> Callable[..., str]:
    """Run the `talent` CLI in a subprocess on the test database; return its output (failing on a non-zero exit)."""

    def run(*args: str) -> str:
        env = {"TALENT_CRAWL_TIMEOUT": str(TIMEOUT), "TALENT_CRAWL_CONCURRENCY_PER_DOMAIN": "8"}
        result = run_talent(settings, *args, env=env, timeout=180)
        assert result.returncode == 0, f"talent {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    return run


def summary(output: str) -> dict[str, Any]:
    """The numbers `talent crawl` prints."""
    items = re.search(r"items: (\d+) stored, (\d+) updated, (\d+) unchanged; (\d+) texts encoded", output)
    pages = re.search(r"crawl \S+: (\d+) pages", output)
    dropped = re.search(r"^dropped: (.*)$", output, re.M)
    errors = re.search(r"^errors: (.*)$", output, re.M)
    assert items and pages and dropped and errors, output
    return {
        "pages": int(pages[1]),
        "items": tuple(int(n) for n in items.groups()),
        "dropped": _counts(dropped[1]),
        "errors": _counts(errors[1]),
    }


def _counts(line: str) -> dict[str, int]:
    if line.strip() == "none":
        return {}
    return {m[1]: int(m[2]) for m in re.finditer(r"\s*([^,]+?) (\d+)(?:,|$)", line)}


def jobs(platform: Platform, *sites: LocalSite) -> list[Job]:
    """The jobs stored from these sites (others' tests may share a PostgreSQL database while this one runs)."""
    sources = [f"127.0.0.1:{site.port}" for site in sites]
    with platform.session() as session:
        rows = session.scalars(select(Job).where(Job.source.in_(sources)).order_by(Job.title)).all()
        session.expunge_all()
        return list(rows)


@pytest.fixture
def fresh_cache(clear_embedding_cache: Callable[[], None]) -> Iterator[None]:
    """Count encodings from scratch (the cache is shared by the session's tests)."""
    clear_embedding_cache()
    yield


@pytest.mark.usefixtures("fresh_cache")
def test_crawl_jobs_end_to_end(
    platform: Platform, talent: Callable[..., str], http_server: Callable[[dict[str, Route]], LocalSite]
) -> None:
    site_a = http_server(site_a_routes())
    site_b = http_server(site_b_routes())

    # 1. Both sites: robots.txt obeyed, errors counted but not fatal, every posting stored once.
    first = summary(talent("crawl", "jobs", f"{site_a.url}/", f"{site_b.url}/"))
    assert first["items"] == (4, 0, 0, 4), first
    assert "/private/secret.html" not in site_a.requested
    assert first["dropped"]["disallowed by robots.txt"] == 1
    assert first["dropped"]["near_duplicate"] == 1
    assert first["errors"]["HTTP 404"] >= 1
    assert first["errors"]["HTTP 500"] >= 1
    assert any("Timeout" in error for error in first["errors"]), first  # DownloadTimeoutError (Scrapy >= 2.13)
    assert first["errors"]["malformed json-ld"] == 1
    assert "spider exceptions" not in first["errors"]
    assert {"/about.html", "/malformed.html", "/missing.html", "/broken.html", "/slow.html"} <= set(site_a.requested)
    assert "/zz/java.html" in site_b.requested

    stored = {job.title: job for job in jobs(platform, site_a, site_b)}
    assert sorted(stored) == sorted(["Java开发工程师", "数据分析师", "机械设计工程师", "嵌入式软件工程师"])
    java = stored["Java开发工程师"]
    assert java.source == f"127.0.0.1:{site_a.port}" and java.url == f"{site_a.url}/jobs/1.html"
    assert (java.location, java.min_degree) == ("郑州, 河南", DegreeLevel.BACHELOR)
    assert (java.salary_min, java.salary_max, java.currency, java.salary_period) == (12000, 18000, "CNY", "month")
    assert java.employer == "郑州中原数智科技有限公司"
    analyst = stored["数据分析师"]
    assert (analyst.salary_min, analyst.salary_max, analyst.min_degree) == (15000, 25000, DegreeLevel.MASTER)
    assert analyst.location == "上海" and analyst.url == f"{site_a.url}/jobs/2.html"
    assert analyst.description == ANALYST_DESCRIPTION
    graph = [stored["机械设计工程师"], stored["嵌入式软件工程师"]]
    assert [(j.external_id, j.min_degree, j.salary_min) for j in graph] == [
        ("GG-ME-01", DegreeLevel.ASSOCIATE, 8000),
        ("GG-SW-02", DegreeLevel.BACHELOR, 15000),
    ]
    assert all(j.location == "武汉, 湖北" and j.url == f"{site_a.url}/jobs/graph.html" for j in graph)

    # 2. The same site again, unchanged: nothing stored, nothing encoded.
    again = summary(talent("crawl", "jobs", f"{site_a.url}/"))
    assert again["items"] == (0, 0, 4, 0), again
    assert len(jobs(platform, site_a, site_b)) == 4

    # 3. One page changed: updated in place, re-encoded, and found by search.
    site_a.set_routes(site_a_routes(ANALYST_CHANGED))
    changed = summary(talent("crawl", "jobs", f"{site_a.url}/"))
    assert changed["items"] == (0, 1, 3, 1), changed
    rows = jobs(platform, site_a, site_b)
    assert len(rows) == 4
    assert next(j for j in rows if j.title == "数据分析师").description == ANALYST_CHANGED
    found = json.loads(talent("search", "jobs", "跨境电商物流时效预测", "--json", "--limit", "10"))
    ours = [hit for hit in found if hit["source"] in (java.source, f"127.0.0.1:{site_b.port}")]
    assert ours and ours[0]["external_id"] == f"{site_a.url}/jobs/2.html", found


@pytest.mark.usefixtures("fresh_cache")
def test_crawl_jobs_sitemap(
    platform: Platform, talent: Callable[..., str], http_server: Callable[[dict[str, Route]], LocalSite]
) -> None:
    site = http_server({})
    sitemap = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{site.url}/jobs/1.html</loc></url><url><loc>{site.url}/jobs/graph.html</loc></url>"
        f"<url><loc>{site.url}/about.html</loc></url></urlset>"
    )
    routes = site_a_routes()
    site.set_routes(
        {
            "/robots.txt": (200, ROBOTS, "User-agent: *\nDisallow: /private/\n"),
            "/sitemap.xml": (200, {"Content-Type": "application/xml"}, sitemap),
            "/jobs/1.html": routes["/jobs/1.html"],
            "/jobs/graph.html": routes["/jobs/graph.html"],
            "/about.html": routes["/about.html"],
            "/jobs/2.html": routes["/jobs/2.html"],  # not in the sitemap: not crawled
        }
    )
    result = summary(talent("crawl", "jobs-sitemap", f"{site.url}/sitemap.xml"))
    assert result["items"] == (3, 0, 0, 3), result
    assert result["errors"] == {}
    assert sorted(j.title for j in jobs(platform, site)) == sorted(
        ["Java开发工程师", "机械设计工程师", "嵌入式软件工程师"]
    )
    assert "/jobs/2.html" not in site.requested
    assert {"/sitemap.xml", "/jobs/1.html", "/jobs/graph.html", "/about.html"} <= set(site.requested)
