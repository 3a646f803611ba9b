"""Partners' saved searches (run again in one call) and shortlists of candidates per job."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from api.auth import Partner
from api.deps import MatchingDep, OneValueEach, PageDep, SessionDep
from api.presenting import candidate_matches
from api.schemas import DegreeName, Id, MatchPage, Words, error_responses
from matcher.partners import tools as partner_tools
from matcher.people import privacy
from matcher.search.matching import Filters
from matcher.store.models import ShortlistEntry

router = APIRouter(tags=["partner tools"], dependencies=OneValueEach)
AUTH = error_responses(401, 403, 404, 409, 422)
SearchId = Annotated[Id, Path(description="The saved search's id.")]
JobId = Annotated[Id, Path(description="The job's internal id.")]
CandidateId = Annotated[Id, Path(description="The candidate's internal id.")]


class SavedSearchIn(BaseModel):
    name: Words = Field(min_length=1, max_length=200)
    q: Words = Field(min_length=1, max_length=2000, description="What to look for (zh/en).")
    location: str | None = Field(None, max_length=100)
    min_degree: DegreeName | None = Field(None, description="The least degree, in English or Chinese.")
    industry: str | None = Field(None, max_length=100)


class SavedSearchOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    q: str = Field(validation_alias=AliasChoices("query", "q"))  # a row's query
    filters: dict[str, str]
    created_at: datetime


class ShortlistIn(BaseModel):
    candidate_id: Id
    note: str = Field("", max_length=2000)


class ShortlistOut(BaseModel):
    candidate_id: int
    name: str = Field(description="Masked unless the candidate consented to your firm.")
    headline: str
    note: str
    added_at: datetime


@router.post("/saved-searches", response_model=SavedSearchOut, status_code=201, responses=AUTH, summary="Save a search")
def save_search(session: SessionDep, caller: Partner, body: SavedSearchIn) -> SavedSearchOut:
    Filters.parse(body.location, body.min_degree, body.industry)  # refuse bad filters now, not at every run
    filters = {"location": body.location, "min_degree": body.min_degree, "industry": body.industry}
    return SavedSearchOut.model_validate(partner_tools.save_search(session, caller, body.name, body.q, filters))


@router.get("/saved-searches", response_model=list[SavedSearchOut], responses=AUTH, summary="Your firm's searches")
def list_saved(session: SessionDep, caller: Partner) -> list[SavedSearchOut]:
    return [SavedSearchOut.model_validate(row) for row in partner_tools.saved_searches(session, caller)]


@router.get(
    "/saved-searches/{search_id}/results", response_model=MatchPage, responses=AUTH, summary="Run a saved search"
)
def run_saved(
    session: SessionDep,
    engine: MatchingDep,
    caller: Partner,
    page: PageDep,
    search_id: SearchId,
) -> MatchPage:
    saved = partner_tools.saved_search(session, caller, search_id)
    f = saved.filters
    filters = Filters.parse(f.get("location"), f.get("min_degree"), f.get("industry"))
    matches = engine.search(
        session, "candidates", saved.query, privacy.candidate_filters(caller, filters), page.limit, page.offset
    )
    items = candidate_matches(session, caller, matches, "GET /saved-searches/{id}/results")
    return MatchPage(items=items, limit=page.limit, offset=page.offset)


@router.delete("/saved-searches/{search_id}", status_code=204, responses=AUTH, summary="Delete a saved search")
def delete_saved(session: SessionDep, caller: Partner, search_id: SearchId) -> None:
    partner_tools.delete_saved_search(session, caller, search_id)


@router.post(
    "/jobs/{job_id}/shortlist", response_model=ShortlistOut, status_code=201, responses=AUTH, summary="Shortlist"
)
def add_to_shortlist(session: SessionDep, caller: Partner, body: ShortlistIn, job_id: JobId) -> ShortlistOut:
    entry = partner_tools.shortlist(session, caller, job_id, body.candidate_id, body.note)
    return _shown(entry)


@router.get(
    "/jobs/{job_id}/shortlist", response_model=list[ShortlistOut], responses=AUTH, summary="Your firm's shortlist"
)
def get_shortlist(session: SessionDep, caller: Partner, job_id: JobId) -> list[ShortlistOut]:
    return [_shown(entry) for entry in partner_tools.shortlisted(session, caller, job_id)]


@router.delete(
    "/jobs/{job_id}/shortlist/{candidate_id}", status_code=204, responses=AUTH, summary="Take off the shortlist"
)
def remove_from_shortlist(session: SessionDep, caller: Partner, job_id: JobId, candidate_id: CandidateId) -> None:
    partner_tools.unlist(session, caller, job_id, candidate_id)


def _shown(entry: ShortlistEntry) -> ShortlistOut:
    """An entry with its candidate masked (the name, and contact details in the headline): a list never shows names
    (the profile does, audited, with consent)."""
    return ShortlistOut(
        candidate_id=entry.candidate_id,
        name=privacy.mask_name(entry.candidate.name),
        headline=privacy.mask_text(entry.candidate.headline),
        note=entry.note,
        added_at=entry.added_at,
    )
