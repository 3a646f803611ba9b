"""The enterprise's candidates (用人单位): those who said they are interested in one of its jobs (with their
consent), those ranked for it, masked until they consent, and the contact requests that ask them to. Mirrors
GET /jobs/{id}/interests, GET /jobs/{id}/matches and api/routes/contact_requests.py."""

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import MatchingDep, SessionDep
from api.downloads import download
from api.presenting import candidate_matches
from api.web import search_params
from api.web.auth import PREFIX, CheckedForm, EnterpriseViewer
from api.web.forms import FormRoute
from api.web.i18n import Translator, lang_of
from api.web.render import page, redirect, safe_next
from matcher import tables
from matcher.ingest import postings
from matcher.partners import contact_requests, interests
from matcher.people import privacy
from matcher.search.matching import ORDERS, SORTED_WINDOW, Filters, check_order

# Included by pages/enterprise.py's router, which carries the /console prefix.
router = APIRouter(route_class=FormRoute, include_in_schema=False)
HOME = f"{PREFIX}/enterprise"
PER_PAGE = 10
MAX_REQUESTS = 300  # requests listed, newest first
DEGREES = ("associate", "bachelor", "master", "doctorate")
JobId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def candidates_url(
    job_id: int, location: str = "", min_degree: str = "", offset: int = 0, sort: str = "fit", path: str = ""
) -> str:
    """The candidates page of a job (or its export, `path`) with these filters (the empty ones left out)."""
    params = {"location": location, "min_degree": min_degree, "offset": offset, "sort": "" if sort == "fit" else sort}
    shown = {k: v for k, v in params.items() if v not in ("", 0)}
    return f"{HOME}/jobs/{job_id}{path}" + (f"?{urlencode(shown)}" if shown else "")


Sort = Annotated[str, Query(max_length=10)]
EXPORT_HEADERS = (
    ("排名", "Rank"),
    ("候选人编号", "Candidate id"),
    ("姓名（未授权已隐去）", "Name (hidden without consent)"),
    ("邮箱（已授权）", "E-mail (when shared)"),
    ("简介", "Headline"),
    ("最高学历", "Highest degree"),
    ("专业", "Majors"),
    ("所在地", "Lives in"),
    ("匹配度（0–100）", "Match (0–100)"),
)


@router.get("/enterprise/jobs/{job_id}", response_class=HTMLResponse)
def job_candidates(
    request: Request,
    session: SessionDep,
    engine: MatchingDep,
    caller: EnterpriseViewer,
    job_id: JobId,
    location: Annotated[str, Query(max_length=100)] = "",
    min_degree: Annotated[str, Query(max_length=30)] = "",
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    sort: Sort = "fit",
) -> Response:
    """The candidates who told the enterprise they are interested in one of its jobs (GET /jobs/{id}/interests:
    shown as they consented), and those who fit it, best first (or newest or highest degree first among the best),
    each with why (GET /jobs/{id}/matches). A degree or order the search does not know is left out and said (422)."""
    job = postings.own_job(session, caller, job_id)
    read = search_params.read(request, location, min_degree, None, sort)
    filters, sort = read.filters, read.sort
    matches = engine.match_job(
        session, job.id, privacy.candidate_filters(caller, filters), PER_PAGE + 1, offset, order=sort
    )  # one more: is there a next page?
    items = candidate_matches(session, caller, matches[:PER_PAGE], "console /enterprise/jobs/{id}")
    ids = [item.id for item in items]
    asked = contact_requests.latest_asked(session, caller, ids)
    shared = [item.id for item in items if not item.masked]  # their views were audited by candidate_matches
    emails = privacy.shared_emails(session, caller, shared)
    here = candidates_url(job.id, location, min_degree, offset, sort)
    return page(
        request,
        "enterprise/candidates.html",
        **read.page_extra,
        job=job,
        items=items,
        asked=asked,
        emails=emails,
        location=location,
        min_degree=min_degree,
        degrees=DEGREES,
        offset=offset,
        more=len(matches) > PER_PAGE,
        here=here,
        previous=candidates_url(job.id, location, min_degree, max(0, offset - PER_PAGE), sort),
        following=candidates_url(job.id, location, min_degree, offset + PER_PAGE, sort),
        sort=sort,
        sorted_url={o: candidates_url(job.id, location, min_degree, 0, o) for o in ORDERS},
        export_url={f: candidates_url(job.id, location, min_degree, 0, sort, f"/export.{f}") for f in tables.FORMATS},
        sorted_window=SORTED_WINDOW,
        editable=job.source == postings.SOURCE and job.closed_at is None,
        interested=interests.for_job(session, caller, job.id, "console /enterprise/jobs/{id}"),
    )


