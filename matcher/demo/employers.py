"""The demo's fictional Zhengzhou enterprises and the jobs they post: names from word parts, one industry each, roles
weighted to the industry's own, pay by role, degree and experience, posting dates in the second half of 2026."""

from datetime import date, timedelta
from functools import cached_property

from matcher.demo import vocabulary as V
from matcher.demo.draws import LEVELS, Draws
from matcher.demo.text import Posting, en, form, job_description, job_requirements, zh
from matcher.records import EnterpriseRecord, JobRecord

FIRST_POSTING = date(2026, 6, 1)
POSTING_DAYS = 183  # jobs are posted 2026-06-01 .. 2026-11-30
DEGREE_PAY = {"bachelor": 1.0, "master": 1.2, "doctorate": 1.6}


class EmployerWriter(Draws):
    """Writes enterprise and job records, drawing from the shared generator."""

    @cached_property
    def roles_by_industry(self) -> dict[str, list[str]]:
        """The roles each industry posts."""
        return {i: [k for k, r in V.ROLES.items() if i in r["industries"]] for i in V.INDUSTRIES}

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
