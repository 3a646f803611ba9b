"""The office's certification queue (人才认定) and feedback inbox (监督反馈).

Hired referrals are certified with the tier and the partner reward the criteria give, as POST
/referrals/{id}/stage does; certified ones are marked paid; any candidate's certification and policies can be looked
up, as GET /candidates/{id}/certification and /policies show them; feedback is answered and closed as the /feedback
routes do. The office sees candidates unmasked, and every such view is audited (as api/presenting.py does).

This router is included by office.py: its paths are under /console/office.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.deps import PlatformDep, SessionDep
from api.web.auth import PREFIX, CheckedForm, OfficeViewer
from api.web.i18n import Translator, lang_of
from api.web.render import page, redirect
from matcher.degrees import DegreeLevel
from matcher.errors import Conflict
from matcher.office import decisions as talent_office
from matcher.office import feedback, policies
from matcher.office.certification import Decision
from matcher.partners import referrals
from matcher.people import privacy
from matcher.people.accounts import Caller
from matcher.platform import Platform
from matcher.store import queries
from matcher.store.models import Candidate, Job, Referral, ReferralEvent, utcnow

router = APIRouter(prefix="/office", include_in_schema=False)
QUEUE = f"{PREFIX}/office/certification"
INBOX = f"{PREFIX}/office/feedback"
PAGE = 20  # hired referrals assessed per page of the queue
OWED_SHOWN = 100  # certified referrals listed for payment
ReferralId = Path(ge=1, le=2**63 - 1)
FeedbackId = Path(ge=1, le=2**63 - 1)  # one each: FastAPI sets a Path's alias to its first parameter's name
WHERE = "console.office.certification"
DEGREES = {level.value: level.label for level in DegreeLevel}  # for t.word


@dataclass
class Waiting:
    """A hired referral waiting for certification, with what the criteria decide for its candidate today."""

    referral: Referral
    candidate: Candidate
    job: Job
    partner: str
    hired_at: datetime | None
    decision: Decision
    reward: int


@dataclass
class Owed:
    """A certified referral whose reward the partner has not been paid yet."""

    referral: Referral
    candidate: Candidate
    job: Job
    partner: str
    certified_at: datetime | None


def _audit(platform: Platform, caller: Caller, session: Session, ids: set[int]) -> None:
    """Record the office's view of these candidates in its own unit of work, before the page shows them."""
    shown = privacy.unmasked_ids(session, caller, ids)
    if shown:
        with platform.session(write=True) as audit:
            privacy.audit_views(audit, caller, shown, WHERE)


def _context(session: Session, rows: list[Referral]) -> tuple[dict[int, Candidate], dict[int, Job], dict[int, str]]:
    """The candidates (with education and experience), jobs and partner names of these referrals, in three
    queries."""
    people = session.scalars(
        select(Candidate)
        .where(Candidate.id.in_({r.candidate_id for r in rows}))
        .options(selectinload(Candidate.education), selectinload(Candidate.experience))
    )
    jobs = session.scalars(
        select(Job).where(Job.id.in_({r.job_id for r in rows})).options(selectinload(Job.enterprise_row))
    )
    partners = queries.organization_names(session=session, ids={r.partner_id for r in rows})
    return {c.id: c for c in people}, {j.id: j for j in jobs}, partners


def _entered(session: Session, rows: list[Referral], stage: str) -> dict[int, datetime]:
    """When each referral entered `stage`."""
    events = session.execute(
        select(ReferralEvent.referral_id, ReferralEvent.at).where(
            ReferralEvent.referral_id.in_([r.id for r in rows]), ReferralEvent.stage == stage
        )
    )
    return {referral_id: at for referral_id, at in events}


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
    candidate's certification and policies."""
    day = utcnow().date()
    hired = referrals.list_referrals(session, caller, "hired")[::-1]
    certified = referrals.list_referrals(session, caller, "certified")[::-1]
    waiting_rows, owed_rows = hired[offset : offset + PAGE], certified[:OWED_SHOWN]
    people, jobs, partners = _context(session, waiting_rows + owed_rows)
    looked_up = people.get(candidate) if candidate is not None else None
    if candidate is not None and looked_up is None:
        looked_up = session.scalars(
            select(Candidate)
            .where(Candidate.id == candidate)
            .options(selectinload(Candidate.education), selectinload(Candidate.experience))
        ).first()
    _audit(platform, caller, session, set(people) | ({looked_up.id} if looked_up else set()))

    assessor = talent_office.Assessor(session, platform.settings, day)
    decisions = {r.candidate_id: assessor.assess(people[r.candidate_id]).decision for r in waiting_rows}
    hired_at, certified_at = _entered(session, waiting_rows, "hired"), _entered(session, owed_rows, "certified")
    waiting = [
        Waiting(
            r,
            people[r.candidate_id],
            jobs[r.job_id],
            partners.get(r.partner_id, ""),
            hired_at.get(r.id),
            decisions[r.candidate_id],
            assessor.reward(decisions[r.candidate_id]),
        )
        for r in waiting_rows
    ]
    owed = [
        Owed(r, people[r.candidate_id], jobs[r.job_id], partners.get(r.partner_id, ""), certified_at.get(r.id))
        for r in owed_rows
    ]
    found = assessor.assess(looked_up) if looked_up else None
    total_cash = (
        sum(p.amount or 0 for p in found.policies if p.eligible and p.kind == "cash" and not p.group) if found else 0
    )
    return page(
        request,
        "office/certification.html",
        status_code=404 if candidate is not None and looked_up is None else 200,
        waiting=waiting,
        waiting_total=len(hired),
        offset=offset,
        page_size=PAGE,
        owed=owed,
        owed_total=len(certified),
        asked=candidate,
        looked_up=looked_up,
        found=found,
        total_cash=total_cash,
        day=day,
        degree_labels=DEGREES,
    )


