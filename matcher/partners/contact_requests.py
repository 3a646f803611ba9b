"""Contact requests: an enterprise or partner firm that sees a candidate masked asks to see their name and contact
details; the candidate accepts (which is their consent to that organization) or declines.

One request per organization and candidate may wait at a time; after a decline the organization may ask again only
after a cooling-off period, so a candidate is not pestered.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from matcher.errors import Conflict, Forbidden, Invalid, NotFound
from matcher.people import privacy
from matcher.people.accounts import Caller, Role
from matcher.people.audit import record
from matcher.store import queries
from matcher.store.models import Candidate, ContactRequest, Job, utcnow

PENDING, ACCEPTED, DECLINED = "pending", "accepted", "declined"
ASK_AGAIN_AFTER = timedelta(days=30)
MAX_MESSAGE = 2000


def request_contact(
    session: Session, caller: Caller, candidate_id: int, job_id: int | None = None, message: str = ""
) -> ContactRequest:
    """Ask a candidate to share their contact details with the caller's organization (about a job, optionally)."""
    if caller.role not in (Role.enterprise, Role.partner) or caller.organization_id is None:
        raise Forbidden(
            "only enterprises and partner firms ask candidates for their contact details", "organizations_only"
        )
    if len(message) > MAX_MESSAGE:
        raise Invalid(f"the message is longer than {MAX_MESSAGE} characters", "message_too_long", limit=MAX_MESSAGE)
    candidate = session.get(Candidate, candidate_id)
    if candidate is None or not candidate.visible:
        raise NotFound(f"candidate {candidate_id} not found", "candidate_not_found", candidate=candidate_id)
    if job_id is not None:
        job = session.get(Job, job_id)
        if job is None or (caller.role is Role.enterprise and job.enterprise_id != caller.enterprise_id):
            raise NotFound(f"job {job_id} not found", "job_not_found", job=job_id)
        if job.closed_at is not None:
            raise Invalid(f"job {job_id} is closed", "job_closed", job=job_id)
    if candidate_id in privacy.unmasked_ids(session, caller, [candidate_id]):
        raise Conflict("the candidate already shares their contact details with your organization", "already_shared")
    earlier = session.scalars(
        select(ContactRequest)
        .where(ContactRequest.organization_id == caller.organization_id, ContactRequest.candidate_id == candidate_id)
        .order_by(ContactRequest.id.desc())
    ).first()
    now = utcnow()
    if earlier is not None and earlier.status == PENDING:
        raise Conflict(
            f"your organization asked on {earlier.created_at:%Y-%m-%d}: the candidate has not answered yet",
            "contact_pending",
            asked=earlier.created_at.date(),
        )
    if earlier is not None and earlier.status == DECLINED and earlier.answered_at is not None:
        again = earlier.answered_at + ASK_AGAIN_AFTER
        if now < again:
            declined = f"{earlier.answered_at:%Y-%m-%d}"
            raise Conflict(
                f"the candidate declined on {declined}: ask again after {again:%Y-%m-%d}",
                "contact_declined",
                declined=earlier.answered_at.date(),
                again=again.date(),
            )
    request = ContactRequest(
        organization_id=caller.organization_id,
        candidate_id=candidate_id,
        job_id=job_id,
        requested_by=caller.account_id,
        message=message.strip(),
        status=PENDING,
        created_at=now,
    )
    try:
        with session.begin_nested():  # one waiting request per organization and candidate, even when two ask at once
            session.add(request)
    except IntegrityError:
        raise Conflict(
            "your organization has asked already: the candidate has not answered yet", "contact_pending"
        ) from None
    record(session, caller, "contact.request", f"candidate:{candidate_id}", {"request": request.id})
    return request


def for_candidate(session: Session, caller: Caller) -> list[ContactRequest]:
    """The requests made to the calling candidate, waiting ones first, newest first."""
    statement = (
        select(ContactRequest)
        .options(joinedload(ContactRequest.organization), joinedload(ContactRequest.job))
        .where(ContactRequest.candidate_id == caller.candidate_id)
    )
    rows = list(session.scalars(statement.order_by(ContactRequest.id.desc())))
    return sorted(rows, key=lambda r: r.status != PENDING)


