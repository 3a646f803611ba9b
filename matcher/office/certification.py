"""Talent certification (人才认定): which tier of the published criteria an overseas returnee meets, and why.

Pure functions over plain data: an Applicant (not an ORM row), the criteria of matcher/data/certification.yaml,
the priority-major list as {code: stars}, and a university resolver. docs/certification.md gives the rules.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from matcher.degrees import DegreeLevel
from matcher.errors import Invalid
from matcher.reference.universities import RANKING, Lookup, UniversityMatch, UniversityResolver, country_code

DEFAULT_CONFIG = "certification.yaml"
DegreeName = Literal["bachelor", "master", "doctorate"]
Model = TypeVar("Model", bound=BaseModel)

CRITERIA = {  # key: (Chinese name, English name), in the order decisions list them
    "overseas_degree": ("境外学历", "degree obtained abroad"),
    "degree_level": ("学历学位", "degree level"),
    "university_rank": ("院校排名", "university standing"),
    "priority_major": ("重点专业", "priority major"),
    "age": ("年龄", "age"),
    "experience": ("工作年限", "work experience"),
}
_DEGREE_ZH = {level: level.label_zh for level in DegreeLevel} | {DegreeLevel.NONE: "无学位"}
_DEGREE_EN = {
    DegreeLevel.NONE: "no degree",
    DegreeLevel.ASSOCIATE: "associate degree",
    DegreeLevel.BACHELOR: "bachelor's",
    DegreeLevel.MASTER: "master's",
    DegreeLevel.DOCTORATE: "doctorate",
}


class Rule(BaseModel):
    """One way into a tier: every condition must hold for one degree."""

    model_config = ConfigDict(extra="forbid")
    min_degree: DegreeName
    max_rank: int | None = Field(default=None, gt=0)
    priority_major: bool = False
    min_stars: int = Field(default=0, ge=0, le=5)
    min_experience_years: float = Field(default=0, ge=0)
    max_age: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _stars_need_major(self) -> "Rule":
        if self.min_stars and not self.priority_major:
            raise ValueError("min_stars needs priority_major: true")
        return self

    @property
    def level(self) -> DegreeLevel:
        return DegreeLevel[self.min_degree.upper()]

    def describe(self) -> tuple[str, str]:
        """The rule in one English and one Chinese phrase."""
        top = self.level == DegreeLevel.DOCTORATE
        en = [_DEGREE_EN[self.level] if top else f"{_DEGREE_EN[self.level]} or above"]
        zh = [f"{self.level.label_zh}学位" if top else f"{self.level.label_zh}及以上学位"]
        if self.max_rank:
            en.append(f"from a top-{self.max_rank} university ({RANKING})")
            zh.append(f"{RANKING}前{self.max_rank}名高校")
        if self.priority_major:
            stars = f" with at least {'★' * self.min_stars}" if self.min_stars else ""
            en.append(f"in a priority major{stars}")
            zh.append("所学专业在重点专业清单内" + (f"（{'★' * self.min_stars}及以上）" if self.min_stars else ""))
        if self.min_experience_years:
            en.append(f"with {self.min_experience_years:g}+ years of work experience")
            zh.append(f"{self.min_experience_years:g}年以上工作经历")
        if self.max_age:
            en.append(f"aged {self.max_age} or under")
            zh.append(f"年龄不超过{self.max_age}岁")
        return " ".join(en), "，".join(zh)


class Tier(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tier: str = Field(pattern=r"^[A-Z]$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    rules: list[Rule] = Field(min_length=1)


class CertificationConfig(BaseModel):
    """The YAML file's shape (matcher/data/certification.yaml is the default)."""

    model_config = ConfigDict(extra="forbid")
    name: str
    ranking: str = RANKING
    require_overseas: bool = True
    domestic_countries: list[str] = Field(default_factory=lambda: ["CN"])
    age_limits: dict[DegreeName, int] = Field(default_factory=dict)
    tiers: list[Tier] = Field(min_length=1)

    @model_validator(mode="after")
    def _tiers_in_order(self) -> "CertificationConfig":
        letters = [t.tier for t in self.tiers]
        if letters != sorted(set(letters)):
            raise ValueError(f"tiers must be listed best first, each once, in letter order (got {letters})")
        if self.ranking != RANKING:
            raise ValueError(f"ranking must be {RANKING!r}, the ranking shipped with TalentBridge")
        return self

    def age_limit(self, level: DegreeLevel, rule: Rule) -> int | None:
        """The age limit a degree of `level` is held to under `rule`."""
        limits = {str(name): years for name, years in self.age_limits.items()}
        return rule.max_age or limits.get(level.label)


