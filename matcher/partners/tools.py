"""A partner firm's working tools: searches saved to run again, and shortlists of candidates per job."""

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, selectinload

from matcher.errors import Conflict, Invalid, NotFound
from matcher.people import privacy
from matcher.people.accounts import Caller
from matcher.search.matching import Filters, MatchingEngine
from matcher.store.models import Candidate, Job, Referral, SavedSearch, ShortlistEntry
from matcher.tables import Table

MAX_SAVED = 200  # per firm


def save_search(session: Session, caller: Caller, name: str, query: str, filters: dict[str, Any]) -> SavedSearch:
    assert caller.organization_id is not None
    count = len(
        session.scalars(select(SavedSearch.id).where(SavedSearch.organization_id == caller.organization_id)).all()
    )
    if count >= MAX_SAVED:
        raise Invalid(
            f"your firm has {MAX_SAVED} saved searches: delete some first", "too_many_searches", limit=MAX_SAVED
        )
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
        raise NotFound(f"saved search {search_id} not found", "saved_search_not_found", search=search_id)
    return saved


def delete_saved_search(session: Session, caller: Caller, search_id: int) -> SavedSearch:
    """Delete one of the firm's saved searches (NotFound for another firm's); returns what was deleted."""
    saved = saved_search(session, caller, search_id)
    session.delete(saved)
    return saved


def shortlist(session: Session, caller: Caller, job_id: int, candidate_id: int, note: str) -> ShortlistEntry:
    """Put a candidate on the firm's shortlist for a job (Conflict if already there); the entry comes with its
    candidate."""
    assert caller.organization_id is not None
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"job {job_id} not found", "job_not_found", job=job_id)
    if job.closed_at is not None:
        raise Invalid(f"job {job_id} is closed", "job_closed", job=job_id)
    candidate = session.get(Candidate, candidate_id)
    if candidate is None or not candidate.visible:
        raise NotFound(f"candidate {candidate_id} not found", "candidate_not_found", candidate=candidate_id)
    entry = ShortlistEntry(
        organization_id=caller.organization_id,
        job_id=job_id,
        candidate_id=candidate_id,
        note=note[:2000],
        added_by=caller.account_id,
        candidate=candidate,
    )
    try:
        with session.begin_nested():
            session.add(entry)
    except IntegrityError:
        raise Conflict(
            f"candidate {candidate_id} is already on your shortlist for job {job_id}",
            "already_shortlisted",
            candidate=candidate_id,
            job=job_id,
        ) from None
    return entry


