"""Run a crawl in this process and summarise it from the crawler's stats (used by `talent crawl`)."""

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# For a site served on this machine by ourselves (the demo site): no throttling, no delay.
LOCAL_SITE_SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}
SPIDERS = {"jobs": "jobs", "jobs-sitemap": "jobs_sitemap", "profiles": "profiles", "majors": "majors"}


@dataclass
class CrawlSummary:
    spider: str
    pages: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    encoded: int = 0
    records: dict[str, int] = field(default_factory=dict)  # records stored, updated or unchanged, by kind
    dropped: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_stats(cls, spider: str, stats: dict[str, Any]) -> "CrawlSummary":
        summary = cls(
            spider=spider,
            pages=int(stats.get("response_received_count", 0)),
            inserted=int(stats.get("talent/stored/inserted", 0)),
            updated=int(stats.get("talent/stored/updated", 0)),
            unchanged=int(stats.get("talent/stored/unchanged", 0)),
            encoded=int(stats.get("talent/encoded", 0)),
        )
        for key, value in stats.items():
            if key.startswith("talent/records/"):
                summary.records[key.removeprefix("talent/records/")] = int(value)
            if key.startswith("talent/dropped/"):
                summary.dropped[key.removeprefix("talent/dropped/")] = int(value)
        if stats.get("robotstxt/forbidden"):
            summary.dropped["disallowed by robots.txt"] = int(stats["robotstxt/forbidden"])
        if stats.get("talent/denied_requests"):
            summary.dropped["deny-listed site"] = int(stats["talent/denied_requests"])
        for key, value in stats.items():
            if key.startswith("downloader/response_status_count/") and key[-3] in "45":
                summary.errors[f"HTTP {key.rsplit('/', 1)[-1]}"] = int(value)
            elif key.startswith("downloader/exception_type_count/") and not key.endswith("IgnoreRequest"):
                summary.errors[key.rsplit("/", 1)[-1].rsplit(".", 1)[-1]] = int(value)
            elif key.startswith("talent/malformed/"):
                summary.errors[f"malformed {key.rsplit('/', 1)[-1]}"] = int(value)
        for key, label in (
            ("talent/store_failed", "items not stored (database)"),
            ("talent/index_update_failed", "index updates failed (repaired by the next one)"),
        ):
            if stats.get(key):
                summary.errors[label] = int(stats[key])
        if stats.get("spider_exceptions/count"):
            summary.errors["spider exceptions"] = int(stats["spider_exceptions/count"])
        return summary


@dataclass(frozen=True)
class CrawlRequest:
    """One crawl: the spider for `kind` from `urls`, storing under `source` when given (else each site's name)."""

    kind: str
    urls: list[str]
    source: str | None = None


def run_crawl(
    kind: str,
    urls: list[str],
    *,
    source: str | None = None,
    jobdir: Path | None = None,
    max_pages: int | None = None,
    log_level: str = "ERROR",
) -> CrawlSummary:
    """Crawl `urls` with the spider for `kind` (staying on their sites) and return what happened."""
    overrides: dict[str, Any] = {"LOG_LEVEL": log_level}
    if jobdir is not None:
        overrides["JOBDIR"] = str(jobdir)
    if max_pages:
        overrides["CLOSESPIDER_PAGECOUNT"] = max_pages
    return run_crawls([CrawlRequest(kind, urls, source)], overrides)[0]


def run_crawls(requests: list[CrawlRequest], overrides: dict[str, Any] | None = None) -> list[CrawlSummary]:
    """Run crawls one after another in this process (Twisted's reactor starts once), with settings `overrides`."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawlers.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings
    from twisted.internet import defer

    settings = get_project_settings()
    settings.set("LOG_LEVEL", "ERROR")
    for key, value in (overrides or {}).items():
        settings.set(key, value)
    process = CrawlerProcess(settings)
    summaries: list[CrawlSummary] = []

    @defer.inlineCallbacks
    def one_after_another() -> Any:
        for request in requests:
            crawler = process.create_crawler(SPIDERS[request.kind])
            arguments: dict[str, Any] = {"urls": request.urls}
            if request.source:
                arguments["source"] = request.source
            yield process.crawl(crawler, **arguments)
            assert crawler.stats is not None
            summaries.append(CrawlSummary.from_stats(SPIDERS[request.kind], crawler.stats.get_stats()))

    failures: list[Any] = []
    one_after_another().addErrback(failures.append)
    process.start()
    if failures:
        failures[0].raiseException()
    return summaries
