"""ORCID public API v3.0 records (JSON or XML) as profile items.

Reads the full record (`/v3.0/{iD}/record`) and the section endpoints (`/person`, `/personal-details`,
`/biography`, `/keywords`, `/address`, `/activities`, `/educations`, `/employments`, `/qualifications` and the
single `/education/{put-code}` ...) alike: whatever the document holds is taken, whatever it lacks stays empty.
Entries whose `visibility` is not public (member-API data: "limited", "private") are left out and counted in
`extras["orcid_withheld"]`; a missing or null section is simply empty. XML is read with lxml in the ORCID schema's
namespaces, with entities and network access off.

`OrcidMixin.parse_orcid(response)` gives the item of one API response; subclasses may widen `visibilities`.
"""

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from scrapy.http import Response, XmlResponse

from crawlers.items import ProfileItem

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
ORCID_ID = re.compile(r"\b\d{4}-\d{4}-\d{4}-\d{3}[\dX]\b")
API_PATH = re.compile(r"/v3\.0/(\d{4}-\d{4}-\d{4}-\d{3}[\dX])(?:/|$)")
# A keyword entry often holds several: "machine learning, computer vision".
KEYWORD_SEPARATORS = re.compile(r"\s*[,;，；、]\s*")
# matcher.records.Education accepts end years in this range; a year outside it (ORCID's samples use 1948) is left out.
EDUCATION_YEARS = range(1950, 2101)

_NS = "http://www.orcid.org/ns/"
COMMON = _NS + "common"
PERSONAL = _NS + "personal-details"
NAME_TAGS = {f"{{{_NS}person}}name", f"{{{PERSONAL}}}name"}
BIOGRAPHY_TAGS = {f"{{{_NS}person}}biography", f"{{{PERSONAL}}}biography"}
KEYWORD_TAG = f"{{{_NS}keyword}}keyword"
ADDRESS_TAG = f"{{{_NS}address}}address"
# Affiliation element (the summary in lists, the full one at /education/{put-code}) -> which list it goes to.
AFFILIATION_TAGS = {
    f"{{{_NS}{kind}}}{kind}{suffix}": group
    for kind, group in (("education", "education"), ("qualification", "education"), ("employment", "employment"))
    for suffix in ("-summary", "")
}
AFFILIATION_KEYS = {tag.split("}", 1)[1]: group for tag, group in AFFILIATION_TAGS.items()}
# Elements that carry a visibility: read when public, counted as withheld otherwise.
ENTRY_TAGS = NAME_TAGS | BIOGRAPHY_TAGS | {KEYWORD_TAG, ADDRESS_TAG} | set(AFFILIATION_TAGS)
# JSON subtrees that describe organisations or sources, never the person (their "address" is an organisation's).
NOT_PERSON = {"organization", "convening-organization", "hosts", "source", "external-ids", "history", "preferences"}


@dataclass
class Affiliation:
    """One education, qualification or employment entry."""

    organization: str = ""
    department: str = ""
    role: str = ""
    country: str = ""
    start: tuple[str, str] = ("", "")  # (year, month), either may be empty
    end: tuple[str, str] = ("", "")


@dataclass
class OrcidDocument:
    """What one API response says about one person (any subset of the record)."""

    orcid: str = ""
    uri: str = ""
    given: str = ""
    family: str = ""
    credit: str = ""
    biography: str = ""
    keywords: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    education: list[Affiliation] = field(default_factory=list)
    employment: list[Affiliation] = field(default_factory=list)
    withheld: int = 0  # entries left out for not being public

    @property
    def name(self) -> str:
        """Given and family names; in Chinese, Japanese or Korean script family name first, no space (张敏)."""
        if self.given and self.family and CJK.search(self.given) and CJK.search(self.family):
            return self.family + self.given
        return " ".join(p for p in (self.given, self.family) if p) or self.credit


class NotOrcid(ValueError):
    """The document is not an ORCID record or section."""


