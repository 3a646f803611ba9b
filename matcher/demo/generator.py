"""Write a synthetic demo data set: fictional Zhengzhou enterprises, their jobs, and returnee candidates.

Everything is labelled synthetic (source "synthetic-demo", extras["synthetic"] = True). Universities come from
the ARWU 2025 list, majors from the 2026 undergraduate catalogue and their English names from major-aliases.csv;
people, companies and organisations are random combinations of the word parts in demo-vocabulary.jsonl (all in
matcher/data, read by matcher.demo.vocabulary). The output depends only on the seed, the counts and those files:
no clock, no global random state.
"""

import json
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from matcher.demo import vocabulary as V
from matcher.demo.reference import University, load_majors, load_universities
from matcher.demo.text import (
    NOW_YEAR,
    Posting,
    Profile,
    candidate_text,
    en,
    form,
    job_description,
    job_requirements,
    languages,
    location,
    zh,
)
from matcher.records import CandidateRecord, Education, EnterpriseRecord, Experience, JobRecord

FIRST_POSTING = date(2026, 6, 1)
POSTING_DAYS = 183  # jobs are posted 2026-06-01 .. 2026-11-30
LEVELS = ["bachelor", "master", "doctorate"]
DEGREE_PAY = {"bachelor": 1.0, "master": 1.2, "doctorate": 1.6}
CHAINS: dict[str, list[tuple[list[str], float]]] = {  # the degrees a profile lists, by its highest degree
    "bachelor": [(["bachelor"], 1)],
    "master": [(["bachelor", "master"], 1), (["master"], 1)],
    "doctorate": [
        (["bachelor", "master", "doctorate"], 35),
        (["master", "doctorate"], 35),
        (["bachelor", "doctorate"], 10),
        (["doctorate"], 20),
    ],
}

T = TypeVar("T")


