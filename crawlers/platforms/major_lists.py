"""Major lists: catalogue tables (code, name, class, category) and universities' lists of majors.

A table is read when its header names a major column (专业名称 / 名称 / major / programme); code, class and
category columns are used when present. A list (<ul>/<ol>) right after a heading that mentions majors is read
as names. The university is the spider's `university`, else the page's site name or title.
"""

import re
from collections.abc import Iterator
from typing import Any

import scrapy
from parsel import Selector
from scrapy.http import Response, TextResponse

from crawlers.items import MajorListingItem
from crawlers.platforms.sites import StaysOnSites
from crawlers.spiders_util import site_of

COLUMNS = {
    "code": re.compile(r"代码|编号|^code$|major code", re.I),
    "class_name": re.compile(r"专业类|^class|discipline class", re.I),
    "category_name": re.compile(r"门类|学科门类|category", re.I),
    "name": re.compile(r"专业名称|名称|^专业$|major|programme|program|subject", re.I),
}
MAJOR_HEADING = re.compile(r"专业|majors?|programmes?|programs?|degrees?", re.I)
CODE = re.compile(r"^\d{4,7}[TKtk]{0,2}$")  # 080901, 080911TK, and the 7-digit 0502100T


def header_columns(cells: list[str]) -> dict[str, int]:
    """Which column holds what, from a header row (the first matching pattern wins for each column)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        for field, pattern in COLUMNS.items():
            if field not in found and pattern.search(cell.strip()):
                found[field] = index
                break
    return found


def _cells(row: Selector) -> list[str]:
    return [" ".join(" ".join(c.css("::text").getall()).split()) for c in row.css("th, td")]


def table_rows(selector: Selector) -> Iterator[dict[str, str]]:
    """Rows of every table on the page whose header names a major column."""
    for table in selector.css("table"):
        rows = table.css("tr")
        if not rows:
            continue
        columns = header_columns(_cells(rows[0]))
        if "name" not in columns:
            continue
        for row in rows[1:]:
            cells = _cells(row)
            values = {field: cells[i] for field, i in columns.items() if i < len(cells)}
            if values.get("name"):
                yield values


def listed_names(selector: Selector) -> Iterator[str]:
    """Names in lists that follow a heading about majors."""
    for heading in selector.css("h1, h2, h3, h4"):
        if not MAJOR_HEADING.search(" ".join(heading.css("::text").getall())):
            continue
        for item in heading.xpath("following-sibling::*[1][self::ul or self::ol]/li"):
            name = " ".join(" ".join(item.css("::text").getall()).split())
            if name:
                yield name


def canonical_url(response: Response) -> str:
    """The page's `<link rel="canonical">` (absolute http(s)), else the URL it was fetched from: a mirror or a
    changed address then keeps the same listing ids."""
    if isinstance(response, TextResponse):
        href = response.xpath('//link[@rel="canonical"]/@href').get()
        if href and re.match(r"^https?://[^/\s]+", href.strip()):
            return href.strip()
    return response.url


def page_university(response: TextResponse) -> str:
    site = response.css('meta[property="og:site_name"]::attr(content)').get()
    title = response.css("title::text").get() or ""
    return (site or re.split(r"[-|–—_]", title)[0]).strip()


class MajorListSpider(StaysOnSites, scrapy.Spider):
    """Reads the major tables and lists on the given pages (it does not wander off them)."""

    university: str = ""

    def parse(self, response: Response, **kwargs: Any) -> Iterator[MajorListingItem]:
        if not isinstance(response, TextResponse):
            return
        university = self.university or page_university(response)
        seen = 0
        for row in table_rows(response.selector):
            code = row.get("code", "") if CODE.match(row.get("code", "")) else ""
            seen += 1
            yield self.item(
                response,
                row["name"],
                code,
                row.get("class_name", ""),
                row.get("category_name", ""),
                "" if code else university,
            )
        for name in listed_names(response.selector):
            seen += 1
            yield self.item(response, name, "", "", "", university)
        stats = getattr(getattr(self, "crawler", None), "stats", None)
        if not seen and stats is not None:
            stats.inc_value("talent/pages_without_majors")

    def item(
        self, response: Response, name: str, code: str, class_name: str, category: str, university: str
    ) -> MajorListingItem:
        url = canonical_url(response)
        return MajorListingItem(
            source=site_of(url),
            external_id=f"{url}#{code or name}"[:200],
            url=url,
            name=name,
            code=code,
            class_name=class_name,
            category_name=category,
            university=university,
            extras={},
        )
