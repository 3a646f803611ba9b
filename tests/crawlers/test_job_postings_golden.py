"""Golden files (extruct style): every page in tests/samples/schemaorg beside the items it must produce.

Each `<name>.html` is parsed by the jobs spider and passed through the normalize pipeline; the result (with
`fetched_at` removed) must equal `<name>.json`. After a deliberate change, regenerate the expected files with

    TALENT_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/crawlers/test_job_postings_golden.py

and review the diff before committing it.
"""

import json
import os
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawlers.pipelines.normalize import NormalizePipeline
from crawlers.spiders.jobs import JobsSpider

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "schemaorg"
PAGES = sorted(SAMPLES.glob("*.html"))
REGENERATE = os.environ.get("TALENT_REGENERATE_GOLDEN") == "1"
PAGE_URL = "https://careers.example.com/jobs/{name}.html"


def crawl_page(path: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The normalized items from one page, as plain JSON-able dicts, and the crawler's stats."""
    crawler = get_crawler(JobsSpider)
    spider = JobsSpider.from_crawler(crawler, urls="https://careers.example.com/")
    assert crawler.stats is not None
    pipeline = NormalizePipeline.from_crawler(crawler)
    response = HtmlResponse(url=PAGE_URL.format(name=path.stem), body=path.read_bytes(), encoding="utf-8")
    items = []
    for item in spider.parse_postings(response):
        normalized = dict(pipeline.process_item(item, spider))
        normalized.pop("fetched_at")
        items.append(normalized)
    return json.loads(json.dumps(items, ensure_ascii=False)), crawler.stats.get_stats()


def test_samples_are_present() -> None:
    names = {p.stem for p in PAGES}
    for eg in ("eg-0028", "eg-0251", "eg-0268", "eg-0280", "eg-0465"):
        assert f"{eg}-jsonld" in names
    assert "eg-0028-microdata" in names
    assert len([n for n in names if n.startswith("zh-")]) >= 3
    assert (SAMPLES / "LICENSE.md").is_file()


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_gives_expected_items(page: Path) -> None:
    items, stats = crawl_page(page)
    expected_path = page.with_suffix(".json")
    if REGENERATE:
        expected_path.write_text(json.dumps(items, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8")
    expected = json.loads(expected_path.read_text("utf-8"))
    assert items == expected
    malformed = {key: n for key, n in stats.items() if key.startswith("talent/malformed/")}
    assert malformed == ({"talent/malformed/json-ld": 1} if "broken-block" in page.name else {})


def test_jsonld_and_microdata_variants_agree() -> None:
    """The same example in two syntaxes gives the same posting where both carry the field."""
    (jsonld,), _ = crawl_page(SAMPLES / "eg-0028-jsonld.html")
    (microdata,), _ = crawl_page(SAMPLES / "eg-0028-microdata.html")
    for field in ("title", "location", "industry", "min_degree", "salary_min", "salary_max", "currency", "posted_at"):
        assert jsonld[field] == microdata[field], field


def test_key_fields_of_the_samples() -> None:
    """The fields that matter, spelled out (so a wrong regeneration cannot slip through unnoticed)."""
    by_title = {}
    for page in PAGES:
        for item in crawl_page(page)[0]:
            by_title.setdefault(item["title"], item)

    engineer = crawl_page(SAMPLES / "eg-0028-jsonld.html")[0][0]
    assert engineer["title"] == "Software Engineer"
    assert engineer["location"] == "Kirkland, WA"
    assert (engineer["salary_min"], engineer["salary_max"], engineer["currency"]) == (100000.0, 100000.0, "USD")
    assert engineer["min_degree"] == "bachelor"
    assert engineer["posted_at"] == "2011-10-31"
    assert engineer["url"] == PAGE_URL.format(name="eg-0028-jsonld")

    microdata = crawl_page(SAMPLES / "eg-0028-microdata.html")[0][0]
    assert microdata["enterprise"] == "ABC Company Inc."

    assert by_title["Telecommute from anywhere in USA!"]["salary_min"] is None
    assert by_title["Mobile App Developer"]["enterprise"] == "ACME Software"
    assert crawl_page(SAMPLES / "eg-0465-jsonld.html")[0][0]["min_degree"] == "bachelor"
    assert crawl_page(SAMPLES / "eg-0280-jsonld.html")[0][0]["title"] == "Systems Research Engineer"

    zhengzhou = by_title["Java开发工程师"]
    assert zhengzhou["enterprise"] == "郑州中原数智科技有限公司"
    assert zhengzhou["location"] == "郑州, 河南, CN"
    assert (zhengzhou["salary_min"], zhengzhou["salary_max"]) == (12000.0, 18000.0)
    assert (zhengzhou["currency"], zhengzhou["salary_period"]) == ("CNY", "month")
    assert zhengzhou["min_degree"] == "bachelor"
    assert zhengzhou["url"] == "https://careers.zhongyuan-shuzhi.example/jobs/zz-2026-017"
    assert zhengzhou["external_id"] == "ZZ-2026-017"
    assert zhengzhou["posted_at"] == "2026-03-01"
    assert "<" not in zhengzhou["description"] and "编写单元测试&文档" in zhengzhou["description"]

    algorithm = by_title["算法工程师（推荐系统）"]
    assert (algorithm["salary_min"], algorithm["salary_max"], algorithm["salary_period"]) == (15000.0, 25000.0, "month")
    assert algorithm["min_degree"] == "master"
    assert algorithm["posted_at"] == "2026-03-05"

    graph = crawl_page(SAMPLES / "zh-graph-jsonld.html")[0]
    assert [i["title"] for i in graph] == ["机械设计工程师", "光学工艺博士后"]
    assert [i["external_id"] for i in graph] == ["GG-ME-01", "GG-RD-02"]
    assert [i["min_degree"] for i in graph] == ["associate", "doctorate"]
    assert [(i["salary_min"], i["salary_max"], i["salary_period"]) for i in graph] == [
        (8000.0, 12000.0, "month"),
        (300000.0, 400000.0, "year"),
    ]