def for_organization(session: Session, caller: Caller, candidate_ids: list[int] | None = None) -> list[ContactRequest]:
    """The requests the caller's organization made (optionally only to these candidates), newest first."""
    statement = (
        select(ContactRequest)
        .options(joinedload(ContactRequest.job))
        .where(ContactRequest.organization_id == caller.organization_id)
    )
    if candidate_ids is not None:
        statement = statement.where(ContactRequest.candidate_id.in_(candidate_ids))
    return list(session.scalars(statement.order_by(ContactRequest.id.desc())))


@dataclass(frozen=True)
class Asked:
    """The latest contact request of an organization to one candidate."""

    status: str
    created_at: datetime
    again_after: datetime | None  # a declined request: when the organization may ask again (None: it may now)


def latest_asked(session: Session, caller: Caller, candidate_ids: list[int]) -> dict[int, Asked]:
    """The caller's organization's latest request to each of these candidates it asked (the others left out)."""
    if not candidate_ids:
        return {}
    latest: dict[int, Asked] = {}
    now = utcnow()
    for row in for_organization(session, caller, candidate_ids):  # newest first
        if row.candidate_id in latest:
            continue
        again = None
        if row.status == DECLINED and row.answered_at is not None:
            again = row.answered_at + ASK_AGAIN_AFTER
            again = again if again > now else None
        latest[row.candidate_id] = Asked(row.status, row.created_at, again)
    return latest


@dataclass(frozen=True)
class Sent:
    """A contact request the organization made, with its candidate as the organization may see them: the name
    masked, no e-mail and no contact details in the headline until the candidate shares their details; no headline
    once the profile is hidden."""

    request: ContactRequest
    name: str
    headline: str
    email: str | None
    masked: bool


def sent(session: Session, caller: Caller, limit: int, where: str) -> list[Sent]:
    """The newest `limit` requests the caller's organization made, each with its candidate as the organization may
    see them (requests to erased candidates left out). Unmasked views are audited as seen `where`, with `session`'s
    unit of work."""
    made = for_organization(session, caller)[:limit]
    people = queries.get_many(Candidate, session=session, ids={row.candidate_id for row in made})
    # Hidden profiles stay masked like every other view of them by an organization.
    unmasked = privacy.unmasked_ids(session, caller, [i for i, c in people.items() if c.visible])
    privacy.audit_candidate_views(session, caller, unmasked, where)
    rows = []
    for row in made:
        person = people.get(row.candidate_id)
        if person is None:
            continue
        shared = person.id in unmasked
        rows.append(
            Sent(
                request=row,
                name=person.name if shared else privacy.mask_name(person.name),
                headline=(person.headline if shared else privacy.mask_text(person.headline)) if person.visible else "",
                email=person.email if shared else None,
                masked=not shared,
            )
        )
    return rows


def counts_by_job(session: Session, caller: Caller, job_ids: list[int]) -> dict[int, dict[str, int]]:
    """For each of these jobs, how many contact requests the caller's organization made about it, by status."""
    counts: dict[int, dict[str, int]] = {job_id: {} for job_id in job_ids}
    if not job_ids:
        return counts
    statement = (
        select(ContactRequest.job_id, ContactRequest.status, func.count())
        .where(ContactRequest.organization_id == caller.organization_id, ContactRequest.job_id.in_(job_ids))
        .group_by(ContactRequest.job_id, ContactRequest.status)
    )
    for job_id, status, count in session.execute(statement):
        if job_id is not None:
            counts[job_id][status] = count
    return counts


def answer(session: Session, caller: Caller, request_id: int, accept: bool) -> ContactRequest:
    """The calling candidate accepts (granting consent to the organization) or declines a waiting request."""
    request = session.get(ContactRequest, request_id)
    if request is None or caller.candidate_id is None or request.candidate_id != caller.candidate_id:
        raise NotFound(f"contact request {request_id} not found", "contact_request_not_found", request=request_id)
    if request.status != PENDING:
        raise Conflict(
            f"contact request {request_id} was {request.status} already",
            "contact_request_answered",
            request=request_id,
            status=request.status,
        )
    request.status, request.answered_at = (ACCEPTED if accept else DECLINED), utcnow()
    if accept:
        privacy.grant(session, caller, request.organization_id)
    record(session, caller, f"contact.{request.status}", f"candidate:{request.candidate_id}", {"request": request_id})
    session.flush()
    return request
