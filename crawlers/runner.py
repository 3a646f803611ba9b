"""Run a crawl in this process and summarise it from the crawler's stats (used by `talent crawl`)."""

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPIDERS = {"jobs": "jobs", "jobs-sitemap": "jobs_sitemap", "profiles": "profiles", "majors": "majors"}


@dataclass
class CrawlSummary:
    spider: str
    pages: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    encoded: int = 0
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


def run_crawl(
    kind: str, urls: list[str], *, jobdir: Path | None = None, max_pages: int | None = None, log_level: str = "ERROR"
) -> CrawlSummary:
    """Crawl `urls` with the spider for `kind` (staying on their sites) and return what happened."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawlers.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.set("LOG_LEVEL", log_level)
    if jobdir is not None:
        settings.set("JOBDIR", str(jobdir))
    if max_pages:
        settings.set("CLOSESPIDER_PAGECOUNT", max_pages)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(SPIDERS[kind])
    process.crawl(crawler, urls=urls)
    process.start()
    assert crawler.stats is not None
    return CrawlSummary.from_stats(SPIDERS[kind], crawler.stats.get_stats())
