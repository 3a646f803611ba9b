"""The partner pages (引才合伙人): searching candidates (masked without consent), saved searches and shortlists per
job. Referrals, the board and rewards are in partner_referrals.py, whose routes this router includes."""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from api.deps import MatchingDep, PlatformDep, SessionDep
from api.presenting import candidate_matches
from api.web.auth import PREFIX, CheckedForm, PartnerViewer
from api.web.i18n import Translator, lang_of
from api.web.pages import partner_referrals
from api.web.pages.partner_referrals import Back, FormId, Note, RowId
from api.web.render import page, redirect, safe_next
from matcher.errors import NotFound
from matcher.partners import tools as partner_tools
from matcher.people import privacy
from matcher.people.accounts import Caller
from matcher.search.matching import Filters
from matcher.store.models import Candidate, Job, Referral, ShortlistEntry

router = APIRouter(prefix=PREFIX, include_in_schema=False)
HOME = f"{PREFIX}/partner"
PER_PAGE = 10
SUGGESTED_JOBS = 8  # open jobs closest to the query, offered for shortlisting and referring
DEGREES = ("bachelor", "master", "doctorate")
Text = Annotated[str, Query(max_length=100)]


@dataclass(frozen=True)
class JobChoice:
    id: int
    label: str


def search_url(q: str, location: str = "", min_degree: str = "", industry: str = "", **extra: object) -> str:
    """The search page with these parameters (the empty ones left out), so results can be linked to."""
    params = {"q": q, "location": location, "min_degree": min_degree, "industry": industry, **extra}
    shown = {k: v for k, v in params.items() if v not in ("", None, 0)}
    return f"{HOME}?{urlencode(shown)}" if shown else HOME


def _choice(job: Job) -> JobChoice:
    parts = [job.title, job.employer, job.location]
    return JobChoice(job.id, " · ".join(p for p in parts if p) + f" (#{job.id})")


def _shortlisted_jobs(session: Session, caller: Caller) -> list[tuple[Job, int]]:
    """The jobs the firm keeps shortlists for, with how many candidates each has, newest first."""
    statement = (
        select(Job, func.count(ShortlistEntry.id))
        .join(ShortlistEntry, ShortlistEntry.job_id == Job.id)
        .where(ShortlistEntry.organization_id == caller.organization_id)
        .group_by(Job.id)
        .order_by(func.max(ShortlistEntry.id).desc())
        .limit(100)
        .options(selectinload(Job.enterprise_row))
    )
    return [(job, count) for job, count in session.execute(statement)]


def _job_choices(session: Session, engine: MatchingDep, caller: Caller, q: str, wanted: int) -> list[JobChoice]:
    """Open jobs to shortlist or refer for: the one asked for, those closest to the query, then the firm's
    shortlisted ones (cheap: one ranked search of jobs and one query)."""
    rows: list[Job] = []
    chosen = session.get(Job, wanted) if wanted else None
    if chosen is not None and chosen.closed_at is None:
        rows.append(chosen)
    close = [m.id for m in engine.search(session, "jobs", q, Filters(), SUGGESTED_JOBS)]
    found = select(Job).where(Job.id.in_(close)).options(selectinload(Job.enterprise_row))
    loaded = {j.id: j for j in session.scalars(found)} if close else {}
    rows += [loaded[i] for i in close if i in loaded]
    rows += [job for job, _ in _shortlisted_jobs(session, caller)[:20] if job.closed_at is None]
    return [_choice(j) for j in {j.id: j for j in rows}.values()]  # each job once, where it first appears


