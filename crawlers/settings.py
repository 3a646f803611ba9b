"""Scrapy settings: polite and safe by default. Values that vary by deployment come from matcher's Settings."""

from matcher.config import get_settings

_talent = get_settings()

BOT_NAME = "talentbridge"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

USER_AGENT = _talent.crawl_user_agent
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = _talent.crawl_concurrency_per_domain
DOWNLOAD_DELAY = _talent.crawl_download_delay
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = max(0.1, _talent.crawl_download_delay)
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = _talent.crawl_timeout
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    "crawlers.middlewares.DenyListMiddleware": 50,
}

# One pipeline per concern, in order; problems are counted in stats (talent/dropped/<reason>), never fatal.
ITEM_PIPELINES = {
    "crawlers.pipelines.normalize.NormalizePipeline": 100,
    "crawlers.pipelines.validate.ValidatePipeline": 200,
    "crawlers.pipelines.dedupe.DedupePipeline": 300,
    "crawlers.pipelines.store.StorePipeline": 900,
}

# Sites whose terms forbid scraping profiles; requests to them are refused before they are sent.
TALENT_DENY_DOMAINS = _talent.crawl_deny_domains

# Distributed mode: with TALENT_CRAWL_REDIS_URL set, scheduler and duplicate filter live in Redis (scrapy-redis),
# so several crawler processes on several machines share one queue and never fetch a page twice.
if _talent.crawl_redis_url:
    SCHEDULER = "scrapy_redis.scheduler.Scheduler"
    DUPEFILTER_CLASS = "scrapy_redis.dupefilter.RFPDupeFilter"
    SCHEDULER_PERSIST = True
    REDIS_URL = _talent.crawl_redis_url
