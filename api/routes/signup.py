"""Candidates entering through the API: a student signing up, or a partner firm registering one it found."""

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.auth import AnyCaller, Partner
from api.deps import PlatformDep, SessionDep
from api.schemas import CandidateOut, error_responses
from matcher.errors import Invalid
from matcher.ingest import registration
from matcher.records import Education, Experience

router = APIRouter(tags=["registration"])


class ProfileIn(BaseModel):
    """A candidate profile as its owner (or the partner who found them) writes it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=300)
    headline: str = Field("", max_length=300)
    summary: str = Field("", max_length=20_000)
    skills: list[str] = Field(default_factory=list, max_length=100)
    education: list[Education] = Field(default_factory=list, max_length=20)
    experience: list[Experience] = Field(default_factory=list, max_length=50)
    location: str = Field("", max_length=300)
    preferred_locations: list[str] = Field(default_factory=list, max_length=20)
    industries: list[str] = Field(default_factory=list, max_length=20)
    languages: list[str] = Field(default_factory=list, max_length=20)
    email: str | None = Field(None, max_length=300)
    birth_year: int | None = Field(None, ge=1900, le=2100, description="For the age limit of young-talent tiers.")


class SignUpIn(ProfileIn):
    accept_terms: bool = Field(
        description="I agree that TalentBridge processes this profile to match me with jobs (PIPL consent)."
    )


class SignUpOut(BaseModel):
    candidate_id: int
    key: str = Field(description="Your API key. Shown this once: keep it; it cannot be shown again.")


class ConsentRecordIn(BaseModel):
    method: str = Field(description=f"How consent was obtained: {', '.join(registration.CONSENT_METHODS)}.")
    obtained_at: datetime


class FoundCandidateIn(ProfileIn):
    consent: ConsentRecordIn = Field(description="The candidate's consent to being registered by your firm.")


def _fields(body: ProfileIn) -> dict[str, object]:
    return body.model_dump(exclude={"birth_year", "accept_terms", "consent"})


@router.post(
    "/signup",
    response_model=SignUpOut,
    status_code=201,
    responses=error_responses(422, 429),
    summary="Sign up as a candidate: your profile and an API key (shown once)",
)
def sign_up(session: SessionDep, platform: PlatformDep, _caller: AnyCaller, body: SignUpIn) -> SignUpOut:
    if not body.accept_terms:
        raise Invalid("accept_terms: signing up needs your consent to processing your profile")
    candidate_id, key = registration.sign_up(
        session, platform.importer(session, "candidates"), _fields(body), body.birth_year
    )
    return SignUpOut(candidate_id=candidate_id, key=key)


@router.post(
    "/candidates",
    response_model=CandidateOut,
    status_code=201,
    responses=error_responses(401, 403, 422),
    summary="Register a candidate your firm found, with their consent on record (partners)",
)
def register_found(session: SessionDep, platform: PlatformDep, caller: Partner, body: FoundCandidateIn) -> CandidateOut:
    row = registration.register_found(
        session,
        platform.importer(session, "candidates"),
        caller,
        _fields(body),
        body.birth_year,
        body.consent.method,
        body.consent.obtained_at,
    )
    return CandidateOut.model_validate(row).model_copy(update={"contact": row.email, "masked": False})
