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
"""

import html
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from matcher.degrees import DegreeLevel
from matcher.demo import vocabulary as V
from matcher.demo.reference import load_majors, load_universities
from matcher.records import CandidateRecord, EnterpriseRecord, JobRecord

SCHEMA = "https://schema.org"
CANONICAL = V.URL_BASE  # https://demo.talentbridge.invalid
CATALOGUE_SET = "普通高等学校本科专业目录（2026年）"
CREDENTIAL = {"bachelor": "bachelor degree", "master": "master degree", "doctorate": "doctoral degree"}
PAGE_SIZE = 200  # links on one listing page
BANNER = (
    '<p class="synthetic">合成示例数据 · Synthetic demo data: every person, enterprise and job on this site is '
    "invented (TalentBridge demo).</p>"
)
ORCID_JSON = "application/vnd.orcid+json; charset=UTF-8"

R = TypeVar("R", bound=BaseModel)


@dataclass(frozen=True)
class SiteReport:
    directory: Path
    job_pages: int
    person_pages: int
    orcid_records: int
    majors: int


def orcid_check_digit(base_digits: str) -> str:
    """ISO 7064 MOD 11-2 over an ORCID iD's first 15 digits, as ORCID computes it."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def orcid_id(number: int) -> str:
    """A synthetic ORCID iD 0000-0000-xxxx-xxxx (a block ORCID does not issue) with a valid check digit."""
    digits = f"00000000{number:07d}"
    full = digits + orcid_check_digit(digits)
    return "-".join(full[i : i + 4] for i in range(0, 16, 4))


def _read(path: Path, model: type[R]) -> list[R]:
    with path.open(encoding="utf-8") as lines:
        return [model.model_validate_json(line) for line in lines if line.strip()]


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{_esc(line)}</p>" for line in text.splitlines() if line.strip())


def _page(title: str, body: str, head: str = "", lang: str = "zh-CN", canonical: str | None = None) -> str:
    if canonical:  # the page's address whatever port serves it
        head = f'<link rel="canonical" href="{_esc(canonical)}">{head}'
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{_esc(title)}</title>{head}'
        f"</head>\n<body>{BANNER}\n{body}\n</body></html>\n"
    )


def _json_ld(obj: dict[str, Any]) -> str:
    text = json.dumps(obj, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


# Jobs -------------------------------------------------------------------------------------------------------


def _address(location: str) -> dict[str, str]:
    return {"@type": "PostalAddress", "addressLocality": location, "addressRegion": "河南省", "addressCountry": "CN"}


def job_posting(job: JobRecord, enterprise: EnterpriseRecord | None, codes: dict[str, str]) -> dict[str, Any]:
    """A JobPosting (JSON-LD) saying what the demo job record says."""
    organization: dict[str, Any] = {"@type": "Organization", "name": job.enterprise}
    if enterprise is not None:
        organization |= {
            "identifier": enterprise.external_id,
            "sameAs": enterprise.url,
            "alternateName": enterprise.extras.get("name_en", ""),
            "description": enterprise.description,
            "address": _address(enterprise.location),
        }
    years = int(job.extras.get("experience_years", 0))
    posting: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "name": "TalentBridge demo", "value": job.external_id},
        "url": job.url,
        "title": job.title,
        "description": _paragraphs(job.description),
        "qualifications": job.requirements,
        "industry": job.industry,
        "employmentType": "FULL_TIME",
        "totalJobOpenings": job.extras.get("headcount", 1),
        "hiringOrganization": organization,
        "jobLocation": {"@type": "Place", "address": _address(job.location)},
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": job.currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": job.salary_min,
                "maxValue": job.salary_max,
                "unitText": job.salary_period.upper(),
            },
        },
        "educationRequirements": {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": CREDENTIAL.get(job.min_degree, job.min_degree),
            "about": [
                {
                    "@type": "DefinedTerm",
                    "name": major,
                    "termCode": codes.get(major, ""),
                    "inDefinedTermSet": CATALOGUE_SET,
                }
                for major in job.majors
            ],
        },
    }
    if job.posted_at:
        posting["datePosted"] = job.posted_at.isoformat()
        posting["validThrough"] = (job.posted_at + timedelta(days=60)).isoformat()
    if years:
        posting["experienceRequirements"] = {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": years * 12,
        }
    return posting


