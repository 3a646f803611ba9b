"""Distributed crawls: one Redis queue and duplicate filter shared by every process running the same crawl.

Used as SCHEDULER when TALENT_CRAWL_REDIS_URL is set (crawlers/settings.py). On top of scrapy-redis it adds:

- keys per crawl, `talent:<spider>:<crawl key>:requests|dupefilter|workers`; the crawl key is TALENT_CRAWL_KEY
  (`-s TALENT_CRAWL_KEY=...`) or else a hash of the spider's start URLs, so the same command on several machines
  joins the same crawl and a different crawl never shares (or wipes) its queue;
- an end: a process stays open while the shared queue is empty for TALENT_REDIS_IDLE_BEFORE_CLOSE seconds (others
  may still be adding links), then closes; our spiders are plain Spiders, not RedisSpiders that idle forever;
- start requests through the shared duplicate filter (SharedStartMiddleware): Scrapy marks start requests
  dont_filter, so without it every process would fetch the start pages again (and the filter would never record
  them, letting a link back to a start page fetch it once more);
- quick joining: an idle Scrapy engine looks at its scheduler only every 5 seconds, so the scheduler checks the
  shared queue every TALENT_REDIS_POLL_INTERVAL seconds and wakes the engine when another process added work;
- a clean slate for the next run: the last process to finish a crawl ("finished") deletes its keys, so a re-crawl
  fetches the pages again (and the store counts what did not change). A crawl stopped early (Ctrl-C, --max-pages,
  a crash) keeps its queue and duplicate filter: the same command later resumes it.
"""

import hashlib
import time
from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

JOIN = """
local workers = redis.call('INCR', KEYS[1])
if workers == 1 and redis.call('ZCARD', KEYS[2]) == 0 then redis.call('DEL', KEYS[3]) end
return workers
"""


def crawl_key(spider: Spider) -> str:
    """TALENT_CRAWL_KEY, else a short hash of the spider's start URLs (or sitemap URLs)."""
    explicit = spider.settings.get("TALENT_CRAWL_KEY")
    if explicit:
        return str(explicit)
    urls = sorted(getattr(spider, "start_urls", None) or getattr(spider, "sitemap_urls", None) or [])
    return hashlib.sha1("\n".join(urls).encode()).hexdigest()[:12]


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler with per-crawl keys, an idle timeout and cleanup by the last process."""

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "SharedScheduler":
        instance: SharedScheduler = super().from_crawler(crawler)
        instance.crawler = crawler
        instance.idle_timeout = crawler.settings.getfloat("TALENT_REDIS_IDLE_BEFORE_CLOSE", 10)
        instance.poll_interval = crawler.settings.getfloat("TALENT_REDIS_POLL_INTERVAL", 1)
        return instance

    def open(self, spider: Spider) -> None:
        self.prefix = f"talent:{spider.name}:{crawl_key(spider)}"
        self.queue_key = f"{self.prefix}:requests".replace("%", "%%")  # scrapy-redis %-formats it
        self.df = RFPDupeFilter(
            self.server, key=f"{self.prefix}:dupefilter", debug=spider.settings.getbool("DUPEFILTER_DEBUG")
        )
        self.idle_since: float | None = None
        # Count this process in; the first one with nothing queued to resume drops a leftover seen-set (of a crawl
        # whose last process died) so the crawl starts afresh. One script, so no other process can act in between.
        self.server.eval(JOIN, 3, f"{self.prefix}:workers", f"{self.prefix}:requests", self.df.key)
        self.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        super().open(spider)
        self.poll = task.LoopingCall(self.wake)
        self.poll.start(self.poll_interval, now=False)
        spider.logger.info("Distributed crawl: shared queue %s", self.queue_key)

    def next_request(self) -> Any:
        request = super().next_request()
        if request is not None:
            self.idle_since = None
        return request

    def spider_idle(self, spider: Spider) -> None:
        """Keep the process open until the shared queue has stayed empty for the idle timeout."""
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_timeout:
            raise DontCloseSpider

    def wake(self) -> None:
        """Have an idle engine take work another process queued, instead of at its next 5-second heartbeat."""
        if len(self.queue):
            # Scrapy has no public call for this; if its internals change we fall back to the heartbeat.
            slot = getattr(self.crawler.engine, "_slot", None)
            nextcall = getattr(slot, "nextcall", None)
            if nextcall is not None:
                nextcall.schedule()

    def close(self, reason: str) -> None:
        if self.poll.running:
            self.poll.stop()
        left = self.server.decr(f"{self.prefix}:workers")
        self.spider.logger.info("Distributed crawl: closing (%s), %d other processes still on it", reason, left)
        if left <= 0 and reason == "finished":
            self.server.delete(self.queue.key, self.df.key, f"{self.prefix}:workers")
        elif left <= 0:
            self.server.delete(f"{self.prefix}:workers")


class SharedStartMiddleware:
    """Spider middleware: start requests go through the duplicate filter, so only one process fetches each."""

    @staticmethod
    def shared(obj: Any) -> Any:
        return obj.replace(dont_filter=False) if isinstance(obj, Request) and obj.dont_filter else obj

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for obj in start:
            yield self.shared(obj)

    def process_start_requests(self, start_requests: Iterable[Any], spider: Spider) -> Iterable[Any]:
        for obj in start_requests:  # Scrapy < 2.13
            yield self.shared(obj)
