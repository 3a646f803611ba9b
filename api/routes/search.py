"""Free-text search over candidates or jobs, in Chinese, English or both."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import AnyCaller, Staff
from api.deps import FiltersDep, MatchingDep, OneValueEach, PageDep, SessionDep
from api.presenting import candidate_matches
from api.schemas import MatchOut, MatchPage, Order, Words, error_responses
from matcher.people import privacy

router = APIRouter(prefix="/search", tags=["search"], dependencies=OneValueEach)

QueryText = Annotated[Words, Query(min_length=1, max_length=2000, description="What to look for (zh/en).")]
OrderQuery = Annotated[
    Order,
    Query(description="fit (best first), or the best 100 by fit reordered: newest (added last) or degree (highest)."),
]


@router.get(
    "/candidates",
    response_model=MatchPage,
    responses=error_responses(401, 403),
    summary="Search candidates by free text (names masked without the candidate's consent)",
)
def search_candidates(
    session: SessionDep,
    engine: MatchingDep,
    caller: Staff,
    q: QueryText,
    filters: FiltersDep,
    page: PageDep,
    order: OrderQuery = "fit",
) -> MatchPage:
    matches = engine.search(
        session, "candidates", q, privacy.candidate_filters(caller, filters), page.limit, page.offset, order
    )
    items = candidate_matches(session, caller, matches, "GET /search/candidates")
    return MatchPage(items=items, limit=page.limit, offset=page.offset)


@router.get("/jobs", response_model=MatchPage, summary="Search jobs by free text (open to everyone)")
def search_jobs(
    session: SessionDep,
    engine: MatchingDep,
    _caller: AnyCaller,
    q: QueryText,
    filters: FiltersDep,
    page: PageDep,
    order: OrderQuery = "fit",
) -> MatchPage:
    matches = engine.search(session, "jobs", q, filters, page.limit, page.offset, order)
    return MatchPage(items=[MatchOut(**vars(m)) for m in matches], limit=page.limit, offset=page.offset)