def _microdata(value: Any, prop: str = "") -> str:
    """A JSON-LD value as visible microdata: objects as itemscopes, numbers as <data>, dates as <time>."""
    attr = f' itemprop="{prop}"' if prop else ""
    if isinstance(value, list):
        return "".join(_microdata(item, prop) for item in value)
    if isinstance(value, dict):
        inner = " ".join(_microdata(v, k) for k, v in value.items() if not k.startswith("@"))
        return f'<span{attr} itemscope itemtype="{SCHEMA}/{value["@type"]}">{inner}</span>'
    if value is None or value == "":
        return ""
    if prop in ("url", "sameAs"):
        return f'<a{attr} href="{_esc(value)}">{_esc(value)}</a>'
    if isinstance(value, int | float):
        return f'<data{attr} value="{value:g}">{value:,.0f}</data>'
    if prop in ("datePosted", "validThrough"):
        return f'<time{attr} datetime="{_esc(value)}">{_esc(value)}</time>'
    return f"<span{attr}>{_esc(value)}</span>"


def _paragraph_lines(text: str) -> str:
    """Paragraphs one per line, so the text of the element keeps its line breaks."""
    return "\n".join(f"<p>{_esc(line)}</p>" for line in text.splitlines() if line.strip())


def job_page(posting: dict[str, Any], job: JobRecord, as_microdata: bool) -> str:
    """The job's page: readable text, with the posting as JSON-LD in the head or as microdata on the text."""
    lang = "en" if job.extras.get("language") == "en" else "zh-CN"
    salary = f"{job.salary_min:,.0f}–{job.salary_max:,.0f} {job.currency}/{job.salary_period}"
    heading = f"<p>{_esc(job.enterprise)} · {_esc(job.location)} · {_esc(salary)}</p>"
    if not as_microdata:
        body = (
            f"<article><h1>{_esc(job.title)}</h1>{heading}{_paragraphs(job.description)}"
            f"<h2>要求 · Requirements</h2>{_paragraphs(job.requirements)}</article>"
        )
        return _page(job.title, body, head=_json_ld(posting), lang=lang, canonical=job.url)
    shown = ("@context", "@type", "title", "description", "qualifications")
    details = "\n".join(f"<li>{_microdata(v, k)}</li>" for k, v in posting.items() if k not in shown)
    body = (
        f'<article itemscope itemtype="{SCHEMA}/JobPosting"><h1 itemprop="title">{_esc(job.title)}</h1>{heading}'
        f'<div itemprop="description">\n{_paragraph_lines(job.description)}\n</div>'
        f'<h2>要求 · Requirements</h2><div itemprop="qualifications">\n{_paragraph_lines(job.requirements)}\n</div>'
        f"<h2>详情 · Details</h2><ul>\n{details}\n</ul></article>"
    )
    return _page(job.title, body, lang=lang, canonical=job.url)


# Candidates -------------------------------------------------------------------------------------------------


def highest_level(candidate: CandidateRecord) -> DegreeLevel:
    return max((e.level or DegreeLevel.NONE for e in candidate.education), default=DegreeLevel.NONE)


def person(candidate: CandidateRecord) -> dict[str, Any]:
    """A ProfilePage whose mainEntity is the candidate as a schema.org Person."""
    alumni = [
        {
            "@type": "OrganizationRole",
            "alumniOf": {
                "@type": "CollegeOrUniversity",
                "name": e.school,
                "address": {"@type": "PostalAddress", "addressCountry": e.country},
            },
            "roleName": e.degree,
            "description": e.major,
            "endDate": str(e.end_year or ""),
        }
        for e in candidate.education
    ]
    work = [
        {
            "@type": "EmployeeRole",
            "worksFor": {"@type": "Organization", "name": x.organization},
            "roleName": x.title,
            "description": x.description,
            "startDate": x.start,
            "endDate": x.end,
        }
        for x in candidate.experience
    ]
    who: dict[str, Any] = {
        "@type": "Person",
        "identifier": candidate.external_id,
        "url": f"{CANONICAL}/people/{candidate.external_id}",
        "name": candidate.name,
        "jobTitle": candidate.headline,
        "description": candidate.summary,
        "knowsAbout": candidate.skills,
        "knowsLanguage": candidate.languages,
        "homeLocation": {"@type": "Place", "name": candidate.location},
        "alumniOf": alumni,
        "worksFor": work,
        "seeks": {
            "@type": "Demand",
            "name": "求职意向 · Looking for",
            "areaServed": candidate.preferred_locations,
            "category": candidate.industries,
        },
    }
    return {"@context": SCHEMA, "@type": "ProfilePage", "mainEntity": who}


