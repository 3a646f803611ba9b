"""The talent catalogue (引进海归青年人才目录指南): per leading industry, the occupations and majors in demand and
example employers, from the jobs of the priority list's window — what headhunters should look for.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.office.priority import class_members, jobs_in_window, major_shares, openings
from matcher.reference import english_names
from matcher.reference.leading_industries import PriorityConfig
from matcher.store.models import Major, Occupation

TOP = 5


@dataclass
class IndustryNeeds:
    industry: str
    jobs: int = 0
    vacancies: int = 0
    occupations: list[tuple[str, str, int]] = field(default_factory=list)  # code, name, vacancies
    majors: list[tuple[str, str, float]] = field(default_factory=list)  # code, name, share of the industry's demand
    employers: list[tuple[str, int]] = field(default_factory=list)  # name, vacancies


def talent_catalogue(session: Session, config: PriorityConfig, as_of: date) -> list[IndustryNeeds]:
    """One entry per leading industry (in the configuration's order), from the jobs of the window before `as_of`."""
    majors = {m.code: m for m in session.scalars(select(Major))}
    by_class = class_members(majors.values())
    names = {o.code: o.name for o in session.scalars(select(Occupation))}
    needs = {name: IndustryNeeds(name) for name in config.industries}
    occupations: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    demand: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    employers: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for job in jobs_in_window(session, as_of - timedelta(days=config.window_days), as_of):
        industry = config.leading_industry(job.industry)
        if industry is None:
            continue
        count = openings(job, config.max_openings_per_job)
        needs[industry].jobs += 1
        needs[industry].vacancies += count
        if job.occupation_code:
            occupations[industry][job.occupation_code] += count
        for code, share in major_shares(job.major_codes, by_class).items():
            demand[industry][code] += count * share
        if job.employer:
            employers[industry][job.employer] += count
    for industry, entry in needs.items():
        entry.occupations = [(code, names.get(code, code), int(n)) for code, n in _top(occupations[industry])]
        total = sum(demand[industry].values()) or 1.0
        entry.majors = [
            (code, majors[code].name, round(value / total, 3))
            for code, value in _top(demand[industry])
            if code in majors
        ]
        entry.employers = [(name, int(n)) for name, n in _top(employers[industry])]
    return list(needs.values())


def _top(counts: dict[str, float] | dict[str, int]) -> list[tuple[str, float]]:
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:TOP]


def to_markdown(entries: list[IndustryNeeds], as_of: date) -> str:
    lines = [f"# 引进海归青年人才目录指南 · Talent catalogue (as of {as_of})", ""]
    for e in entries:
        lines += [f"## {e.industry}", "", f"{e.jobs} jobs, {e.vacancies} vacancies.", ""]
        if not e.jobs:
            lines += ["No openings in the window.", ""]
            continue
        lines += ["| occupations in demand (CSCO 2022) | vacancies |", "|---|---|"]
        lines += [f"| {name} ({code}) | {n} |" for code, name, n in e.occupations]
        lines += ["", "| majors in demand | share of demand |", "|---|---|"]
        lines += [f"| {name} ({code}) | {share:.0%} |" for code, name, share in e.majors]
        lines += ["", "Example employers: " + "; ".join(f"{name} ({n})" for name, n in e.employers), ""]
    return "\n".join(lines)


def to_csv(entries: list[IndustryNeeds], lang: str = "zh") -> str:
    """Long format: one row per (industry, kind, item); with lang="en" the industries, occupations and majors named
    in English (employers stay as they call themselves)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["industry", "kind", "rank", "code", "name", "value"])
    for e in entries:
        industry = english_names.industry_name(e.industry, lang)
        for rank, (code, name, n) in enumerate(e.occupations, start=1):
            writer.writerow([industry, "occupation", rank, code, english_names.occupation_name(code, name, lang), n])
        for rank, (code, name, share) in enumerate(e.majors, start=1):
            writer.writerow([industry, "major", rank, code, english_names.major_name(code, name, lang), share])
        for rank, (name, n) in enumerate(e.employers, start=1):
            writer.writerow([industry, "employer", rank, "", name, n])
    return buffer.getvalue()
