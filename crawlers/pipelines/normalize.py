"""Normalize: HTML to text, whitespace, dates, salary ranges and currency, degree levels."""

from datetime import UTC, datetime
from typing import Any

from crawlers.items import JobPostingItem, ProfileItem
from crawlers.normalize import (
    degree_name,
    html_to_text,
    infer_salary_period,
    iso_date,
    parse_salary_text,
    salary_period,
)
from crawlers.pipelines import CountingPipeline

TEXT_FIELDS = (
    "title",
    "enterprise",
    "industry",
    "description",
    "requirements",
    "location",
    "name",
    "headline",
    "summary",
)


class NormalizePipeline(CountingPipeline):
    def process_item(self, item: Any, spider: Any = None) -> Any:
        item.setdefault("extras", {})
        item.setdefault("fetched_at", datetime.now(UTC).isoformat())
        source = getattr(self.crawler.spider if self.crawler else None, "source", None)
        if source:  # `-a source=NAME` (`talent crawl --source`): label everything this crawl stores
            item["source"] = str(source)
        for field in TEXT_FIELDS:
            if field in item.fields and item.get(field) is not None:
                item[field] = html_to_text(item[field])
        if isinstance(item, JobPostingItem):
            self._job(item)
        elif isinstance(item, ProfileItem):
            item["skills"] = [s for s in dict.fromkeys(html_to_text(x) for x in item.get("skills") or []) if s]
        return item

    def _job(self, item: JobPostingItem) -> None:
        for field in ("posted_at", "valid_through"):
            if item.get(field):
                parsed = iso_date(item[field])
                if parsed is None:
                    self.stats.inc_value(f"talent/normalize/unreadable_{field}")
                item[field] = parsed
        if item.get("salary_min") is None and item.get("salary_max") is None and item["extras"].get("salary_text"):
            low, high, period = parse_salary_text(item["extras"]["salary_text"])
            item["salary_min"], item["salary_max"] = low, high
            item.setdefault("salary_period", period)
        for field in ("salary_min", "salary_max"):
            item[field] = _number(item.get(field))
        if item.get("salary_min") is not None and item.get("salary_max") is not None:
            low, high = sorted((item["salary_min"], item["salary_max"]))
            item["salary_min"], item["salary_max"] = low, high
        item["currency"] = (str(item.get("currency") or "CNY").strip().upper() or "CNY")[:3]
        period = salary_period(item.get("salary_period"))
        amount = item.get("salary_max") if item.get("salary_max") is not None else item.get("salary_min")
        if period is None and amount is not None:
            period = infer_salary_period(amount, item["currency"])
            item["extras"]["salary_period_inferred"] = True
        item["salary_period"] = period or "month"
        level, understood = degree_name(item.get("min_degree"))
        if not understood:
            item["extras"]["min_degree_text"] = item.get("min_degree")
            self.stats.inc_value("talent/normalize/unknown_degree")
        item["min_degree"] = level
        item["majors"] = [m for m in dict.fromkeys(html_to_text(x) for x in item.get("majors") or []) if m]
        if item.get("organization"):
            item["organization"] = {k: html_to_text(v) for k, v in item["organization"].items()}


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        return None
    return number if number >= 0 and number == number and number != float("inf") else None
