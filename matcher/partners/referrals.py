"""Referrals of candidates to jobs by talent partners, the stages they move through, and who owns a placement.

Attribution: the first valid referral of a candidate to an employer owns that pairing for
`attribution_days`; another partner's referral in that window is refused (Conflict, saying since when it is
owned, not by whom). The claim is one row per (candidate, employer) under a unique constraint, so of two
partners referring at the same instant exactly one wins, on SQLite and on PostgreSQL alike.

A person linked from several records (matcher.identity.linking: a crawled profile, a partner's upload, a sign-up)
is one person here too: a claim on any of the person's records owns the placement of the person at that employer,
and a firm that referred one record to a job has referred the person. (Two firms referring two different records
of one person to one employer at the very same instant are both let through: the unique row is per record.)
"""

import re
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from matcher.errors import Conflict, Forbidden, Invalid, NotFound
from matcher.people.accounts import Caller, Role
from matcher.people.audit import record
from matcher.store import queries
from matcher.store.models import Attribution, Candidate, Job, Referral, ReferralEvent, utcnow

STAGES = ("referred", "contacted", "interviewing", "offered", "hired", "certified", "rewarded")
CLOSED = "declined"  # leaves the board before a hire: the candidate or the employer said no
# Who may move a referral into each stage: the partner and the employer run the hiring; the office certifies
# and pays.
MOVERS: dict[str, set[Role]] = {
    "contacted": {Role.partner, Role.enterprise},
    "interviewing": {Role.partner, Role.enterprise},
    "offered": {Role.partner, Role.enterprise},
    "hired": {Role.partner, Role.enterprise},
    "certified": {Role.admin},
    "rewarded": {Role.admin},
    CLOSED: {Role.partner, Role.enterprise, Role.admin},
}


def employer_key(job: Job) -> str:
    """What a placement is owned at: the employer's name, normalized — the same whether or not the posting is
    linked to an enterprise row yet, so one employer never has two claims on a candidate."""
    return "name:" + re.sub(r"\s+", " ", job.employer).strip().casefold()[:300]


def _owned_since(attribution: Attribution) -> Conflict:
    return Conflict(
        f"this candidate was already referred to this employer on {attribution.since:%Y-%m-%d %H:%M} UTC; "
        f"that referral owns the placement until {attribution.expires_at:%Y-%m-%d}",
        "placement_owned",
        since=attribution.since.date(),
        until=attribution.expires_at.date(),
    )


