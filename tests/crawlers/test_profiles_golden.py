"""Golden files for the profiles spider: every sample in tests/samples/orcid beside the items it must produce.

Each ORCID sample (as the API response of the URL below) and each page in people/ is parsed by the profiles
spider and passed through the normalize pipeline; the result (with `fetched_at` removed) must equal
`<sample>.expected.json` beside it. After a deliberate change, regenerate the expected files with

    TALENT_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/crawlers/test_profiles_golden.py

and review the diff before committing it.
"""

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from crawlers.items import ProfileItem
from crawlers.pipelines.normalize import NormalizePipeline
from crawlers.pipelines.store import candidate_record
from crawlers.pipelines.validate import ValidatePipeline
from crawlers.platforms.orcid import OrcidDocument
from crawlers.spiders.profiles import ORCID_ACCEPT, ProfilesSpider

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "orcid"
API = "https://pub.orcid.org/v3.0/{orcid}/{section}"
HOMEPAGES = "https://people.example.ac.uk/~arahman/{name}"
# Sample -> the API URL it answers (ORCID's samples use the iD 8888-8888-8888-8880; keywords-3.0.xml names none).
ORCID_URLS = {
    "record-3.0.xml": API.format(orcid="8888-8888-8888-8880", section="record"),
    "person-3.0.xml": API.format(orcid="8888-8888-8888-8880", section="person"),
    "keywords-3.0.xml": API.format(orcid="8888-8888-8888-8880", section="keywords"),
    "educations-3.0.xml": API.format(orcid="8888-8888-8888-8880", section="educations"),
    "employments-3.0.xml": API.format(orcid="8888-8888-8888-8880", section="employments"),
    "qualifications-3.0.xml": API.format(orcid="8888-8888-8888-8880", section="qualifications"),
    "record-full-3.0.json": API.format(orcid="0000-0002-7319-2192", section="record"),
    "record-0000-0003-1415-9269.xml": API.format(orcid="0000-0003-1415-9269", section="record"),
    "record-0000-0002-7182-8185.json": API.format(orcid="0000-0002-7182-8185", section="record"),
}
SAMPLE_FILES = [SAMPLES / name for name in ORCID_URLS] + sorted((SAMPLES / "people").glob("*.html"))
REGENERATE = os.environ.get("TALENT_REGENERATE_GOLDEN") == "1"
# Samples whose item the validate pipeline drops, and why: a page marked noindex; a keywords section alone (no name,
# education or experience), which is no profile to store.
DROPPED = {"noindex-homepage.html": "noindex", "keywords-3.0.xml": "empty_profile"}


def spider_and_crawler() -> tuple[ProfilesSpider, Any]:
    crawler = get_crawler(ProfilesSpider)
    spider = ProfilesSpider.from_crawler(crawler, urls="https://pub.orcid.org/,https://people.example.ac.uk/")
    return spider, crawler


def response_for(path: Path, headers: dict[str, str] | None = None) -> Response:
    if path.suffix == ".html":
        url = HOMEPAGES.format(name=path.name)
        return HtmlResponse(url=url, body=path.read_bytes(), encoding="utf-8", headers=headers)
    content_type = "application/json;charset=UTF-8" if path.suffix == ".json" else "application/vnd.orcid+xml"
    cls = TextResponse if path.suffix == ".json" else XmlResponse
    return cls(url=ORCID_URLS[path.name], body=path.read_bytes(), headers={"Content-Type": content_type})


def crawl(response: Response) -> tuple[list[dict[str, Any]], list[Request], dict[str, Any]]:
    """The normalized items from one response (plain JSON-able dicts), the requests it led to, the stats."""
    spider, crawler = spider_and_crawler()
    pipeline = NormalizePipeline.from_crawler(crawler)
    items, requests = [], []
    for result in spider.parse(response):
        if isinstance(result, Request):
            requests.append(result)
            continue
        normalized = dict(pipeline.process_item(result, spider))
        normalized.pop("fetched_at")
        items.append(normalized)
    return json.loads(json.dumps(items, ensure_ascii=False)), requests, crawler.stats.get_stats()


def expected_path(sample: Path) -> Path:
    return sample.with_name(sample.name + ".expected.json")


