"""The candidate's privacy page (隐私与授权): the organizations they consented to (withdrawable), contact requests
from enterprises and partner firms (accept or decline), downloading everything held about them, and erasing their
account. Included by candidate.py's router."""

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep
from api.web.auth import PREFIX, SESSION_COOKIE, CandidateViewer, CheckedForm
from api.web.forms import FormRoute
from api.web.i18n import Translator, lang_of
from api.web.messages import SAID
from api.web.render import page, redirect
from matcher.errors import Invalid, NotFound
from matcher.ingest import registration
from matcher.partners import contact_requests, referrals
from matcher.people import personal_data, privacy
from matcher.people.accounts import Caller
from matcher.store import queries

router = APIRouter(route_class=FormRoute, include_in_schema=False)  # candidate.router (prefix /console) includes it
PRIVACY = f"{PREFIX}/me/privacy"
EXPORT_NAME = "talentbridge-my-data.json"
CONFIRM_WORDS = ("删除", "DELETE")  # typed to confirm erasure
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def own_id(caller: Caller) -> int:
    """The signed-in candidate's own profile id."""
    if caller.candidate_id is None:
        raise NotFound("your profile no longer exists", "own_profile_gone")
    return caller.candidate_id


@router.get("/me/privacy", response_class=HTMLResponse)
def privacy_page(request: Request, session: SessionDep, caller: CandidateViewer) -> Response:
    """Who may see my name and contact details, who asks to, my data to download, and erasure."""
    candidate = registration.own_profile(session, caller)
    consents = privacy.consents(session, caller)
    accepted = [r for r in referrals.list_referrals(session, caller) if r.accepted_at is not None]
    # Organizations that see me through an accepted referral, with no consent row yet: withdrawable here too.
    through_referrals = privacy.referral_access(session, caller) - {org.id for _, org in consents}
    return page(
        request,
        "candidate/privacy.html",
        consents=consents,
        accepted=accepted,
        partners=queries.organization_names(session=session, ids={r.partner_id for r in accepted}),
        referral_organizations=sorted(
            queries.organization_names(session=session, ids=through_referrals).items(), key=lambda item: item[1]
        ),
        requests=contact_requests.for_candidate(session, caller),
        visible=candidate.visible,
        confirm_words=CONFIRM_WORDS,
    )


@router.post("/me/consents/{organization_id}/withdraw", dependencies=[CheckedForm])
def withdraw_consent(
    request: Request, session: SessionDep, caller: CandidateViewer, organization_id: RowId
) -> Response:
    """Withdraw a consent, as DELETE /me/consents/{id}: the organization sees me masked again."""
    t = Translator(lang_of(request))
    organization = privacy.withdraw(session, caller, organization_id)
    name = organization.name if organization else str(organization_id)
    return redirect(
        f"{PRIVACY}#consents",
        t(f"已撤回对「{name}」的授权。", f"Consent to {name} withdrawn: they see you masked again."),
    )


@router.post("/me/contact-requests/{request_id}/{answer}", dependencies=[CheckedForm])
def answer_request(
    request: Request,
    session: SessionDep,
    caller: CandidateViewer,
    request_id: RowId,
    answer: Literal["accept", "decline"],
) -> Response:
    """Accept (which is consent to that organization) or decline a contact request, as POST
    /contact-requests/{id}/accept and /decline."""
    t = Translator(lang_of(request))
    row = contact_requests.answer(session, caller, request_id, accept=answer == "accept")
    name = row.organization.name
    if answer == "accept":
        message = t(
            f"已同意「{name}」的联系请求，对方现在可以看到您的姓名和联系方式。",
            f"You accepted {name}'s request: they can now see your name and contact details.",
        )
    else:
        message = t(f"已拒绝「{name}」的联系请求。", f"You declined {name}'s request.")
    return redirect(f"{PRIVACY}#requests", message)


@router.get("/me/export")
def export(session: SessionDep, caller: CandidateViewer) -> Response:
    """Everything held about me, as GET /me/export, downloaded as a JSON file."""
    data = personal_data.export(session, caller, own_id(caller))
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{EXPORT_NAME}"'},
    )


@router.post("/me/erase", dependencies=[CheckedForm])
def erase(
    request: Request,
    session: SessionDep,
    caller: CandidateViewer,
    confirm: Annotated[str, Form(max_length=50)] = "",
) -> Response:
    """Erase my account and profile, as DELETE /me (database and indexes), once the confirmation word is typed;
    the browser is signed out."""
    t = Translator(lang_of(request))
    if confirm.strip().upper() not in CONFIRM_WORDS:
        raise Invalid(
            t(
                "未删除：请在框中输入“删除”（或 DELETE）以确认。",
                "Nothing was erased: type DELETE (or 删除) in the box to confirm.",
            ),
            SAID,
        )
    personal_data.erase(session, caller, own_id(caller))
    response = redirect(
        f"{PREFIX}/login",
        t("您的账户与档案已全部删除，感谢您使用人才桥。", "Your account and profile have been erased. Goodbye."),
    )
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response
