"""The office's certification queue (人才认定) and feedback inbox (监督反馈).

Hired referrals are certified with the tier and the partner reward the criteria give, as POST
/referrals/{id}/stage does; certified ones are marked paid; any candidate's certification and policies can be looked
up, as GET /candidates/{id}/certification and /policies show them, and their tier set otherwise with a reason (as
POST /candidates/{id}/certification/override does); feedback is searched and paged, answered and closed as the /feedback
routes do. The office sees candidates unmasked, and every such view is audited (as api/presenting.py does).

This router is included by office.py: its paths are under /console/office.
"""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import PlatformDep, SessionDep
from api.web.auth import PREFIX, CheckedForm, OfficeViewer
from api.web.forms import FormRoute
from api.web.i18n import Translator, lang_of
from api.web.messages import SAID, worded
from api.web.render import page, redirect
from matcher.degrees import DegreeLevel
from matcher.errors import Conflict, Invalid, NotFound
from matcher.office import certification, feedback, overrides
from matcher.office import decisions as talent_office
from matcher.office import queue as talent_queue
from matcher.partners import referrals
from matcher.store.models import utcnow

router = APIRouter(route_class=FormRoute, prefix="/office", include_in_schema=False)
QUEUE = f"{PREFIX}/office/certification"
INBOX = f"{PREFIX}/office/feedback"
PAGE = 20  # hired referrals assessed per page of the queue
INBOX_PAGE = 20  # pieces of feedback per page of the inbox
OWED_SHOWN = 100  # certified referrals listed for payment
ReferralId = Path(ge=1, le=2**63 - 1)
FeedbackId = Path(ge=1, le=2**63 - 1)  # one each: FastAPI sets a Path's alias to its first parameter's name
CandidateId = Path(ge=1, le=2**63 - 1)
NO_TIER = "none"  # the override form's choice of no tier at all
WHERE = "console.office.certification"
DEGREES = {level.value: level.label for level in DegreeLevel}  # for t.word


def _queue_page(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    caller: OfficeViewer,
    candidate: int | None,
    offset: int,
    status_code: int = 200,
    **typed: object,
) -> Response:
    """The queue page, with candidate `candidate` looked up; `typed`: a refused override form as it was sent."""
    day = utcnow().date()
    queue = talent_queue.certification_queue(
        session,
        platform.settings,
        caller,
        day,
        offset=offset,
        page_size=PAGE,
        owed_shown=OWED_SHOWN,
        candidate_id=candidate,
        where=WHERE,
    )
    if candidate is not None and queue.looked_up is None:
        status_code = 404
    return page(
        request,
        "office/certification.html",
        status_code=status_code,
        waiting=queue.waiting,
        waiting_total=queue.waiting_total,
        offset=offset,
        page_size=PAGE,
        owed=queue.owed,
        owed_total=queue.owed_total,
        asked=candidate,
        looked_up=queue.looked_up,
        found=queue.found,
        total_cash=queue.total_cash,
        day=day,
        degree_labels=DEGREES,
        tiers=certification.load_config(platform.settings.certification_config)[0].tiers,
        max_reason=overrides.MAX_REASON,
        typed=typed,
    )


