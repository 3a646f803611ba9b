"""Jobs posted by enterprises through the API: created, updated and closed, normalized like imported ones.

A posted job is an imported record with source `enterprise-api`: it goes through the same importer (occupation,
majors, lexical tokens), so a job looks the same whether it was crawled or posted. The caller refreshes the
indexes with the ids returned, so the job is searchable at once.
"""

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.degrees import DegreeLevel
from matcher.errors import Conflict, Forbidden, Invalid, NotFound
from matcher.ingest.importer import Importer, parse_record
from matcher.people.accounts import Caller, Role
from matcher.people.audit import record
from matcher.records import TERMS, JobRecord
from matcher.store import queries
from matcher.store.changes import note_changed
from matcher.store.models import Enterprise, Job, utcnow

SOURCE = "enterprise-api"
EDITABLE = (
    "title",
    "industry",
    "description",
    "requirements",
    "majors",
    "min_degree",
    "location",
    "salary_min",
    "salary_max",
    "currency",
    "salary_period",
    "posted_at",
    *TERMS,
)


def _enterprise(session: Session, caller: Caller) -> Enterprise:
    if caller.role is not Role.enterprise or caller.enterprise_id is None:
        raise Forbidden("only enterprise accounts post jobs", "enterprises_only")
    enterprise = session.get(Enterprise, caller.enterprise_id)
    if enterprise is None:
        raise Forbidden("this account's enterprise no longer exists", "enterprise_gone")
    return enterprise


def own_job(session: Session, caller: Caller, job_id: int) -> Job:
    """A job of the caller's enterprise (NotFound for anyone else's, so ids do not leak)."""
    job = queries.get(Job, session=session, row_id=job_id)
    if job is None or (caller.role is Role.enterprise and job.enterprise_id != caller.enterprise_id):
        raise NotFound(f"job {job_id} not found", "job_not_found", job=job_id)
    return job


def own_jobs(session: Session, caller: Caller, limit: int) -> list[Job]:
    """Up to `limit` jobs of the caller's enterprise: open ones first, newest first, closed ones after (none for a
    caller without an enterprise)."""
    if caller.enterprise_id is None:
        return []
    statement = (
        select(Job)
        .where(Job.enterprise_id == caller.enterprise_id)
        .order_by(Job.closed_at.is_not(None), Job.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def _store(session: Session, importer: Importer, job_record: JobRecord, enterprise: Enterprise) -> Job:
    report = importer.run_records([job_record])
    if report.errors:
        raise Invalid(report.errors[0].reason, "refused_by_database")
    job = queries.get_by_ref(Job, session=session, source=SOURCE, external_id=job_record.external_id)
    assert job is not None
    job.enterprise_id = enterprise.id
    session.flush()
    return job


def post_job(session: Session, importer: Importer, caller: Caller, fields: dict[str, Any]) -> Job:
    """A new job of the caller's enterprise."""
    enterprise = _enterprise(session, caller)
    external_id = f"{enterprise.id}-{secrets.token_hex(6)}"
    job_record = parse_record(
        JobRecord, {**fields, "source": SOURCE, "external_id": external_id, "enterprise": enterprise.name}
    )
    job = _store(session, importer, job_record, enterprise)
    record(session, caller, "job.create", f"job:{job.id}")
    return job


def update_job(session: Session, importer: Importer, caller: Caller, job_id: int, changes: dict[str, Any]) -> Job:
    """Change some fields of one of the caller's jobs (the rest stay as they are)."""
    enterprise = _enterprise(session, caller)
    job = own_job(session, caller, job_id)
    if job.source != SOURCE:
        raise Conflict(
            f"job {job_id} was imported from {job.source}; change it there, not through the API",
            "job_imported",
            job=job_id,
            source=job.source,
        )
    if job.closed_at is not None:
        raise Conflict(f"job {job_id} is closed", "job_closed", job=job_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Invalid(
            f"cannot change {', '.join(sorted(unknown))}; editable fields: {', '.join(EDITABLE)}",
            "not_editable",
            fields=sorted(unknown),
        )
    current = {
        "title": job.title,
        "industry": job.industry,
        "description": job.description,
        "requirements": job.requirements,
        "majors": job.majors,
        "min_degree": DegreeLevel(job.min_degree).label if job.min_degree else "",
        "location": job.location,
        "salary_min": job.salary_min,
        "salary_max": job.salary_max,
        "currency": job.currency,
        "salary_period": job.salary_period,
        "posted_at": job.posted_at,
        **{key: getattr(job, key) for key in TERMS},
    }
    merged = {**current, **changes, "source": SOURCE, "external_id": job.external_id, "enterprise": enterprise.name}
    job = _store(session, importer, parse_record(JobRecord, merged), enterprise)
    record(session, caller, "job.update", f"job:{job.id}", {"fields": sorted(changes)})
    return job


def close_job(session: Session, caller: Caller, job_id: int) -> Job:
    """Close one of the caller's jobs: it leaves matches and search, and takes no new referrals."""
    _enterprise(session, caller)  # only the enterprise that posted a job closes it
    job = own_job(session, caller, job_id)
    if job.closed_at is None:
        job.closed_at = utcnow()
        record(session, caller, "job.close", f"job:{job.id}")
        note_changed(session, "jobs", [job.id])
    return job
