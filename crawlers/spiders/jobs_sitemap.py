"""Careers sites by sitemap: `scrapy crawl jobs_sitemap -a urls=https://careers.example.com/sitemap.xml`."""

from crawlers.platforms.job_postings import JobPostingSitemapSpider


class JobsSitemapSpider(JobPostingSitemapSpider):
    name = "jobs_sitemap"