def shortlisted(session: Session, caller: Caller, job_id: int) -> list[ShortlistEntry]:
    """The firm's shortlist for a job in the order it was made, each entry with its candidate (one query).

    A candidate who has hidden their profile is left out, as from searches: the entry is kept (it is the firm's
    note, and it shows again if they show their profile again) but nothing of them is shown meanwhile."""
    statement = (
        select(ShortlistEntry)
        .join(Candidate, Candidate.id == ShortlistEntry.candidate_id)
        .where(
            ShortlistEntry.organization_id == caller.organization_id,
            ShortlistEntry.job_id == job_id,
            Candidate.visible.is_(True),
        )
        .options(contains_eager(ShortlistEntry.candidate))
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
        raise NotFound(
            f"candidate {candidate_id} is not on your shortlist for job {job_id}",
            "not_shortlisted",
            candidate=candidate_id,
            job=job_id,
        )
    session.delete(entry)


def shortlisted_jobs(session: Session, caller: Caller, limit: int = 100) -> list[tuple[Job, int]]:
    """The jobs the firm keeps shortlists for (with their employers), each with how many candidates it has (hidden
    profiles not counted, as `shortlisted` does not show them), the most recently added to first."""
    statement = (
        select(Job, func.count(ShortlistEntry.id))
        .join(ShortlistEntry, ShortlistEntry.job_id == Job.id)
        .join(Candidate, Candidate.id == ShortlistEntry.candidate_id)
        .where(ShortlistEntry.organization_id == caller.organization_id, Candidate.visible.is_(True))
        .group_by(Job.id)
        .order_by(func.max(ShortlistEntry.id).desc())
        .limit(limit)
        .options(selectinload(Job.enterprise_row))
    )
    return [(job, count) for job, count in session.execute(statement)]


def job_choices(
    session: Session, engine: MatchingEngine, caller: Caller, query: str, wanted: int, suggested: int
) -> list[Job]:
    """Open jobs to shortlist or refer for, each once: job `wanted` (0: none), the `suggested` closest to `query`
    (none for an empty one), then those the firm keeps shortlists for (cheap: one ranked search of jobs and one
    query)."""
    rows: list[Job] = []
    chosen = session.get(Job, wanted) if wanted else None
    if chosen is not None and chosen.closed_at is None:
        rows.append(chosen)
    close = [m.id for m in engine.search(session, "jobs", query, Filters(), suggested)] if query.strip() else []
    found = select(Job).where(Job.id.in_(close)).options(selectinload(Job.enterprise_row))
    loaded = {j.id: j for j in session.scalars(found)} if close else {}
    rows += [loaded[i] for i in close if i in loaded]
    rows += [job for job, _ in shortlisted_jobs(session, caller)[:20] if job.closed_at is None]
    return list({j.id: j for j in rows}.values())  # each job once, where it first appears


def progress(session: Session, caller: Caller, candidate_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """What the firm already did with these candidates: ("shortlisted" or "referred", job title) for each."""
    done: dict[int, list[tuple[str, str]]] = {i: [] for i in candidate_ids}
    if not candidate_ids:
        return done
    listed = (
        select(ShortlistEntry.candidate_id, Job.title)
        .join(Job, Job.id == ShortlistEntry.job_id)
        .where(ShortlistEntry.organization_id == caller.organization_id, ShortlistEntry.candidate_id.in_(candidate_ids))
    )
    for candidate_id, title in session.execute(listed):
        done[candidate_id].append(("shortlisted", title))
    referred = (
        select(Referral.candidate_id, Job.title)
        .join(Job, Job.id == Referral.job_id)
        .where(Referral.partner_id == caller.organization_id, Referral.candidate_id.in_(candidate_ids))
    )
    for candidate_id, title in session.execute(referred):
        done[candidate_id].append(("referred", title))
    return done


@dataclass(frozen=True)
class Listed:
    """A shortlisted candidate as the list shows them: always masked, the name and the contact details in the
    headline (a consented profile is for the candidate's own page, audited), and the stage of the firm's referral
    of them to the job, if any."""

    candidate_id: int
    name: str
    headline: str
    note: str
    added_at: datetime
    stage: str | None


@dataclass
class Shortlists:
    """The jobs the firm keeps shortlists for (with their counts), the one shown, and its shortlist."""

    jobs: list[tuple[Job, int]]
    current: Job | None
    entries: list[Listed]


def shortlists(session: Session, caller: Caller, job_id: int = 0) -> Shortlists:
    """The firm's shortlist for job `job_id` (0: the one added to last), names masked, with the jobs it keeps
    shortlists for to pick from; NotFound for a job that does not exist."""
    jobs = shortlisted_jobs(session, caller)
    current = session.get(Job, job_id) if job_id else (jobs[0][0] if jobs else None)
    if job_id and current is None:
        raise NotFound(f"job {job_id} not found", "job_not_found", job=job_id)
    if current is None:
        return Shortlists(jobs, None, [])
    listed = shortlisted(session, caller, current.id)
    ids = [e.candidate_id for e in listed]
    referred = select(Referral.candidate_id, Referral.stage).where(
        Referral.partner_id == caller.organization_id, Referral.job_id == current.id, Referral.candidate_id.in_(ids)
    )
    stages = {candidate_id: stage for candidate_id, stage in session.execute(referred)} if ids else {}
    entries = [
        Listed(
            candidate_id=e.candidate_id,
            name=privacy.mask_name(e.candidate.name),
            headline=privacy.mask_text(e.candidate.headline),
            note=e.note,
            added_at=e.added_at,
            stage=stages.get(e.candidate_id),
        )
        for e in listed
        if e.candidate is not None
    ]
    return Shortlists(jobs, current, entries)


def _local(moment: datetime, zone: tzinfo) -> str:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).strftime("%Y-%m-%d %H:%M")


SHORTLIST_COLUMNS = ["candidate_id", "name", "headline", "note", "added_at", "referral_stage", "job_id", "job_title"]


def shortlist_table(session: Session, caller: Caller, job_id: int, zone: tzinfo = UTC) -> Table:
    """The firm's shortlist for job `job_id` as a table to download (masked as the list shows it; times to the minute
    in `zone`); NotFound for a job that does not exist, an empty table for one the firm keeps no shortlist for."""
    found = shortlists(session, caller, job_id)
    job = found.current
    assert job is not None  # shortlists() found it or raised
    rows: list[list[str | int | float | None]] = [
        [e.candidate_id, e.name, e.headline, e.note, _local(e.added_at, zone), e.stage or "", job.id, job.title]
        for e in found.entries
    ]
    return list(SHORTLIST_COLUMNS), rows
