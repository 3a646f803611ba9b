"""The partner pages (引才合伙人): searching candidates (masked without consent), saved searches and shortlists per
job. Referrals, the board and rewards are in partner_referrals.py, whose routes this router includes."""

from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import MatchingDep, SessionDep
from api.downloads import download
from api.presenting import candidate_matches
from api.web import search_params
from api.web.auth import PREFIX, CheckedForm, PartnerViewer
from api.web.clock import zone_name as zone_names
from api.web.forms import FormRoute
from api.web.i18n import Translator, lang_of
from api.web.pages import partner_candidate, partner_referrals
from api.web.pages.partner_referrals import Back, FormId, Note, RowId
from api.web.render import page, redirect, safe_next, zone_of
from matcher.partners import tools as partner_tools
from matcher.people import privacy
from matcher.search.matching import ORDERS, SORTED_WINDOW, Filters
from matcher.store import queries
from matcher.store.models import Job

router = APIRouter(route_class=FormRoute, prefix=PREFIX, include_in_schema=False)
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


@router.get("/partner", response_class=HTMLResponse)
def search(
    request: Request,
    session: SessionDep,
    engine: MatchingDep,
    caller: PartnerViewer,
    q: Annotated[str, Query(max_length=2000)] = "",
    location: Text = "",
    min_degree: Annotated[str, Query(max_length=30)] = "",
    industry: Text = "",
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    job: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
    sort: Annotated[str, Query(max_length=10)] = "fit",
) -> Response:
    """Search candidates by free text and filters, like GET /search/candidates, best fit first or newest or highest
    degree first among the best; filters without words browse every candidate they admit. Neither: the form and the
    saved searches. A degree or order the search does not know (an old link, an edited address) is left out and said
    (422), the rest applied."""
    q = " ".join(q.split())
    read = search_params.read(request, location, min_degree, industry, sort)
    filters, sort = read.filters, read.sort
    min_degree = filters.min_degree.label if filters.min_degree is not None else ""  # 硕士, MSc... → master
    browsing = not q and bool(filters.location or filters.industry or filters.min_degree is not None)
    items, more, choices, progress, total = [], False, [], {}, None
    if q or browsing:
        seen = privacy.candidate_filters(caller, filters)
        if q:  # one more than a page: is there a next?
            matches = engine.search(session, "candidates", q, seen, PER_PAGE + 1, offset, order=sort)
        else:
            matches = engine.browse(session, "candidates", seen, sort, PER_PAGE + 1, offset)
        more, matches = len(matches) > PER_PAGE, matches[:PER_PAGE]
        total = engine.count("candidates", seen)
        items = candidate_matches(session, caller, matches, "console /partner")
        hint = q or " ".join(v for v in (industry, location) if v)
        choices = [_choice(j) for j in partner_tools.job_choices(session, engine, caller, hint, job, SUGGESTED_JOBS)]
        progress = partner_tools.progress(session, caller, [item.id for item in items])
    kept = {"job": job, "sort": "" if sort == "fit" else sort}
    here = search_url(q, location, min_degree, industry, offset=offset, **kept)
    return page(
        request,
        "partner/search.html",
        **read.page_extra,
        searched=bool(q or browsing),
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
        previous=search_url(q, location, min_degree, industry, offset=max(0, offset - PER_PAGE), **kept),
        following=search_url(q, location, min_degree, industry, offset=offset + PER_PAGE, **kept),
        saved=partner_tools.saved_searches(session, caller) if not (q or browsing) else [],
        browsing=browsing,
        total=total,
        sort=sort,
        sorted_url={
            o: search_url(q, location, min_degree, industry, job=job, sort="" if o == "fit" else o) for o in ORDERS
        },
        sorted_window=SORTED_WINDOW,
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
    saved = partner_tools.delete_saved_search(session, caller, search_id)
    return redirect(f"{HOME}/searches", t(f"已删除搜索「{saved.name}」。", f'Deleted "{saved.name}".'))


@router.get("/partner/shortlists", response_class=HTMLResponse)
def shortlists(
    request: Request,
    session: SessionDep,
    caller: PartnerViewer,
    job: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
) -> Response:
    """The firm's shortlist for one job (names masked, as GET /jobs/{id}/shortlist), with the jobs it keeps
    shortlists for to pick from."""
    found = partner_tools.shortlists(session, caller, job)
    current = found.current
    return page(
        request,
        "partner/shortlists.html",
        jobs=found.jobs,
        current=current,
        entries=found.entries,
        more_url=search_url(current.title, job=current.id) if current is not None else HOME,
    )


SHORTLIST_HEADERS = {
    "candidate_id": ("候选人编号", "Candidate id"),
    "name": ("姓名（未授权已隐去）", "Name (hidden without consent)"),
    "headline": ("简介", "Headline"),
    "note": ("备注", "Note"),
    "added_at": ("加入时间", "Added"),
    "referral_stage": ("推荐阶段", "Referral stage"),
    "job_id": ("职位编号", "Job id"),
    "job_title": ("职位", "Job"),
}


@router.get("/partner/shortlists/{job_id}/export")
def export_shortlist(
    request: Request,
    session: SessionDep,
    caller: PartnerViewer,
    job_id: RowId,
    format: Annotated[Literal["csv", "xlsx"], Query()] = "csv",
) -> Response:
    """The shortlist for a job as CSV or an Excel workbook, headed in the page's language (names masked as the
    list shows them)."""
    t = Translator(lang_of(request))
    zone = zone_of(request)
    columns, rows = partner_tools.shortlist_table(session, caller, job_id, zone)
    headers = {
        **SHORTLIST_HEADERS,
        "added_at": (f"加入时间（{zone_names(zone, 'zh')}）", f"Added, {zone_names(zone, 'en')}"),
    }
    table = (
        [t(*headers[c]) for c in columns],
        [[*r[:5], t.word(str(r[5])) if r[5] else "", *r[6:]] for r in rows],
    )
    name = f"shortlist-{job_id}"
    return download(name, table, format)


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
    job = queries.get(Job, session=session, row_id=job_id)  # shortlist() found it
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
router.include_router(partner_candidate.router)
