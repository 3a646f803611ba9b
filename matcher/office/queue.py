"""The office's certification queue: hired referrals waiting for certification, each with what the criteria decide
for its candidate today and the reward that would earn the partner; certified referrals whose reward is owed; and a
look-up of any candidate's certification and policies.

The office sees candidates unmasked, so the queue records every view of them (with the unit of work that shows them,
committed before anything is shown), as every other unmasked view is.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matcher.config import Settings
from matcher.office.certification import Decision
from matcher.office.decisions import Assessment, Assessor
from matcher.partners import referrals
from matcher.people import privacy
from matcher.people.accounts import Caller
from matcher.store import queries
from matcher.store.models import Candidate, Job, Referral, ReferralEvent


@dataclass
class Waiting:
    """A hired referral waiting for certification, with what the criteria decide for its candidate today."""

    referral: Referral
    candidate: Candidate
    job: Job
    partner: str
    hired_at: datetime | None
    decision: Decision
    reward: int


@dataclass
class Owed:
    """A certified referral whose reward the partner has not been paid yet."""

    referral: Referral
    candidate: Candidate
    job: Job
    partner: str
    certified_at: datetime | None


@dataclass
class Queue:
    """One page of the queue: `waiting` of `waiting_total` hired referrals (those waiting longest first), the first
    `owed` of `owed_total` certified ones, and the candidate looked up (None: not asked for, or not found) with
    their assessment and the cash the policies they qualify for add up to (alternatives of a group left out)."""

    waiting: list[Waiting]
    waiting_total: int
    owed: list[Owed]
    owed_total: int
    looked_up: Candidate | None
    found: Assessment | None
    total_cash: int


def _context(session: Session, rows: list[Referral]) -> tuple[dict[int, Candidate], dict[int, Job], dict[int, str]]:
    """The candidates (with education and experience), jobs (with their employers) and partner names of these
    referrals, in a few queries."""
    people = queries.get_many(Candidate, session=session, ids={r.candidate_id for r in rows})
    job_ids = {r.job_id for r in rows}
    found = select(Job).where(Job.id.in_(job_ids)).options(selectinload(Job.enterprise_row))
    jobs = {job.id: job for job in session.scalars(found)} if job_ids else {}
    partners = queries.organization_names(session=session, ids={r.partner_id for r in rows})
    return people, jobs, partners


def _entered(session: Session, rows: list[Referral], stage: str) -> dict[int, datetime]:
    """When each referral entered `stage`."""
    if not rows:
        return {}
    events = session.execute(
        select(ReferralEvent.referral_id, ReferralEvent.at).where(
            ReferralEvent.referral_id.in_([r.id for r in rows]), ReferralEvent.stage == stage
        )
    )
    return {referral_id: at for referral_id, at in events}


def _cash(found: Assessment | None) -> int:
    """The cash policies the candidate qualifies for, summed (a group's alternatives are left out)."""
    if found is None:
        return 0
    return sum(p.amount or 0 for p in found.policies if p.eligible and p.kind == "cash" and not p.group)


def certification_queue(
    session: Session,
    settings: Settings,
    caller: Caller,
    as_of: date,
    *,
    offset: int,
    page_size: int,
    owed_shown: int,
    candidate_id: int | None,
    where: str,
) -> Queue:
    """The queue as the office sees it `as_of`: hired referrals from `offset` (oldest first), up to `owed_shown`
    certified ones, and candidate `candidate_id` when asked for; every candidate shown unmasked is audited as seen
    `where` (with `session`'s unit of work). The candidates are decided with one Assessor."""
    hired = referrals.list_referrals(session, caller, "hired")[::-1]
    certified = referrals.list_referrals(session, caller, "certified")[::-1]
    waiting_rows, owed_rows = hired[offset : offset + page_size], certified[:owed_shown]
    people, jobs, partners = _context(session, waiting_rows + owed_rows)
    looked_up = people.get(candidate_id) if candidate_id is not None else None
    if candidate_id is not None and looked_up is None:
        looked_up = queries.get_many(Candidate, session=session, ids=[candidate_id]).get(candidate_id)
    shown = set(people) | ({looked_up.id} if looked_up else set())
    privacy.audit_candidate_views(session, caller, privacy.unmasked_ids(session, caller, shown), where)

    assessor = Assessor(session, settings, as_of)
    decisions = {r.candidate_id: assessor.assess(people[r.candidate_id]).decision for r in waiting_rows}
    hired_at, certified_at = _entered(session, waiting_rows, "hired"), _entered(session, owed_rows, "certified")
    waiting = [
        Waiting(
            r,
            people[r.candidate_id],
            jobs[r.job_id],
            partners.get(r.partner_id, ""),
            hired_at.get(r.id),
            decisions[r.candidate_id],
            assessor.reward(decisions[r.candidate_id]),
        )
        for r in waiting_rows
    ]
    owed = [
        Owed(r, people[r.candidate_id], jobs[r.job_id], partners.get(r.partner_id, ""), certified_at.get(r.id))
        for r in owed_rows
    ]
    found = assessor.assess(looked_up) if looked_up else None
    return Queue(waiting, len(hired), owed, len(certified), looked_up, found, _cash(found))
