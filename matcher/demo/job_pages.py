"""Demo job pages: a job record as a schema.org JobPosting (employer, place, pay, degree and catalogue majors,
experience), on a readable page that carries it as JSON-LD in the head or as microdata on the text."""

from datetime import timedelta
from typing import Any

from matcher.demo.pages import CATALOGUE_SET, SCHEMA, esc, html_page, json_ld, microdata, paragraph_lines, paragraphs
from matcher.records import EnterpriseRecord, JobRecord

CREDENTIAL = {"bachelor": "bachelor degree", "master": "master degree", "doctorate": "doctoral degree"}


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
        "description": paragraphs(job.description),
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


def job_page(posting: dict[str, Any], job: JobRecord, as_microdata: bool) -> str:
    """The job's page: readable text, with the posting as JSON-LD in the head or as microdata on the text."""
    lang = "en" if job.extras.get("language") == "en" else "zh-CN"
    salary = f"{job.salary_min:,.0f}–{job.salary_max:,.0f} {job.currency}/{job.salary_period}"
    heading = f"<p>{esc(job.enterprise)} · {esc(job.location)} · {esc(salary)}</p>"
    if not as_microdata:
        body = (
            f"<article><h1>{esc(job.title)}</h1>{heading}{paragraphs(job.description)}"
            f"<h2>要求 · Requirements</h2>{paragraphs(job.requirements)}</article>"
        )
        return html_page(job.title, body, head=json_ld(posting), lang=lang, canonical=job.url)
    shown = ("@context", "@type", "title", "description", "qualifications")
    details = "\n".join(f"<li>{microdata(v, k)}</li>" for k, v in posting.items() if k not in shown)
    body = (
        f'<article itemscope itemtype="{SCHEMA}/JobPosting"><h1 itemprop="title">{esc(job.title)}</h1>{heading}'
        f'<div itemprop="description">\n{paragraph_lines(job.description)}\n</div>'
        f'<h2>要求 · Requirements</h2><div itemprop="qualifications">\n{paragraph_lines(job.requirements)}\n</div>'
        f"<h2>详情 · Details</h2><ul>\n{details}\n</ul></article>"
    )
    return html_page(job.title, body, lang=lang, canonical=job.url)
