"""Export candidates or jobs as JSONL in the import schema, so an export imports back unchanged."""

import json
from collections.abc import Iterator
from typing import Any, TextIO

from pydantic import ValidationError
from sqlalchemy.orm import Session

from matcher.degrees import DegreeLevel
from matcher.errors import Invalid
from matcher.records import TERMS, CandidateRecord, Education, Experience, JobRecord, Record
from matcher.store import queries
from matcher.store.models import Candidate, Job

EXPORTABLE = ("candidates", "jobs")


def _provenance(row: Candidate | Job) -> dict[str, Any]:
    return {
        "source": row.source,
        "external_id": row.external_id,
        "url": row.url,
        "fetched_at": row.fetched_at,
        "extras": row.extras,
    }


def candidate_record(row: Candidate) -> CandidateRecord:
    return CandidateRecord(
        **_provenance(row),
        name=row.name,
        headline=row.headline,
        summary=row.summary,
        skills=row.skills,
        education=[
            Education(school=e.school, degree=e.degree, major=e.major, country=e.country, end_year=e.end_year)
            for e in row.education
        ],
        experience=[
            Experience(
                title=x.title,
                organization=x.organization,
                description=x.description,
                start=x.start,
                end=x.end,
            )
            for x in row.experience
        ],
        location=row.location,
        preferred_locations=row.preferred_locations,
        industries=row.industries,
        languages=row.languages,
        email=row.email,
        consent_to_contact=row.consent_to_contact,
    )


def job_record(row: Job) -> JobRecord:
    return JobRecord(
        **_provenance(row),
        title=row.title,
        enterprise=row.enterprise_name,
        enterprise_external_id=row.enterprise_ref,
        industry=row.industry,
        description=row.description,
        requirements=row.requirements,
        majors=row.majors,
        min_degree=DegreeLevel(row.min_degree).label if row.min_degree else "",
        location=row.location,
        salary_min=row.salary_min,
        salary_max=row.salary_max,
        currency=row.currency,
        salary_period=row.salary_period,
        posted_at=row.posted_at,
        **job_terms(row),
    )


def job_terms(row: Job) -> dict[str, Any]:
    """The terms a job's extras hold (see JobRecord.terms), those that read as valid; the rest stay in extras."""
    extras = row.extras or {}
    terms = {}
    for key in TERMS:
        if extras.get(key) in (None, ""):
            continue
        try:
            checked = JobRecord.model_validate({"source": "-", "external_id": "-", "title": "-", key: extras[key]})
        except ValidationError:
            continue
        terms[key] = getattr(checked, key)
    return terms


def iter_records(session: Session, kind: str) -> Iterator[Record]:
    """Every stored candidate or job as an import record, in id order."""
    if kind == "candidates":
        yield from (candidate_record(row) for row in queries.iterate(Candidate, session=session))
    elif kind == "jobs":
        yield from (job_record(row) for row in queries.iterate(Job, session=session))
    else:
        raise Invalid(f"cannot export {kind!r}; use one of {', '.join(EXPORTABLE)}")


def export_jsonl(session: Session, kind: str, out: TextIO) -> int:
    """Write one JSON object a line; returns how many were written."""
    written = 0
    for record in iter_records(session, kind):
        payload = record.model_dump(mode="json", exclude_none=True)
        out.write(json.dumps(payload, ensure_ascii=False, sort_keys=False) + "\n")
        written += 1
    return written
