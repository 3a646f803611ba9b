"""The talent office's decisions: certification with a reason per criterion, the policies a candidate qualifies
for, and the ledger of rewards owed to partners."""

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from api.auth import Admin, Allow
from api.deps import Day, OneValueEach, PlatformDep, SessionDep
from api.schemas import Id, Words, error_responses
from matcher.office import decisions as talent_office
from matcher.office import overrides, reports
from matcher.people.accounts import Caller, Role
from matcher.store.models import utcnow

router = APIRouter(tags=["certification and policies"], dependencies=OneValueEach)
AUTH = error_responses(401, 403, 404)
CandidateId = Annotated[Id, Path(description="The candidate's internal id.")]
AsOf = Annotated[Day | None, Query(description="Decide as of this day, 2000-01-01 to 2099-12-31 (default: today).")]
Deciders = Annotated[Caller, Depends(Allow(Role.admin, Role.partner, Role.candidate))]
Ledger = Annotated[Caller, Depends(Allow(Role.admin, Role.partner))]


@router.get(
    "/candidates/{candidate_id}/certification",
    responses=AUTH,
    summary="The talent tier (人才认定) this candidate meets, with the reason for every criterion",
)
def certification(
    session: SessionDep, platform: PlatformDep, caller: Deciders, candidate_id: CandidateId, as_of: AsOf = None
) -> dict[str, Any]:
    day = as_of or utcnow().date()
    return _certification(candidate_id, talent_office.assess_for(session, platform.settings, caller, candidate_id, day))


@router.get(
    "/candidates/{candidate_id}/policies",
    responses=AUTH,
    summary="The policies and subsidies (政策兑现) this candidate qualifies for, and the rule behind each",
)
def candidate_policies(
    session: SessionDep,
    platform: PlatformDep,
    caller: Deciders,
    candidate_id: CandidateId,
    as_of: AsOf = None,
    all_policies: Annotated[bool, Query(alias="all", description="Also list those not granted, with why.")] = False,
) -> dict[str, Any]:
    day = as_of or utcnow().date()
    found = talent_office.assess_for(session, platform.settings, caller, candidate_id, day)
    shown = found.policies if all_policies else [p for p in found.policies if p.eligible]
    return {
        "candidate_id": candidate_id,
        "tier": found.decision.tier,
        "policies": [asdict(p) for p in shown],
        "total_cash": sum(p.amount or 0 for p in found.policies if p.eligible and p.kind == "cash" and not p.group),
        "catalogue_version": found.catalogue_version,
    }


def _certification(candidate_id: int, found: talent_office.Assessment) -> dict[str, Any]:
    return {
        "candidate_id": candidate_id,
        **asdict(found.decision),
        "eligible": found.decision.eligible,
        "criteria_version": found.criteria_version,
    }


class TierOverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tier: str | None = Field(
        pattern=r"^[A-Z]$",
        description="A tier of the criteria (A, B, C, D in the packaged ones; another letter is a 404), or null for "
        "no tier.",
    )
    reason: Words = Field(min_length=1, max_length=overrides.MAX_REASON, description="Why the office decides so.")


@router.post(
    "/candidates/{candidate_id}/certification/override",
    responses=error_responses(401, 403, 404, 409),
    summary="The office sets the tier otherwise than the criteria give, with the reason (audited)",
)
def override_tier(
    session: SessionDep, platform: PlatformDep, caller: Admin, candidate_id: CandidateId, body: TierOverrideIn
) -> dict[str, Any]:
    found = overrides.set_tier(
        session, platform.settings, caller, candidate_id, body.tier, body.reason, utcnow().date()
    )
    return _certification(candidate_id, found)


@router.delete(
    "/candidates/{candidate_id}/certification/override",
    responses=AUTH,
    summary="The office removes its override: the criteria decide the tier again",
)
def remove_override(
    session: SessionDep, platform: PlatformDep, caller: Admin, candidate_id: CandidateId
) -> dict[str, Any]:
    return _certification(
        candidate_id, overrides.remove_tier(session, platform.settings, caller, candidate_id, utcnow().date())
    )


def _iso(value: Any) -> Any:
    """A timestamp as datetime.isoformat() writes it; text passes through."""
    return value.isoformat() if isinstance(value, datetime) else value


IsoTime = Annotated[str | None, BeforeValidator(_iso)]


class RewardOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    referral_id: int
    partner_id: int
    partner: str
    candidate_id: int
    job_id: int
    tier: str | None
    reward: int | None = Field(description="CNY.")
    status: str = Field(description="owed (certified, not yet paid) or paid (rewarded).")
    certified_at: IsoTime
    paid_at: IsoTime


@router.get("/rewards", response_model=list[RewardOut], responses=AUTH, summary="Rewards owed and paid to partners")
def rewards(session: SessionDep, caller: Ledger) -> list[RewardOut]:
    return [RewardOut.model_validate(line) for line in reports.rewards_ledger(session, caller)]
