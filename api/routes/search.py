"""Free-text search over candidates or jobs, in Chinese, English or both."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import FiltersDep, MatchingDep, PageDep, SessionDep
from api.schemas import MatchOut, MatchPage
from matcher.services.indexing import Kind

router = APIRouter(prefix="/search", tags=["search"])
QueryText = Annotated[str, Query(min_length=1, max_length=2000, description="What to look for (zh/en).")]


def _search(
    engine: MatchingDep, session: SessionDep, kind: Kind, q: str, filters: FiltersDep, page: PageDep
) -> MatchPage:
    matches = engine.search(session, kind, q, filters, page.limit, page.offset)
    return MatchPage(items=[MatchOut(**vars(m)) for m in matches], limit=page.limit, offset=page.offset)


@router.get("/candidates", response_model=MatchPage, summary="Search candidates by free text")
def search_candidates(
    session: SessionDep, engine: MatchingDep, q: QueryText, filters: FiltersDep, page: PageDep
) -> MatchPage:
    return _search(engine, session, "candidates", q, filters, page)


@router.get("/jobs", response_model=MatchPage, summary="Search jobs by free text")
def search_jobs(
    session: SessionDep, engine: MatchingDep, q: QueryText, filters: FiltersDep, page: PageDep
) -> MatchPage:
    return _search(engine, session, "jobs", q, filters, page)
