"""Jobs: one posting, and the candidates that fit it."""

from fastapi import APIRouter, Path

from api.deps import FiltersDep, MatchingDep, PageDep, SessionDep
from api.schemas import ErrorOut, JobOut, MatchOut, MatchPage
from matcher.errors import NotFound
from matcher.store import queries
from matcher.store.models import Job

router = APIRouter(prefix="/jobs", tags=["jobs"])
JobId = Path(ge=1, le=2**63 - 1, description="The job's internal id.")


@router.get("/{job_id}", response_model=JobOut, responses={404: {"model": ErrorOut}}, summary="One job posting")
def get_job(session: SessionDep, job_id: int = JobId) -> JobOut:
    row = queries.get(Job, session=session, row_id=job_id)
    if row is None:
        raise NotFound(f"job {job_id} not found")
    return JobOut.of(row)


@router.get(
    "/{job_id}/matches",
    response_model=MatchPage,
    responses={404: {"model": ErrorOut}},
    summary="Candidates for this job, best first, each with its explanation",
)
def job_matches(
    session: SessionDep, engine: MatchingDep, filters: FiltersDep, page: PageDep, job_id: int = JobId
) -> MatchPage:
    matches = engine.match_job(session, job_id, filters, page.limit, page.offset)
    return MatchPage(items=[MatchOut(**vars(m)) for m in matches], limit=page.limit, offset=page.offset)