@dataclass(frozen=True)
class Study:
    """One degree of a candidate before it is written out."""

    level: str
    major: str  # catalogue name
    university: University
    end_year: int


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.majors = load_majors()
        self.universities = load_universities()
        self.major_field = {major: field for field, names in V.MAJOR_FIELDS.items() for major in names}
        self.tail_majors = [name for name, row in self.majors.items() if not row["controlled"]]
        self.roles_by_industry = {i: [k for k, r in V.ROLES.items() if i in r["industries"]] for i in V.INDUSTRIES}

    def pick(self, items: Sequence[T], weights: Sequence[float] | None = None) -> T:
        return self.rng.choices(items, weights=weights)[0] if weights else self.rng.choice(items)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def some(self, items: Sequence[T], low: int, high: int) -> list[T]:
        """low..high distinct items, in their original order."""
        chosen = set(self.rng.sample(range(len(items)), k=min(len(items), self.rng.randint(low, high))))
        return [item for i, item in enumerate(items) if i in chosen]

    # ------------------------------------------------------------------------------------------ enterprises

    def enterprise(self, index: int, taken: set[str]) -> EnterpriseRecord:
        industry = V.INDUSTRIES[(index - 1) % len(V.INDUSTRIES)]
        for _ in range(10_000):
            parts = [self.pick(V.ENTERPRISE_PREFIXES), self.pick(V.BRAND_FIRST), self.pick(V.BRAND_SECOND)]
            parts += [self.pick(V.INDUSTRY_BUSINESS[industry]), self.pick(V.LEGAL_FORMS)]
            name = "".join(zh(p) for p in parts)
            if zh(parts[1]) + zh(parts[2]) not in V.BRAND_BLOCKLIST and name not in taken:
                break
        else:
            raise ValueError("ran out of distinct enterprise names; ask for fewer enterprises")
        taken.add(name)
        prefix, first, second, business, legal = map(en, parts)
        district, band, founded = (
            zh(self.pick(V.DISTRICTS)),
            self.pick(V.EMPLOYEE_BANDS),
            self.rng.randint(2003, 2024),
        )
        description = (
            f"{name}是一家位于郑州市{district}的{industry}企业，成立于{founded}年，员工规模{band}人，"
            f"主要从事{self.pick(V.INDUSTRY_FOCUS[industry])}。"
            "本条为合成示例数据（synthetic demo data），企业名称与信息均为虚构。"
        )
        external_id = f"ent-{index:04d}"
        return EnterpriseRecord(
            source=V.SOURCE,
            external_id=external_id,
            url=f"{V.URL_BASE}/enterprises/{external_id}",
            fetched_at=None,
            name=name,
            industry=industry,
            location=f"郑州市{district}",
            description=description,
            extras={
                "synthetic": True,
                "name_en": f"{prefix} {first}{second} {business} {legal}",
                "district": district,
                "employees": band,
                "founded": founded,
            },
        )

    # ------------------------------------------------------------------------------------------ jobs

    def job(self, index: int, ent: EnterpriseRecord) -> JobRecord:
        keys = self.roles_by_industry[ent.industry]  # an industry's own roles are posted most
        key = self.pick(keys, [4.0 if V.ROLES[k]["industries"][0] == ent.industry else 1.0 for k in keys])
        role, lang = V.ROLES[key], "en" if self.chance(0.2) else "zh"
        shift = -1 if self.chance(0.15) else 1 if self.chance(0.1) else 0
        degree = LEVELS[max(0, min(2, LEVELS.index(role["degree"]) + shift))]
        years = self.pick([0, 1, 2, 3, 5, 8], [4, 2, 3, 4, 3, 1])
        years = min(years, 3) if degree == "doctorate" else years
        majors = self.some(role["majors"], 1, 4)
        title = form(role["title"], lang)
        if years >= 5 and self.chance(0.5):
            title = f"Senior {title}" if lang == "en" else f"高级{title}"
        elif years == 0 and self.chance(0.4):
            title = f"Graduate {title}" if lang == "en" else f"{title}（2027届校招）"
        own = next(d for d in V.DISTRICTS if ent.location == f"郑州市{zh(d)}")
        district = own if self.chance(0.85) else self.pick(V.DISTRICTS)
        posting = Posting(
            lang=lang,
            enterprise=str(ent.extras["name_en"]) if lang == "en" else ent.name,
            team=form(self.pick(V.TEAMS), lang),
            title=title,
            district=district,
            duties=[form(d, lang) for d in self.some(role["duties"], 2, 4)],
            degree=degree,
            years=years,
            majors=[self.english_major(m) for m in majors] if lang == "en" else majors,
            classes=list(dict.fromkeys(self.majors[m]["class_name"] for m in majors)),
            skills=[form(s, lang) for s in self.some(role["skills"], 3, 5)],
            bonus=form(self.pick(V.JOB_BONUSES), lang),
        )
        pay = role["salary"] * DEGREE_PAY[degree] * (1 + 0.07 * years) * self.rng.uniform(0.85, 1.1) * 1000
        salary_min = max(5000, round(pay / 500) * 500)
        salary_max = max(salary_min + 1000, round(salary_min * self.rng.uniform(1.3, 1.8) / 1000) * 1000)
        external_id = f"job-{index:05d}"
        return JobRecord(
            source=V.SOURCE,
            external_id=external_id,
            url=f"{V.URL_BASE}/jobs/{external_id}",
            fetched_at=None,
            title=title,
            enterprise=ent.name,
            enterprise_external_id=ent.external_id,
            industry=ent.industry,
            description=job_description(posting),
            requirements=job_requirements(posting),
            majors=majors,
            min_degree=degree if lang == "en" else V.LEVEL_JOB_ZH[degree],
            location=f"郑州市{zh(district)}",
            salary_min=salary_min,
            salary_max=min(salary_max, 80_000),
            currency="CNY",
            salary_period="month",
            posted_at=FIRST_POSTING + timedelta(days=self.rng.randrange(POSTING_DAYS)),
            extras={
                "synthetic": True,
                "role": key,
                "language": lang,
                "experience_years": years,
                "headcount": self.rng.randint(1, 5),
            },
        )

    # ------------------------------------------------------------------------------------------ candidates

    def candidate(self, index: int, roles: list[str], demand: list[float]) -> CandidateRecord:
        lang = self.pick(["zh", "en", "mixed"], [50, 40, 10])
        text = "en" if lang == "en" else "zh"  # headline, summary, locations, languages
        terms = "zh" if lang == "zh" else "en"  # skills, education, experience
        key, draw = None, self.rng.random()
        if draw < 0.78:  # most aim at a role the enterprises post, in proportion to the jobs posted
            key = self.pick(roles, demand)
            major = self.pick(V.ROLES[key]["majors"])
        elif draw < 0.83 and lang != "en":  # a few have any catalogue major
            major = self.pick(self.tail_majors)
        else:  # the others any major we can write in English
            major = self.pick(list(self.major_field))
        field = self.major_field.get(major, "general")
        spec, role = V.FIELDS[field], V.ROLES[key] if key else None
        studies = self.studies(major, field)
        last = studies[-1]
        education = [
            Education(
                school=s.university.name,
                degree=self.written_degree(s, spec["kind"], terms),
                major=self.written_major(s.major, terms),
                country=s.university.country,
                end_year=s.end_year,
            )
            for s in studies
        ]
        pool = (self.some(role["skills"], 3, 5) if role else []) + self.rng.sample(spec["skills"], len(spec["skills"]))
        skills = list(dict.fromkeys(form(s, terms) for s in pool))[: self.rng.randint(6, 12)]
        target = role["title"] if role else spec["titles"][1]
        experience = self.experiences(last, target, spec, role, terms)
        current = experience[0] if experience and not experience[0].end else None
        known = V.UNIVERSITIES.get(last.university.name)
        profile = Profile(
            level=last.level,
            end_year=last.end_year,
            school=last.university.name,
            school_zh=known[0] if known else last.university.name,
            degree=education[-1].degree,
            major=education[-1].major,
            major_zh=last.major,
            target=target,
            projects=spec["projects"],
            skills=skills,
            prefs=self.preferred_locations(),
            hometown=self.pick(V.HENAN_CITIES) if self.chance(0.45) else None,
            current_job=(current.title, current.organization) if current else None,
        )
        headline, summary = candidate_text(profile, text, self.rng)
        surname = self.pick(V.SURNAMES, [1 / (i + 8) for i in range(len(V.SURNAMES))])  # common ones first
        given = self.rng.sample(V.GIVEN_NAME_CHARS, k=self.pick([1, 2], [35, 65]))
        given_py = "".join(en(g) for g in given).capitalize()
        industries = [self.pick(role["industries"] if role else spec["industries"])]
        if self.chance(0.5):
            industries = list(dict.fromkeys([*industries, self.pick(spec["industries"])]))
        return CandidateRecord(
            source=V.SOURCE,
            external_id=f"cand-{index:05d}",
            url=None,
            fetched_at=None,
            name=f"{given_py} {en(surname)}" if lang == "en" else zh(surname) + "".join(zh(g) for g in given),
            headline=headline,
            summary=summary,
            skills=skills,
            education=education,
            experience=experience,
            location=location(last.university, text, self.rng, own_city=last.end_year >= NOW_YEAR),
            preferred_locations=[form(p, text) for p in profile.prefs],
            industries=industries,
            languages=languages(last.university.country_code, text, self.rng),
            email=f"{given_py.lower()}.{en(surname).lower()}.{index}@{V.EMAIL_DOMAIN}",
            consent_to_contact=self.chance(0.7),
            extras={
                "synthetic": True,
                "profile_language": lang,
                "major_codes": [self.majors[s.major]["code"] for s in studies],  # one per education entry
                "field": field,
                "target_role": key,
            },
        )

    def studies(self, major: str, field: str) -> list[Study]:
        """1-3 degrees abroad, oldest first; the latest in `major`, earlier ones often in its field."""
        chains = CHAINS[self.pick(LEVELS, [24, 60, 16])]
        levels = self.pick([c for c, _ in chains], [w for _, w in chains])
        end_year = self.pick(range(2018, 2028), [1, 1, 2, 2, 3, 4, 5, 7, 9, 6])
        related = list(V.MAJOR_FIELDS.get(field, {major: []}))
        studies: list[Study] = []
        university = self.university(field)
        for level in reversed(levels):
            if studies:
                if self.chance(0.4):  # an earlier degree elsewhere, often in the same country
                    university = self.university(field, university.country_code if self.chance(0.5) else None)
                major = major if self.chance(0.65) else self.pick(related)
            studies.insert(0, Study(level, major, university, end_year))
            short = university.country_code in {"GB", "HK", "SG", "AU"}
            years = {"bachelor": 3 if short else 4, "master": 1 if short else 2}.get(level) or self.rng.randint(3, 5)
            end_year -= years + (self.rng.randint(1, 2) if self.chance(0.2) else 0)
        return studies

    def university(self, field: str, country: str | None = None) -> University:
        country = country or self.pick(list(V.COUNTRIES), [c["weight"] for c in V.COUNTRIES.values()])
        fits = [u for u in self.universities[country] if self.fits(u.name, field)]
        return self.pick(fits, [u.weight for u in fits])

    @staticmethod
    def fits(name: str, field: str) -> bool:
        """Medical schools only for medical fields, schools of economics and business only for theirs."""
        if any(word in name for word in V.MEDICAL_SCHOOL_WORDS):
            return field in V.MEDICAL_FIELDS
        if any(word in name for word in V.BUSINESS_SCHOOL_WORDS):
            return field in V.BUSINESS_FIELDS
        return True

    def written_degree(self, study: Study, family: str, lang: str) -> str:
        if lang == "zh":
            return self.pick(V.DEGREES_ZH[study.level]).format(family=V.DEGREE_FAMILY_ZH[family])
        oxford = study.university.name == "University of Oxford"
        return self.pick([s for s in V.DEGREES_EN[study.level][family] if s != "DPhil" or oxford])

    def written_major(self, major: str, lang: str) -> str:
        return self.english_major(major) if lang == "en" and major in self.major_field else major

    def english_major(self, major: str) -> str:
        """One of the major's English names (from major-aliases.csv). Always one draw, however many names it
        has: editing the aliases changes the names written, not the rest of the data set."""
        names = V.MAJOR_FIELDS[self.major_field[major]][major]
        return names[int(self.rng.random() * len(names))]

    def experiences(self, last: Study, target: str, spec: V.Field, role: V.Role | None, lang: str) -> list[Experience]:
        """0-3 entries, newest first: jobs abroad after the latest degree, internships before it."""
        country = V.COUNTRIES[last.university.country_code]
        found: list[Experience] = []
        if last.end_year < NOW_YEAR and self.chance(0.75):
            start = last.end_year
            jobs = 2 if NOW_YEAR - start >= 3 and self.chance(0.35) else 1
            for n in range(jobs):
                end = "" if n == jobs - 1 else str(self.rng.randint(start + 1, NOW_YEAR - 1))
                month = self.rng.randint(7, 10)
                found.insert(0, self.experience(target, spec, role, country, lang, f"{start}-{month:02d}", end))
                start = int(end or NOW_YEAR)
        summers = [year for year in range(last.end_year - 2, last.end_year) if year < NOW_YEAR]
        count = min(3 - len(found), len(summers), self.pick([0, 1, 2], [3, 4, 2]))
        for year in sorted(self.rng.sample(summers, count), reverse=True):
            summer = (f"{year}-06", f"{year}-09")
            if self.chance(0.4):  # a summer in a lab
                lab = self.pick(V.GENERIC_ORGS)
                found.append(self.experience("研究助理|Research Assistant", spec, None, country, lang, *summer, lab))
            else:
                title = f"{zh(target)}实习生|{en(target)} Intern" if role else spec["titles"][0]
                found.append(self.experience(title, spec, role, country, lang, *summer))
        return found

    def experience(
        self,
        title: str,
        spec: V.Field,
        role: V.Role | None,
        country: V.Country,
        lang: str,
        start: str,
        end: str,
        org: str = "",
    ) -> Experience:
        org = org or f"{self.pick(V.ORG_FIRST_WORDS)} {self.pick(spec['org_words'])} {country['legal']}"
        if role:
            description = form(self.pick(role["duties"]), lang)
        elif title == spec["titles"][1]:
            description = form(spec["duty"], lang)
        else:  # an internship or a summer in a lab: what they did
            project = self.pick(spec["projects"])
            description = f"{en(project)[0].upper()}{en(project)[1:]}." if lang == "en" else f"{zh(project)}。"
        return Experience(
            title=form(title, lang),
            organization=form(org, lang),
            description=description,
            start=start,
            end=end,
        )

    def preferred_locations(self) -> list[str]:
        others = self.some(V.OTHER_CITIES, 1, 3)
        self.rng.shuffle(others)
        if self.chance(0.72):
            henan = [self.pick(V.HENAN_CITIES[1:])] if self.chance(0.2) else []
            return ["郑州|Zhengzhou", *henan, *others[: self.rng.randint(0, 2)]]
        return [*others, "郑州|Zhengzhou"] if self.chance(0.3) else others


