"""Catalogue tables and universities' lists of majors: `scrapy crawl majors -a urls=https://.../majors.html`."""

from crawlers.platforms.major_lists import MajorListSpider


class MajorsSpider(MajorListSpider):
    name = "majors"