def _claim(
    session: Session, referral: Referral, window: timedelta, now: datetime, records: list[int] | None = None
) -> None:
    """Make `referral` the owner of its (candidate, employer), or raise Conflict if another partner owns it (on
    this record or on another record of the same person, `records`)."""
    key = (referral.candidate_id, referral.employer_key)
    others = [i for i in records or [] if i != referral.candidate_id]
    if others:
        rival = session.scalars(
            select(Attribution).where(
                Attribution.candidate_id.in_(others),
                Attribution.employer_key == key[1],
                Attribution.expires_at > now,
                Attribution.partner_id != referral.partner_id,
            )
        ).first()
        if rival is not None:
            raise _owned_since(rival)
    held = session.scalars(
        select(Attribution).where(Attribution.candidate_id == key[0], Attribution.employer_key == key[1])
    ).first()
    if held is not None and held.expires_at > now:
        if held.partner_id != referral.partner_id:
            raise _owned_since(held)
        return  # the same firm refers the candidate to another of the employer's jobs: its claim stands
    if held is not None:  # expired: take it over, unless someone else just did
        taken = session.execute(
            update(Attribution)
            .where(Attribution.id == held.id, Attribution.since == held.since)
            .values(partner_id=referral.partner_id, referral_id=referral.id, since=now, expires_at=now + window)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            session.expire(held)
            raise _owned_since(session.get(Attribution, held.id) or held)
        session.expire(held)
        return
    try:
        with session.begin_nested():
            session.add(
                Attribution(
                    candidate_id=key[0],
                    employer_key=key[1],
                    partner_id=referral.partner_id,
                    referral_id=referral.id,
                    since=now,
                    expires_at=now + window,
                )
            )
    except IntegrityError:
        winner = session.scalars(
            select(Attribution).where(Attribution.candidate_id == key[0], Attribution.employer_key == key[1])
        ).first()
        if winner is None or winner.partner_id != referral.partner_id:
            raise (
                _owned_since(winner)
                if winner
                else Conflict("another referral claimed this placement", "placement_claimed")
            ) from None


def refer(
    session: Session, caller: Caller, candidate_id: int, job_id: int, *, note: str = "", window_days: int
) -> Referral:
    """A partner refers a candidate to a job (Conflict when another partner owns the placement)."""
    if caller.role is not Role.partner or caller.organization_id is None:
        raise Forbidden("only talent partners refer candidates", "partners_only")
    candidate = session.get(Candidate, candidate_id)
    if candidate is None or not candidate.visible:  # a hidden profile is not there for partners, as in search
        raise NotFound(f"candidate {candidate_id} not found", "candidate_not_found", candidate=candidate_id)
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"job {job_id} not found", "job_not_found", job=job_id)
    if job.closed_at is not None:
        raise Invalid(f"job {job_id} is closed", "job_closed", job=job_id)
    records = queries.same_person_ids(session=session, candidate_id=candidate_id)
    duplicate = session.scalars(
        select(Referral).where(
            Referral.partner_id == caller.organization_id,
            Referral.candidate_id.in_(records),
            Referral.job_id == job_id,
        )
    ).first()
    if duplicate is not None:
        raise Conflict(
            f"you already referred this candidate to job {job_id} (referral {duplicate.id})",
            "already_referred",
            job=job_id,
            referral=duplicate.id,
        )
    now = utcnow()
    referral = Referral(
        partner_id=caller.organization_id,
        referred_by=caller.account_id,
        candidate_id=candidate_id,
        job_id=job_id,
        employer_key=employer_key(job),
        stage=STAGES[0],
        note=note[:2000],
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():  # a refused referral leaves nothing behind, even if the caller goes on
            session.add(referral)
            session.flush()
            _claim(session, referral, timedelta(days=window_days), now, records)
    except IntegrityError:  # the same firm's identical referral, committed a moment ago by another request
        raise Conflict(f"you already referred this candidate to job {job_id}", "already_referred", job=job_id) from None
    referral.events.append(ReferralEvent(stage=referral.stage, at=now, actor_account_id=caller.account_id))
    record(session, caller, "referral.create", f"referral:{referral.id}", {"job": job_id, "candidate": candidate_id})
    return referral


def visible_to(referral: Referral, caller: Caller) -> bool:
    """The partner firm that made it, the employer of its job, and the office see a referral."""
    if caller.role is Role.admin:
        return True
    if caller.role is Role.partner:
        return referral.partner_id == caller.organization_id
    if caller.role is Role.enterprise:
        return caller.enterprise_id is not None and referral.job.enterprise_id == caller.enterprise_id
    return caller.role is Role.candidate and referral.candidate_id == caller.candidate_id


def get_referral(session: Session, caller: Caller, referral_id: int) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None or not visible_to(referral, caller):
        raise NotFound(f"referral {referral_id} not found", "referral_not_found", referral=referral_id)
    return referral


def check_mover(caller: Caller, stage: str) -> None:
    """Invalid for a stage that does not exist; Forbidden when the caller's role may not move a referral into it."""
    if stage not in MOVERS:
        raise Invalid(
            f"unknown stage {stage!r}: one of {', '.join(STAGES[1:])} or {CLOSED}", "unknown_stage", stage=stage
        )
    if caller.role not in MOVERS[stage]:
        raise Forbidden(f"a {caller.role.value} cannot move a referral to {stage}", "stage_not_yours", stage=stage)


def move(
    session: Session, caller: Caller, referral_id: int, stage: str, *, tier: str | None = None, reward: int = 0
) -> Referral:
    """Move a referral one stage on (or close it), timestamped and audited. `certified` records the hire's tier and
    the reward it earns the partner (the office's decision: matcher.office.decisions.certify_referral)."""
    referral = get_referral(session, caller, referral_id)
    check_mover(caller, stage)
    if referral.stage == CLOSED:
        raise Conflict(f"referral {referral_id} is closed", "referral_closed", referral=referral_id)
    position = STAGES.index(referral.stage)
    if stage == CLOSED:
        if STAGES.index("hired") <= position:
            raise Conflict(
                f"referral {referral_id} is already {referral.stage}; it cannot be declined",
                "referral_past_declining",
                referral=referral_id,
                stage=referral.stage,
            )
    elif STAGES.index(stage) != position + 1:
        raise Conflict(
            f"referral {referral_id} is {referral.stage}; the next stage is {STAGES[position + 1]}",
            "stage_out_of_order",
            referral=referral_id,
            stage=referral.stage,
            next=STAGES[position + 1],
        )
    if stage == "certified":
        if tier is None:
            raise Conflict(
                "the candidate meets no certification tier; a referral is certified with its tier", "no_tier"
            )
        referral.tier, referral.reward = tier, reward
    now = utcnow()
    referral.stage, referral.updated_at = stage, now
    referral.events.append(ReferralEvent(stage=stage, at=now, actor_account_id=caller.account_id))
    record(session, caller, "referral.move", f"referral:{referral.id}", {"stage": stage, "tier": referral.tier})
    return referral


MAX_CORRECTION_REASON = 500


def correct(session: Session, caller: Caller, referral_id: int, stage: str, reason: str) -> Referral:
    """Put a referral back to an earlier stage after a mistaken move (or reopen a declined one at a stage it had
    reached), with the reason: recorded as a move and audited with the stage it left. The hiring side corrects its
    own stages only: a certified or rewarded referral is the office's, and stays as it is."""
    referral = get_referral(session, caller, referral_id)
    if caller.role not in MOVERS["contacted"]:  # the hiring side's stages are the hiring side's to correct
        raise Forbidden(f"a {caller.role.value} cannot correct a referral's stage", "stage_not_yours", stage=stage)
    reason = " ".join(reason.split())
    if not 1 <= len(reason) <= MAX_CORRECTION_REASON:
        raise Invalid(
            f"give the reason for the correction (1 to {MAX_CORRECTION_REASON} characters)", "correction_reason"
        )
    if referral.stage in ("certified", "rewarded"):
        raise Conflict(
            f"referral {referral_id} is {referral.stage}; its stage cannot be corrected",
            "stage_correction_past_hired",
            referral=referral_id,
        )
    if stage == CLOSED or stage not in STAGES:
        raise Invalid(
            f"a correction moves a referral to an earlier stage, not to {stage}", "unknown_stage", stage=stage
        )
    if referral.stage == CLOSED:  # reopened at most at the stage it had reached
        above = 1 + max((STAGES.index(e.stage) for e in referral.events if e.stage in STAGES), default=0)
    else:
        above = STAGES.index(referral.stage)
    if STAGES.index(stage) >= above:
        raise Conflict(
            f"referral {referral_id} is {referral.stage}; a correction moves it to an earlier stage",
            "stage_not_back",
            referral=referral_id,
            stage=referral.stage,
        )
    now = utcnow()
    previous = referral.stage
    referral.stage, referral.updated_at = stage, now
    referral.events.append(ReferralEvent(stage=stage, at=now, actor_account_id=caller.account_id))
    record(
        session,
        caller,
        "referral.correct",
        f"referral:{referral.id}",
        {"from": previous, "to": stage, "reason": reason},
    )
    return referral


def accept(session: Session, caller: Caller, referral_id: int) -> Referral:
    """The calling candidate accepts a referral made for them: its partner firm and the job's employer may then see
    their name and contact details. Accepting again changes nothing."""
    if caller.role is not Role.candidate:
        raise Forbidden("only the candidate accepts a referral made for them", "candidate_only")
    referral = get_referral(session, caller, referral_id)
    if referral.accepted_at is None:
        referral.accepted_at = utcnow()
        record(session, caller, "referral.accept", f"referral:{referral.id}")
    return referral


def list_referrals(session: Session, caller: Caller, stage: str | None = None) -> list[Referral]:
    """The referrals the caller may see, newest first (optionally one stage), with their jobs and employers."""
    statement = (
        select(Referral)
        .order_by(Referral.id.desc())
        .options(selectinload(Referral.job).selectinload(Job.enterprise_row))
    )
    if caller.role is Role.partner:
        statement = statement.where(Referral.partner_id == caller.organization_id)
    elif caller.role is Role.enterprise:
        statement = statement.join(Job, Job.id == Referral.job_id).where(Job.enterprise_id == caller.enterprise_id)
    elif caller.role is Role.candidate:
        statement = statement.where(Referral.candidate_id == caller.candidate_id)
    if stage is not None:
        if stage not in (*STAGES, CLOSED):
            raise Invalid(f"unknown stage {stage!r}", "unknown_stage", stage=stage)
        statement = statement.where(Referral.stage == stage)
    return list(session.scalars(statement.limit(1000)))
