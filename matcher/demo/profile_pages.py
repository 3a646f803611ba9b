"""Demo profiles as real sources publish them: a schema.org ProfilePage whose Person `seeks` a Demand (places,
industries), or for doctors an ORCID API v3.0 record under a synthetic iD with a valid check digit. E-mail addresses
and consent are never published."""

from typing import Any

from matcher.degrees import DegreeLevel
from matcher.demo.pages import CANONICAL, SCHEMA, esc, html_page, json_ld, paragraphs
from matcher.records import CandidateRecord

ORCID_JSON = "application/vnd.orcid+json; charset=UTF-8"


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
        f"<h1>{esc(candidate.name)}</h1><p>{esc(candidate.headline)}</p>{paragraphs(candidate.summary)}"
        f"<p>{esc(' · '.join(candidate.skills))}</p>"
    )
    who = person(candidate)
    return html_page(candidate.name, body, head=json_ld(who), canonical=who["mainEntity"]["url"])


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
