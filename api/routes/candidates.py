"""Candidates: one profile, the jobs that fit it, and the leading industries that fit it."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path

from api.auth import Allow
from api.deps import FiltersDep, MatchingDep, OneValueEach, PageDep, PlatformDep, SessionDep
from api.presenting import candidate_for
from api.schemas import CandidateOut, Id, IndustryFitOut, MatchOut, MatchPage, error_responses
from matcher.errors import NotFound
from matcher.people.accounts import Caller, Role
from matcher.search.industries import industries_for_candidate
from matcher.store import queries
from matcher.store.models import Candidate

router = APIRouter(prefix="/candidates", tags=["candidates"], dependencies=OneValueEach)

CandidateId = Annotated[Id, Path(description="The candidate's internal id.")]
# Matches and industry fits for a candidate: the office, partners (who advise candidates) and the candidate.
Advisers = Annotated[Caller, Depends(Allow(Role.admin, Role.partner, Role.candidate))]
AUTH = error_responses(401, 403, 404)


def _own_or_visible(session: SessionDep, caller: Caller, candidate_id: int) -> Candidate:
    """The candidate, if this caller may look at them (a candidate only at themselves)."""
    row = queries.get(Candidate, session=session, row_id=candidate_id)
    if row is None or (caller.role is Role.candidate and caller.candidate_id != candidate_id):
        raise NotFound(f"candidate {candidate_id} not found")
    if not row.visible and caller.role is Role.partner:
        raise NotFound(f"candidate {candidate_id} not found")
    return row


@router.get(
    "/{candidate_id}",
    response_model=CandidateOut,
    responses=AUTH,
    summary="One candidate profile (masked for enterprises and partners the candidate has not consented to)",
)
def get_candidate(
    session: SessionDep,
    caller: Annotated[Caller, Depends(Allow(*Role))],
    candidate_id: CandidateId,
) -> CandidateOut:
    row = queries.get(Candidate, session=session, row_id=candidate_id)
    if row is None:
        raise NotFound(f"candidate {candidate_id} not found")
    return candidate_for(session, caller, row, "GET /candidates/{id}")


@router.get(
    "/{candidate_id}/matches",
    response_model=MatchPage,
    responses=AUTH,
    summary="Jobs for this candidate, best first, each with its explanation",
)
def candidate_matches(
    session: SessionDep,
    engine: MatchingDep,
    caller: Advisers,
    filters: FiltersDep,
    page: PageDep,
    candidate_id: CandidateId,
) -> MatchPage:
    _own_or_visible(session, caller, candidate_id)
    matches = engine.match_candidate(session, candidate_id, filters, page.limit, page.offset)
    return MatchPage(items=[MatchOut(**vars(m)) for m in matches], limit=page.limit, offset=page.offset)


@router.get(
    "/{candidate_id}/industries",
    response_model=list[IndustryFitOut],
    responses=AUTH,
    summary="Which of the city's leading industries fit this candidate, with the majors and openings behind it",
)
def candidate_industries(
    session: SessionDep, platform: PlatformDep, caller: Advisers, candidate_id: CandidateId
) -> list[IndustryFitOut]:
    _own_or_visible(session, caller, candidate_id)
    profiles = platform.industry_profiles(session)
    if profiles is None:
        return []
    fits = industries_for_candidate(session, platform.encoder, profiles, candidate_id)
    return [IndustryFitOut.model_validate(asdict(fit)) for fit in fits]
