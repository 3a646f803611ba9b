"""Job postings from any site whose pages carry schema.org JobPosting (JSON-LD or microdata).

`JobPostingSpider` follows links within the sites it starts on; `JobPostingSitemapSpider` reads their
sitemaps instead. A new careers site is a few lines: a name and start URLs (see docs/crawling.md).
"""

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spiders import SitemapSpider

from crawlers.items import JobPostingItem
from crawlers.platforms.schemaorg import first, place, text, typed_objects, types_of
from crawlers.platforms.sites import PAGE_LINKS, StaysOnSites
from crawlers.spiders_util import site_of


def posting_item(obj: dict[str, Any], page_url: str, position: int) -> JobPostingItem:
    """Our item from one JobPosting object found on `page_url` (the `position`-th posting there)."""
    organization = first(obj.get("hiringOrganization"))
    salary = first(obj.get("baseSalary")) or first(obj.get("estimatedSalary"))
    amount = salary.get("value") if isinstance(salary, dict) else salary
    amount = first(amount)
    identifier_value = first(obj.get("identifier"))
    # A PropertyValue identifier names the issuer in `name` and carries the id in `value` (Google's guidelines).
    if isinstance(identifier_value, dict) and identifier_value.get("value") not in (None, ""):
        identifier_value = identifier_value["value"]
    identifier = text(identifier_value)
    url = text(obj.get("url")) or page_url
    requirements = [
        text(obj.get(key))
        for key in ("educationRequirements", "experienceRequirements", "qualifications", "skills", "responsibilities")
    ]
    item = JobPostingItem(
        source=site_of(page_url),
        external_id=identifier or (url if position == 0 else f"{url}#{position}"),
        url=url,
        title=text(obj.get("title")) or text(obj.get("name")),
        enterprise=text(organization),
        enterprise_url=text(organization.get("sameAs") or organization.get("url"))
        if isinstance(organization, dict)
        else "",
        industry=text(obj.get("industry")),
        description=text(obj.get("description")),
        requirements="\n".join(r for r in requirements if r),
        majors=_credential_subjects(obj.get("educationRequirements"), obj.get("qualifications")),
        min_degree=text(obj.get("educationRequirements")) or _credential(obj.get("qualifications")),
        location=place(obj.get("jobLocation")) or ("remote" if obj.get("jobLocationType") else ""),
        posted_at=text(obj.get("datePosted")) or None,
        valid_through=text(obj.get("validThrough")) or None,
        occupational_category=text(obj.get("occupationalCategory")),
        extras={"employment_type": text(obj.get("employmentType"))} if obj.get("employmentType") else {},
    )
    organization_id = text(first(organization.get("identifier"))) if isinstance(organization, dict) else ""
    if isinstance(organization, dict) and (organization_id or item["enterprise_url"]):
        # An identified organisation (its id, else its URL) is stored as an enterprise the job links to.
        item["enterprise_external_id"] = organization_id or item["enterprise_url"]
        item["organization"] = {
            "name": item["enterprise"],
            "website": item["enterprise_url"],
            "description": text(organization.get("description")),
            "location": place(first(organization.get("address") or organization.get("location"))),
        }
    openings = first(obj.get("totalJobOpenings"))
    if _is_number(openings) and 0 < float(str(openings)) < 10_000:
        item["extras"]["openings"] = int(float(str(openings)))
    months = _months_of_experience(obj.get("experienceRequirements"))
    if months is not None:
        item["extras"]["experience_months"] = months
    if isinstance(amount, dict):
        item["salary_min"] = amount.get("minValue", amount.get("value"))
        item["salary_max"] = amount.get("maxValue", amount.get("value"))
        item["salary_period"] = text(amount.get("unitText"))
    elif _is_number(amount):
        item["salary_min"] = item["salary_max"] = amount
    elif text(amount):  # "15-25K·13薪": left to the normalize pipeline to read
        item["extras"]["salary_text"] = text(amount)
    currency = text(salary.get("currency")) if isinstance(salary, dict) else ""
    item["currency"] = currency or text(obj.get("salaryCurrency"))  # JobPosting.salaryCurrency
    return item


def _credential(value: Any) -> str:
    """The degree an EducationalOccupationalCredential in `qualifications` names ('' for plain text)."""
    value = first(value)
    if isinstance(value, dict) and "EducationalOccupationalCredential" in types_of(value):
        return text(value.get("credentialCategory"))
    return ""


def _credential_subjects(*values: Any) -> list[str]:
    """Majors a posting names as the subjects (`about`) of the credentials it asks for."""
    subjects: list[str] = []
    for value in values:
        for credential in value if isinstance(value, list) else [value]:
            if isinstance(credential, dict) and "EducationalOccupationalCredential" in types_of(credential):
                about = credential.get("about")
                subjects += [text(a) for a in (about if isinstance(about, list) else [about]) if text(a)]
    return subjects


def _months_of_experience(value: Any) -> float | None:
    """monthsOfExperience of OccupationalExperienceRequirements, when the posting gives it as a number."""
    value = first(value)
    months = value.get("monthsOfExperience") if isinstance(value, dict) else None
    return float(str(months)) if months is not None and _is_number(months) else None


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    try:
        float(str(value).replace(",", ""))
    except ValueError:
        return False
    return True


class JobPostingMixin:
    """What both spiders do with a page: every JobPosting on it becomes an item."""

    def parse_postings(self, response: Response) -> Iterator[JobPostingItem]:
        if not hasattr(response, "text"):
            return
        stats = getattr(getattr(self, "crawler", None), "stats", None)
        seen: set[tuple[str, ...]] = set()
        for obj in typed_objects(response, {"JobPosting"}, stats):
            item = posting_item(obj, response.url, len(seen))
            # The same posting marked up twice on one page (JSON-LD and microdata) is one posting.
            key = tuple(" ".join(str(item.get(f) or "").split()) for f in ("title", "location", "url"))
            key += (text(first(obj.get("identifier"))),)
            if key in seen:
                continue
            seen.add(key)
            yield item


class JobPostingSpider(StaysOnSites, JobPostingMixin, scrapy.Spider):
    """Starts at `start_urls` (or `-a urls=...`), follows links on the same sites, reads every JobPosting."""

    link_extractor = PAGE_LINKS

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        yield from self.parse_postings(response)
        if isinstance(response, TextResponse):
            for link in self.link_extractor.extract_links(response):
                yield response.follow(link, callback=self.parse)


class JobPostingSitemapSpider(StaysOnSites, JobPostingMixin, SitemapSpider):
    """Reads the sitemaps of `sitemap_urls` (or robots.txt) and every JobPosting on the pages they list."""

    url_attribute = "sitemap_urls"

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        yield from self.parse_postings(response)
