"""Public profiles: `scrapy crawl profiles -a urls=https://pub.orcid.org/v3.0/0000-0002-1825-0097/record,...`.

ORCID API responses (JSON or XML, by content type) go to the ORCID reader; an API URL of one section
(`.../v3.0/<iD>/educations`) is read as the whole record (`.../v3.0/<iD>/record`), since a profile is stored whole
and a section alone would replace it; HTML pages to the schema.org Person
reader, whose links are followed within the sites the crawl started on.
"""

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers.platforms.orcid import API_PATH, OrcidMixin, content_kind, record_url
from crawlers.platforms.person import PersonSpider

ORCID_ACCEPT = "application/vnd.orcid+xml, application/orcid+json;q=0.9, application/json;q=0.8, */*;q=0.1"


class ProfilesSpider(OrcidMixin, PersonSpider):
    name = "profiles"

    async def start(self) -> AsyncIterator[Any]:
        for url in dict.fromkeys(record_url(u) for u in self.start_urls):
            headers = {"Accept": ORCID_ACCEPT} if API_PATH.search(url) else None
            yield scrapy.Request(url, headers=headers, dont_filter=True)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if content_kind(response) in ("json", "xml"):
            yield from self.parse_orcid(response)
        else:
            yield from super().parse(response, **kwargs)
