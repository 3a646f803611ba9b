"""`talent crawl`: crawl job, profile or catalogue sites into the store and the indexes, and say what happened."""

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli.console import handle_errors, out
from cli.options import platform
from crawlers.runner import CrawlSummary, run_crawl
from matcher.errors import Invalid


class CrawlKind(StrEnum):
    jobs = "jobs"
    jobs_sitemap = "jobs-sitemap"
    profiles = "profiles"
    majors = "majors"


def print_crawl(summary: CrawlSummary) -> None:
    out.print(f"crawl {summary.spider}: {summary.pages} pages")
    out.print(
        f"items: {summary.inserted} stored, {summary.updated} updated, {summary.unchanged} unchanged; "
        f"{summary.encoded} texts encoded"
    )
    if len(summary.records) > 1:
        out.print("records: " + ", ".join(f"{kind} {count}" for kind, count in sorted(summary.records.items())))
    dropped = ", ".join(f"{reason} {count}" for reason, count in sorted(summary.dropped.items())) or "none"
    errors = ", ".join(f"{reason} {count}" for reason, count in sorted(summary.errors.items())) or "none"
    out.print(f"dropped: {dropped}")
    out.print(f"errors: {errors}")


@handle_errors
def crawl(
    kind: Annotated[
        CrawlKind, typer.Argument(help="jobs (schema.org JobPosting pages), jobs-sitemap, profiles, majors.")
    ],
    urls: Annotated[list[str], typer.Argument(help="Start pages or sitemaps; the crawl stays on their sites.")],
    jobdir: Annotated[
        Path | None, typer.Option(help="Keep crawl state here to pause and resume (Scrapy JOBDIR).")
    ] = None,
    max_pages: Annotated[int | None, typer.Option(min=1, help="Stop after this many pages.")] = None,
    source: Annotated[
        str | None, typer.Option(help="Store everything under this source name (default: each site's host).")
    ] = None,
) -> None:
    """Crawl sites into the store and the indexes, then print what happened."""
    bad = [u for u in urls if not re.match(r"^https?://[^/\s]+", u)]
    if bad:
        raise Invalid(f"not an http(s) URL: {bad[0]!r}")
    platform().init()
    print_crawl(run_crawl(kind.value, urls, source=source, jobdir=jobdir, max_pages=max_pages))
