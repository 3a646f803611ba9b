"""A job's page for the candidate (海外学子): the whole posting and why it fits them (the matching engine's
explanation, as on the openings page), and "I'm interested" — telling the employer, with the candidate's consent to
their seeing the candidate's name and contact details — withdrawn there too. Mirrors POST, GET and DELETE
/me/interests. Included by candidate.py's router."""

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import MatchingDep, SessionDep
from api.schemas import MatchOut
from api.web.auth import PREFIX, CandidateViewer, CheckedForm
from api.web.forms import FormRoute
from api.web.i18n import Translator, lang_of
from api.web.pages.candidate_privacy import own_id
from api.web.render import page, redirect, safe_next
from matcher.partners import interests

router = APIRouter(route_class=FormRoute, include_in_schema=False)  # candidate.router (prefix /console) includes it
JOBS = f"{PREFIX}/me/jobs"
JobId = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.get("/me/jobs/{job_id}", response_class=HTMLResponse)
def job_page(
    request: Request, session: SessionDep, engine: MatchingDep, caller: CandidateViewer, job_id: JobId
) -> Response:
    """One open job in full, why it fits me (GET /candidates/{id}/matches' explanation of it), and whether I told its
    employer I am interested. A closed or unknown job is a 404 page."""
    job = interests.open_job(session, job_id)
    match = engine.match_candidate_to_job(session, own_id(caller), job.id)
    return page(
        request,
        "candidate/job.html",
        job=job,
        employer=interests.employer_of(session, job),
        interest=interests.interest_in(session, caller, job.id),
        item=MatchOut(**vars(match)) if match is not None else None,
    )


@router.post("/me/jobs/{job_id}/interest", dependencies=[CheckedForm])
def express_interest(
    request: Request,
    session: SessionDep,
    caller: CandidateViewer,
    job_id: JobId,
    consent: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Tell the employer I am interested, as POST /me/interests: only with the consent box ticked."""
    t = Translator(lang_of(request))
    interest = interests.express(session, caller, job_id, consent == "yes")
    name = interest.organization.name
    return redirect(
        f"{JOBS}/{job_id}#interest",
        t(
            f"已告知「{name}」您对该职位感兴趣，对方现在可以看到您的姓名和联系方式。",
            f"{name} now knows you are interested in this job and can see your name and contact details.",
        ),
    )


@router.post("/me/jobs/{job_id}/interest/withdraw", dependencies=[CheckedForm])
def withdraw_interest(
    request: Request,
    session: SessionDep,
    caller: CandidateViewer,
    job_id: JobId,
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Withdraw my interest, as DELETE /me/interests/{job_id}, and the consent given with it (or say why it stays);
    back to the job's page, or to `back` (the openings page's list of my interests: the job may be closed since)."""
    t = Translator(lang_of(request))
    done = interests.withdraw(session, caller, job_id)
    name = done.organization.name
    if done.consent_withdrawn:
        message = t(
            f"已撤回意向，「{name}」不再能看到您的姓名和联系方式。",
            f"Interest withdrawn: {name} no longer sees your name and contact details.",
        )
    elif done.kept == interests.KEPT_OTHER_INTERESTS:
        jobs = "、".join(done.other_jobs) if t.lang == "zh" else ", ".join(done.other_jobs)
        message = t(
            f"已撤回意向。您仍对「{name}」的其他职位（{jobs}）感兴趣，因此对方仍可看到您的姓名和联系方式；"
            "如需停止，请一并撤回，或在“隐私与授权”中撤回授权。",
            f"Interest withdrawn. You are still interested in {name}'s other jobs ({jobs}), so they still see your "
            "name and contact details: withdraw those too, or withdraw your consent under Privacy & consent.",
        )
    elif done.kept == interests.KEPT_REFERRAL:
        message = t(
            f"已撤回意向。您同意过的推荐仍让「{name}」可以看到您的姓名和联系方式；如需停止，请在“隐私与授权”中撤回。",
            f"Interest withdrawn. A referral you accepted still lets {name} see your name and contact details: "
            "withdraw that under Privacy & consent if you wish.",
        )
    elif done.kept == interests.KEPT_GIVEN_OTHERWISE:
        message = t(
            f"已撤回意向。您此前另行给予「{name}」的授权仍然有效；如需撤回，请前往“隐私与授权”。",
            f"Interest withdrawn. The consent you gave {name} before stays in force: withdraw it under Privacy & "
            "consent if you wish.",
        )
    else:
        message = t("已撤回意向。", "Interest withdrawn.")
    return redirect(safe_next(back, f"{JOBS}/{job_id}#interest"), message)
