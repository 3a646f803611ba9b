"""Candidates: one profile, the jobs that fit it, and the leading industries that fit it."""

from dataclasses import asdict

from fastapi import APIRouter, Path

from api.deps import FiltersDep, MatchingDep, PageDep, PlatformDep, SessionDep
from api.schemas import CandidateOut, ErrorOut, IndustryFitOut, MatchOut, MatchPage
from matcher.errors import NotFound
from matcher.services.industries import industries_for_candidate
from matcher.store import queries
from matcher.store.models import Candidate

router = APIRouter(prefix="/candidates", tags=["candidates"])
CandidateId = Path(ge=1, le=2**63 - 1, description="The candidate's internal id.")


@router.get(
    "/{candidate_id}",
    response_model=CandidateOut,
    responses={404: {"model": ErrorOut}},
    summary="One candidate profile with education and experience",
)
def get_candidate(session: SessionDep, candidate_id: int = CandidateId) -> CandidateOut:
    row = queries.get(Candidate, session=session, row_id=candidate_id)
    if row is None:
        raise NotFound(f"candidate {candidate_id} not found")
    return CandidateOut.of(row)


@router.get(
    "/{candidate_id}/matches",
    response_model=MatchPage,
    responses={404: {"model": ErrorOut}},
    summary="Jobs for this candidate, best first, each with its explanation",
)
def candidate_matches(
    session: SessionDep,
    engine: MatchingDep,
    filters: FiltersDep,
    page: PageDep,
    candidate_id: int = CandidateId,
) -> MatchPage:
    matches = engine.match_candidate(session, candidate_id, filters, page.limit, page.offset)
    return MatchPage(items=[MatchOut(**vars(m)) for m in matches], limit=page.limit, offset=page.offset)


@router.get(
    "/{candidate_id}/industries",
    response_model=list[IndustryFitOut],
    responses={404: {"model": ErrorOut}},
    summary="Which of the city's leading industries fit this candidate, with the majors and openings behind it",
)
def candidate_industries(
    session: SessionDep, platform: PlatformDep, candidate_id: int = CandidateId
) -> list[IndustryFitOut]:
    profiles = platform.industry_profiles(session)
    if profiles is None:
        if queries.get(Candidate, session=session, row_id=candidate_id) is None:
            raise NotFound(f"candidate {candidate_id} not found")
        return []
    fits = industries_for_candidate(session, platform.encoder, profiles, candidate_id)
    return [IndustryFitOut.model_validate(asdict(fit)) for fit in fits]
