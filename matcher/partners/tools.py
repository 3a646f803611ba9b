"""A partner firm's working tools: searches saved to run again, and shortlists of candidates per job."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matcher.errors import Conflict, Invalid, NotFound
from matcher.people.accounts import Caller
from matcher.store.models import Candidate, Job, SavedSearch, ShortlistEntry

MAX_SAVED = 200  # per firm


def save_search(session: Session, caller: Caller, name: str, query: str, filters: dict[str, Any]) -> SavedSearch:
    assert caller.organization_id is not None
    count = len(
        session.scalars(select(SavedSearch.id).where(SavedSearch.organization_id == caller.organization_id)).all()
    )
    if count >= MAX_SAVED:
        raise Invalid(f"your firm has {MAX_SAVED} saved searches: delete some first")
    saved = SavedSearch(
        organization_id=caller.organization_id,
        created_by=caller.account_id,
        name=name.strip(),
        query=query.strip(),
        filters={k: v for k, v in filters.items() if v},
    )
    session.add(saved)
    session.flush()
    return saved


def saved_searches(session: Session, caller: Caller) -> list[SavedSearch]:
    statement = select(SavedSearch).where(SavedSearch.organization_id == caller.organization_id)
    return list(session.scalars(statement.order_by(SavedSearch.id)))


def saved_search(session: Session, caller: Caller, search_id: int) -> SavedSearch:
    saved = session.get(SavedSearch, search_id)
    if saved is None or saved.organization_id != caller.organization_id:
        raise NotFound(f"saved search {search_id} not found")
    return saved


def shortlist(session: Session, caller: Caller, job_id: int, candidate_id: int, note: str) -> ShortlistEntry:
    """Put a candidate on the firm's shortlist for a job (Conflict if already there)."""
    assert caller.organization_id is not None
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"job {job_id} not found")
    if job.closed_at is not None:
        raise Invalid(f"job {job_id} is closed")
    candidate = session.get(Candidate, candidate_id)
    if candidate is None or not candidate.visible:
        raise NotFound(f"candidate {candidate_id} not found")
    entry = ShortlistEntry(
        organization_id=caller.organization_id,
        job_id=job_id,
        candidate_id=candidate_id,
        note=note[:2000],
        added_by=caller.account_id,
    )
    try:
        with session.begin_nested():
            session.add(entry)
    except IntegrityError:
        raise Conflict(f"candidate {candidate_id} is already on your shortlist for job {job_id}") from None
    return entry


def shortlisted(session: Session, caller: Caller, job_id: int) -> list[ShortlistEntry]:
    statement = select(ShortlistEntry).where(
        ShortlistEntry.organization_id == caller.organization_id, ShortlistEntry.job_id == job_id
    )
    return list(session.scalars(statement.order_by(ShortlistEntry.id)))


def unlist(session: Session, caller: Caller, job_id: int, candidate_id: int) -> None:
    entry = session.scalars(
        select(ShortlistEntry).where(
            ShortlistEntry.organization_id == caller.organization_id,
            ShortlistEntry.job_id == job_id,
            ShortlistEntry.candidate_id == candidate_id,
        )
    ).first()
    if entry is None:
        raise NotFound(f"candidate {candidate_id} is not on your shortlist for job {job_id}")
    session.delete(entry)
