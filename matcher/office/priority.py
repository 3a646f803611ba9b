"""The priority-major list (专业清单): which majors the city's leading industries need most, relative to how many
overseas candidates have them — with the evidence behind every entry. docs/priority-majors.md gives the method.

demand(major) = Σ over jobs in the window naming the major: openings × industry weight × education factor ×
                experience factor × salary factor (× the inferred-majors weight when the majors were inferred),
                shared equally among the majors the job names (a class such as 计算机类 shares among its majors
                by how many universities offer each)
supply(major) = candidates with a degree in the major
shortage      = (demand share + s) / (supply share + s), shares in per mille, s = smoothing_per_mille
stars         = 5..1 by shortage rank among the majors with any demand
"""

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from matcher.degrees import DegreeLevel
from matcher.errors import Invalid
from matcher.reference import leading_industries
from matcher.reference.leading_industries import PriorityConfig
from matcher.store import derived
from matcher.store.models import Education, Job, Major, PrioritySnapshot, PrioritySnapshotEntry

MONTHLY = {"month": 1.0, "year": 1 / 12, "day": 21.75, "hour": 174.0}
EXAMPLE_JOBS = 3
TOP_INDUSTRIES = 3


class MajorFacts(NamedTuple):
    """What the list needs of a catalogue major (read without its JSON columns)."""

    code: str
    name: str
    class_code: str
    class_name: str
    school_count: int | None


class _Offered(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def class_code(self) -> str: ...
    @property
    def school_count(self) -> int | None: ...


@dataclass
class PriorityEntry:
    rank: int
    code: str
    name: str
    class_name: str
    stars: int
    shortage: float
    demand: float
    demand_per_mille: float
    supply: int
    supply_per_mille: float
    jobs: int
    vacancies: int
    median_monthly_salary: float | None
    top_industries: list[dict[str, Any]] = field(default_factory=list)  # {industry, share}
    example_jobs: list[dict[str, Any]] = field(default_factory=list)  # {id, title, employer, weight}
    rank_change: int | None = None  # places up (+) or down (-) since the previous snapshot; None when new
    stars_change: int | None = None


@dataclass
class PriorityList:
    as_of: date
    window_start: date
    config_hash: str
    jobs_counted: int
    candidates_counted: int
    entries: list[PriorityEntry]
    previous_period: str | None = None


def monthly_salary(job: Job) -> float | None:
    """The midpoint of a CNY salary range per month (other currencies: None, no exchange rates here)."""
    values = [v for v in (job.salary_min, job.salary_max) if v is not None]
    if not values or job.currency != "CNY":
        return None
    return sum(values) / len(values) * MONTHLY.get(job.salary_period, 1.0)


def experience_years(job: Job) -> float:
    """Years of experience the posting asks for (Job.experience_years; none given: 0)."""
    return job.experience_years or 0.0


def openings(job: Job, cap: int = 10_000) -> int:
    """Vacancies a posting offers (Job.openings, e.g. from schema.org totalJobOpenings; none given: 1), at most
    `cap`."""
    return min(job.openings or 1, cap)


def jobs_in_window(session: Session, start: date, end: date) -> list[Job]:
    start_time = datetime(start.year, start.month, start.day, tzinfo=UTC)
    end_time = datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=1)
    query = select(Job).where(
        or_(
            Job.posted_at.between(start, end),
            Job.posted_at.is_(None) & (Job.imported_at >= start_time) & (Job.imported_at < end_time),
        )
    )
    return list(session.scalars(query.options(selectinload(Job.enterprise_row))).all())


def window_start_of(as_of: date, window_days: int) -> date:
    """The first day of the window that ends on `as_of` (Invalid when the calendar cannot hold the window)."""
    first, last = date.min + timedelta(days=window_days), date.max - timedelta(days=1)
    if not first <= as_of <= last:
        raise Invalid(
            f"as_of {as_of.isoformat()} is out of range: give a day from {first} to {last}",
            "day_out_of_range",
            day=as_of,
            first=first,
            last=last,
        )
    return as_of - timedelta(days=window_days)