def _write(path: Path, records: Iterable[BaseModel]) -> Path:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for record in records:
            fh.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n")
    return path


def generate(
    out_dir: Path, *, seed: int = 2026, candidates: int = 2000, jobs: int = 500, enterprises: int = 80
) -> dict[str, Path]:
    """Write enterprises.jsonl, jobs.jsonl and candidates.jsonl to out_dir; same arguments, same bytes."""
    if min(candidates, jobs, enterprises) < 0 or (jobs and not enterprises):
        raise ValueError("counts must be >= 0, and jobs need at least one enterprise")
    gen = _Generator(seed)
    taken: set[str] = set()
    ents = [gen.enterprise(i, taken) for i in range(1, enterprises + 1)]
    # Every enterprise posts a job while there are enough; the other jobs go to random enterprises.
    owners = [ents[i] if i < len(ents) else gen.pick(ents) for i in range(jobs)]
    job_records = [gen.job(i, ent) for i, ent in enumerate(owners, start=1)]
    demand = Counter(str(job.extras["role"]) for job in job_records)
    roles = list(V.ROLES)
    people = [gen.candidate(i, roles, [demand[k] + 1.0 for k in roles]) for i in range(1, candidates + 1)]
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return {
        "enterprises": _write(out_dir / "enterprises.jsonl", ents),
        "jobs": _write(out_dir / "jobs.jsonl", job_records),
        "candidates": _write(out_dir / "candidates.jsonl", people),
    }
