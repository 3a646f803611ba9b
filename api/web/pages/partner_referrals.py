"""The partner's referrals (引才合伙人): the board of referrals by stage with drag-or-click moves, and the firm's
rewards ledger (referring is in partner_candidate.py, beside its confirmation). Mirrors api/routes/referrals.py and
GET /rewards."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep
from api.web.auth import PREFIX, CheckedForm, PartnerViewer
from api.web.forms import FormRoute
from api.web.i18n import Translator, lang_of
from api.web.render import page, redirect
from matcher.office import reports
from matcher.partners import referrals
from matcher.people import privacy
from matcher.people.accounts import Role
from matcher.people.privacy import SeenName
from matcher.store import queries
from matcher.store.models import Job, Referral, utcnow

# Included by pages/partner.py's router, which carries the /console prefix.
router = APIRouter(route_class=FormRoute, include_in_schema=False)
HOME = f"{PREFIX}/partner"
BOARD = f"{HOME}/referrals"
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
FormId = Annotated[int, Form(ge=1, le=2**63 - 1)]
Note = Annotated[str, Form(max_length=2000)]
Back = Annotated[str, Form(max_length=2000)]
NOBODY = SeenName("", True)  # a candidate erased since
STAGE_INDEX = {stage: n for n, stage in enumerate(referrals.STAGES)}


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


def corrections_for(row: Referral) -> list[str]:
    """The earlier stages a referral may be corrected back to (referrals.correct): before the office's stages, and
    for a declined one the stages it had reached."""
    if row.stage == referrals.CLOSED:
        reached = max((STAGE_INDEX.get(e.stage, 0) for e in row.events), default=0)
        return list(referrals.STAGES[: reached + 1])
    if row.stage in ("certified", "rewarded"):
        return []
    return list(referrals.STAGES[: referrals.STAGES.index(row.stage)])


@dataclass(frozen=True)
class Ticket:
    id: int
    job_title: str
    employer: str
    candidate: SeenName
    stage: str
    days: int
    note: str
    moves: list[str]
    corrections: list[str]
    tier: str | None
    reward: int | None


@router.get("/partner/referrals", response_class=HTMLResponse)
def board(
    request: Request,
    session: SessionDep,
    caller: PartnerViewer,
    job: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
) -> Response:
    """The firm's referrals, one column per stage; all of them, or those to one job."""
    everything = referrals.list_referrals(session, caller)
    counts = Counter(r.job_id for r in everything)
    jobs = sorted({r.job_id: r.job for r in everything}.values(), key=lambda j: (-counts[j.id], j.id))
    rows = [r for r in everything if r.job_id == job] if job else everything
    ids = [r.candidate_id for r in rows]
    names = privacy.names_as_seen(session, caller, ids, "console /partner/referrals")
    now = utcnow()
    columns: dict[str, list[Ticket]] = {stage: [] for stage in (*referrals.STAGES, referrals.CLOSED)}
    for row in rows:
        columns[row.stage].append(
            Ticket(
                id=row.id,
                job_title=row.job.title,
                employer=row.job.employer,
                candidate=names.get(row.candidate_id, NOBODY),
                stage=row.stage,
                days=max(0, (now - row.updated_at).days),
                note=row.note,
                moves=moves_for(row.stage),
                corrections=corrections_for(row),
                tier=row.tier,
                reward=row.reward,
            )
        )
    return page(
        request,
        "partner/referrals.html",
        columns=columns,
        total=len(rows),
        jobs=[(j, counts[j.id]) for j in jobs],
        job=job,
    )


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


@router.post("/partner/referrals/{referral_id}/correct", dependencies=[CheckedForm])
def correct(
    request: Request,
    session: SessionDep,
    caller: PartnerViewer,
    referral_id: RowId,
    stage: Annotated[str, Form(min_length=1, max_length=20)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Put a referral back to an earlier stage after a mistaken move, with the reason (audited)."""
    t = Translator(lang_of(request))
    corrected = referrals.correct(session, caller, referral_id, stage, reason)
    return redirect(
        BOARD,
        t(
            f"推荐 #{corrected.id} 已更正为「{t.word(stage)}」，原因已记录。",
            f"Referral #{corrected.id} corrected to {t.word(stage)}; the reason is on record.",
        ),
    )


@dataclass(frozen=True)
class RewardRow:
    referral_id: int
    job_title: str
    candidate: SeenName
    tier: str | None
    reward: int
    status: str
    certified_at: datetime | None
    paid_at: datetime | None


@router.get("/partner/rewards", response_class=HTMLResponse)
def rewards(request: Request, session: SessionDep, caller: PartnerViewer) -> Response:
    """The firm's rewards ledger, like GET /rewards for a partner: owed once certified, paid once rewarded."""
    ledger = reports.rewards_ledger(session, caller)
    jobs = queries.get_many(Job, session=session, ids={line.job_id for line in ledger})
    ids = [line.candidate_id for line in ledger]
    names = privacy.names_as_seen(session, caller, ids, "console /partner/rewards")
    rows = [
        RewardRow(
            referral_id=line.referral_id,
            job_title=jobs[line.job_id].title,
            candidate=names.get(line.candidate_id, NOBODY),
            tier=line.tier,
            reward=line.reward or 0,
            status=line.status,
            certified_at=line.certified_at,
            paid_at=line.paid_at,
        )
        for line in ledger
    ]
    totals = {
        "owed": sum(r.reward for r in rows if r.status == "owed"),
        "paid": sum(r.reward for r in rows if r.status == "paid"),
        "owed_count": sum(r.status == "owed" for r in rows),
        "paid_count": sum(r.status == "paid" for r in rows),
    }
    return page(request, "partner/rewards.html", rows=rows, totals=totals)
