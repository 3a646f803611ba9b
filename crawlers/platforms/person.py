"""People from pages that carry schema.org Person or ProfilePage (JSON-LD or microdata): academic homepages.

name; jobTitle -> headline; description -> summary; knowsAbout -> skills; alumniOf -> education (school; and
degree, major and end year when given as an OrganizationRole with roleName, description, endDate); worksFor and
affiliation -> experience; address/homeLocation -> location; knowsLanguage -> languages; seeks (a Demand) ->
preferred_locations (its areaServed) and industries (its category).
A page that asks not to be indexed (`<meta name="robots" content="noindex">` or an `X-Robots-Tag: noindex`
header) still gives its items, marked `extras["noindex"] = True`, so the validate pipeline drops them and counts
the drop; `nofollow` stops link following.
"""

import re
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse

from crawlers.items import ProfileItem
from crawlers.platforms.orcid import KEYWORD_SEPARATORS, education_end_year, year_month
from crawlers.platforms.schemaorg import first, place, text, typed_objects, types_of
from crawlers.platforms.sites import PAGE_LINKS, StaysOnSites
from crawlers.spiders_util import site_of

ROLE_TYPES = {"Role", "OrganizationRole", "EmployeeRole"}
DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?")


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _date(value: Any) -> tuple[str, str]:
    match = DATE.match(text(value))
    return (match[1], match[2] or "") if match else ("", "")


def _unrole(value: Any, prop: str) -> tuple[Any, dict[str, Any]]:
    """schema.org's Role pattern: {"@type": "OrganizationRole", "alumniOf": {...}, "roleName": ...} -> (org, role)."""
    if isinstance(value, dict) and ROLE_TYPES & set(types_of(value)):
        return first(value.get(prop)), value
    return value, {}


def _country(organization: Any) -> str:
    if not isinstance(organization, dict):
        return ""
    address = first(organization.get("address") or organization.get("location"))
    if isinstance(address, dict):
        address = first(address.get("address", address))
    return text(address.get("addressCountry")) if isinstance(address, dict) else ""


def robots_directives(response: Response) -> set[str]:
    """Directives from <meta name="robots"> and X-Robots-Tag, lower-cased: {'noindex', 'nofollow', ...}."""
    values = [v.decode("latin-1") for v in response.headers.getlist("X-Robots-Tag")]
    if isinstance(response, TextResponse):
        values += response.xpath("//meta[translate(@name, 'ROBTS', 'robts')='robots']/@content").getall()
    directives: set[str] = set()
    for value in values:
        for part in value.split(","):
            directive = part.rsplit(":", 1)[-1].strip().lower()
            directives |= {"noindex", "nofollow"} if directive == "none" else {directive}
    return directives


def person_item(obj: dict[str, Any], page_url: str, position: int) -> ProfileItem:
    """Our item from one schema.org Person found on `page_url` (the `position`-th person there)."""
    url = text(first(obj.get("url"))) or page_url
    identifier = text(first(obj.get("identifier"))) or text(obj.get("@id"))
    name = text(obj.get("name")) or " ".join(p for p in (text(obj.get("givenName")), text(obj.get("familyName"))) if p)
    education = []
    for value in _as_list(obj.get("alumniOf")):
        school, role = _unrole(value, "alumniOf")
        education.append(
            {
                "school": text(school),
                "degree": text(role.get("roleName")),
                "major": text(role.get("description")) if role else "",
                "country": _country(school),
                "end_year": education_end_year(_date(role.get("endDate"))[0]),
            }
        )
    experience: list[dict[str, Any]] = []
    works_for = _as_list(obj.get("worksFor"))
    for prop, values in (("worksFor", works_for), ("affiliation", _as_list(obj.get("affiliation")))):
        for value in values:
            organization, role = _unrole(value, prop)
            org_name = text(organization)
            if not org_name or (prop == "affiliation" and any(e["organization"] == org_name for e in experience)):
                continue  # an affiliation that repeats an employer; two roles at one employer are both kept
            title = text(role.get("roleName")) or (
                text(obj.get("jobTitle")) if prop == "worksFor" and len(works_for) == 1 else ""
            )
            experience.append(
                {
                    "title": title,
                    "organization": org_name,
                    "description": text(role.get("description")) if role else "",
                    "start": year_month(*_date(role.get("startDate"))),
                    "end": year_month(*_date(role.get("endDate"))),
                }
            )
    skills = [
        part for value in _as_list(obj.get("knowsAbout")) for part in KEYWORD_SEPARATORS.split(text(value)) if part
    ]
    seeks = first(obj.get("seeks"))
    seeks = seeks if isinstance(seeks, dict) else {}
    return ProfileItem(
        source=site_of(page_url),
        external_id=identifier or (url if position == 0 else f"{url}#{position}"),
        url=url,
        name=name,
        headline=text(obj.get("jobTitle")),
        summary=text(obj.get("description")),
        skills=skills,
        education=[e for e in education if e["school"]],
        experience=experience,
        location=place(first(obj.get("homeLocation"))) or place(first(obj.get("address"))),
        preferred_locations=[t for t in (place(v) for v in _as_list(seeks.get("areaServed"))) if t],
        industries=[t for t in (text(v) for v in _as_list(seeks.get("category"))) if t],
        languages=[t for t in (text(v) for v in _as_list(obj.get("knowsLanguage"))) if t],
        extras={},
    )


def people(response: Response, stats: Any = None) -> Iterator[dict[str, Any]]:
    """Each distinct Person on the page: standalone, or the mainEntity of a ProfilePage."""
    seen: set[str] = set()
    for obj in typed_objects(response, {"Person", "ProfilePage"}, stats):
        person = obj
        if "Person" not in types_of(obj):
            person = first(obj.get("mainEntity") or obj.get("about"))
            if not isinstance(person, dict) or "Person" not in types_of(person):
                continue
        key = text(person.get("@id")) or text(person.get("name")) or repr(sorted(person))
        if key not in seen:
            seen.add(key)
            yield person


class PersonMixin:
    """What a spider does with an HTML page: every Person on it becomes an item (marked when noindex)."""

    def parse_people(self, response: Response) -> Iterator[ProfileItem]:
        if not isinstance(response, TextResponse):
            return
        stats = getattr(getattr(self, "crawler", None), "stats", None)
        noindex = "noindex" in robots_directives(response)
        for position, obj in enumerate(people(response, stats)):
            item = person_item(obj, response.url, position)
            if noindex:
                item["extras"]["noindex"] = True
            yield item


class PersonSpider(StaysOnSites, PersonMixin, scrapy.Spider):
    """Starts at `start_urls` (or `-a urls=...`), follows links on the same sites, reads every Person."""

    link_extractor = PAGE_LINKS

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        yield from self.parse_people(response)
        yield from self.follow_links(response)

    def follow_links(self, response: Response) -> Iterator[scrapy.Request]:
        if isinstance(response, TextResponse) and "nofollow" not in robots_directives(response):
            for link in self.link_extractor.extract_links(response):
                yield response.follow(link, callback=self.parse)
