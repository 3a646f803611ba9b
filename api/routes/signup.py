"""Candidates entering through the API: a student signing up, or a partner firm registering one it found."""

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, JsonValue

from api.auth import AnyCaller, Partner
from api.deps import PlatformDep, SessionDep
from api.schemas import BirthYear, CandidateOut, EducationIn, ExperienceIn, error_responses
from matcher.ingest import registration

router = APIRouter(tags=["registration"])
Short = Annotated[str, Field(max_length=300)]
# Text a record keeps once it strips whitespace (pydantic's: \x1c-\x1f are not, to it, though Python's re says they
# are) and NUL.
KEPT = r"[\x1c-\x1f]|[^\s\x00]"
# What makes a profile matchable (matcher.records.CandidateRecord refuses one with none of it): the schema's anyOf.
SOMETHING_TO_MATCH: list[JsonValue] = [
    {"required": ["headline"], "properties": {"headline": {"pattern": KEPT}}},
    {"required": ["summary"], "properties": {"summary": {"pattern": KEPT}}},
    {"required": ["skills"], "properties": {"skills": {"minItems": 1}}},
    {"required": ["education"], "properties": {"education": {"minItems": 1}}},
    {"required": ["experience"], "properties": {"experience": {"minItems": 1}}},
]


class ProfileIn(BaseModel):
    """A candidate profile as its owner (or the partner who found them) writes it."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"anyOf": SOMETHING_TO_MATCH})

    name: str = Field(min_length=1, max_length=300)
    headline: str = Field("", max_length=300, description="A headline, a summary, skills, education or experience.")
    summary: str = Field("", max_length=20_000)
    skills: list[Short] = Field(default_factory=list, max_length=100)
    education: list[EducationIn] = Field(default_factory=list, max_length=20)
    experience: list[ExperienceIn] = Field(default_factory=list, max_length=50)
    location: str = Field("", max_length=300)
    preferred_locations: list[Short] = Field(default_factory=list, max_length=20)
    industries: list[Short] = Field(default_factory=list, max_length=20)
    languages: list[Short] = Field(default_factory=list, max_length=20)
    email: str | None = Field(None, max_length=300)
    birth_year: BirthYear | None = None


def _accepted(value: Any) -> Any:
    """Only `true` is consent: false (or anything else) is refused with the reason, not as a mere wrong value."""
    if value is not True:
        raise ValueError("signing up needs your consent to processing your profile: the terms must be accepted (true)")
    return value


class SignUpIn(ProfileIn):
    accept_terms: Annotated[Literal[True], BeforeValidator(_accepted)] = Field(
        description="I agree that TalentBridge processes this profile to match me with jobs (PIPL consent): true."
    )


class SignUpOut(BaseModel):
    candidate_id: int
    key: str = Field(description="Your API key. Shown this once: keep it; it cannot be shown again.")


# registration.CONSENT_METHODS (tests/api/test_spec_conformance.py keeps the two in step).
ConsentMethod = Literal["written", "electronic", "recorded-call"]


class ConsentRecordIn(BaseModel):
    method: ConsentMethod = Field(description="How consent was obtained.")
    obtained_at: datetime = Field(description="When: not in the future.")


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