@router.post("/referrals/{referral_id}/certify", dependencies=[CheckedForm])
def certify(
    request: Request, session: SessionDep, platform: PlatformDep, caller: OfficeViewer, referral_id: int = ReferralId
) -> Response:
    """Certify a hired referral with the tier its candidate meets today and the reward that tier earns the
    partner; a candidate meeting no tier is refused with the criteria they miss."""
    t = Translator(lang_of(request))
    referral = referrals.get_referral(session, caller, referral_id)
    decision = talent_office.assess(session, platform.settings, referral.candidate_id, utcnow().date()).decision
    if decision.tier is None:
        missed = [c for c in decision.criteria if not c.passed]
        raise Conflict(
            t(
                f"推荐 #{referral_id} 的候选人未达到任何人才认定类别，不能认定："
                + "；".join(c.reason_zh for c in missed),
                f"the candidate of referral #{referral_id} meets no certification tier, so it cannot be certified: "
                + "; ".join(c.reason for c in missed),
            )
        )
    reward = talent_office.reward_for(decision, platform.settings)
    referrals.move(session, caller, referral_id, "certified", tier=decision.tier, reward=reward)
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


def _inbox(status: str | None) -> str:
    return f"{INBOX}?status={status}" if status in feedback.STATUSES else INBOX


@router.get("/feedback", response_class=HTMLResponse)
def inbox(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    caller: OfficeViewer,
    status: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """Feedback from candidates, enterprises and partners, newest first, optionally of one status."""
    rows = feedback.list_feedback(session, caller, status or None)
    referral_ids = {row.referral_id for row in rows if row.referral_id is not None}
    about = {
        rid: (stage, title)
        for rid, stage, title in session.execute(
            select(Referral.id, Referral.stage, Job.title)
            .join(Job, Job.id == Referral.job_id)
            .where(Referral.id.in_(referral_ids))
        )
    }
    catalogue, _ = policies.load_catalogue(platform.settings.policy_catalogue)
    names = {p.key: (p.name_zh, p.name_en) for p in catalogue.policies}
    return page(
        request,
        "office/feedback.html",
        rows=rows,
        status=status or "",
        statuses=feedback.STATUSES,
        about=about,
        policy_names=names,
        max_text=feedback.MAX_TEXT,
    )


@router.post("/feedback/{feedback_id}/answer", dependencies=[CheckedForm])
def answer_feedback(
    request: Request,
    session: SessionDep,
    caller: OfficeViewer,
    text: Annotated[str, Form(alias="answer", min_length=1, max_length=feedback.MAX_TEXT)],
    status: Annotated[str, Form(max_length=20)] = "",
    feedback_id: int = FeedbackId,
) -> Response:
    t = Translator(lang_of(request))
    feedback.answer(session, caller, feedback_id, text)
    return redirect(_inbox(status), t(f"反馈 #{feedback_id} 已答复。", f"Feedback #{feedback_id} answered."))


@router.post("/feedback/{feedback_id}/close", dependencies=[CheckedForm])
def close_feedback(
    request: Request,
    session: SessionDep,
    caller: OfficeViewer,
    status: Annotated[str, Form(max_length=20)] = "",
    feedback_id: int = FeedbackId,
) -> Response:
    t = Translator(lang_of(request))
    feedback.close(session, caller, feedback_id)
    return redirect(_inbox(status), t(f"反馈 #{feedback_id} 已关闭。", f"Feedback #{feedback_id} closed."))
