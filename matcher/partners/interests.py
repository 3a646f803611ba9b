"""Interests: a candidate tells an employer they are interested in one of its open jobs (我感兴趣).

Telling it takes the candidate's explicit consent to that employer seeing their name and contact details, recorded
as their consent to the employer's organization (matcher.people.privacy: the one consent store, purpose
"interest"), so the employer sees who is interested unmasked. One interest per candidate and job: telling it twice
is refused, saying since when. Withdrawing the interest withdraws the consent given with it — unless that consent
was given otherwise (directly, or by accepting a contact request), still backs an interest in another of the
employer's jobs, or the employer also sees the candidate through a referral they accepted: then the consent stays
and the result says why (never a silent change either way). Every step is audited.

Only employers on TalentBridge (an enterprise account whose organization posted the job) can be told: a job
crawled from an employer without an account has nobody to see the interest.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from matcher.errors import Conflict, Forbidden, Invalid, NotFound
from matcher.ingest import postings
from matcher.people import privacy
from matcher.people.accounts import Caller, Role
from matcher.people.audit import record
from matcher.store import queries
from matcher.store.models import Candidate, Consent, Interest, Job, Organization, utcnow

INTEREST = "interest"  # the purpose of a consent given with an interest
# Why withdrawing an interest left the consent to its employer in force.
KEPT_GIVEN_OTHERWISE, KEPT_OTHER_INTERESTS, KEPT_REFERRAL = "given_otherwise", "other_interests", "referral"


def open_job(session: Session, job_id: int) -> Job:
    """A job a candidate may open: NotFound for an unknown job and for a closed one."""
    job = queries.get(Job, session=session, row_id=job_id)
    if job is None:
        raise NotFound(f"job {job_id} not found", "job_not_found", job=job_id)
    if job.closed_at is not None:
        raise NotFound(f"job {job_id} is closed", "job_closed", job=job_id)
    return job


def employer_of(session: Session, job: Job) -> Organization | None:
    """The enterprise organization on TalentBridge that the job belongs to (None: its employer has no account)."""
    if job.enterprise_id is None:
        return None
    statement = select(Organization).where(
        Organization.kind == "enterprise", Organization.enterprise_id == job.enterprise_id
    )
    return session.scalars(statement.order_by(Organization.id)).first()


def _own(caller: Caller) -> int:
    if caller.role is not Role.candidate or caller.candidate_id is None:
        raise Forbidden("only a candidate tells an employer they are interested", "candidate_only")
    return caller.candidate_id


def interest_in(session: Session, caller: Caller, job_id: int) -> Interest | None:
    """The calling candidate's interest in this job (in force or withdrawn), if they ever told it."""
    statement = select(Interest).where(Interest.candidate_id == _own(caller), Interest.job_id == job_id)
    return session.scalars(statement).first()


def express(session: Session, caller: Caller, job_id: int, consent: bool) -> Interest:
    """The calling candidate tells the employer of an open job they are interested, consenting to that employer
    seeing their name and contact details (`consent` must be true)."""
    candidate_id = _own(caller)
    job = open_job(session, job_id)
    organization = employer_of(session, job)
    if organization is None:
        raise Conflict(
            f"the employer of job {job_id} is not on TalentBridge: it cannot be told yet",
            "employer_not_on_platform",
            job=job_id,
        )
    if not consent:
        raise Invalid(
            f"telling {organization.name} you are interested needs your consent to their seeing your name and "
            "contact details",
            "interest_needs_consent",
            employer=organization.name,
        )
    interest = interest_in(session, caller, job_id)
    if interest is not None and interest.withdrawn_at is None:
        raise Conflict(
            f"you told {organization.name} on {interest.created_at:%Y-%m-%d} that you are interested in job {job_id}",
            "already_interested",
            job=job_id,
            since=interest.created_at.date(),
        )
    in_force = session.scalars(
        select(Consent).where(
            Consent.candidate_id == candidate_id,
            Consent.organization_id == organization.id,
            Consent.withdrawn_at.is_(None),
        )
    ).first()
    if in_force is None:
        privacy.grant(session, caller, organization.id, purpose=INTEREST)
    now = utcnow()
    if interest is None:
        interest = Interest(candidate_id=candidate_id, job_id=job_id, organization_id=organization.id, created_at=now)
        try:
            with session.begin_nested():  # one interest per candidate and job, even when two tabs tell it at once
                session.add(interest)
        except IntegrityError:
            raise Conflict(
                f"you told {organization.name} already that you are interested in job {job_id}",
                "already_interested",
                job=job_id,
                since=now.date(),
            ) from None
    else:  # told again after a withdrawal
        interest.organization_id, interest.created_at, interest.withdrawn_at = organization.id, now, None
    record(
        session,
        caller,
        "interest.express",
        f"candidate:{candidate_id}",
        {"job": job_id, "organization": organization.id},
    )
    session.flush()
    return interest


