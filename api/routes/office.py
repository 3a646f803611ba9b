"""The talent office's decisions: certification with a reason per criterion, the policies a candidate qualifies
for, and the ledger of rewards owed to partners."""

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.auth import Allow
from api.deps import PlatformDep, SessionDep
from api.schemas import error_responses
from matcher.errors import Forbidden, NotFound
from matcher.office import decisions as talent_office
from matcher.people import privacy
from matcher.people.accounts import Caller, Role
from matcher.store.models import Organization, Referral, ReferralEvent, utcnow

router = APIRouter(tags=["certification and policies"])
AUTH = error_responses(401, 403, 404)
CandidateId = Path(ge=1, le=2**63 - 1, description="The candidate's internal id.")
AsOf = Annotated[date | None, Query(description="Decide as of this day (default: today).")]
Deciders = Annotated[Caller, Depends(Allow(Role.admin, Role.partner, Role.candidate))]
Ledger = Annotated[Caller, Depends(Allow(Role.admin, Role.partner))]


def _allowed(platform: PlatformDep, session: SessionDep, caller: Caller, candidate_id: int) -> None:
    """A candidate sees their own decisions; a partner those of candidates who consented to the firm (a decision
    shows age and schools), audited like any view of personal data; the office all."""
    if caller.role is Role.candidate and caller.candidate_id != candidate_id:
        raise NotFound(f"candidate {candidate_id} not found")
    if caller.role is Role.partner:
        if candidate_id not in privacy.unmasked_ids(session, caller, [candidate_id]):
            raise Forbidden("the candidate has not consented to your firm seeing their certification")
        with platform.session(write=True) as audit:
            privacy.audit_views(audit, caller, [candidate_id], "certification")


@router.get(
    "/candidates/{candidate_id}/certification",
    responses=AUTH,
    summary="The talent tier (人才认定) this candidate meets, with the reason for every criterion",
)
def certification(
    session: SessionDep, platform: PlatformDep, caller: Deciders, as_of: AsOf = None, candidate_id: int = CandidateId
) -> dict[str, Any]:
    _allowed(platform, session, caller, candidate_id)
    found = talent_office.assess(session, platform.settings, candidate_id, as_of or utcnow().date())
    return {
        "candidate_id": candidate_id,
        **asdict(found.decision),
        "eligible": found.decision.eligible,
        "criteria_version": found.criteria_version,
    }


@router.get(
    "/candidates/{candidate_id}/policies",
    responses=AUTH,
    summary="The policies and subsidies (政策兑现) this candidate qualifies for, and the rule behind each",
)
def candidate_policies(
    session: SessionDep,
    platform: PlatformDep,
    caller: Deciders,
    as_of: AsOf = None,
    all_policies: Annotated[bool, Query(alias="all", description="Also list those not granted, with why.")] = False,
    candidate_id: int = CandidateId,
) -> dict[str, Any]:
    _allowed(platform, session, caller, candidate_id)
    found = talent_office.assess(session, platform.settings, candidate_id, as_of or utcnow().date())
    shown = found.policies if all_policies else [p for p in found.policies if p.eligible]
    return {
        "candidate_id": candidate_id,
        "tier": found.decision.tier,
        "policies": [asdict(p) for p in shown],
        "total_cash": sum(p.amount or 0 for p in found.policies if p.eligible and p.kind == "cash" and not p.group),
        "catalogue_version": found.catalogue_version,
    }


class RewardOut(BaseModel):
    referral_id: int
    partner_id: int
    partner: str
    candidate_id: int
    job_id: int
    tier: str | None
    reward: int | None = Field(description="CNY.")
    status: str = Field(description="owed (certified, not yet paid) or paid (rewarded).")
    certified_at: str | None
    paid_at: str | None


@router.get("/rewards", response_model=list[RewardOut], responses=AUTH, summary="Rewards owed and paid to partners")
def rewards(session: SessionDep, caller: Ledger) -> list[RewardOut]:
    statement = (
        select(Referral, Organization.name)
        .join(Organization, Organization.id == Referral.partner_id)
        .where(Referral.stage.in_(("certified", "rewarded")))
        .order_by(Referral.id)
    )
    if caller.role is Role.partner:
        statement = statement.where(Referral.partner_id == caller.organization_id)
    out = []
    for referral, partner in session.execute(statement):
        when = {
            e.stage: e.at.isoformat()
            for e in session.scalars(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id))
        }
        out.append(
            RewardOut(
                referral_id=referral.id,
                partner_id=referral.partner_id,
                partner=partner,
                candidate_id=referral.candidate_id,
                job_id=referral.job_id,
                tier=referral.tier,
                reward=referral.reward,
                status="paid" if referral.stage == "rewarded" else "owed",
                certified_at=when.get("certified"),
                paid_at=when.get("rewarded"),
            )
        )
    return out
