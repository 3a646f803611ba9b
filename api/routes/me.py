"""A candidate's own data: consents, visibility, export and erasure (PIPL: consent, access, deletion)."""

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from api.auth import Candidate
from api.deps import PlatformDep, SessionDep, UploadedResume
from api.schemas import BirthYear, CandidateOut, EducationIn, ExperienceIn, Id, Patch, error_responses
from matcher.ingest import registration
from matcher.people import personal_data, privacy

router = APIRouter(prefix="/me", tags=["candidate self-service"])
AUTH = error_responses(401, 403, 404)
OrganizationId = Annotated[Id, Path(description="The partner firm or enterprise (organization id).")]


class VisibilityIn(BaseModel):
    visible: bool


class ProfilePatch(Patch):
    """The fields to change; those left out, or null, stay as they are (null empties email)."""

    CLEARABLE = frozenset({"email"})

    name: str | None = Field(None, min_length=1, max_length=300)
    headline: str | None = Field(None, max_length=300)
    summary: str | None = Field(None, max_length=20_000)
    skills: list[Annotated[str, Field(max_length=300)]] | None = Field(None, max_length=100)
    education: list[EducationIn] | None = Field(None, max_length=20)
    experience: list[ExperienceIn] | None = Field(None, max_length=50)
    location: str | None = Field(None, max_length=300)
    preferred_locations: list[Annotated[str, Field(max_length=300)]] | None = Field(None, max_length=20)
    industries: list[Annotated[str, Field(max_length=300)]] | None = Field(None, max_length=20)
    languages: list[Annotated[str, Field(max_length=300)]] | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=300)
    birth_year: BirthYear | None = None


class ResumeOut(BaseModel):
    format: str = Field(description="pdf or docx")
    chars: int = Field(description="Characters of text read from it (used in matching).")
    truncated: bool


@router.put(
    "/consents/{organization_id}",
    status_code=204,
    responses=AUTH,
    summary="Let one partner firm or enterprise see your name and contact details",
)
def grant_consent(session: SessionDep, caller: Candidate, organization_id: OrganizationId) -> None:
    privacy.grant(session, caller, organization_id)


@router.delete("/consents/{organization_id}", status_code=204, responses=AUTH, summary="Withdraw a consent")
def withdraw_consent(session: SessionDep, caller: Candidate, organization_id: OrganizationId) -> None:
    privacy.withdraw(session, caller, organization_id)


@router.put("/visibility", status_code=204, responses=AUTH, summary="Show or hide your profile from searches")
def set_visibility(session: SessionDep, caller: Candidate, body: VisibilityIn) -> None:
    registration.set_visibility(session, caller, body.visible)


@router.get("/export", responses=AUTH, summary="Everything TalentBridge holds about you, as JSON")
def export(session: SessionDep, caller: Candidate) -> dict[str, Any]:
    assert caller.candidate_id is not None
    return personal_data.export(session, caller, caller.candidate_id)


@router.delete(
    "",
    status_code=204,
    responses=AUTH,
    summary="Erase your account and profile (from the database, the indexes and future exports)",
)
def erase(session: SessionDep, caller: Candidate) -> None:
    assert caller.candidate_id is not None
    personal_data.erase(session, caller, caller.candidate_id)


@router.post(
    "/resume",
    response_model=ResumeOut,
    responses=error_responses(401, 403, 404, 413, 422),
    summary="Upload your résumé (PDF or DOCX, up to 5 MB): its text joins your profile for matching",
)
def upload_resume(session: SessionDep, caller: Candidate, resume: UploadedResume) -> ResumeOut:
    registration.add_resume(session, caller, resume)
    return ResumeOut(format=resume.format, chars=resume.chars, truncated=resume.truncated)


@router.patch("/profile", response_model=CandidateOut, responses=AUTH, summary="Change your profile")
def edit_profile(session: SessionDep, platform: PlatformDep, caller: Candidate, body: ProfilePatch) -> CandidateOut:
    changes = {name: value for name, value in body.changes().items() if name != "birth_year"}
    row = registration.edit_profile(session, platform.importer(session, "candidates"), caller, changes, body.birth_year)
    return CandidateOut.model_validate(row).model_copy(update={"contact": row.email, "masked": False})