def _clean(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""


def year_month(year: str, month: str = "") -> str:
    """'2019', '3' -> '2019-03'; '2019', '' -> '2019'; '' when there is no year."""
    year = _clean(year)
    if not re.fullmatch(r"\d{4}", year):
        return ""
    month = _clean(month)
    return f"{year}-{int(month):02d}" if month.isdigit() and 1 <= int(month) <= 12 else year


def education_end_year(year: str) -> int | None:
    year = _clean(year)
    return int(year) if year.isdigit() and int(year) in EDUCATION_YEARS else None


# XML -----------------------------------------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _child_text(element: Any, *path: str) -> str:
    for tag in path:
        if element is None:
            return ""
        element = element.find(tag)
    return _clean(element.text) if element is not None else ""


def _xml_public(element: Any, visibilities: set[str]) -> bool:
    visibility = element.get("visibility")
    return visibility is None or visibility in visibilities


def _xml_date(element: Any, tag: str) -> tuple[str, str]:
    date = element.find(f"{{{COMMON}}}{tag}")
    if date is None:
        return "", ""
    return _child_text(date, f"{{{COMMON}}}year"), _child_text(date, f"{{{COMMON}}}month")


def parse_xml(body: bytes, visibilities: set[str]) -> OrcidDocument:
    """An ORCID v3.0 XML document (record or section) -> what it says; NotOrcid for anything else."""
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as exc:
        raise NotOrcid(f"not well-formed XML: {exc}") from None
    if not isinstance(root.tag, str) or not root.tag.startswith("{" + _NS):
        raise NotOrcid(f"root element {root.tag!r} is not in an ORCID namespace")
    doc = OrcidDocument()
    identifier = root.find(f"{{{COMMON}}}orcid-identifier")
    if identifier is not None:
        doc.orcid = _child_text(identifier, f"{{{COMMON}}}path")
        doc.uri = _child_text(identifier, f"{{{COMMON}}}uri")
    if not doc.orcid:
        found = ORCID_ID.search(root.get("path") or "")
        doc.orcid = found.group(0) if found else ""
    for element in root.iter(etree.Element):
        tag = element.tag
        if tag not in ENTRY_TAGS:
            continue
        if not _xml_public(element, visibilities):
            doc.withheld += 1
        elif tag in NAME_TAGS:
            doc.given = _child_text(element, f"{{{PERSONAL}}}given-names")
            doc.family = _child_text(element, f"{{{PERSONAL}}}family-name")
            doc.credit = _child_text(element, f"{{{PERSONAL}}}credit-name")
        elif tag in BIOGRAPHY_TAGS:
            doc.biography = _child_text(element, f"{{{PERSONAL}}}content")
        elif tag == KEYWORD_TAG:
            doc.keywords.append(_child_text(element, f"{{{_NS}keyword}}content"))
        elif tag == ADDRESS_TAG:
            doc.countries.append(_child_text(element, f"{{{_NS}address}}country"))
        else:
            organization = element.find(f"{{{COMMON}}}organization")
            entry = Affiliation(
                organization=_child_text(organization, f"{{{COMMON}}}name"),
                department=_child_text(element, f"{{{COMMON}}}department-name"),
                role=_child_text(element, f"{{{COMMON}}}role-title"),
                country=_child_text(organization, f"{{{COMMON}}}address", f"{{{COMMON}}}country"),
                start=_xml_date(element, "start-date"),
                end=_xml_date(element, "end-date"),
            )
            getattr(doc, AFFILIATION_TAGS[tag]).append(entry)
    return doc


# JSON ----------------------------------------------------------------------------------------------------------


def _value(value: Any) -> str:
    """ORCID JSON wraps most strings: {"value": "..."}; some are plain."""
    if isinstance(value, dict):
        return _clean(value.get("value"))
    return _clean(value)


def _json_public(obj: dict[str, Any], visibilities: set[str]) -> bool:
    visibility = obj.get("visibility")
    return visibility is None or str(visibility).lower() in visibilities


def _visible(value: dict[str, Any], doc: OrcidDocument, visibilities: set[str]) -> bool:
    """Whether a JSON entry may be read; one that may not is counted as withheld."""
    if _json_public(value, visibilities):
        return True
    doc.withheld += 1
    return False


def _json_date(value: Any) -> tuple[str, str]:
    if not isinstance(value, dict):
        return "", ""
    return _value(value.get("year")), _value(value.get("month"))


def _section_of(path: Any) -> str:
    """'/0000-0002-7319-2192/education/6455' -> 'education'; '/0000-...-2192/keywords' -> 'keywords'."""
    parts = [p for p in str(path or "").split("/") if p and not ORCID_ID.fullmatch(p)]
    return parts[0] if parts else ""


def parse_json(data: Any, visibilities: set[str]) -> OrcidDocument:
    """An ORCID v3.0 JSON document (record or section) -> what it says; NotOrcid for anything else."""
    if not isinstance(data, dict):
        raise NotOrcid("not a JSON object")
    doc = OrcidDocument()
    identifier = data.get("orcid-identifier")
    if isinstance(identifier, dict):
        doc.orcid, doc.uri = _clean(identifier.get("path")), _clean(identifier.get("uri"))
    if not doc.orcid:
        found = ORCID_ID.search(str(data.get("path") or ""))
        doc.orcid = found.group(0) if found else ""
    known = {"orcid-identifier", "person", "activities-summary", "name", "biography", "keyword", "address"}
    known |= {"affiliation-group", "educations", "employments", "qualifications", "content", *AFFILIATION_KEYS}
    if not doc.orcid and not known & set(data):
        raise NotOrcid("no ORCID record fields")
    _walk_json(data, _section_of(data.get("path")), doc, visibilities)
    return doc


def _walk_json(value: Any, key: str, doc: OrcidDocument, visibilities: set[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _walk_json(item, key, doc, visibilities)
        return
    if not isinstance(value, dict):
        return
    if key in ("name", "personal-details") and "given-names" in value:
        if _visible(value, doc, visibilities):
            doc.given = _value(value.get("given-names"))
            doc.family = _value(value.get("family-name"))
            doc.credit = _value(value.get("credit-name"))
        if key == "name":
            return
    if key == "biography" and "content" in value:
        if _visible(value, doc, visibilities):
            doc.biography = _clean(value.get("content"))
        return
    if key in ("keyword", "keywords") and "content" in value:
        if _visible(value, doc, visibilities):
            doc.keywords.append(_clean(value.get("content")))
        return
    if key in ("address", "addresses") and "country" in value:
        if _visible(value, doc, visibilities):
            doc.countries.append(_value(value.get("country")))
        return
    if key in AFFILIATION_KEYS and ("organization" in value or "role-title" in value):
        if not _visible(value, doc, visibilities):
            return
        organization = value.get("organization")
        organization = organization if isinstance(organization, dict) else {}
        address = organization.get("address")
        address = address if isinstance(address, dict) else {}
        entry = Affiliation(
            organization=_clean(organization.get("name")),
            department=_clean(value.get("department-name")),
            role=_clean(value.get("role-title")),
            country=_value(address.get("country")),
            start=_json_date(value.get("start-date")),
            end=_json_date(value.get("end-date")),
        )
        getattr(doc, AFFILIATION_KEYS[key]).append(entry)
        return
    for child_key, child in value.items():
        if isinstance(child, dict | list) and child_key not in NOT_PERSON:
            _walk_json(child, child_key, doc, visibilities)


# Item ----------------------------------------------------------------------------------------------------------


def _split_keywords(keywords: Iterable[str]) -> list[str]:
    return [part for keyword in keywords for part in KEYWORD_SEPARATORS.split(keyword) if part]


def profile_item(doc: OrcidDocument, api_url: str) -> ProfileItem:
    """Our item from what one ORCID API response said (fields it did not have stay empty)."""
    extras: dict[str, Any] = {}  # where it was fetched from is not kept: `url` is the record's canonical address
    if doc.withheld:
        extras["orcid_withheld"] = doc.withheld
    return ProfileItem(
        source="orcid",
        external_id=doc.orcid,
        url=doc.uri or (f"https://orcid.org/{doc.orcid}" if doc.orcid else api_url),
        name=doc.name,
        headline="",
        summary=doc.biography,
        skills=_split_keywords(doc.keywords),
        education=[
            {
                "school": e.organization,
                "degree": e.role,
                "major": e.department,
                "country": e.country,
                "end_year": education_end_year(e.end[0]),
            }
            for e in doc.education
        ],
        experience=[
            {
                "title": e.role,
                "organization": e.organization,
                "description": e.department,
                "start": year_month(*e.start),
                "end": year_month(*e.end),
            }
            for e in doc.employment
        ],
        location="; ".join(dict.fromkeys(c for c in doc.countries if c)),
        languages=[],
        extras=extras,
    )


def record_url(url: str) -> str:
    """The whole-record API URL for an ORCID API URL of one section (others unchanged)."""
    found = API_PATH.search(url)
    return f"{url[: found.start()]}/v3.0/{found[1]}/record" if found else url


def content_kind(response: Response) -> str:
    """'json', 'xml' or 'html' (anything else) from the response's Content-Type (else from Scrapy's sniffing)."""
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    if "json" in content_type:
        return "json"
    if "xml" in content_type and "html" not in content_type:
        return "xml"
    if not content_type and isinstance(response, XmlResponse):
        return "xml"
    return "html"


class OrcidMixin:
    """What a spider does with an ORCID API response: one ProfileItem, or nothing when it is not ORCID."""

    visibilities: set[str] = {"public"}  # noqa: RUF012 - a class-level default subclasses replace

    def parse_orcid(self, response: Response) -> Iterator[ProfileItem]:
        stats = getattr(getattr(self, "crawler", None), "stats", None)
        kind = content_kind(response)
        try:
            if kind == "json":
                try:
                    data = json.loads(response.body)
                except ValueError:
                    raise NotOrcid("not valid JSON") from None
                doc = parse_json(data, self.visibilities)
            else:
                doc = parse_xml(response.body, self.visibilities)
        except NotOrcid:
            if stats is not None:
                stats.inc_value(f"talent/malformed/orcid-{kind}")
            return
        if not doc.orcid:  # a section without a path attribute (keywords): the iD is in the API URL
            found = API_PATH.search(response.url) or ORCID_ID.search(response.url)
            doc.orcid = found.group(found.lastindex or 0) if found else ""
        if stats is not None and doc.withheld:
            stats.inc_value("talent/orcid/withheld_entries", doc.withheld)
        yield profile_item(doc, response.url)