def read_yaml_model(model: type[Model], path: Path | None, default: str, what: str) -> tuple[Model, str]:
    """A YAML file (the packaged `default`, or `path`) validated as `model`, and a short hash of its text. Errors
    name the file, the line and the field."""
    where = str(path or default)
    try:
        text = (
            path.read_text(encoding="utf-8") if path else files("matcher").joinpath("data", default).read_text("utf-8")
        )
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise Invalid(f"cannot read the {what} {where}: {exc}") from None
    except yaml.YAMLError as exc:
        raise Invalid(f"{what} {where} is not valid YAML: {' '.join(str(exc).split())}") from None
    try:
        config = model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field_path = ".".join(str(p) for p in first["loc"]) or "(top level)"
        line = _line_of(text, first["loc"])
        at = f", line {line}" if line else ""
        raise Invalid(f"{what} {where}{at}: {field_path}: {first['msg']}") from None
    return config, hashlib.sha256(text.encode()).hexdigest()[:12]


def _line_of(text: str, loc: Iterable[Any]) -> int | None:
    """The 1-based line of the YAML node at `loc` (the deepest that exists), for error messages."""
    node = yaml.compose(text)
    line = node.start_mark.line + 1 if node else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def load_config(path: Path | None = None) -> tuple[CertificationConfig, str]:
    """The certification criteria (the packaged default, or `path`) and a short hash of the file's text."""
    return read_yaml_model(CertificationConfig, path, DEFAULT_CONFIG, "certification criteria")


@dataclass(frozen=True)
class Education:
    """One degree as the applicant states it; degree_level is a DegreeLevel value."""

    school: str
    degree_level: int
    major_code: str | None = None
    end_year: int | None = None
    country: str = ""


@dataclass
class Applicant:
    """What certification needs to know about a person (plain data, no database)."""

    birth_year: int | None
    education: list[Education]
    years_of_experience: float = 0.0
    founder: bool = False  # founded or co-founded the company they bring (for start-up support)


@dataclass(frozen=True)
class CriterionResult:
    key: str
    name_zh: str
    name_en: str
    passed: bool  # the rule's condition holds (a condition the rule does not set always holds)
    required: bool  # whether the rule sets a condition on this criterion
    value: str
    reason: str  # English
    reason_zh: str


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

    @property
    def eligible(self) -> bool:
        return self.tier is not None


@dataclass(frozen=True)
class _Facts:
    """What the criteria look at for one degree, worked out once."""

    education: Education
    level: DegreeLevel
    lookup: Lookup
    abroad: bool | None
    major_name: str | None
    stars: int | None


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
    facts = [_facts(e, stars, resolver, config) for e in degrees]
    age = as_of.year - applicant.birth_year if applicant.birth_year else None
    missed: list[tuple[str, str]] = []
    for tier in config.tiers:
        attempts = [(rule, f, _criteria(rule, f, applicant, age, config)) for rule in tier.rules for f in facts]
        met = next(((r, f, c) for r, f, c in attempts if all(x.passed for x in c)), None)
        if met:
            return _decision(tier, *met, age, missed, as_of)
        missed.append(_why_not(tier, attempts))
    last = config.tiers[-1]
    attempts = [(rule, f, _criteria(rule, f, applicant, age, config)) for rule in last.rules for f in facts]
    closest = min(attempts, key=lambda a: (sum(not c.passed for c in a[2]), -a[1].level))
    return _decision(None, *closest, age, missed, as_of)


