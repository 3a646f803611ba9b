"""A candidate as a talent partner sees them before referring (issue 16, point 3): the profile masked as
GET /candidates/{id} masks it (audited when shown whole), the jobs they fit best with why, what the firm already did
with them; the referral's confirmation, which names the job and its employer before anything is stored, and the
referral itself (a refused one comes back to its confirmation, 409, with the reason and the note typed)."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import MatchingDep, PlatformDep, SessionDep
from api.presenting import candidate_for
from api.schemas import MatchOut
from api.web.auth import PREFIX, CheckedForm, PartnerViewer
from api.web.forms import FormRoute
from api.web.i18n import Translator, lang_of
from api.web.messages import worded
from api.web.pages.partner_referrals import BOARD, FormId, RowId
from api.web.pages.partner_referrals import Back as FormBack
from api.web.pages.partner_referrals import Note as FormNote
from api.web.render import page, redirect, safe_next
from matcher.errors import Conflict, Invalid, NotFound
from matcher.partners import referrals
from matcher.partners import tools as partner_tools
from matcher.search.matching import Filters
from matcher.store import queries
from matcher.store.models import Candidate, Job

# included by pages/partner.py's router, which carries /console
router = APIRouter(route_class=FormRoute, include_in_schema=False)
HOME = f"{PREFIX}/partner"
FITTING_JOBS = 5  # the jobs shown as fitting the candidate best
Back = Annotated[str, Query(max_length=2000)]


def _candidate(session: SessionDep, candidate_id: int) -> Candidate:
    row = queries.get(Candidate, session=session, row_id=candidate_id)
    if row is None:
        raise NotFound(f"candidate {candidate_id} not found", "candidate_not_found", candidate=candidate_id)
    return row


def _open_job(session: SessionDep, job_id: int) -> Job:
    job = queries.get(Job, session=session, row_id=job_id)
    if job is None:
        raise NotFound(f"job {job_id} not found", "job_not_found", job=job_id)
    if job.closed_at is not None:
        raise Invalid(f"job {job_id} is closed", "job_closed", job=job_id)
    return job


@router.get("/partner/candidates/{candidate_id}", response_class=HTMLResponse)
def candidate_profile(
    request: Request,
    session: SessionDep,
    engine: MatchingDep,
    caller: PartnerViewer,
    candidate_id: RowId,
    back: Back = "",
) -> Response:
    """One candidate's profile (masked until they consent to the firm), the jobs they fit best with why, and a
    referral to start from here."""
    shown = candidate_for(session, caller, _candidate(session, candidate_id), "console /partner/candidates")
    fitting = [MatchOut(**vars(m)) for m in engine.match_candidate(session, candidate_id, Filters(), FITTING_JOBS)]
    here = f"{HOME}/candidates/{candidate_id}"
    return page(
        request,
        "partner/candidate.html",
        candidate=shown,
        fitting=fitting,
        progress=partner_tools.progress(session, caller, [candidate_id]).get(candidate_id, []),
        back=safe_next(back, HOME),
        here=here,
    )


def _confirmation(
    request: Request, session: SessionDep, caller: PartnerViewer, candidate_id: int, job_id: int, note: str, back: str
) -> Response:
    """Ask before referring: the job, its employer and place, and the candidate as the firm sees them. Nothing is
    stored until the partner confirms (POST /console/partner/referrals)."""
    shown = candidate_for(session, caller, _candidate(session, candidate_id), "console /partner/refer")
    return page(
        request,
        "partner/refer_confirm.html",
        candidate=shown,
        job=_open_job(session, job_id),
        note=note,
        back=safe_next(back, f"{HOME}/candidates/{candidate_id}"),
    )


@router.get("/partner/refer", response_class=HTMLResponse)
def confirm_referral(
    request: Request,
    session: SessionDep,
    caller: PartnerViewer,
    candidate_id: Annotated[int, Query(ge=1, le=2**63 - 1)],
    job_id: Annotated[int, Query(ge=1, le=2**63 - 1)],
    back: Back = "",
) -> Response:
    """The confirmation, from a candidate's profile (a link per fitting job)."""
    return _confirmation(request, session, caller, candidate_id, job_id, "", back)


@router.post("/partner/refer", response_class=HTMLResponse, dependencies=[CheckedForm])
def confirm_referral_from_results(
    request: Request,
    session: SessionDep,
    caller: PartnerViewer,
    candidate_id: FormId,
    job_id: FormId,
    note: FormNote = "",
    back: FormBack = "",
) -> Response:
    """The confirmation, from a search result or a shortlist (the job chosen there and the note typed carried on);
    posted, so that the form's token never lands in a URL."""
    return _confirmation(request, session, caller, candidate_id, job_id, note, back)


@dataclass(frozen=True)
class Unseen:
    """A candidate the partner may no longer see (hidden since the confirmation): named by number only."""

    id: int
    name: str
    headline: str = ""


@router.post("/partner/referrals", dependencies=[CheckedForm])
def refer(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    caller: PartnerViewer,
    candidate_id: FormId,
    job_id: FormId,
    note: FormNote = "",
    back: FormBack = "",
) -> Response:
    """Refer a candidate to a job, like POST /referrals. Refused (referred to that job already, a placement another
    firm owns, the candidate hidden or the job closed since), nothing is stored (referrals.refer leaves nothing
    behind) and the confirmation comes back, 409, naming the job, with the reason and the note as typed."""
    t = Translator(lang_of(request))
    try:
        made = referrals.refer(
            session, caller, candidate_id, job_id, note=note, window_days=platform.settings.attribution_days
        )
    except (Conflict, NotFound, Invalid) as refused:
        job = queries.get(Job, session=session, row_id=job_id)
        if job is None:
            raise  # no job to name: the not-found page
        row = queries.get(Candidate, session=session, row_id=candidate_id)
        candidate: object = Unseen(candidate_id, f"#{candidate_id}")
        if row is not None and row.visible:
            candidate = candidate_for(session, caller, row, "console /partner/referrals")
        return page(
            request,
            "partner/refer_confirm.html",
            status_code=409,
            candidate=candidate,
            job=job,
            note=note,
            back=safe_next(back, f"{HOME}/candidates/{candidate_id}"),
            flash={"kind": "error", "text": t("未能推荐：", "Not referred: ") + worded(refused, t)},
        )
    title = made.job.title
    return redirect(
        safe_next(back, BOARD), t(f"已推荐到「{title}」（推荐 #{made.id}）。", f'Referred to "{title}" (#{made.id}).')
    )
