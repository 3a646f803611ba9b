"""A candidate's own data: consents, visibility, export and erasure (PIPL: consent, access, deletion)."""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, BeforeValidator, Field

from api.auth import Candidate
from api.deps import PlatformDep, SessionDep, UploadedResume
from api.schemas import BirthYear, CandidateOut, EducationIn, ExperienceIn, Id, Patch, error_responses
from matcher.ingest import registration
from matcher.partners import interests
from matcher.people import personal_data, privacy
from matcher.store.models import Interest

router = APIRouter(prefix="/me", tags=["candidate self-service"])
AUTH = error_responses(401, 403, 404)
OrganizationId = Annotated[Id, Path(description="The partner firm or enterprise (organization id).")]
JobId = Annotated[Id, Path(description="The job's internal id.")]


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
    chars: int = Field(description="Characters of its text stored for matching (contact details left out).")
    truncated: bool
    replaced_chars: int = Field(0, description="Characters of the résumé it replaced (0: there was none).")


def _consented(value: Any) -> Any:
    """Only `true` is consent: false (or anything else) is refused with the reason, not as a mere wrong value."""
    if value is not True:
        raise ValueError(
            "telling an employer you are interested needs your consent to their seeing your details (true)"
        )
    return value


class InterestIn(BaseModel):
    job_id: Id
    consent: Annotated[Literal[True], BeforeValidator(_consented)] = Field(
        description="I agree that the job's employer may see my name and contact details for this job: true."
    )


class InterestOut(BaseModel):
    job_id: int
    job_title: str
    organization_id: int = Field(description="The employer's organization, to which your consent is given.")
    employer: str
    created_at: datetime = Field(description="When you told them.")
    withdrawn_at: datetime | None

    @classmethod
    def of(cls, row: Interest) -> "InterestOut":
        """The stored interest, with its job and employer read through its relationships."""
        return cls(
            job_id=row.job_id,
            job_title=row.job.title,
            organization_id=row.organization_id,
            employer=row.organization.name,
            created_at=row.created_at,
            withdrawn_at=row.withdrawn_at,
        )


class WithdrawalOut(BaseModel):
    interest: InterestOut
    consent_withdrawn: bool = Field(description="Whether the consent given with the interest was withdrawn with it.")
    consent_kept: str | None = Field(
        description="Why it was not: given_otherwise (directly or by accepting a contact request), other_interests "
        "(it backs your interest in another of the employer's jobs) or referral (the employer sees you through a "
        "referral you accepted); withdraw it with DELETE /me/consents/{organization_id}."
    )
    other_jobs: list[str] = Field(description="other_interests: the employer's jobs it still backs.")


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
    change = registration.add_resume(session, caller, resume)
    return ResumeOut(
        format=resume.format, chars=change.chars, truncated=resume.truncated, replaced_chars=change.replaced_chars
    )


@router.delete(
    "/resume",
    status_code=204,
    responses=AUTH,
    summary="Delete your résumé: its text leaves your profile and matching (the fields you typed stay)",
)
def delete_resume(session: SessionDep, caller: Candidate) -> None:
    registration.delete_resume(session, caller)


@router.post(
    "/interests",
    response_model=InterestOut,
    status_code=201,
    responses=error_responses(401, 403, 404, 409, 422),
    summary="Tell a job's employer you are interested, consenting to their seeing your name and contact details",
)
def express_interest(session: SessionDep, caller: Candidate, body: InterestIn) -> InterestOut:
    return InterestOut.of(interests.express(session, caller, body.job_id, body.consent))


@router.get(
    "/interests", response_model=list[InterestOut], responses=AUTH, summary="The jobs you said you are interested in"
)
def list_interests(session: SessionDep, caller: Candidate) -> list[InterestOut]:
    return [InterestOut.of(row) for row in interests.mine(session, caller)]


@router.delete(
    "/interests/{job_id}",
    response_model=WithdrawalOut,
    responses=AUTH,
    summary="Withdraw your interest in a job, and the consent given with it",
)
def withdraw_interest(session: SessionDep, caller: Candidate, job_id: JobId) -> WithdrawalOut:
    done = interests.withdraw(session, caller, job_id)
    return WithdrawalOut(
        interest=InterestOut.of(done.interest),
        consent_withdrawn=done.consent_withdrawn,
        consent_kept=done.kept,
        other_jobs=done.other_jobs,
    )


@router.patch("/profile", response_model=CandidateOut, responses=AUTH, summary="Change your profile")
def edit_profile(session: SessionDep, platform: PlatformDep, caller: Candidate, body: ProfilePatch) -> CandidateOut:
    changes = {name: value for name, value in body.changes().items() if name != "birth_year"}
    row = registration.edit_profile(session, platform.importer(session, "candidates"), caller, changes, body.birth_year)
    return CandidateOut.model_validate(row).model_copy(update={"contact": row.email, "masked": False})
