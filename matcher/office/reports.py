"""Reports for the talent office: referrals by stage and partner with the funnel's conversion from stage to stage,
time from referral to hire, certified talent by tier, industry and priority major, and partner rewards owed and paid.

Each report is a dataclass built from the store alone; `table()` flattens it to one header and rows for CSV. Each
takes a Period (matcher.office.periods): the referrals made on its days — a cohort, followed to wherever it got.
"""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from matcher.config import Settings
from matcher.errors import Forbidden
from matcher.office.decisions import priority_stars
from matcher.office.periods import ALL_TIME, Period
from matcher.partners.referrals import CLOSED, STAGES
from matcher.people.accounts import Caller, Role
from matcher.store import queries
from matcher.store.models import Education, Job, Major, Organization, Referral, ReferralEvent
from matcher.tables import Cell, Table

BOARD = (*STAGES, CLOSED)  # every stage a referral can be in, in order
CERTIFIED = ("certified", "rewarded")  # a certified hire: its reward is owed at `certified`, paid at `rewarded`
ALL = "all"  # the key of a total row in CSV
UNSPECIFIED = "unspecified"  # a job posted without an industry
SECONDS_A_DAY = 86400


@dataclass
class PartnerStages:
    """One partner firm's referrals: how many, and how many stand at each stage now."""

    partner_id: int
    partner: str
    total: int
    stages: dict[str, int]


@dataclass
class Conversion:
    """One stage of the funnel: how many referrals reached it, the share of those that reached the stage before
    that also reached it, and the share of all referrals (None: no referral to divide by)."""

    stage: str
    reached: int
    from_previous: float | None
    from_referred: float | None


@dataclass
class ReferralsReport:
    """Every referral (of the period) by the stage it stands at now, overall and per partner firm, and the funnel:
    how many reached each stage and the conversion from stage to stage."""

    total: int
    by_stage: dict[str, int]
    by_partner: list[PartnerStages]
    funnel: list[Conversion]
    start: date | None = None  # the period: referrals made from this day to `end` (None: open)
    end: date | None = None

    def table(self) -> Table:
        """One row per partner and a last row for all of them: total and a column per stage."""
        header = ["partner_id", "partner", "total", *BOARD]
        rows: list[list[Cell]] = [
            [p.partner_id, p.partner, p.total, *(p.stages[s] for s in BOARD)] for p in self.by_partner
        ]
        rows.append([ALL, "all partners", self.total, *(self.by_stage[s] for s in BOARD)])
        return header, rows


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _farthest(session: Session, period: Period) -> list[int]:
    """How far each referral of `period` got, as an index into STAGES: the stage it stands at, or for a declined one
    the farthest stage it had entered (as a correction reopening it counts: matcher.partners.referrals.correct)."""
    current = session.execute(select(Referral.id, Referral.stage).where(period.covers(Referral.created_at))).all()
    farthest = {referral_id: STAGES.index(stage) if stage in STAGES else 0 for referral_id, stage in current}
    declined = session.execute(
        select(ReferralEvent.referral_id, ReferralEvent.stage)
        .join(Referral, Referral.id == ReferralEvent.referral_id)
        .where(Referral.stage == CLOSED, period.covers(Referral.created_at))
    ).all()
    for referral_id, stage in declined:
        if stage in STAGES:
            farthest[referral_id] = max(farthest[referral_id], STAGES.index(stage))
    return list(farthest.values())


def funnel(session: Session, period: Period = ALL_TIME) -> list[Conversion]:
    """Per stage of STAGES, the referrals of `period` that reached it, and the conversion into it: from the stage
    before (of those that reached that one, the share that went on) and from `referred` (of all of them)."""
    farthest = _farthest(session, period)
    reached = [sum(1 for f in farthest if f >= i) for i in range(len(STAGES))]
    return [
        Conversion(
            stage,
            reached[i],
            _share(reached[i], reached[i - 1]) if i else None,
            _share(reached[i], reached[0]) if i else None,
        )
        for i, stage in enumerate(STAGES)
    ]


def referrals_report(session: Session, period: Period = ALL_TIME) -> ReferralsReport:
    """Referrals made in `period` (default: all) counted by current stage, overall and per partner (partners with
    none are left out), and the funnel's conversion from stage to stage."""
    counts = session.execute(
        select(Referral.partner_id, Referral.stage, func.count())
        .where(period.covers(Referral.created_at))
        .group_by(Referral.partner_id, Referral.stage)
    ).all()
    per_partner: dict[int, Counter[str]] = defaultdict(Counter)
    for partner_id, stage, n in counts:
        per_partner[partner_id][stage] += n
    names = queries.organization_names(session=session, ids=set(per_partner))
    by_partner = [
        PartnerStages(pid, names.get(pid, ""), sum(c.values()), {s: c[s] for s in BOARD})
        for pid, c in sorted(per_partner.items())
    ]
    by_stage = {s: sum(p.stages[s] for p in by_partner) for s in BOARD}
    return ReferralsReport(
        sum(by_stage.values()), by_stage, by_partner, funnel(session, period), period.start, period.end
    )