def catalogue_majors(session: Session) -> dict[str, MajorFacts]:
    """Code -> the catalogue major as the list needs it."""
    columns = (Major.code, Major.name, Major.class_code, Major.class_name, Major.school_count)
    return {row.code: MajorFacts(*row) for row in session.execute(select(*columns).order_by(Major.code))}


def compute_priority(
    session: Session,
    config: PriorityConfig,
    config_hash: str,
    as_of: date,
    majors: dict[str, MajorFacts] | None = None,
) -> PriorityList:
    """The list as of `as_of`, from the jobs of the window before it and every candidate stored (`majors`: the
    catalogue, when already read)."""
    majors = catalogue_majors(session) if majors is None else majors
    by_class = class_members(majors.values())
    start = window_start_of(as_of, config.window_days)
    jobs = jobs_in_window(session, start, as_of)
    salaries = [s for s in (monthly_salary(job) for job in jobs) if s]
    median = statistics.median(salaries) if salaries else None

    demand: dict[str, float] = defaultdict(float)
    industries: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    examples: dict[str, list[tuple[float, Job]]] = defaultdict(list)
    job_count: Counter[str] = Counter()
    vacancies: Counter[str] = Counter()
    pay: dict[str, list[float]] = defaultdict(list)
    counted = 0
    for job in jobs:
        shares = major_shares(job.major_codes, by_class)
        if not shares:
            continue
        counted += 1
        industry = config.leading_industry(job.industry) or ""
        count = openings(job, config.max_openings_per_job)
        weight = count * (config.industries[industry].weight if industry else config.other_industry_weight)
        weight *= config.education.get(DegreeLevel(job.min_degree).label, 1.0)
        weight *= 1 + config.experience_per_year * min(experience_years(job), config.experience_cap_years)
        salary = monthly_salary(job)
        if salary and median:
            weight *= min(config.salary_ceiling, max(config.salary_floor, salary / median))
        if job.major_source == "inferred":
            weight *= config.inferred_majors_weight
        for code, share in shares.items():
            demand[code] += weight * share
            industries[code][industry or "其他行业"] += weight * share
            examples[code].append((weight * share, job))
            job_count[code] += 1
            vacancies[code] += count
            if salary:
                pay[code].append(salary)

    supply_rows = session.execute(
        select(Education.major_code, Education.candidate_id).where(Education.major_code.is_not(None)).distinct()
    ).all()
    supply: Counter[str] = Counter(code for code, _ in supply_rows if code)
    candidates = len({candidate for _, candidate in supply_rows})

    total_demand, total_supply = sum(demand.values()) or 1.0, sum(supply.values()) or 1
    s = config.smoothing_per_mille
    rows = []
    for code, value in demand.items():
        if value <= 0 or code not in majors:
            continue
        d_share, s_share = 1000 * value / total_demand, 1000 * supply[code] / total_supply
        rows.append((code, value, d_share, s_share, (d_share + s) / (s_share + s)))
    rows.sort(key=lambda row: (-row[4], -row[1], row[0]))
    entries = []
    for rank, (code, value, d_share, s_share, shortage) in enumerate(rows, start=1):
        industry_total = sum(industries[code].values()) or 1.0
        top = sorted(examples[code], key=lambda pair: (-pair[0], pair[1].id))[:EXAMPLE_JOBS]
        entries.append(
            PriorityEntry(
                rank=rank,
                code=code,
                name=majors[code].name,
                class_name=majors[code].class_name,
                stars=_stars(rank, len(rows), config.stars),
                shortage=round(shortage, 3),
                demand=round(value, 3),
                demand_per_mille=round(d_share, 2),
                supply=supply[code],
                supply_per_mille=round(s_share, 2),
                jobs=job_count[code],
                vacancies=vacancies[code],
                median_monthly_salary=round(statistics.median(pay[code])) if pay[code] else None,
                top_industries=[
                    {"industry": name, "share": round(w / industry_total, 3)}
                    for name, w in sorted(industries[code].items(), key=lambda pair: -pair[1])[:TOP_INDUSTRIES]
                ],
                example_jobs=[
                    {"id": job.id, "title": job.title, "employer": job.employer, "weight": round(w, 3)}
                    for w, job in top
                ],
            )
        )
    return PriorityList(as_of, start, config_hash, counted, candidates, entries)