@router.get("/enterprise/jobs/{job_id}/export.{format}")
def export_candidates(
    request: Request,
    session: SessionDep,
    engine: MatchingDep,
    caller: EnterpriseViewer,
    job_id: JobId,
    format: Literal["csv", "xlsx"],
    location: Annotated[str, Query(max_length=100)] = "",
    min_degree: Annotated[str, Query(max_length=30)] = "",
    sort: Sort = "fit",
) -> Response:
    """The best SORTED_WINDOW candidates for the job, in the order and with the filters of the page, as CSV or an
    Excel workbook (masked as the page shows them; a name shown whole is audited as a view)."""
    t = Translator(lang_of(request))
    job = postings.own_job(session, caller, job_id)
    filters = privacy.candidate_filters(caller, Filters.parse(location, min_degree, None))
    matches = engine.match_job(session, job.id, filters, SORTED_WINDOW, 0, order=check_order(sort))
    items = candidate_matches(session, caller, matches, "console /enterprise/jobs/{id}/export")
    emails = privacy.shared_emails(session, caller, [item.id for item in items if not item.masked])
    rows: list[list[tables.Cell]] = [
        [
            rank,
            item.id,
            str(item.summary.get("name", "")),
            emails.get(item.id) or "",
            str(item.summary.get("headline", "")),
            t.word(str(item.summary.get("highest_degree", ""))),
            t("、", "; ").join(str(m) for m in item.summary.get("majors", [])),
            str(item.summary.get("location") or ""),
            round(item.score * 100),
        ]
        for rank, item in enumerate(items, 1)
    ]
    table = ([t(*header) for header in EXPORT_HEADERS], rows)
    name = f"job-{job.id}-candidates"
    return download(name, table, format)


@router.post("/enterprise/requests", dependencies=[CheckedForm])
def request_contact(
    request: Request,
    session: SessionDep,
    caller: EnterpriseViewer,
    candidate_id: Annotated[int, Form(ge=1, le=2**63 - 1)],
    job_id: Annotated[int, Form(ge=0, le=2**63 - 1)] = 0,
    message: Annotated[str, Form(max_length=contact_requests.MAX_MESSAGE)] = "",
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Ask a masked candidate to share their name and contact details (POST /contact-requests)."""
    t = Translator(lang_of(request))
    contact_requests.request_contact(session, caller, candidate_id, job_id or None, message)
    default = f"{HOME}/jobs/{job_id}" if job_id else f"{HOME}/requests"
    return redirect(
        safe_next(back, default),
        t(
            f"已向候选人 #{candidate_id} 发送联系请求。对方同意后，这里会显示其姓名和联系方式。",
            f"Asked candidate #{candidate_id} for their contact details. "
            "Once they accept, their name and e-mail show here.",
        ),
    )


@router.get("/enterprise/requests", response_class=HTMLResponse)
def requests_page(request: Request, session: SessionDep, caller: EnterpriseViewer) -> Response:
    """The enterprise's contact requests, newest first, with their answers (GET /contact-requests)."""
    rows = contact_requests.sent(session, caller, MAX_REQUESTS, "console /enterprise/requests")
    return page(request, "enterprise/requests.html", rows=rows)