def _progress(session: Session, caller: Caller, ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """What the firm already did with these candidates: (kind, job title) for shortlists and referrals."""
    done: dict[int, list[tuple[str, str]]] = {i: [] for i in ids}
    if not ids:
        return done
    listed = (
        select(ShortlistEntry.candidate_id, Job.title)
        .join(Job, Job.id == ShortlistEntry.job_id)
        .where(ShortlistEntry.organization_id == caller.organization_id, ShortlistEntry.candidate_id.in_(ids))
    )
    for cid, title in session.execute(listed):
        done[cid].append(("shortlisted", title))
    referred = (
        select(Referral.candidate_id, Job.title)
        .join(Job, Job.id == Referral.job_id)
        .where(Referral.partner_id == caller.organization_id, Referral.candidate_id.in_(ids))
    )
    for cid, title in session.execute(referred):
        done[cid].append(("referred", title))
    return done


@router.get("/partner", response_class=HTMLResponse)
def search(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    engine: MatchingDep,
    caller: PartnerViewer,
    q: Annotated[str, Query(max_length=2000)] = "",
    location: Text = "",
    min_degree: Annotated[str, Query(max_length=30)] = "",
    industry: Text = "",
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    job: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
) -> Response:
    """Search candidates by free text and filters, like GET /search/candidates; an empty query shows the form."""
    q = " ".join(q.split())
    filters = Filters.parse(location, min_degree, industry)
    min_degree = filters.min_degree.label if filters.min_degree is not None else ""  # 硕士, MSc... → master
    items, more, choices, progress = [], False, [], {}
    if q:
        matches = engine.search(session, "candidates", q, filters, PER_PAGE + 1, offset)  # one more: is there a next?
        more, matches = len(matches) > PER_PAGE, matches[:PER_PAGE]
        items = candidate_matches(platform, session, caller, matches, "console /partner")
        choices = _job_choices(session, engine, caller, q, job)
        progress = _progress(session, caller, [item.id for item in items])
    here = search_url(q, location, min_degree, industry, offset=offset, job=job)
    return page(
        request,
        "partner/search.html",
        q=q,
        location=location,
        min_degree=min_degree,
        industry=industry,
        offset=offset,
        job=job,
        degrees=DEGREES,
        items=items,
        more=more,
        choices=choices,
        progress=progress,
        here=here,
        previous=search_url(q, location, min_degree, industry, offset=max(0, offset - PER_PAGE), job=job),
        following=search_url(q, location, min_degree, industry, offset=offset + PER_PAGE, job=job),
        saved=partner_tools.saved_searches(session, caller) if not q else [],
        search_url=search_url,
    )


@router.post("/partner/searches", dependencies=[CheckedForm])
def save_search(
    request: Request,
    session: SessionDep,
    caller: PartnerViewer,
    name: Annotated[str, Form(min_length=1, max_length=200, pattern=r"\S")],
    q: Annotated[str, Form(min_length=1, max_length=2000, pattern=r"\S")],
    location: Annotated[str, Form(max_length=100)] = "",
    min_degree: Annotated[str, Form(max_length=30)] = "",
    industry: Annotated[str, Form(max_length=100)] = "",
    back: Back = "",
) -> Response:
    """Save the search, like POST /saved-searches (bad filters refused now, not at every run)."""
    t = Translator(lang_of(request))
    Filters.parse(location, min_degree, industry)
    filters = {"location": location.strip(), "min_degree": min_degree.strip(), "industry": industry.strip()}
    saved = partner_tools.save_search(session, caller, name, q, filters)
    return redirect(safe_next(back, f"{HOME}/searches"), t(f"已保存搜索「{saved.name}」。", f'Saved "{saved.name}".'))


@router.get("/partner/searches", response_class=HTMLResponse)
def saved_searches(request: Request, session: SessionDep, caller: PartnerViewer) -> Response:
    """The firm's saved searches, each a link to run it."""
    rows = partner_tools.saved_searches(session, caller)
    return page(request, "partner/searches.html", rows=rows, search_url=search_url)


@router.post("/partner/searches/{search_id}/delete", dependencies=[CheckedForm])
def delete_search(request: Request, session: SessionDep, caller: PartnerViewer, search_id: RowId) -> Response:
    t = Translator(lang_of(request))
    saved = partner_tools.saved_search(session, caller, search_id)
    session.delete(saved)
    return redirect(f"{HOME}/searches", t(f"已删除搜索「{saved.name}」。", f'Deleted "{saved.name}".'))


@dataclass(frozen=True)
class Entry:
    candidate_id: int
    name: str
    headline: str
    note: str
    added_at: datetime
    stage: str | None


@router.get("/partner/shortlists", response_class=HTMLResponse)
def shortlists(
    request: Request,
    session: SessionDep,
    caller: PartnerViewer,
    job: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
) -> Response:
    """The firm's shortlist for one job (names masked, as GET /jobs/{id}/shortlist), with the jobs it keeps
    shortlists for to pick from."""
    jobs = _shortlisted_jobs(session, caller)
    current = session.get(Job, job) if job else (jobs[0][0] if jobs else None)
    if job and current is None:
        raise NotFound(f"job {job} not found")
    entries: list[Entry] = []
    if current is not None:
        listed = partner_tools.shortlisted(session, caller, current.id)
        ids = [e.candidate_id for e in listed]
        people = {c.id: c for c in session.scalars(select(Candidate).where(Candidate.id.in_(ids)))} if ids else {}
        referred = select(Referral.candidate_id, Referral.stage).where(
            Referral.partner_id == caller.organization_id, Referral.job_id == current.id, Referral.candidate_id.in_(ids)
        )
        stages = {cid: stage for cid, stage in session.execute(referred)}
        entries = [
            Entry(
                candidate_id=e.candidate_id,
                # a list never shows names (as the JSON route): a consented profile is for GET /candidates/{id}
                name=privacy.mask_name(people[e.candidate_id].name),
                headline=people[e.candidate_id].headline,
                note=e.note,
                added_at=e.added_at,
                stage=stages.get(e.candidate_id),
            )
            for e in listed
            if e.candidate_id in people
        ]
    return page(
        request,
        "partner/shortlists.html",
        jobs=jobs,
        current=current,
        entries=entries,
        more_url=search_url(current.title, job=current.id) if current is not None else HOME,
    )


@router.post("/partner/shortlists", dependencies=[CheckedForm])
def add_to_shortlist(
    request: Request,
    session: SessionDep,
    caller: PartnerViewer,
    candidate_id: FormId,
    job_id: FormId,
    note: Note = "",
    back: Back = "",
) -> Response:
    """Shortlist a candidate for a job, like POST /jobs/{id}/shortlist."""
    t = Translator(lang_of(request))
    partner_tools.shortlist(session, caller, job_id, candidate_id, note)
    job = session.get(Job, job_id)  # shortlist() found it
    title = job.title if job is not None else f"#{job_id}"
    return redirect(
        safe_next(back, f"{HOME}/shortlists?job={job_id}"),
        t(f"已加入「{title}」的候选名单。", f'Added to the shortlist for "{title}".'),
    )


@router.post("/partner/shortlists/{job_id}/{candidate_id}/delete", dependencies=[CheckedForm])
def remove_from_shortlist(
    request: Request, session: SessionDep, caller: PartnerViewer, job_id: RowId, candidate_id: RowId
) -> Response:
    """Take a candidate off the firm's shortlist for a job, like DELETE /jobs/{id}/shortlist/{candidate_id}."""
    t = Translator(lang_of(request))
    partner_tools.unlist(session, caller, job_id, candidate_id)
    return redirect(f"{HOME}/shortlists?job={job_id}", t("已从候选名单移除。", "Taken off the shortlist."))


router.include_router(partner_referrals.router)
