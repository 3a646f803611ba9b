"""Jobs: one posting, the candidates that fit it, and enterprises posting, editing and closing their jobs."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from api.auth import Allow, AnyCaller, Enterprise
from api.deps import FiltersDep, MatchingDep, OneValueEach, PageDep, PlatformDep, SessionDep
from api.presenting import candidate_matches
from api.schemas import ErrorOut, Id, JobIn, JobOut, JobPatch, MatchPage, error_responses
from matcher.degrees import DegreeLevel
from matcher.errors import NotFound
from matcher.ingest import postings
from matcher.partners import interests
from matcher.people import privacy
from matcher.people.accounts import Caller, Role
from matcher.store import queries
from matcher.store.models import Job

router = APIRouter(prefix="/jobs", tags=["jobs"], dependencies=OneValueEach)

JobId = Annotated[Id, Path(description="The job's internal id.")]
AUTH = error_responses(401, 403, 404)
Recruiters = Annotated[Caller, Depends(Allow(Role.admin, Role.partner, Role.enterprise))]


class InterestedOut(BaseModel):
    candidate_id: int
    name: str = Field(description="Unmasked: the candidate consented when they said they are interested.")
    headline: str
    contact: str | None = Field(description="Their e-mail, if they gave one.")
    highest_degree: str
    masked: bool = Field(description="True once the candidate withdrew that consent (their interest stands).")
    interested_at: datetime


@router.get("/{job_id}", response_model=JobOut, responses={404: {"model": ErrorOut}}, summary="One job posting")
def get_job(session: SessionDep, _caller: AnyCaller, job_id: JobId) -> JobOut:
    row = queries.get(Job, session=session, row_id=job_id)
    if row is None:
        raise NotFound(f"job {job_id} not found")
    return JobOut.model_validate(row)


@router.get(
    "/{job_id}/matches",
    response_model=MatchPage,
    responses=AUTH,
    summary="Candidates for this job, best first, each with its explanation (an enterprise: its own jobs only)",
)
def job_matches(
    session: SessionDep,
    engine: MatchingDep,
    caller: Recruiters,
    filters: FiltersDep,
    page: PageDep,
    job_id: JobId,
) -> MatchPage:
    postings.own_job(session, caller, job_id)
    matches = engine.match_job(session, job_id, privacy.candidate_filters(caller, filters), page.limit, page.offset)
    items = candidate_matches(session, caller, matches, "GET /jobs/{id}/matches")
    return MatchPage(items=items, limit=page.limit, offset=page.offset)


@router.post("", response_model=JobOut, status_code=201, responses=AUTH, summary="Post a job (enterprises)")
def post_job(session: SessionDep, platform: PlatformDep, caller: Enterprise, body: JobIn) -> JobOut:
    job = postings.post_job(session, platform.importer(session, "jobs"), caller, body.model_dump())
    return JobOut.model_validate(job)  # searchable already: the post-write hook ran when the session committed


@router.patch(
    "/{job_id}",
    response_model=JobOut,
    responses=error_responses(401, 403, 404, 409),
    summary="Change a job you posted (409 for one imported from a crawl, or closed)",
)
def update_job(session: SessionDep, platform: PlatformDep, caller: Enterprise, body: JobPatch, job_id: JobId) -> JobOut:
    changes = body.changes()
    job = postings.update_job(session, platform.importer(session, "jobs"), caller, job_id, changes)
    return JobOut.model_validate(job)  # searchable already: the post-write hook ran when the session committed


@router.post("/{job_id}/close", response_model=JobOut, responses=AUTH, summary="Close a job you posted")
def close_job(session: SessionDep, caller: Enterprise, job_id: JobId) -> JobOut:
    return JobOut.model_validate(postings.close_job(session, caller, job_id))


@router.get(
    "/{job_id}/interests",
    response_model=list[InterestedOut],
    responses=AUTH,
    summary="Candidates who told you they are interested in your job, newest first (shown as they consented)",
)
def job_interests(session: SessionDep, caller: Enterprise, job_id: JobId) -> list[InterestedOut]:
    return [
        InterestedOut(
            candidate_id=row.candidate_id,
            name=row.name,
            headline=row.headline,
            contact=row.email,
            highest_degree=DegreeLevel(row.highest_degree).label,
            masked=row.masked,
            interested_at=row.interested_at,
        )
        for row in interests.for_job(session, caller, job_id, "GET /jobs/{id}/interests")
    ]
