"""Referrals: partners refer candidates to jobs; partners, employers and the office move them through stages."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from api.auth import Allow, Candidate, Partner, Signed
from api.deps import OneValueEach, PlatformDep, SessionDep
from api.schemas import Id, error_responses
from matcher.errors import Conflict
from matcher.office import decisions as talent_office
from matcher.partners import referrals
from matcher.people.accounts import Caller, Role
from matcher.store.models import Referral

router = APIRouter(prefix="/referrals", tags=["referrals"], dependencies=OneValueEach)
AUTH = error_responses(401, 403, 404, 409)
ReferralId = Annotated[Id, Path(description="The referral's id.")]
Movers = Annotated[Caller, Depends(Allow(Role.admin, Role.partner, Role.enterprise))]
# The stages a referral moves to (referrals.STAGES after the first, then referrals.CLOSED), and every stage it can
# stand at; tests/api/test_spec_conformance.py keeps them in step with matcher.partners.referrals.
NextStage = Literal["contacted", "interviewing", "offered", "hired", "certified", "rewarded", "declined"]
Stage = Literal["referred", NextStage]


class ReferralIn(BaseModel):
    candidate_id: Id
    job_id: Id
    note: str = Field("", max_length=2000)


class StageIn(BaseModel):
    stage: NextStage = Field(description="The next stage, or declined (before a hire) to close the referral.")


class CorrectionIn(BaseModel):
    stage: Literal["referred", "contacted", "interviewing", "offered", "hired"] = Field(
        description="An earlier stage than the referral's (for a declined referral, at most the stage it reached)."
    )
    reason: str = Field(min_length=1, max_length=referrals.MAX_CORRECTION_REASON, description="Why (audited).")


class EventOut(BaseModel):
    stage: Stage
    at: datetime


class ReferralOut(BaseModel):
    id: int
    partner_id: int
    candidate_id: int
    job_id: int
    job_title: str
    stage: Stage
    note: str
    accepted: bool = Field(description="The candidate accepted it: the partner and the employer see them unmasked.")
    tier: str | None = Field(description="The certified hire's tier (from `certified` on).")
    reward: int | None = Field(description="CNY owed to the partner for the certified hire (paid at `rewarded`).")
    created_at: datetime
    updated_at: datetime
    events: list[EventOut]

    @classmethod
    def of(cls, row: Referral) -> "ReferralOut":
        return cls(
            id=row.id,
            partner_id=row.partner_id,
            candidate_id=row.candidate_id,
            job_id=row.job_id,
            job_title=row.job.title,
            stage=row.stage,
            note=row.note,
            accepted=row.accepted_at is not None,
            tier=row.tier,
            reward=row.reward,
            created_at=row.created_at,
            updated_at=row.updated_at,
            events=[EventOut(stage=e.stage, at=e.at) for e in row.events],
        )


@router.post(
    "",
    response_model=ReferralOut,
    status_code=201,
    responses=AUTH,
    summary="Refer a candidate to a job (409 when another partner owns the placement)",
)
def refer(session: SessionDep, platform: PlatformDep, caller: Partner, body: ReferralIn) -> ReferralOut:
    referral = referrals.refer(
        session, caller, body.candidate_id, body.job_id, note=body.note, window_days=platform.settings.attribution_days
    )
    return ReferralOut.of(referral)


@router.get("", response_model=list[ReferralOut], responses=AUTH, summary="The referrals you may see, newest first")
def list_referrals(
    session: SessionDep,
    caller: Signed,
    stage: Annotated[Stage | None, Query(description="Only this stage.")] = None,
) -> list[ReferralOut]:
    return [ReferralOut.of(r) for r in referrals.list_referrals(session, caller, stage)]


@router.get("/{referral_id}", response_model=ReferralOut, responses=AUTH, summary="One referral with its history")
def get_referral(session: SessionDep, caller: Signed, referral_id: ReferralId) -> ReferralOut:
    return ReferralOut.of(referrals.get_referral(session, caller, referral_id))


@router.post("/{referral_id}/stage", response_model=ReferralOut, responses=AUTH, summary="Move a referral on")
def move(
    session: SessionDep, platform: PlatformDep, caller: Movers, body: StageIn, referral_id: ReferralId
) -> ReferralOut:
    try:
        referral = talent_office.move_referral(session, platform.settings, caller, referral_id, body.stage)
    except talent_office.NotCertifiable as refused:
        raise Conflict(f"{refused.message}: see GET /candidates/{{id}}/certification") from refused
    return ReferralOut.of(referral)


@router.post(
    "/{referral_id}/correct",
    response_model=ReferralOut,
    responses=AUTH,
    summary="Put a referral back to an earlier stage after a mistaken move, with the reason (audited)",
)
def correct(session: SessionDep, caller: Movers, body: CorrectionIn, referral_id: ReferralId) -> ReferralOut:
    return ReferralOut.of(referrals.correct(session, caller, referral_id, body.stage, body.reason))


@router.post(
    "/{referral_id}/accept",
    response_model=ReferralOut,
    responses=AUTH,
    summary="The candidate accepts a referral: its partner and employer may then see their name and contact",
)
def accept(session: SessionDep, caller: Candidate, referral_id: ReferralId) -> ReferralOut:
    return ReferralOut.of(referrals.accept(session, caller, referral_id))
