"""Downloader middleware: refuse requests to deny-listed sites before anything is sent."""

from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.statscollectors import StatsCollector


def denied(host: str, domains: list[str]) -> bool:
    """Whether `host` is one of `domains` or a subdomain of one."""
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in (d.lower().strip(".") for d in domains))


class DenyListMiddleware:
    def __init__(self, domains: list[str], stats: StatsCollector) -> None:
        self.domains = domains
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "DenyListMiddleware":
        assert crawler.stats is not None
        return cls(list(crawler.settings.getlist("TALENT_DENY_DOMAINS")), crawler.stats)

    def process_request(self, request: Request, spider: Spider | None = None) -> Any:
        from urllib.parse import urlsplit

        host = urlsplit(request.url).hostname or ""
        if denied(host, self.domains):
            self.stats.inc_value("talent/denied_requests")
            raise IgnoreRequest(f"{host} is on the deny-list (its terms forbid scraping profiles)")
        return None
