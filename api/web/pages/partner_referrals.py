"""The partner's referrals (引才合伙人): referring a candidate to a job, the board of referrals by stage with
drag-or-click moves, and the firm's rewards ledger. Mirrors api/routes/referrals.py and GET /rewards."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, NamedTuple

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from api.deps import PlatformDep, SessionDep
from api.web.auth import PREFIX, CheckedForm, PartnerViewer
from api.web.i18n import Translator, lang_of
from api.web.render import page, redirect, safe_next
from matcher.errors import Conflict
from matcher.partners import referrals
from matcher.people import privacy
from matcher.people.accounts import Caller, Role
from matcher.platform import Platform
from matcher.store.models import Candidate, Job, Referral, ReferralEvent, utcnow

# Included by pages/partner.py's router, which carries the /console prefix.
router = APIRouter(include_in_schema=False)
HOME = f"{PREFIX}/partner"
BOARD = f"{HOME}/referrals"
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
FormId = Annotated[int, Form(ge=1, le=2**63 - 1)]
Note = Annotated[str, Form(max_length=2000)]
Back = Annotated[str, Form(max_length=2000)]


class Person(NamedTuple):
    name: str
    masked: bool


def candidate_names(
    platform: Platform, session: Session, caller: Caller, ids: Iterable[int], where: str
) -> dict[int, Person]:
    """Candidates' names as the partner may see them: masked, unless the candidate consented to the firm or
    accepted one of its referrals (then the view is audited first, as api.presenting does)."""
    wanted = set(ids)
    if not wanted:
        return {}
    statement = select(Candidate.id, Candidate.name).where(Candidate.id.in_(wanted))
    rows = {cid: name for cid, name in session.execute(statement)}
    unmasked = privacy.unmasked_ids(session, caller, rows)
    if unmasked:
        with platform.session(write=True) as audit:
            privacy.audit_views(audit, caller, unmasked, where)
    return {
        cid: Person(name, False) if cid in unmasked else Person(privacy.mask_name(name), True)
        for cid, name in rows.items()
    }


def _load_jobs(session: Session, rows: list[Referral]) -> None:
    """The referrals' jobs (and their employers) in two queries, not two per referral."""
    ids = {r.job_id for r in rows}
    if ids:
        session.scalars(select(Job).where(Job.id.in_(ids)).options(selectinload(Job.enterprise_row))).all()


def moves_for(stage: str) -> list[str]:
    """The stages a partner may move a referral in `stage` to: the next one if partners run it (one step at a
    time), and `declined` before the hire."""
    if stage == referrals.CLOSED:
        return []
    position = referrals.STAGES.index(stage)
    options = []
    if position + 1 < len(referrals.STAGES):
        following = referrals.STAGES[position + 1]
        if Role.partner in referrals.MOVERS[following]:
            options.append(following)
    if position < referrals.STAGES.index("hired"):
        options.append(referrals.CLOSED)
    return options


@router.post("/partner/referrals", dependencies=[CheckedForm])
def refer(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    caller: PartnerViewer,
    candidate_id: FormId,
    job_id: FormId,
    note: Note = "",
    back: Back = "",
) -> Response:
    """Refer a candidate to a job, like POST /referrals (a placement another firm owns is refused)."""
    t = Translator(lang_of(request))
    try:
        made = referrals.refer(
            session, caller, candidate_id, job_id, note=note, window_days=platform.settings.attribution_days
        )
    except Conflict as refused:  # said in the reader's words; raising again rolls the request back
        raise Conflict(t("未能推荐：", "Not referred: ") + refused.message) from refused
    title = made.job.title
    return redirect(
        safe_next(back, BOARD), t(f"已推荐到「{title}」（推荐 #{made.id}）。", f'Referred to "{title}" (#{made.id}).')
    )


@dataclass(frozen=True)
class Ticket:
    id: int
    job_title: str
    employer: str
    candidate: Person
    stage: str
    days: int
    note: str
    moves: list[str]
    tier: str | None
    reward: int | None


@router.get("/partner/referrals", response_class=HTMLResponse)
def board(request: Request, session: SessionDep, platform: PlatformDep, caller: PartnerViewer) -> Response:
    """The firm's referrals, one column per stage."""
    rows = referrals.list_referrals(session, caller)
    _load_jobs(session, rows)
    names = candidate_names(platform, session, caller, [r.candidate_id for r in rows], "console /partner/referrals")
    now = utcnow()
    columns: dict[str, list[Ticket]] = {stage: [] for stage in (*referrals.STAGES, referrals.CLOSED)}
    for row in rows:
        columns[row.stage].append(
            Ticket(
                id=row.id,
                job_title=row.job.title,
                employer=row.job.employer,
                candidate=names.get(row.candidate_id, Person("", True)),
                stage=row.stage,
                days=max(0, (now - row.updated_at).days),
                note=row.note,
                moves=moves_for(row.stage),
                tier=row.tier,
                reward=row.reward,
            )
        )
    return page(request, "partner/referrals.html", columns=columns, total=len(rows))


@router.post("/partner/referrals/{referral_id}/stage", dependencies=[CheckedForm])
def move(
    request: Request,
    session: SessionDep,
    caller: PartnerViewer,
    referral_id: RowId,
    stage: Annotated[str, Form(min_length=1, max_length=20)],
) -> Response:
    """Move a referral one stage on (or decline it), like POST /referrals/{id}/stage; partners do not certify."""
    t = Translator(lang_of(request))
    moved = referrals.move(session, caller, referral_id, stage)
    return redirect(
        BOARD, t(f"推荐 #{moved.id} 已移至「{t.word(stage)}」。", f"Referral #{moved.id} moved to {t.word(stage)}.")
    )


@dataclass(frozen=True)
class RewardRow:
    referral_id: int
    job_title: str
    candidate: Person
    tier: str | None
    reward: int
    status: str
    certified_at: datetime | None
    paid_at: datetime | None


@router.get("/partner/rewards", response_class=HTMLResponse)
def rewards(request: Request, session: SessionDep, platform: PlatformDep, caller: PartnerViewer) -> Response:
    """The firm's rewards ledger, like GET /rewards for a partner: owed once certified, paid once rewarded."""
    statement = (
        select(Referral)
        .where(Referral.partner_id == caller.organization_id, Referral.stage.in_(("certified", "rewarded")))
        .order_by(Referral.id)
    )
    found = list(session.scalars(statement))
    _load_jobs(session, found)
    when: dict[tuple[int, str], datetime] = {}
    if found:
        events = select(ReferralEvent).where(
            ReferralEvent.referral_id.in_([r.id for r in found]), ReferralEvent.stage.in_(("certified", "rewarded"))
        )
        when = {(e.referral_id, e.stage): e.at for e in session.scalars(events)}
    names = candidate_names(platform, session, caller, [r.candidate_id for r in found], "console /partner/rewards")
    rows = [
        RewardRow(
            referral_id=r.id,
            job_title=r.job.title,
            candidate=names.get(r.candidate_id, Person("", True)),
            tier=r.tier,
            reward=r.reward or 0,
            status="paid" if r.stage == "rewarded" else "owed",
            certified_at=when.get((r.id, "certified")),
            paid_at=when.get((r.id, "rewarded")),
        )
        for r in found
    ]
    totals = {
        "owed": sum(r.reward for r in rows if r.status == "owed"),
        "paid": sum(r.reward for r in rows if r.status == "paid"),
        "owed_count": sum(r.status == "owed" for r in rows),
        "paid_count": sum(r.status == "paid" for r in rows),
    }
    return page(request, "partner/rewards.html", rows=rows, totals=totals)
