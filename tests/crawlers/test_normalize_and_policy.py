"""Crawler building blocks: normalizers, the deny-list, and the summary read from crawl stats."""

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawlers.middlewares import DenyListMiddleware, denied
from crawlers.normalize import (
    degree_name,
    html_to_text,
    infer_salary_period,
    iso_date,
    parse_salary_text,
    salary_period,
)
from crawlers.runner import CrawlSummary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15-25K", (15000.0, 25000.0, "month")),
        ("15k-25k·13薪", (15000.0, 25000.0, "month")),
        ("8000-12000元/月", (8000.0, 12000.0, "month")),
        ("1.5-2.5万/月", (15000.0, 25000.0, "month")),
        ("20万/年", (200000.0, 200000.0, "year")),
        ("25-40万/年", (250000.0, 400000.0, "year")),
        ("面议", (None, None, None)),
        ("", (None, None, None)),
    ],
)
def test_salary_text(text: str, expected: tuple[float | None, float | None, str | None]) -> None:
    assert parse_salary_text(text) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "period"),
    [
        (100_000, "USD", "year"),  # schema.org's eg-0028: a US salary with no unitText
        (9_000, "USD", "month"),
        (25_000, "CNY", "month"),
        (300_000, "CNY", "year"),
        (350_000, "JPY", "month"),  # no threshold known for the currency: the default stays
        (None, "USD", "month"),
    ],
)
def test_salary_without_a_period(amount: float | None, currency: str, period: str) -> None:
    assert infer_salary_period(amount, currency) == period


def test_dates_html_periods_degrees() -> None:
    assert iso_date("2026-11-01T09:00:00+08:00") == "2026-11-01"
    assert iso_date("2026年11月1日") == "2026-11-01"
    assert iso_date("2026/1/5") == "2026-01-05"
    assert iso_date("2026-02-30") is None and iso_date("soon") is None
    assert (
        html_to_text("<p>Hello&nbsp;<b>world</b></p><ul><li>a</li><li>b &amp; c</li></ul>") == "Hello world\na\nb & c"
    )
    assert salary_period("MONTH") == "month" and salary_period("YEAR") == "year" and salary_period("月") == "month"
    assert salary_period("fortnight") is None
    assert degree_name("硕士及以上") == ("master", True)
    assert degree_name("Bachelor's degree") == ("bachelor", True)
    assert degree_name("high school diploma or equivalent") == ("", True)  # below any degree level we keep
    assert degree_name("Certificate in Origami") == ("", False)


def test_deny_list_covers_subdomains_only() -> None:
    domains = ["linkedin.com"]
    assert denied("www.linkedin.com", domains) and denied("linkedin.com", domains)
    assert not denied("notlinkedin.com", domains) and not denied("linkedin.com.example.org", domains)


def test_deny_list_middleware_refuses_before_sending() -> None:
    crawler = get_crawler(settings_dict={"TALENT_DENY_DOMAINS": ["linkedin.com"]})
    crawler.stats = MemoryStatsCollector(crawler)
    middleware = DenyListMiddleware.from_crawler(crawler)
    with pytest.raises(IgnoreRequest, match="deny-list"):
        middleware.process_request(Request("https://cn.linkedin.com/in/someone"))
    assert middleware.process_request(Request("https://careers.example.com/")) is None
    assert crawler.stats.get_value("talent/denied_requests") == 1


def test_summary_from_stats() -> None:
    stats = {
        "response_received_count": 12,
        "talent/stored/inserted": 5,
        "talent/stored/updated": 1,
        "talent/stored/unchanged": 3,
        "talent/encoded": 6,
        "talent/dropped/near_duplicate": 1,
        "talent/dropped/missing_title": 2,
        "robotstxt/forbidden": 1,
        "downloader/response_status_count/200": 10,
        "downloader/response_status_count/404": 1,
        "downloader/response_status_count/500": 1,
        "downloader/exception_type_count/twisted.internet.error.TimeoutError": 1,
        "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest": 1,
        "talent/malformed/json-ld": 1,
    }
    summary = CrawlSummary.from_stats("jobs", stats)
    assert (summary.pages, summary.inserted, summary.updated, summary.unchanged, summary.encoded) == (12, 5, 1, 3, 6)
    assert summary.dropped == {"near_duplicate": 1, "missing_title": 2, "disallowed by robots.txt": 1}
    assert summary.errors == {"HTTP 404": 1, "HTTP 500": 1, "TimeoutError": 1, "malformed json-ld": 1}