def test_samples_are_present() -> None:
    for path in SAMPLE_FILES:
        assert path.is_file(), path
    assert (SAMPLES / "LICENSE").is_file()
    assert {p.name for p in (SAMPLES / "people").glob("*.html")} == {
        "en-homepage.html",
        "zh-homepage.html",
        "noindex-homepage.html",
    }


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=[p.name for p in SAMPLE_FILES])
def test_sample_gives_expected_items(sample: Path) -> None:
    items, _, _ = crawl(response_for(sample))
    assert items, f"{sample.name}: no item was extracted"  # every sample is a profile (regenerating included)
    if REGENERATE:
        text = json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        expected_path(sample).write_text(text, "utf-8")
    assert items == json.loads(expected_path(sample).read_text("utf-8"))


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=[p.name for p in SAMPLE_FILES])
def test_items_with_content_are_valid_records(sample: Path) -> None:
    """Every sample gives items, and whatever passes the validate pipeline is accepted by the import schema (no
    refused years or fields): at least one record comes out of each sample but those DROPPED, for their reason."""
    spider, crawler = spider_and_crawler()
    validate = ValidatePipeline.from_crawler(crawler)
    items = crawl(response_for(sample))[0]
    assert items, f"{sample.name}: no item was extracted"
    records = []
    for item in items:
        profile = ProfileItem(fetched_at="2026-01-01T00:00:00+00:00", **item)
        try:
            validate.process_item(profile, spider)
        except DropItem:
            continue
        if profile.get("summary") or profile.get("skills") or profile.get("education") or profile.get("experience"):
            records.append(candidate_record(profile))
    if sample.name in DROPPED:
        assert records == [] and crawler.stats.get_value(f"talent/dropped/{DROPPED[sample.name]}") == len(items)
    else:
        assert records, f"{sample.name}: no item passed validation with content to import"
        assert {r.external_id for r in records} <= {item["external_id"] for item in items}


def test_orcid_full_record_xml() -> None:
    [item], _, stats = crawl(response_for(SAMPLES / "record-0000-0003-1415-9269.xml"))
    assert item["source"] == "orcid"
    assert item["external_id"] == "0000-0003-1415-9269"
    assert item["url"] == "https://orcid.org/0000-0003-1415-9269"
    assert item["name"] == "Wen Li"
    assert "intrusion detection" in item["summary"]
    assert item["skills"] == [
        "intrusion detection",
        "industrial control systems",
        "privacy-preserving machine learning",
    ]
    assert item["education"][0] == {
        "school": "University of Edinburgh",
        "degree": "MSc",
        "major": "Cyber Security",
        "country": "GB",
        "end_year": 2016,
    }
    assert item["experience"][0] == {
        "title": "Senior Security Engineer",
        "organization": "Northbridge Energy Ltd",
        "description": "Industrial Security",
        "start": "2019-03",
        "end": "",
    }
    assert "Not For Publication Ltd" not in json.dumps(item)  # the private employment is left out, and counted
    assert item["extras"]["orcid_withheld"] == 1
    assert stats["talent/orcid/withheld_entries"] == 1
    assert item["location"] == "GB"


def test_orcid_json_record_years_outside_the_schema_are_left_out() -> None:
    """ORCID's JSON sample dates everything 1948, below Education.end_year's range: the year goes, the rest stays."""
    [item], _, _ = crawl(response_for(SAMPLES / "record-full-3.0.json"))
    assert item["name"] == "Three releasecandidate1"
    assert item["summary"] == ""  # "biography": null
    assert item["education"] and all(e["end_year"] is None for e in item["education"])
    assert item["experience"][0]["start"] == "1948-02"
    assert item["location"] == "US"  # the person's address, not an organisation's (AF)


def test_private_sections_are_withheld_and_missing_ones_empty() -> None:
    """ORCID's XML sample marks every activity private: name, biography, keywords and country remain."""
    [item], _, _ = crawl(response_for(SAMPLES / "record-3.0.xml"))
    assert item["name"] == "give-names family-name"
    assert item["education"] == [] and item["experience"] == []
    assert item["extras"]["orcid_withheld"] == 3


