"""Talent certification (人才认定): which tier of the published criteria an overseas returnee meets, and why.

Pure functions over plain data: an Applicant (not an ORM row), the criteria of matcher/data/certification.yaml
(matcher.office.criteria), the priority-major list as {code: stars}, and a university resolver. Each criterion is
judged in matcher.office.criterion_checks; this module tries the tiers best first and explains the ones missed.
docs/certification.md gives the rules.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from matcher.degrees import DegreeLevel
from matcher.office.criteria import CertificationConfig, Rule, Tier, load_config
from matcher.office.criterion_checks import (
    CRITERIA,
    CriterionResult,
    Education,
    Facts,
    check_rule,
    degree_facts,
    major_names,
)
from matcher.reference.universities import UniversityMatch, UniversityResolver

__all__ = [
    "CRITERIA",
    "Applicant",
    "CertificationConfig",
    "CriterionResult",
    "Decision",
    "Education",
    "Override",
    "certify",
    "load_config",
    "major_names",
]


@dataclass
class Applicant:
    """What certification needs to know about a person (plain data, no database)."""

    birth_year: int | None
    education: list[Education]
    years_of_experience: float = 0.0
    founder: bool = False  # founded or co-founded the company they bring (for start-up support)


@dataclass
class Override:
    """The office set the tier other than the criteria give: what they give now, why the office decided otherwise,
    and when (matcher.office.overrides)."""

    computed_tier: str | None
    computed_name_zh: str | None
    computed_name_en: str | None
    reason: str
    set_at: datetime


@dataclass
class Decision:
    """The tier (None: not eligible), the rule and degree it rests on, and every criterion checked for it."""

    tier: str | None
    tier_name_zh: str | None
    tier_name_en: str | None
    rule: str  # the rule met, or the one it came closest to when not eligible
    rule_zh: str
    basis: Education | None
    university: UniversityMatch | None
    priority_stars: int | None  # the basis degree's major on the priority list: its stars; None when not listed
    age: int | None
    criteria: list[CriterionResult]
    not_reached: list[str] = field(default_factory=list)  # why each better tier was missed, one sentence each
    as_of: date | None = None
    not_reached_zh: list[str] = field(default_factory=list)  # the same in Chinese
    override: Override | None = None  # the tier is the office's, not the criteria's (which `criteria` still show)

    @property
    def eligible(self) -> bool:
        return self.tier is not None


def certify(
    applicant: Applicant,
    config: CertificationConfig,
    priority_majors: Mapping[str, int] | Iterable[str],
    as_of: date,
    resolver: UniversityResolver,
) -> Decision:
    """The best tier `applicant` meets on `as_of`, with the reason for every criterion. `priority_majors` maps
    catalogue codes to stars (a plain set of codes counts every listed major, without stars)."""
    stars = priority_majors if isinstance(priority_majors, Mapping) else dict.fromkeys(priority_majors, 0)
    degrees = applicant.education or [
        Education("", DegreeLevel.NONE)
    ]  # nothing listed: report it, criterion by criterion
    facts = [degree_facts(e, stars, resolver, config) for e in degrees]
    age = as_of.year - applicant.birth_year if applicant.birth_year else None

    def attempt(rule: Rule, degree: Facts) -> list[CriterionResult]:
        return check_rule(rule, degree, applicant.years_of_experience, applicant.birth_year, age, config)

    missed: list[tuple[str, str]] = []
    for tier in config.tiers:
        attempts = [(rule, f, attempt(rule, f)) for rule in tier.rules for f in facts]
        met = next(((r, f, c) for r, f, c in attempts if all(x.passed for x in c)), None)
        if met:
            return _decision(tier, *met, age, missed, as_of)
        missed.append(_why_not(tier, attempts))
    last = config.tiers[-1]
    attempts = [(rule, f, attempt(rule, f)) for rule in last.rules for f in facts]
    closest = min(attempts, key=lambda a: (sum(not c.passed for c in a[2]), -a[1].level))
    return _decision(None, *closest, age, missed, as_of)


def _decision(
    tier: Tier | None,
    rule: Rule,
    facts: Facts,
    criteria: list[CriterionResult],
    age: int | None,
    missed: list[tuple[str, str]],
    as_of: date,
) -> Decision:
    en, zh = rule.describe()
    return Decision(
        tier.tier if tier else None,
        tier.name_zh if tier else None,
        tier.name_en if tier else None,
        en,
        zh,
        facts.education,
        facts.lookup.match,
        facts.stars,
        age,
        criteria,
        [why_en for why_en, _ in missed],
        as_of,
        [why_zh for _, why_zh in missed],
    )


def _why_not(tier: Tier, attempts: list[tuple[Rule, Facts, list[CriterionResult]]]) -> tuple[str, str]:
    """Why `tier` was missed, in English and Chinese: for each of its rules, what the closest degree lacked."""
    parts, parts_zh = [], []
    for i, rule in enumerate(tier.rules):
        tries = [criteria for r, _, criteria in attempts if r is rule]
        closest = min(tries, key=lambda criteria: sum(not c.passed for c in criteria))
        failed = "; ".join(c.reason for c in closest if not c.passed)
        failed_zh = "；".join(c.reason_zh for c in closest if not c.passed)
        en, zh = rule.describe()
        parts.append(f"{'Or' if i else 'Needs'} {en}: {failed}.")
        parts_zh.append(f"{'或' if i else '需'}{zh}：{failed_zh}。")
    return f"Tier {tier.tier} not reached. " + " ".join(parts), f"未达到{tier.tier}类：" + "".join(parts_zh)