def computed_priority(session: Session, config: PriorityConfig, config_hash: str, as_of: date) -> PriorityList:
    """What `compute_priority` gives now, without computing it again while nothing it reads has changed (jobs,
    candidates' education and employers are tracked by matcher.store.derived; the catalogue, as read, the
    configuration and the day are named)."""
    majors = catalogue_majors(session)
    inputs = ("priority", tuple(majors.values()), config_hash, as_of)
    return derived.remembered(session, inputs, lambda: compute_priority(session, config, config_hash, as_of, majors))


def class_members(majors: Iterable[_Offered]) -> dict[str, list[tuple[str, float]]]:
    """Class code -> its majors, each weighted by how many universities offer it."""
    members: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for major in majors:
        members[major.class_code].append((major.code, float(max(1, major.school_count or 1))))
    return members


def major_shares(codes: list[str], by_class: dict[str, list[tuple[str, float]]]) -> dict[str, float]:
    """Each major's share of one job: equal among the items it names; a class ("计算机类") shares among its
    majors in proportion to how many universities offer each (a rare major gets little of a class-wide ask)."""
    items = [code for code in codes if len(code) > 4 or by_class.get(code)]
    shares: dict[str, float] = defaultdict(float)
    for code in items:
        members = by_class[code] if len(code) == 4 else [(code, 1.0)]
        total = sum(weight for _, weight in members)
        for member, weight in members:
            shares[member] += weight / total / len(items)
    return dict(shares)


def _stars(rank: int, total: int, cuts: list[float]) -> int:
    position = (rank - 1) / total
    return 5 - sum(position >= cut for cut in cuts)


def period_of(day: date) -> str:
    return day.strftime("%Y-%m")


def compare_with_previous(session: Session, result: PriorityList, period: str) -> PriorityList:
    """Fill rank_change and stars_change from the latest saved snapshot of an earlier period computed with the
    same configuration (lists made with other weights are not comparable)."""
    previous = session.scalars(
        select(PrioritySnapshot)
        .where(PrioritySnapshot.period < period, PrioritySnapshot.config_hash == result.config_hash)
        .order_by(PrioritySnapshot.period.desc())
    ).first()
    if previous is None:
        return result
    before = {row.major_code: row for row in previous.entries}
    for entry in result.entries:
        old = before.get(entry.code)
        if old is not None:
            entry.rank_change, entry.stars_change = old.rank - entry.rank, entry.stars - old.stars
    result.previous_period = previous.period
    return result


def current_list(session: Session, config_path: Path | None, as_of: date) -> PriorityList:
    """The list as of `as_of`, weighted by the configuration at `config_path` (the packaged one when None), with each
    major's change since the latest earlier snapshot of the same configuration."""
    config, config_hash = leading_industries.load_config(config_path)
    return compare_with_previous(session, computed_priority(session, config, config_hash, as_of), period_of(as_of))


def save_snapshot(session: Session, result: PriorityList, period: str) -> PrioritySnapshot:
    """Store the list as the snapshot of `period`, replacing an earlier one of the same period."""
    existing = session.scalars(select(PrioritySnapshot).where(PrioritySnapshot.period == period)).first()
    if existing is not None:
        session.delete(existing)
        session.flush()
    snapshot = PrioritySnapshot(
        period=period,
        as_of=result.as_of,
        config_hash=result.config_hash,
        jobs_counted=result.jobs_counted,
        candidates_counted=result.candidates_counted,
    )
    snapshot.entries = [
        PrioritySnapshotEntry(
            major_code=e.code,
            rank=e.rank,
            stars=e.stars,
            shortage=e.shortage,
            demand=e.demand,
            supply=e.supply,
            evidence={"top_industries": e.top_industries, "example_jobs": e.example_jobs, "jobs": e.jobs},
        )
        for e in result.entries
    ]
    session.add(snapshot)
    session.flush()
    return snapshot