def person_page(candidate: CandidateRecord) -> str:
    body = (
        f"<h1>{_esc(candidate.name)}</h1><p>{_esc(candidate.headline)}</p>{_paragraphs(candidate.summary)}"
        f"<p>{_esc(' · '.join(candidate.skills))}</p>"
    )
    who = person(candidate)
    return _page(candidate.name, body, head=_json_ld(who), canonical=who["mainEntity"]["url"])


def _public(value: dict[str, Any]) -> dict[str, Any]:
    return {**value, "visibility": "public"}


def orcid_record(candidate: CandidateRecord, orcid: str, country_codes: dict[str, str]) -> dict[str, Any]:
    """An ORCID API v3.0 record (JSON) with what ORCID holds of the candidate: no headline, no preferences."""
    given, _, family = candidate.name.rpartition(" ")
    if not given:  # a Chinese name: family name first, no space
        family, given = candidate.name[:1], candidate.name[1:]
    bio = "\n".join(p for p in (candidate.headline, candidate.summary) if p)
    country = country_codes.get(candidate.education[-1].country, "") if candidate.education else ""

    def group(kind: str, entries: list[dict[str, Any]]) -> dict[str, Any]:
        return {"affiliation-group": [{"summaries": [{f"{kind}-summary": _public(e)}]} for e in entries]}

    def date(value: str) -> dict[str, Any] | None:
        year, _, month = value.partition("-")
        return {"year": {"value": year}, **({"month": {"value": month}} if month else {})} if year else None

    educations = [
        {
            "role-title": e.degree,
            "department-name": e.major,
            "end-date": date(str(e.end_year or "")),
            "organization": {"name": e.school, "address": {"country": country_codes.get(e.country, "")}},
        }
        for e in reversed(candidate.education)  # ORCID lists the newest first
    ]
    employments = [
        {
            "role-title": x.title,
            "start-date": date(x.start),
            "end-date": date(x.end),
            "organization": {"name": x.organization},
        }
        for x in candidate.experience
    ]
    return {
        "orcid-identifier": {"uri": f"{CANONICAL}/orcid/{orcid}", "path": orcid, "host": "demo.talentbridge.invalid"},
        "person": {
            "name": _public(
                {
                    "given-names": {"value": given},
                    "family-name": {"value": family},
                    "credit-name": {"value": candidate.name},
                }
            ),
            "biography": _public({"content": bio}),
            "keywords": {"keyword": [_public({"content": skill}) for skill in candidate.skills]},
            "addresses": {"address": [_public({"country": {"value": country}})] if country else []},
        },
        "activities-summary": {
            "educations": group("education", educations),
            "employments": group("employment", employments),
        },
    }


# Majors and listings ----------------------------------------------------------------------------------------


def catalogue_page(majors: Iterable[dict[str, Any]]) -> str:
    rows = "".join(
        f"<tr><td>{_esc(m['code'])}</td><td>{_esc(m['name'])}</td><td>{_esc(m['class_name'])}</td>"
        f"<td>{_esc(m['category_name'])}</td></tr>"
        for m in majors
    )
    table = (
        "<table><thead><tr><th>专业代码</th><th>专业名称</th><th>专业类</th><th>学科门类</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    body = f"<h1>{_esc(CATALOGUE_SET)}</h1>{table}"
    return _page(CATALOGUE_SET, body, canonical=f"{CANONICAL}/majors/catalogue.html")


def _listing(directory: Path, title: str, links: list[tuple[str, str]]) -> None:
    """`index.html`, `page-2.html`, ... in `directory`: PAGE_SIZE links each, each linking to the next."""
    pages = [links[i : i + PAGE_SIZE] for i in range(0, len(links), PAGE_SIZE)] or [[]]
    for number, chunk in enumerate(pages, start=1):
        items = "".join(f'<li><a href="{_esc(href)}">{_esc(label)}</a></li>' for href, label in chunk)
        more = f'<p><a rel="next" href="page-{number + 1}.html">下一页 · Next</a></p>' if number < len(pages) else ""
        name = "index.html" if number == 1 else f"page-{number}.html"
        _write(directory / name, _page(f"{title} ({number})", f"<h1>{_esc(title)}</h1><ul>{items}</ul>{more}"))


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
    _write(directory / "index.html", _page("TalentBridge demo site", home))
    return SiteReport(directory, len(jobs), len(candidates) - orcid_count, orcid_count, len(majors))
