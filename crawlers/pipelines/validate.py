"""Validate: drop items that cannot become a useful record, counting why."""

from typing import Any

from crawlers.items import JobPostingItem, MajorListingItem, ProfileItem
from crawlers.pipelines import CountingPipeline


class ValidatePipeline(CountingPipeline):
    def process_item(self, item: Any, spider: Any = None) -> Any:
        for field in ("source", "external_id", "url"):
            if not item.get(field):
                raise self.drop(f"missing_{field}", str(item.get("url") or ""))
        if item.get("extras", {}).get("noindex"):
            raise self.drop("noindex", item["url"])
        if isinstance(item, JobPostingItem) and not item.get("title"):
            raise self.drop("missing_title", item["url"])
        if isinstance(item, ProfileItem) and not (item.get("name") or item.get("education") or item.get("experience")):
            raise self.drop("empty_profile", item["url"])
        if isinstance(item, MajorListingItem) and not item.get("name"):
            raise self.drop("missing_name", item["url"])
        return item