@router.get("/certification", response_class=HTMLResponse)
def certification_queue(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    caller: OfficeViewer,
    candidate: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    """Hired referrals waiting for certification (those waiting longest first), rewards owed, and a look-up of any
    candidate's certification and policies, where the office may set their tier."""
    return _queue_page(request, session, platform, caller, candidate, offset)


def _looked_up(candidate_id: int) -> str:
    return f"{QUEUE}?candidate={candidate_id}#override"


@router.post("/candidates/{candidate_id}/tier", dependencies=[CheckedForm])
def set_tier(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    caller: OfficeViewer,
    tier: Annotated[str, Form(max_length=10)],
    reason: Annotated[str, Form(max_length=5000)] = "",
    candidate_id: int = CandidateId,
) -> Response:
    """Set a candidate's tier other than the criteria give (`none`: no tier), with the reason; refused, the page
    comes back (422) with the reason why and what was typed."""
    t = Translator(lang_of(request))
    chosen = None if tier == NO_TIER else tier
    try:
        found = overrides.set_tier(session, platform.settings, caller, candidate_id, chosen, reason, utcnow().date())
    except (Invalid, NotFound, Conflict) as refused:  # nothing was written: the use case checks everything first
        error = worded(refused, t)
        return _queue_page(
            request, session, platform, caller, candidate_id, 0, 422, tier=tier, reason=reason, error=error
        )
    decision = found.decision
    name = t(decision.tier_name_zh or "无认定层次", decision.tier_name_en or "no tier")
    return redirect(
        _looked_up(candidate_id),
        t(f"候选人 #{candidate_id} 的认定层次已调整为：{name}。", f"Candidate #{candidate_id}'s tier is now: {name}."),
    )


@router.post("/candidates/{candidate_id}/tier/remove", dependencies=[CheckedForm])
def remove_tier(
    request: Request, session: SessionDep, platform: PlatformDep, caller: OfficeViewer, candidate_id: int = CandidateId
) -> Response:
    """Remove the office's tier: the criteria decide again."""
    t = Translator(lang_of(request))
    found = overrides.remove_tier(session, platform.settings, caller, candidate_id, utcnow().date())
    decision = found.decision
    name = t(decision.tier_name_zh or "未达到认定条件", decision.tier_name_en or "meets no tier")
    return redirect(
        _looked_up(candidate_id),
        t(
            f"已撤销调整：候选人 #{candidate_id} 按认定标准为{name}。",
            f"Override removed: by the criteria, candidate #{candidate_id} is {name}.",
        ),
    )


@router.post("/referrals/{referral_id}/certify", dependencies=[CheckedForm])
def certify(
    request: Request, session: SessionDep, platform: PlatformDep, caller: OfficeViewer, referral_id: int = ReferralId
) -> Response:
    """Certify a hired referral with the tier its candidate meets today and the reward that tier earns the
    partner; a candidate meeting no tier is refused with the criteria they miss."""
    t = Translator(lang_of(request))
    try:
        certified = talent_office.certify_referral(session, platform.settings, caller, referral_id)
    except talent_office.NotCertifiable as refused:  # said with the criteria missed, in the reader's words
        missed = [c for c in refused.decision.criteria if not c.passed]
        raise Conflict(
            t(
                f"推荐 #{referral_id} 的候选人未达到任何人才认定类别，不能认定："
                + "；".join(c.reason_zh for c in missed),
                f"the candidate of referral #{referral_id} meets no certification tier, so it cannot be certified: "
                + "; ".join(c.reason for c in missed),
            ),
            SAID,
        ) from refused
    decision, reward = certified.decision, certified.referral.reward or 0
    return redirect(
        QUEUE,
        t(
            f"推荐 #{referral_id} 已认定为{decision.tier_name_zh}，应付合伙人奖励 {reward:,} 元。",
            f"Referral #{referral_id} certified: {decision.tier_name_en}; the partner is owed {reward:,} CNY.",
        ),
    )


@router.post("/referrals/{referral_id}/paid", dependencies=[CheckedForm])
def mark_paid(request: Request, session: SessionDep, caller: OfficeViewer, referral_id: int = ReferralId) -> Response:
    """Mark a certified referral's reward paid (the referral moves to `rewarded`)."""
    t = Translator(lang_of(request))
    referral = referrals.move(session, caller, referral_id, "rewarded")
    amount = f"{referral.reward or 0:,}"
    done = t(f"推荐 #{referral_id} 的奖励 {amount} 元已标记为已支付。", f"Referral #{referral_id}: {amount} CNY paid.")
    return redirect(QUEUE, done)


def _inbox(status: str | None, search: str = "", offset: int = 0) -> str:
    """The inbox with its filters: a status, a search, a page."""
    query = {
        "status": status if status in feedback.STATUSES else "",
        "q": search.strip(),
        "offset": str(offset) if offset > 0 else "",
    }
    given = {name: value for name, value in query.items() if value}
    return f"{INBOX}?{urlencode(given)}" if given else INBOX


@router.get("/feedback", response_class=HTMLResponse)
def inbox(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    caller: OfficeViewer,
    status: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str, Query(max_length=feedback.MAX_SEARCH)] = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    """Feedback from candidates, enterprises and partners, newest first, INBOX_PAGE a page: optionally of one status,
    and holding `q` in the message, the answer or the policy (its key or name), ignoring case."""
    found = feedback.inbox(
        session,
        caller,
        status or None,
        platform.settings.policy_catalogue,
        search=q,
        offset=offset,
        page_size=INBOX_PAGE,
    )
    return page(
        request,
        "office/feedback.html",
        rows=found.rows,
        total=found.total,
        status=status or "",
        q=q.strip(),
        offset=offset,
        page_size=INBOX_PAGE,
        previous=_inbox(status, q, max(offset - INBOX_PAGE, 0)) if offset else None,
        next=_inbox(status, q, offset + INBOX_PAGE) if found.total > offset + INBOX_PAGE else None,
        first=_inbox(status, q),
        statuses=feedback.STATUSES,
        about=found.about,
        policy_names=found.policy_names,
        max_text=feedback.MAX_TEXT,
        max_search=feedback.MAX_SEARCH,
    )


@router.post("/feedback/{feedback_id}/answer", dependencies=[CheckedForm])
def answer_feedback(
    request: Request,
    session: SessionDep,
    caller: OfficeViewer,
    text: Annotated[str, Form(alias="answer", min_length=1, max_length=feedback.MAX_TEXT)],
    status: Annotated[str, Form(max_length=20)] = "",
    q: Annotated[str, Form(max_length=feedback.MAX_SEARCH)] = "",
    offset: Annotated[int, Form(ge=0, le=1_000_000)] = 0,
    feedback_id: int = FeedbackId,
) -> Response:
    t = Translator(lang_of(request))
    feedback.answer(session, caller, feedback_id, text)
    back = _inbox(status, q, offset)
    return redirect(back, t(f"反馈 #{feedback_id} 已答复。", f"Feedback #{feedback_id} answered."))


@router.post("/feedback/{feedback_id}/close", dependencies=[CheckedForm])
def close_feedback(
    request: Request,
    session: SessionDep,
    caller: OfficeViewer,
    status: Annotated[str, Form(max_length=20)] = "",
    q: Annotated[str, Form(max_length=feedback.MAX_SEARCH)] = "",
    offset: Annotated[int, Form(ge=0, le=1_000_000)] = 0,
    feedback_id: int = FeedbackId,
) -> Response:
    t = Translator(lang_of(request))
    feedback.close(session, caller, feedback_id)
    back = _inbox(status, q, offset)
    return redirect(back, t(f"反馈 #{feedback_id} 已关闭。", f"Feedback #{feedback_id} closed."))
