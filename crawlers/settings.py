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
    REDIS_URL = _talent.crawl_redis_url
    # scrapy-redis's Scheduler with keys per crawl (talent:<spider>:<crawl key>:...), an end, and cleanup by the
    # last process to finish; see crawlers/distributed.py.
    SCHEDULER = "crawlers.distributed.SharedScheduler"
    DUPEFILTER_CLASS = "scrapy_redis.dupefilter.RFPDupeFilter"
    # Keep queue and seen-set when one process closes: the others are still using them (scrapy-redis would
    # otherwise delete both, and the remaining processes would lose their queue and fetch pages again).
    SCHEDULER_PERSIST = True
    # Scrapy marks start requests dont_filter; in a shared crawl they must pass the shared duplicate filter, or every
    # process fetches the start pages (and the filter never records them, so links back to them fetch them again).
    SPIDER_MIDDLEWARES = {"crawlers.distributed.SharedStartMiddleware": 50}
    # Our spiders are plain Spiders: a process whose queue is empty would close at once, while another is still
    # fetching pages whose links it will add. Each process therefore waits this long on an empty shared queue
    # before it closes (scrapy-redis's SCHEDULER_IDLE_BEFORE_CLOSE only blocks list queues, not the priority queue).
    TALENT_REDIS_IDLE_BEFORE_CLOSE = 10
    # How often an idle process looks for work others queued (an idle Scrapy engine itself looks every 5 s).
    TALENT_REDIS_POLL_INTERVAL = 1.0
    # Names one crawl's keys; empty means a hash of the start URLs, so the same command everywhere joins one crawl.
    TALENT_CRAWL_KEY = ""
