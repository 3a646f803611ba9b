"""What every platform spider shares: it starts on given pages and stays on their sites."""

from typing import Any
from urllib.parse import urlsplit

from scrapy.linkextractors import LinkExtractor

# Links worth following from a page: anything but documents and images.
PAGE_LINKS = LinkExtractor(deny_extensions=["pdf", "doc", "docx", "zip", "jpg", "jpeg", "png", "gif", "svg"])


class StaysOnSites:
    """Mixin (before the Scrapy spider class): `-a urls=a,b` sets the start URLs, `allowed_domains` their hosts.

    `url_attribute` names the list the spider starts from: `start_urls`, or `sitemap_urls` for a SitemapSpider.
    """

    url_attribute = "start_urls"

    def __init__(self, urls: str | list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if urls:
            setattr(self, self.url_attribute, urls.split(",") if isinstance(urls, str) else list(urls))
        starts = getattr(self, self.url_attribute, [])
        self.allowed_domains = sorted({urlsplit(url).hostname or "" for url in starts} - {""})