@dataclass
class TimeToHire:
    """Days from referral to hire over a partner's hires (or everyone's, with partner_id None)."""

    partner_id: int | None
    partner: str
    hires: int
    median_days: float | None
    mean_days: float | None


def _time_to_hire(partner_id: int | None, partner: str, days: list[float]) -> TimeToHire:
    if not days:
        return TimeToHire(partner_id, partner, 0, None, None)
    return TimeToHire(
        partner_id, partner, len(days), round(statistics.median(days), 1), round(statistics.fmean(days), 1)
    )


@dataclass
class MajorCount:
    """Certified hires holding a degree in one catalogue major, with its stars on the priority list (or None)."""

    code: str
    name: str
    stars: int | None
    certified: int


@dataclass
class PlacementsReport:
    """Hires and certified talent: time to hire, and certified hires by tier, industry and major."""

    as_of: date
    time_to_hire: TimeToHire
    time_to_hire_by_partner: list[TimeToHire]
    certified: int
    by_tier: dict[str, int]
    by_industry: dict[str, int]
    by_major: list[MajorCount]
    priority_major_hires: int  # certified hires with at least one major on the priority list

    def table(self) -> Table:
        """Long form: one row per figure, the `breakdown` column saying which part of the report it belongs to."""
        header = ["breakdown", "key", "name", "stars", "count", "median_days", "mean_days"]
        rows: list[list[Cell]] = []
        for t in [*self.time_to_hire_by_partner, self.time_to_hire]:
            key = ALL if t.partner_id is None else t.partner_id
            rows.append(["time_to_hire", key, t.partner, None, t.hires, t.median_days, t.mean_days])
        rows.append(["certified", ALL, "all certified hires", None, self.certified, None, None])
        rows += [["tier", tier, None, None, n, None, None] for tier, n in self.by_tier.items()]
        rows += [["industry", industry, None, None, n, None, None] for industry, n in self.by_industry.items()]
        rows += [["major", m.code, m.name, m.stars, m.certified, None, None] for m in self.by_major]
        rows.append(
            [
                "priority_major",
                ALL,
                "certified hires with a priority major",
                None,
                self.priority_major_hires,
                None,
                None,
            ]
        )
        return header, rows


def _hire_days(session: Session, period: Period) -> dict[int, list[float]]:
    """Partner id -> days from referral to hire of each referral of `period` that reached `hired`."""
    events = session.execute(
        select(Referral.id, Referral.partner_id, Referral.created_at, ReferralEvent.stage, ReferralEvent.at)
        .join(ReferralEvent, ReferralEvent.referral_id == Referral.id)
        .where(ReferralEvent.stage.in_(("referred", "hired")), period.covers(Referral.created_at))
        .order_by(ReferralEvent.id)
    ).all()
    created: dict[int, datetime] = {}
    referred: dict[int, datetime] = {}
    hired: dict[int, datetime] = {}
    partner: dict[int, int] = {}
    for referral_id, partner_id, created_at, stage, at in events:
        partner[referral_id], created[referral_id] = partner_id, created_at
        (referred if stage == "referred" else hired).setdefault(referral_id, at)
    days: dict[int, list[float]] = defaultdict(list)
    for referral_id, at in sorted(hired.items()):
        start = referred.get(referral_id, created[referral_id])
        days[partner[referral_id]].append((at - start).total_seconds() / SECONDS_A_DAY)
    return days


