"""The demo site: the synthetic demo data published the way real sources publish it, for the crawlers to read.

- job pages carrying schema.org JobPosting, alternately as JSON-LD and as microdata (`/jobs/job-00001.html`),
  listed in `/sitemap.xml`, which `/robots.txt` names;
- candidates with a doctorate as ORCID API v3.0 records (`/orcid/v3.0/<iD>/record`, JSON), the others as
  schema.org ProfilePage pages (`/people/cand-00001.html`) whose Person `seeks` a Demand (preferred places,
  industries); both listed on `/profiles/` pages;
- the 2026 major catalogue as one table (`/majors/catalogue.html`).

Pages name their canonical URLs on demo.talentbridge.invalid, whatever port serves them, so a re-crawl finds
the same records. ORCID iDs are synthetic: 0000-0000-xxxx-xxxx with a valid check digit, a block ORCID does
not issue. E-mail addresses and consent are not published: a crawl never learns them.

This module lays the site out (listings, the catalogue, the home page); the pages of one job are written by
matcher.demo.job_pages, of one person by matcher.demo.profile_pages, with the HTML helpers of matcher.demo.pages.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from matcher.degrees import DegreeLevel
from matcher.demo.job_pages import job_page, job_posting
from matcher.demo.pages import CANONICAL, CATALOGUE_SET, esc, html_page
from matcher.demo.profile_pages import highest_level, orcid_id, orcid_record, person_page
from matcher.demo.reference import load_majors, load_universities
from matcher.records import CandidateRecord, EnterpriseRecord, JobRecord

PAGE_SIZE = 200  # links on one listing page

R = TypeVar("R", bound=BaseModel)


@dataclass(frozen=True)
class SiteReport:
    directory: Path
    job_pages: int
    person_pages: int
    orcid_records: int
    majors: int


def _read(path: Path, model: type[R]) -> list[R]:
    with path.open(encoding="utf-8") as lines:
        return [model.model_validate_json(line) for line in lines if line.strip()]


def catalogue_page(majors: Iterable[dict[str, Any]]) -> str:
    rows = "".join(
        f"<tr><td>{esc(m['code'])}</td><td>{esc(m['name'])}</td><td>{esc(m['class_name'])}</td>"
        f"<td>{esc(m['category_name'])}</td></tr>"
        for m in majors
    )
    table = (
        "<table><thead><tr><th>专业代码</th><th>专业名称</th><th>专业类</th><th>学科门类</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    body = f"<h1>{esc(CATALOGUE_SET)}</h1>{table}"
    return html_page(CATALOGUE_SET, body, canonical=f"{CANONICAL}/majors/catalogue.html")


def _listing(directory: Path, title: str, links: list[tuple[str, str]]) -> None:
    """`index.html`, `page-2.html`, ... in `directory`: PAGE_SIZE links each, each linking to the next."""
    pages = [links[i : i + PAGE_SIZE] for i in range(0, len(links), PAGE_SIZE)] or [[]]
    for number, chunk in enumerate(pages, start=1):
        items = "".join(f'<li><a href="{esc(href)}">{esc(label)}</a></li>' for href, label in chunk)
        more = f'<p><a rel="next" href="page-{number + 1}.html">下一页 · Next</a></p>' if number < len(pages) else ""
        name = "index.html" if number == 1 else f"page-{number}.html"
        _write(directory / name, html_page(f"{title} ({number})", f"<h1>{esc(title)}</h1><ul>{items}</ul>{more}"))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def write_site(files: dict[str, Path], directory: Path) -> SiteReport:
    """Write the demo site for the generated demo files into `directory` (robots.txt and sitemaps come from
    `matcher.demo.server`, which knows the address)."""
    majors = list(load_majors().values())
    codes = {m["name"]: m["code"] for m in majors}
    country_codes = {u.country: u.country_code for group in load_universities().values() for u in group}
    enterprises = {e.external_id: e for e in _read(files["enterprises"], EnterpriseRecord)}
    jobs = _read(files["jobs"], JobRecord)
    candidates = _read(files["candidates"], CandidateRecord)

    job_links = []
    for number, job in enumerate(jobs):
        enterprise = enterprises.get(job.enterprise_external_id or "")
        page = job_page(job_posting(job, enterprise, codes), job, as_microdata=number % 2 == 1)
        _write(directory / "jobs" / f"{job.external_id}.html", page)
        job_links.append((f"{job.external_id}.html", job.title))
    _listing(directory / "jobs", "职位 · Jobs", job_links)

    profile_links, orcid_count = [], 0
    for number, candidate in enumerate(candidates, start=1):
        if highest_level(candidate) is DegreeLevel.DOCTORATE:
            orcid = orcid_id(number)
            record = orcid_record(candidate, orcid, country_codes)
            _write(directory / "orcid" / "v3.0" / orcid / "record", json.dumps(record, ensure_ascii=False))
            profile_links.append((f"../orcid/v3.0/{orcid}/record", f"ORCID {orcid}"))
            orcid_count += 1
        else:
            _write(directory / "people" / f"{candidate.external_id}.html", person_page(candidate))
            profile_links.append((f"../people/{candidate.external_id}.html", candidate.name))
    _listing(directory / "profiles", "海外人才 · Profiles", profile_links)

    _write(directory / "majors" / "catalogue.html", catalogue_page(majors))
    home = (
        "<h1>TalentBridge demo site</h1><ul>"
        '<li><a href="jobs/">职位 · Jobs</a></li><li><a href="profiles/">海外人才 · Profiles</a></li>'
        '<li><a href="majors/catalogue.html">专业目录 · Major catalogue</a></li></ul>'
    )
    _write(directory / "index.html", html_page("TalentBridge demo site", home))
    return SiteReport(directory, len(jobs), len(candidates) - orcid_count, orcid_count, len(majors))
