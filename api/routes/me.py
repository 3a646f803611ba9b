"""A candidate's own data: consents, visibility, export and erasure (PIPL: consent, access, deletion)."""

from typing import Any

from fastapi import APIRouter, Path, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from api.auth import Candidate
from api.deps import PlatformDep, SessionDep
from api.schemas import CandidateOut, error_responses
from matcher.ingest import registration
from matcher.ingest.resumes import MAX_RESUME_BYTES
from matcher.people import personal_data, privacy
from matcher.records import Education, Experience

router = APIRouter(prefix="/me", tags=["candidate self-service"])
AUTH = error_responses(401, 403, 404)
OrganizationId = Path(ge=1, le=2**63 - 1, description="The partner firm or enterprise (organization id).")


class VisibilityIn(BaseModel):
    visible: bool


class ProfilePatch(BaseModel):
    """The fields to change; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=300)
    headline: str | None = Field(None, max_length=300)
    summary: str | None = Field(None, max_length=20_000)
    skills: list[str] | None = Field(None, max_length=100)
    education: list[Education] | None = Field(None, max_length=20)
    experience: list[Experience] | None = Field(None, max_length=50)
    location: str | None = Field(None, max_length=300)
    preferred_locations: list[str] | None = Field(None, max_length=20)
    industries: list[str] | None = Field(None, max_length=20)
    languages: list[str] | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=300)
    birth_year: int | None = Field(None, ge=1900, le=2100)


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
def grant_consent(session: SessionDep, caller: Candidate, organization_id: int = OrganizationId) -> None:
    privacy.grant(session, caller, organization_id)


@router.delete("/consents/{organization_id}", status_code=204, responses=AUTH, summary="Withdraw a consent")
def withdraw_consent(session: SessionDep, caller: Candidate, organization_id: int = OrganizationId) -> None:
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
    responses=error_responses(401, 403, 404, 422),
    summary="Upload your résumé (PDF or DOCX, up to 5 MB): its text joins your profile for matching",
)
def upload_resume(session: SessionDep, caller: Candidate, file: UploadFile) -> ResumeOut:
    data = file.file.read(MAX_RESUME_BYTES + 1)
    resume = registration.add_resume(session, caller, data, file.filename or "", file.content_type)
    return ResumeOut(format=resume.format, chars=resume.chars, truncated=resume.truncated)


@router.patch("/profile", response_model=CandidateOut, responses=AUTH, summary="Change your profile")
def edit_profile(session: SessionDep, platform: PlatformDep, caller: Candidate, body: ProfilePatch) -> CandidateOut:
    changes = body.model_dump(exclude_unset=True, exclude={"birth_year"})
    row = registration.edit_profile(session, platform.importer(session, "candidates"), caller, changes, body.birth_year)
    return CandidateOut.model_validate(row).model_copy(update={"contact": row.email, "masked": False})