def _decision(
    tier: Tier | None,
    rule: Rule,
    facts: _Facts,
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


def _why_not(tier: Tier, attempts: list[tuple[Rule, _Facts, list[CriterionResult]]]) -> tuple[str, str]:
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


def _facts(
    education: Education, stars: Mapping[str, int], resolver: UniversityResolver, config: CertificationConfig
) -> _Facts:
    """Resolve the university, place the degree at home or abroad, and look its major up."""
    lookup = resolver.lookup(education.school, education.country or None)
    code = lookup.match.country_code if lookup.match else country_code(education.country)
    domestic = {country_code(c) or c for c in config.domestic_countries}
    abroad = None if code is None else code not in domestic
    major = education.major_code
    listed = stars.get(major) if major else None
    return _Facts(
        education, DegreeLevel(education.degree_level), lookup, abroad, major_names().get(major or ""), listed
    )


def _criteria(
    rule: Rule, facts: _Facts, applicant: Applicant, age: int | None, config: CertificationConfig
) -> list[CriterionResult]:
    """Every criterion of `rule` checked for one degree."""
    return [
        _overseas(facts, config.require_overseas),
        _degree(rule, facts),
        _rank(rule, facts),
        _major(rule, facts),
        _age(config.age_limit(facts.level, rule), facts.level, age, applicant.birth_year),
        _experience(rule, applicant.years_of_experience),
    ]


def _result(key: str, passed: bool, required: bool, value: str, reason: str, reason_zh: str) -> CriterionResult:
    zh, en = CRITERIA[key]
    return CriterionResult(key, zh, en, passed, required, value, reason, reason_zh)


def _overseas(facts: _Facts, required: bool) -> CriterionResult:
    school = facts.education.school or "(no degree listed)"
    match = facts.lookup.match
    country = match.country if match else facts.education.country
    if facts.abroad is None:
        en = f"no country given for {school} and it is not in {RANKING}: cannot tell whether it is abroad"
        zh = f"{school}未注明国家（地区）且不在{RANKING}中，无法确认是否为境外高校"
        return _result("overseas_degree", not required, required, "unknown", en, zh)
    if facts.abroad:
        en, zh = f"{school} ({country}) is a university abroad", f"{school}（{country}）为境外高校"
    else:
        en, zh = f"{school} ({country}) is a domestic university", f"{school}（{country}）为境内高校，不属于境外学历"
    value = f"{country}, {'abroad 境外' if facts.abroad else 'domestic 境内'}"
    return _result("overseas_degree", facts.abroad or not required, required, value, en, zh)


def _degree(rule: Rule, facts: _Facts) -> CriterionResult:
    level, need = facts.level, rule.level
    value = f"{_DEGREE_EN[level]} ({_DEGREE_ZH[level]})"
    if level >= need:
        en = f"{_DEGREE_EN[level]} meets the minimum of {_DEGREE_EN[need]}"
        zh = f"{_DEGREE_ZH[level]}，达到{need.label_zh}及以上要求"
    else:
        en = f"{_DEGREE_EN[level]} is below the required {_DEGREE_EN[need]}"
        zh = f"{_DEGREE_ZH[level]}，未达到{need.label_zh}及以上要求"
    return _result("degree_level", level >= need, True, value, en, zh)


def _rank(rule: Rule, facts: _Facts) -> CriterionResult:
    match, school, limit = facts.lookup.match, facts.education.school or "(no degree listed)", rule.max_rank
    if match is None:
        en, zh = _unresolved(school, facts.lookup)
        passed = limit is None
        en += f": counted as unranked, {'which this rule accepts' if passed else f'not within the top {limit}'}"
        zh += f"，按未进入排名处理，{'本条不限院校' if passed else f'不满足前{limit}名要求'}"
        return _result("university_rank", passed, limit is not None, "unranked (unresolved)", en, zh)
    named = {"exact": "", "alias": f"{match.institution}, ", "fuzzy": f"{match.institution} (spelling differs), "}
    en = f"{school} resolved to {named[match.method]}{RANKING} rank {match.world_rank}"
    zh = f"{school}对应{match.institution}，{RANKING}排名{match.world_rank}"
    if limit is None:
        passed, en, zh = True, en + " (this rule accepts any university)", zh + "（本条不限院校排名）"
    elif match.rank_ceiling <= limit:
        passed, en, zh = True, en + f" (top {limit})", zh + f"，在前{limit}名内"
    else:
        passed, en, zh = False, en + f", not within the top {limit}", zh + f"，不在前{limit}名内"
    return _result("university_rank", passed, limit is not None, f"{RANKING} {match.world_rank}", en, zh)


def _unresolved(school: str, lookup: Lookup) -> tuple[str, str]:
    """Why a university name has no ranking entry, in English and Chinese."""
    if lookup.country_conflict:
        names = " / ".join(lookup.ambiguous)
        return (
            f"{school} names {names}, which is not in the country given",
            f"{school}对应的{names}与所填国家（地区）不符",
        )
    if lookup.ambiguous:
        names = " or ".join(lookup.ambiguous)
        return f"{school} is ambiguous (could be {names})", f"{school}有歧义（可能是{' 或 '.join(lookup.ambiguous)}）"
    return f"{school} could not be matched to {RANKING}", f"{school}未能对应到{RANKING}"


def _major(rule: Rule, facts: _Facts) -> CriterionResult:
    code = facts.education.major_code
    named = f"{code} {facts.major_name}" if code and facts.major_name else code or "none"
    stars = facts.stars
    if not code:
        en, zh, value = "the degree has no catalogue major code", "该学位未对应到专业目录代码", named
    elif stars is None:
        en, zh, value = f"major {named} is not on the priority list", f"专业{named}不在重点专业清单内", named
    else:
        shown = f" ({'★' * stars})" if stars else ""
        en, zh, value = (
            f"major {named} is on the priority list{shown}",
            f"专业{named}在重点专业清单内{shown}",
            named + shown,
        )
    passed = stars is not None and stars >= rule.min_stars
    if stars is not None and not passed:
        en += f", below the {'★' * rule.min_stars} this rule needs"
        zh += f"，低于本条要求的{'★' * rule.min_stars}"
    if not rule.priority_major:
        passed, en, zh = True, en + " (not required by this rule)", zh + "（本条不要求）"
    return _result("priority_major", passed, rule.priority_major, value, en, zh)


def _age(limit: int | None, level: DegreeLevel, age: int | None, birth_year: int | None) -> CriterionResult:
    holders = {DegreeLevel.DOCTORATE: "doctorate holders", DegreeLevel.NONE: "applicants without a degree"}.get(
        level, f"{_DEGREE_EN[level]} degree holders"
    )
    if limit is None:
        shown = f"age {age}" if age is not None else "age unknown"
        return _result("age", True, False, str(age or "unknown"), f"{shown}; no age limit applies", "不设年龄上限")
    if age is None:
        en = f"birth year unknown: the age limit of {limit} for {holders} cannot be checked"
        return _result("age", False, True, "unknown", en, f"出生年份未知，无法核验{limit}岁的年龄上限")
    value = f"{age} (born {birth_year})"
    within = age <= limit
    en = f"age {age} {'is within' if within else 'exceeds'} the limit {limit} for {holders}"
    zh = f"年龄{age}岁，{'未超过' if within else '超过'}{level.label_zh}{limit}岁的年龄上限"
    return _result("age", within, True, value, en, zh)


def _experience(rule: Rule, years: float) -> CriterionResult:
    need = rule.min_experience_years
    value = f"{years:g} year{'' if years == 1 else 's'}"
    if not need:
        en, zh = f"{value} of work experience (none required)", f"工作经历{years:g}年（本条不要求）"
        return _result("experience", True, False, value, en, zh)
    passed = years >= need
    word = "meets" if passed else "is below"
    en = f"{value} of work experience {word} the {need:g} required"
    zh = f"工作经历{years:g}年，{'达到' if passed else '未达到'}{need:g}年要求"
    return _result("experience", passed, True, value, en, zh)


@lru_cache(maxsize=1)
def major_names() -> dict[str, str]:
    """Catalogue major code -> name, from the 2026 catalogue shipped with the package."""
    text = files("matcher").joinpath("data", "majors-2026.jsonl").read_text(encoding="utf-8")
    rows = (json.loads(line) for line in text.splitlines() if line.strip())
    return {row["code"]: row["name"] for row in rows}
