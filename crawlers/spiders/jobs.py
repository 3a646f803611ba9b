"""Any careers site with schema.org JobPosting markup: `scrapy crawl jobs -a urls=https://careers.example.com/`."""

from crawlers.platforms.job_postings import JobPostingSpider


class JobsSpider(JobPostingSpider):
    name = "jobs"
