"""Deduplicate within a crawl: the same record twice, and the same job posted on several sites."""

import re
from typing import Any

from crawlers.items import JobPostingItem
from crawlers.pipelines import CountingPipeline
from crawlers.spiders_util import site_of


def _key(text: str | None) -> str:
    return re.sub(r"[\W_]+", "", (text or "").lower())


class DedupePipeline(CountingPipeline):
    def open_spider(self, spider: Any = None) -> None:
        self.refs: set[tuple[str, str]] = set()
        self.postings: dict[tuple[str, str, str], str] = {}

    def process_item(self, item: Any, spider: Any = None) -> Any:
        ref = (type(item).__name__ + ":" + str(item["source"]), str(item["external_id"]))
        if ref in self.refs:
            raise self.drop("duplicate", item["url"])
        self.refs.add(ref)
        if isinstance(item, JobPostingItem):
            posting = (_key(item.get("title")), _key(item.get("enterprise")), _key(item.get("location")))
            first = self.postings.get(posting)
            if first is not None and site_of(first) != site_of(item["url"]):
                raise self.drop("near_duplicate", f"{item['url']} repeats {first}")
            self.postings.setdefault(posting, item["url"])
        return item
