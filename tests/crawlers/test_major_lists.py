"""Major lists: catalogue tables and universities' lists, read from pages and stored beside the catalogue."""

from pathlib import Path

from scrapy.http import HtmlResponse
from sqlalchemy import select

from crawlers.items import MajorListingItem
from crawlers.platforms.major_lists import header_columns
from crawlers.spiders.majors import MajorsSpider
from matcher.ingest.importer import Importer
from matcher.platform import Platform
from matcher.records import MajorListingRecord
from matcher.store.models import MajorListing

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "majors"


def parse(name: str, url: str) -> list[MajorListingItem]:
    body = (SAMPLES / name).read_bytes()
    response = HtmlResponse(url=url, body=body, encoding="utf-8")
    return list(MajorsSpider(urls=url).parse(response))


def test_header_columns_in_chinese_and_english() -> None:
    assert header_columns(["专业代码", "专业名称", "专业类", "门类"]) == {
        "code": 0,
        "name": 1,
        "class_name": 2,
        "category_name": 3,
    }
    assert header_columns(["Programme", "Duration"]) == {"name": 0}
    assert header_columns(["日期", "新闻"]) == {}


def test_a_catalogue_table_gives_codes_classes_and_categories() -> None:
    items = parse("catalogue.html", "http://catalogue.test/majors.html")
    assert [(i["code"], i["name"], i["class_name"], i["category_name"]) for i in items] == [
        ("080901", "计算机科学与技术", "计算机类", "工学"),
        ("080911TK", "网络空间安全", "计算机类", "工学"),
        ("020302", "金融工程", "金融学类", "经济学"),
    ]
    assert {i["source"] for i in items} == {"catalogue.test"}
    assert items[0]["external_id"] == "http://catalogue.test/majors.html#080901"


def test_a_university_list_gives_names_under_the_majors_heading_only() -> None:
    items = parse("uni.html", "http://uni.test/programmes")
    assert [i["name"] for i in items] == ["Computer Science", "Electrical and Electronic Engineering", "Food Science"]
    assert {i["university"] for i in items} == {"Example University"}


def test_listings_are_stored_mapped_to_the_catalogue_and_upserted(platform: Platform) -> None:
    items = parse("uni.html", "http://uni.test/programmes") + parse("catalogue.html", "http://catalogue.test/m")
    records = [MajorListingRecord.model_validate(dict(item)) for item in items]
    with platform.session() as session:
        report = Importer(session, "major_listings", platform.major_mapper(session)).run_records(records)
        assert report.inserted == 6 and not report.errors
        again = Importer(session, "major_listings", platform.major_mapper(session)).run_records(records)
        assert again.unchanged == 6
    with platform.session() as session:
        mapped = {row.name: row.major_code for row in session.scalars(select(MajorListing))}
    assert mapped == {
        "Computer Science": "080901",
        "Electrical and Electronic Engineering": "080601",
        "Food Science": "082701",
        "计算机科学与技术": "080901",
        "网络空间安全": "080911TK",
        "金融工程": "020302",
    }