def placements_report(session: Session, settings: Settings, as_of: date, period: Period = ALL_TIME) -> PlacementsReport:
    """Of the referrals made in `period` (default: all): time to hire per partner, and certified hires by tier, by
    their job's industry and by their majors (with the stars of the priority-major list in force on `as_of`)."""
    days = _hire_days(session, period)
    names = queries.organization_names(session=session, ids=set(days))
    by_partner = [_time_to_hire(pid, names.get(pid, ""), d) for pid, d in sorted(days.items())]
    overall = _time_to_hire(None, "all partners", [d for ds in days.values() for d in ds])

    certified = session.execute(
        select(Referral.candidate_id, Referral.tier, Job.industry)
        .join(Job, Job.id == Referral.job_id)
        .where(Referral.stage.in_(CERTIFIED), period.covers(Referral.created_at))
        .order_by(Referral.id)
    ).all()
    by_tier = Counter(tier or UNSPECIFIED for _, tier, _ in certified)
    by_industry = Counter((industry or "").strip() or UNSPECIFIED for _, _, industry in certified)
    candidates = {candidate_id for candidate_id, _, _ in certified}
    majors: dict[int, set[str]] = defaultdict(set)
    for candidate_id, code in session.execute(
        select(Education.candidate_id, Education.major_code).where(
            Education.candidate_id.in_(candidates), Education.major_code.is_not(None)
        )
    ):
        if code:
            majors[candidate_id].add(code)
    by_code = Counter(code for candidate_id, _, _ in certified for code in majors[candidate_id])
    named = session.execute(select(Major.code, Major.name).where(Major.code.in_(by_code)))
    major_names: dict[str, str] = {code: name for code, name in named}
    stars = priority_stars(session, settings, as_of) if by_code else {}
    by_major = sorted(
        (MajorCount(code, major_names.get(code, ""), stars.get(code), n) for code, n in by_code.items()),
        key=lambda m: (-(m.stars or 0), -m.certified, m.code),
    )
    on_list = sum(1 for candidate_id, _, _ in certified if any(c in stars for c in majors[candidate_id]))
    return PlacementsReport(
        as_of=as_of,
        time_to_hire=overall,
        time_to_hire_by_partner=by_partner,
        certified=len(certified),
        by_tier=dict(sorted(by_tier.items())),
        by_industry=dict(sorted(by_industry.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_major=by_major,
        priority_major_hires=on_list,
    )


@dataclass
class PartnerRewards:
    """What one partner firm is owed (certified hires not yet paid) and has been paid (rewarded), in CNY."""

    partner_id: int
    partner: str
    owed: int
    owed_hires: int
    paid: int
    paid_hires: int


@dataclass
class RewardsReport:
    """Rewards for certified hires, owed and paid, overall and per partner firm (CNY)."""

    currency: str
    owed: int
    owed_hires: int
    paid: int
    paid_hires: int
    by_partner: list[PartnerRewards]

    def table(self) -> Table:
        """One row per partner and a last row for all of them."""
        header = ["partner_id", "partner", "owed", "owed_hires", "paid", "paid_hires"]
        rows: list[list[Cell]] = [
            [p.partner_id, p.partner, p.owed, p.owed_hires, p.paid, p.paid_hires] for p in self.by_partner
        ]
        rows.append([ALL, "all partners", self.owed, self.owed_hires, self.paid, self.paid_hires])
        return header, rows


def rewards_report(session: Session, period: Period = ALL_TIME) -> RewardsReport:
    """Sums of the rewards of certified referrals (owed) and rewarded ones (paid), per partner and overall, of the
    referrals made in `period` (default: all)."""
    sums = session.execute(
        select(Referral.partner_id, Referral.stage, func.count(), func.coalesce(func.sum(Referral.reward), 0))
        .where(Referral.stage.in_(CERTIFIED), period.covers(Referral.created_at))
        .group_by(Referral.partner_id, Referral.stage)
    ).all()
    names = queries.organization_names(session=session, ids={row[0] for row in sums})
    partners: dict[int, PartnerRewards] = {}
    for partner_id, stage, n, total in sums:
        row = partners.setdefault(partner_id, PartnerRewards(partner_id, names.get(partner_id, ""), 0, 0, 0, 0))
        if stage == "certified":
            row.owed, row.owed_hires = int(total or 0), n
        else:
            row.paid, row.paid_hires = int(total or 0), n
    by_partner = [partners[pid] for pid in sorted(partners)]
    return RewardsReport(
        currency="CNY",
        owed=sum(p.owed for p in by_partner),
        owed_hires=sum(p.owed_hires for p in by_partner),
        paid=sum(p.paid for p in by_partner),
        paid_hires=sum(p.paid_hires for p in by_partner),
        by_partner=by_partner,
    )


@dataclass
class RewardLine:
    """One certified hire's reward in the ledger: owed from `certified_at`, paid at `paid_at` (CNY)."""

    referral_id: int
    partner_id: int
    partner: str
    candidate_id: int
    job_id: int
    tier: str | None
    reward: int | None
    status: str  # owed (certified, not yet paid) or paid (rewarded)
    certified_at: datetime | None
    paid_at: datetime | None


def rewards_ledger(session: Session, caller: Caller) -> list[RewardLine]:
    """Every certified hire's reward, owed or paid, in referral order: the office sees all, a partner firm its own.
    One query for the referrals and their partners, one for all their events."""
    if caller.role not in (Role.admin, Role.partner):
        raise Forbidden("the rewards ledger is the talent office's and the partner firms'", "ledger_hidden")
    statement = (
        select(Referral, Organization.name)
        .join(Organization, Organization.id == Referral.partner_id)
        .where(Referral.stage.in_(CERTIFIED))
        .options(selectinload(Referral.events))
        .order_by(Referral.id)
    )
    if caller.role is Role.partner:
        statement = statement.where(Referral.partner_id == caller.organization_id)
    lines = []
    for referral, partner in session.execute(statement):
        when = {event.stage: event.at for event in referral.events}  # the latest entry into each stage
        lines.append(
            RewardLine(
                referral_id=referral.id,
                partner_id=referral.partner_id,
                partner=partner,
                candidate_id=referral.candidate_id,
                job_id=referral.job_id,
                tier=referral.tier,
                reward=referral.reward,
                status="paid" if referral.stage == "rewarded" else "owed",
                certified_at=when.get("certified"),
                paid_at=when.get("rewarded"),
            )
        )
    return lines