@dataclass(frozen=True)
class Withdrawal:
    """A withdrawn interest and what became of the consent given with it: withdrawn, or kept and why (one of the
    KEPT_ reasons; `other_jobs` names the employer's other jobs still backed by it)."""

    interest: Interest
    organization: Organization
    consent_withdrawn: bool
    kept: str | None = None
    other_jobs: list[str] = field(default_factory=list)


def withdraw(session: Session, caller: Caller, job_id: int) -> Withdrawal:
    """The calling candidate withdraws their interest in a job (open or closed since), and with it the consent given
    with it, unless that consent must stay (see the module's docstring)."""
    candidate_id = _own(caller)
    interest = interest_in(session, caller, job_id)
    if interest is None or interest.withdrawn_at is not None:
        raise NotFound(
            f"you have not told the employer of job {job_id} that you are interested", "not_interested", job=job_id
        )
    interest.withdrawn_at = utcnow()
    organization = interest.organization
    record(
        session,
        caller,
        "interest.withdraw",
        f"candidate:{candidate_id}",
        {"job": job_id, "organization": organization.id},
    )
    session.flush()
    consent = session.scalars(
        select(Consent).where(Consent.candidate_id == candidate_id, Consent.organization_id == organization.id)
    ).first()
    if consent is None or consent.withdrawn_at is not None:
        return Withdrawal(interest, organization, consent_withdrawn=False)
    if consent.purpose != INTEREST:
        return Withdrawal(interest, organization, False, KEPT_GIVEN_OTHERWISE)
    others = session.scalars(
        select(Job.title)
        .join(Interest, Interest.job_id == Job.id)
        .where(
            Interest.candidate_id == candidate_id,
            Interest.organization_id == organization.id,
            Interest.withdrawn_at.is_(None),
        )
        .order_by(Interest.created_at)
    ).all()
    if others:
        return Withdrawal(interest, organization, False, KEPT_OTHER_INTERESTS, list(others))
    if organization.id in privacy.referral_access(session, caller):
        # Withdrawing would also mask them from a referral they accepted: that is theirs to choose on the privacy page.
        return Withdrawal(interest, organization, False, KEPT_REFERRAL)
    privacy.withdraw(session, caller, organization.id)
    return Withdrawal(interest, organization, consent_withdrawn=True)


def mine(session: Session, caller: Caller) -> list[Interest]:
    """The calling candidate's interests with their jobs and employers: those in force first, newest first."""
    statement = (
        select(Interest)
        .options(joinedload(Interest.job), joinedload(Interest.organization))
        .where(Interest.candidate_id == _own(caller))
        .order_by(Interest.withdrawn_at.is_not(None), Interest.created_at.desc(), Interest.id.desc())
    )
    return list(session.scalars(statement))


@dataclass(frozen=True)
class Interested:
    """A candidate interested in one of the employer's jobs, as the employer may see them: unmasked while the
    consent given with the interest stands (masked again once the candidate withdraws it on their privacy page)."""

    candidate_id: int
    name: str
    headline: str
    email: str | None
    highest_degree: int
    masked: bool
    interested_at: datetime


def for_job(session: Session, caller: Caller, job_id: int, where: str) -> list[Interested]:
    """The candidates interested in one of the caller's enterprise's jobs (the office: any job), newest first; the
    unmasked views are audited as seen `where`, with `session`'s unit of work."""
    job = postings.own_job(session, caller, job_id)
    rows = list(
        session.scalars(
            select(Interest)
            .where(Interest.job_id == job.id, Interest.withdrawn_at.is_(None))
            .order_by(Interest.created_at.desc(), Interest.id.desc())
        )
    )
    people = queries.get_many(Candidate, session=session, ids={row.candidate_id for row in rows}, experience=False)
    unmasked = privacy.unmasked_ids(session, caller, people)
    privacy.audit_candidate_views(session, caller, unmasked, where)
    shown = []
    for row in rows:
        person = people.get(row.candidate_id)
        if person is None:
            continue
        seen = person.id in unmasked
        shown.append(
            Interested(
                candidate_id=person.id,
                name=person.name if seen else privacy.mask_name(person.name),
                headline=person.headline if seen else privacy.mask_text(person.headline),
                email=person.email if seen else None,
                highest_degree=person.highest_degree,
                masked=not seen,
                interested_at=row.created_at,
            )
        )
    return shown
