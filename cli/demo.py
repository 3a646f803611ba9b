"""`talent demo`: generate the synthetic demo, publish it on a local demo site, crawl that site in (or import the
files directly), build the indexes, and hand out one demo key per role with some synthetic activity."""

from typing import Annotated

import typer

from cli.console import handle_errors, out, progress_bars
from cli.crawl import print_crawl
from cli.options import platform
from cli.records import print_import
from crawlers.runner import LOCAL_SITE_SETTINGS, CrawlRequest, run_crawls


@handle_errors
def demo(
    candidates: Annotated[int, typer.Option(min=1, help="Synthetic candidates to generate.")] = 2000,
    jobs: Annotated[int, typer.Option(min=1, help="Synthetic jobs to generate.")] = 500,
    enterprises: Annotated[int, typer.Option(min=1, help="Synthetic enterprises to generate.")] = 80,
    seed: Annotated[int, typer.Option(help="Generator seed: the same seed gives the same data.")] = 2026,
    direct: Annotated[
        bool, typer.Option("--direct", help="Import the generated files instead of crawling the demo site.")
    ] = False,
) -> None:
    """Generate the synthetic demo (labelled synthetic-demo), publish it on a local demo site, crawl that site
    into the database (jobs, profiles, major catalogue) and build the indexes."""
    from matcher.demo.load import build_indexes, demo_accounts, generate_demo, load_demo

    p = platform()
    counts = {"candidates": candidates, "jobs": jobs, "enterprises": enterprises, "seed": seed}
    if direct:
        with progress_bars() as progress:
            report = load_demo(p, **counts, progress=progress)
        out.print(f"catalogue: {report.majors} majors")
        for imported in report.imports:
            print_import(imported)
        indexes = report.indexes
    else:
        from matcher.demo import vocabulary
        from matcher.demo.server import serve_site
        from matcher.demo.site import write_site

        majors, files = generate_demo(p, **counts)
        site = write_site(files, p.settings.data_dir / "demo" / "site")
        out.print(f"catalogue: {majors} majors")
        out.print(
            f"demo site: {site.job_pages} job pages, {site.person_pages} profile pages, "
            f"{site.orcid_records} ORCID records, {site.majors} majors"
        )
        with serve_site(site.directory) as base:
            out.print(f"crawling {base}/ (the demo site, served until the crawls end)")
            requests = [
                CrawlRequest("majors", [f"{base}/majors/catalogue.html"], vocabulary.SOURCE),
                CrawlRequest("jobs-sitemap", [f"{base}/robots.txt"], vocabulary.SOURCE),
                CrawlRequest("profiles", [f"{base}/profiles/"], vocabulary.SOURCE),
            ]
            for summary in run_crawls(requests, LOCAL_SITE_SETTINGS):
                print_crawl(summary)
        with progress_bars() as progress:
            indexes = build_indexes(p, progress)
    for built in indexes:
        out.print(f"{built.kind} index: {built.count} vectors ({built.index_kind}), {built.encoded} encoded")
    keys, activity = demo_accounts(p)
    state = "written to" if activity else "kept in"
    out.print(f"demo API keys (one per role: admin, partner, enterprise, candidate) {state} {keys}")
    if activity:
        stages = ", ".join(f"{count} {stage}" for stage, count in sorted(activity.by_stage.items()))
        out.print(
            f"demo activity (synthetic): {activity.referrals} referrals ({stages}), {activity.saved_searches} saved "
            f"searches, {activity.shortlisted} shortlisted, {activity.contact_requests} contact requests, "
            f"{activity.feedback} feedback; birth years for {activity.birth_years} candidates"
        )
    out.print(f"web console: http://{p.settings.api_host}:{p.settings.api_port}/console (sign in with a key above)")
