"""Every spider module imports, and its spider is named after the file (alltheplaces style)."""

import importlib
import inspect
import pkgutil

import pytest
import scrapy

import crawlers.spiders

MODULES = sorted(info.name for info in pkgutil.iter_modules(crawlers.spiders.__path__) if not info.ispkg)


def spiders_in(module_name: str) -> list[type[scrapy.Spider]]:
    module = importlib.import_module(f"crawlers.spiders.{module_name}")
    return [
        obj
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and issubclass(obj, scrapy.Spider)
        and obj.__module__ == module.__name__
        and getattr(obj, "name", None)
    ]


def test_there_are_spiders() -> None:
    assert {"jobs", "jobs_sitemap"} <= set(MODULES)


@pytest.mark.parametrize("module_name", MODULES)
def test_spider_is_named_after_its_module(module_name: str) -> None:
    spiders = spiders_in(module_name)
    assert len(spiders) == 1, f"crawlers/spiders/{module_name}.py should define exactly one named spider"
    assert spiders[0].name == module_name


def test_spider_names_are_unique_and_loadable() -> None:
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.set("SPIDER_MODULES", ["crawlers.spiders"])
    loader = SpiderLoader.from_settings(settings)
    assert sorted(loader.list()) == sorted(MODULES)
