"""docs/crawling.md: the "Adding a source" example is valid code, and each spider in it is ≤ 15 lines on a platform."""

import ast
import json
import re
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import HtmlResponse

DOC = Path(__file__).resolve().parents[2] / "docs" / "crawling.md"
MAX_LINES = 15


def example() -> str:
    section = DOC.read_text(encoding="utf-8").split("## Adding a source", 1)[1]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "the section should hold one python example"
    return blocks[0]


def spiders() -> dict[str, type[scrapy.Spider]]:
    namespace: dict[str, Any] = {"__name__": "docs_crawling_example"}
    exec(compile(example(), str(DOC), "exec"), namespace)
    return {
        name: value
        for name, value in namespace.items()
        if isinstance(value, type) and issubclass(value, scrapy.Spider) and value.__module__ == namespace["__name__"]
    }


def test_each_example_spider_is_short_and_built_on_a_platform() -> None:
    classes = [node for node in ast.parse(example()).body if isinstance(node, ast.ClassDef)]
    assert len(classes) >= 2
    found = spiders()
    assert set(found) == {node.name for node in classes}
    for node in classes:
        lines = (node.end_lineno or node.lineno) - node.lineno + 1
        assert lines <= MAX_LINES, f"{node.name} is {lines} lines"
        spider = found[node.name]
        bases = [base for base in spider.__mro__[1:] if base.__module__.startswith("crawlers.platforms.")]
        assert bases, f"{node.name} does not build on a crawlers.platforms base"
        assert spider.name and spider.name not in ("jobs", "jobs_sitemap", "profiles", "majors")


def test_the_example_spiders_work() -> None:
    found = spiders()
    sitemap = found["ExampleCareersSpider"]()
    assert sitemap.allowed_domains == ["careers.example.com"]

    board = found["ExampleBoardSpider"]()
    assert board.allowed_domains == ["jobs.example.org"]
    posting = {"@context": "https://schema.org", "@type": "JobPosting", "title": "Data Engineer", "identifier": "7"}
    body = (
        f'<html><head><script type="application/ld+json">{json.dumps(posting)}</script></head><body>'
        '<span class="job-city">Hangzhou</span><a href="/job/8">next</a><a href="/about">about</a></body></html>'
    )
    response = HtmlResponse("https://jobs.example.org/job/7", body=body, encoding="utf-8")
    out = list(board.parse(response))
    items = [o for o in out if not isinstance(o, scrapy.Request)]
    links = [o.url for o in out if isinstance(o, scrapy.Request)]
    assert [(i["title"], i["location"], i["external_id"]) for i in items] == [("Data Engineer", "Hangzhou", "7")]
    assert links == ["https://jobs.example.org/job/8"]
