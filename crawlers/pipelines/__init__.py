"""Item pipelines, one concern each, ordered in crawlers/settings.py."""

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector


class CountingPipeline:
    """Base: access to crawler stats, and drops that are counted by reason."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    crawler: Crawler | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "CountingPipeline":
        assert crawler.stats is not None
        pipeline = cls(crawler.stats)
        pipeline.crawler = crawler
        return pipeline

    def drop(self, reason: str, detail: str = "") -> DropItem:
        """Count the drop under talent/dropped/<reason> and return the DropItem to raise."""
        self.stats.inc_value(f"talent/dropped/{reason}")
        return DropItem(f"{reason}: {detail}" if detail else reason)