def test_name_falls_back_to_credit_name() -> None:
    body = b"""<personal-details:personal-details path="/0000-0003-1415-9269/personal-details"
        xmlns:personal-details="http://www.orcid.org/ns/personal-details">
        <personal-details:name visibility="public"><personal-details:credit-name>W. Li</personal-details:credit-name>
        </personal-details:name></personal-details:personal-details>"""
    response = XmlResponse(url=API.format(orcid="0000-0003-1415-9269", section="personal-details"), body=body)
    [item], _, _ = crawl(response)
    assert item["name"] == "W. Li"
    assert item["external_id"] == "0000-0003-1415-9269"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<record:record xmlns:record='http://www.orcid.org/ns/record'>", "application/xml"),
        (b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'/>", "application/xml"),
        (b"{not json", "application/json"),
        (b'["a", "list"]', "application/json"),
    ],
    ids=["broken-xml", "not-orcid-xml", "broken-json", "not-orcid-json"],
)
def test_what_is_not_an_orcid_document_gives_nothing_and_is_counted(body: bytes, content_type: str) -> None:
    response = Response(url=API.format(orcid="0000-0003-1415-9269", section="record"), body=body)
    response.headers["Content-Type"] = content_type
    items, requests, stats = crawl(response)
    assert items == [] and requests == []
    assert any(key.startswith("talent/malformed/orcid-") for key in stats)


def test_xml_entities_are_not_resolved() -> None:
    body = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
    <keyword:keywords path="/0000-0003-1415-9269/keywords" xmlns:keyword="http://www.orcid.org/ns/keyword">
    <keyword:keyword visibility="public"><keyword:content>&secret;</keyword:content></keyword:keyword>
    </keyword:keywords>"""
    items, _, _ = crawl(XmlResponse(url=API.format(orcid="0000-0003-1415-9269", section="keywords"), body=body))
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "\0"
    assert all(hostname not in skill for item in items for skill in item["skills"])


def test_person_page_links_stay_on_the_site() -> None:
    _, requests, _ = crawl(response_for(SAMPLES / "people" / "en-homepage.html"))
    urls = {r.url for r in requests}
    assert HOMEPAGES.format(name="zh-homepage.html") in urls
    assert HOMEPAGES.format(name="noindex-homepage.html") in urls
    assert not any(u.endswith(".pdf") for u in urls)
    # the off-site link is yielded but refused by the offsite middleware (allowed_domains), as for the jobs spider
    spider, _ = spider_and_crawler()
    assert spider.allowed_domains == ["people.example.ac.uk", "pub.orcid.org"]


def test_noindex_header_marks_items_and_validate_drops_them() -> None:
    items, _, _ = crawl(response_for(SAMPLES / "people" / "en-homepage.html", {"X-Robots-Tag": "noindex"}))
    assert [i["extras"] for i in items] == [{"noindex": True}]
    spider, crawler = spider_and_crawler()
    with pytest.raises(DropItem):
        ValidatePipeline.from_crawler(crawler).process_item(ProfileItem(**items[0]), spider)
    assert crawler.stats.get_value("talent/dropped/noindex") == 1


def test_nofollow_stops_link_following() -> None:
    body = (SAMPLES / "people" / "noindex-homepage.html").read_bytes().replace(b"noindex, follow", b"none")
    items, requests, _ = crawl(HtmlResponse(url=HOMEPAGES.format(name="x.html"), body=body, encoding="utf-8"))
    assert items[0]["extras"] == {"noindex": True}
    assert requests == []


def test_orcid_api_urls_ask_for_orcid_formats() -> None:
    crawler = get_crawler(ProfilesSpider)
    urls = ["https://pub.orcid.org/v3.0/0000-0003-1415-9269/record", "https://people.example.ac.uk/~arahman/"]
    spider = ProfilesSpider.from_crawler(crawler, urls=urls)

    async def start() -> list[Request]:
        return [r async for r in spider.start()]

    requests = asyncio.run(start())
    assert requests[0].headers.get("Accept") == ORCID_ACCEPT.encode()
    assert b"orcid" not in (requests[1].headers.get("Accept") or b"")


def test_orcid_section_urls_are_read_as_the_whole_record() -> None:
    """A profile is stored whole: two sections of one iD are one request for its record, not two partial items."""
    record = "https://pub.orcid.org/v3.0/0000-0003-1415-9269/record"
    urls = [record.replace("record", "educations"), record.replace("record", "person"), "https://x.test/v3.0/"]
    spider = ProfilesSpider.from_crawler(get_crawler(ProfilesSpider), urls=urls)

    async def start() -> list[str]:
        return [r.url async for r in spider.start()]

    assert asyncio.run(start()) == [record, "https://x.test/v3.0/"]


def test_names_in_chinese_script_put_the_family_name_first() -> None:
    assert OrcidDocument(given="敏", family="张").name == "张敏"
    assert OrcidDocument(given="Min", family="Zhang").name == "Min Zhang"
    assert OrcidDocument(credit="Z. Min").name == "Z. Min"
