"""What the certification criteria see in one degree, and each criterion of a rule judged for it, with the reason
in English and Chinese: studied abroad, degree level, university standing, priority major, age, work experience."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from matcher.degrees import DegreeLevel
from matcher.office.criteria import DEGREE_EN, DEGREE_ZH, CertificationConfig, Rule
from matcher.reference import english_names, places
from matcher.reference.universities import RANKING, Lookup, UniversityResolver, country_code

CRITERIA = {  # key: (Chinese name, English name), in the order decisions list them
    "overseas_degree": ("境外学历", "degree obtained abroad"),
    "degree_level": ("学历学位", "degree level"),
    "university_rank": ("院校排名", "university standing"),
    "priority_major": ("重点专业", "priority major"),
    "age": ("年龄", "age"),
    "experience": ("工作年限", "work experience"),
}


@dataclass(frozen=True)
class Education:
    """One degree as the applicant states it; degree_level is a DegreeLevel value."""

    school: str
    degree_level: int
    major_code: str | None = None
    end_year: int | None = None
    country: str = ""


@dataclass(frozen=True)
class CriterionResult:
    key: str
    name_zh: str
    name_en: str
    passed: bool  # the rule's condition holds (a condition the rule does not set always holds)
    required: bool  # whether the rule sets a condition on this criterion
    value: str  # what the criterion saw, in English
    reason: str  # English
    reason_zh: str
    value_zh: str  # what the criterion saw, in Chinese


@dataclass(frozen=True)
class Facts:
    """What the criteria look at for one degree, worked out once."""

    education: Education
    level: DegreeLevel
    lookup: Lookup
    abroad: bool | None
    major_name: str | None
    stars: int | None


def degree_facts(
    education: Education, stars: Mapping[str, int], resolver: UniversityResolver, config: CertificationConfig
) -> Facts:
    """Resolve the university, place the degree at home or abroad, and look its major up."""
    lookup = resolver.lookup(education.school, education.country or None)
    code = lookup.match.country_code if lookup.match else country_code(education.country)
    domestic = {country_code(c) or c for c in config.domestic_countries}
    abroad = None if code is None else code not in domestic
    major = education.major_code
    listed = stars.get(major) if major else None
    return Facts(education, DegreeLevel(education.degree_level), lookup, abroad, major_names().get(major or ""), listed)


def check_rule(
    rule: Rule,
    facts: Facts,
    years_of_experience: float,
    birth_year: int | None,
    age: int | None,
    config: CertificationConfig,
) -> list[CriterionResult]:
    """Every criterion of `rule` checked for one degree."""
    return [
        _overseas(facts, config.require_overseas),
        _degree(rule, facts),
        _rank(rule, facts),
        _major(rule, facts),
        _age(config.age_limit(facts.level, rule), facts.level, age, birth_year),
        _experience(rule, years_of_experience),
    ]


def _result(
    key: str, passed: bool, required: bool, value: tuple[str, str], reason: str, reason_zh: str
) -> CriterionResult:
    """One criterion's result; `value` is what it saw, in English and in Chinese."""
    zh, en = CRITERIA[key]
    return CriterionResult(key, zh, en, passed, required, value[0], reason, reason_zh, value[1])


def _country(name: str, lang: str) -> str:
    """A country as ARWU or the applicant names it, in `lang` when the place table knows it."""
    place = places.resolver().resolve(name)
    return places.resolver().name(place, lang) if place else name


def _overseas(facts: Facts, required: bool) -> CriterionResult:
    school = facts.education.school or "(no degree listed)"
    match = facts.lookup.match
    country = match.country if match else facts.education.country
    if facts.abroad is None:
        en = f"no country given for {school} and it is not in {RANKING}: cannot tell whether it is abroad"
        zh = f"{school}未注明国家（地区）且不在{RANKING}中，无法确认是否为境外高校"
        return _result("overseas_degree", not required, required, ("unknown", "未知"), en, zh)
    country_en, country_zh = _country(country, "en"), _country(country, "zh")
    if facts.abroad:
        en, zh = f"{school} ({country_en}) is a university abroad", f"{school}（{country_zh}）为境外高校"
    else:
        en = f"{school} ({country_en}) is a domestic university"
        zh = f"{school}（{country_zh}）为境内高校，不属于境外学历"
    value = (
        f"{country_en}, {'abroad' if facts.abroad else 'domestic'}",
        f"{country_zh}，{'境外' if facts.abroad else '境内'}",
    )
    return _result("overseas_degree", facts.abroad or not required, required, value, en, zh)


def _degree(rule: Rule, facts: Facts) -> CriterionResult:
    level, need = facts.level, rule.level
    value = (DEGREE_EN[level], DEGREE_ZH[level])
    if level >= need:
        en = f"{DEGREE_EN[level]} meets the minimum of {DEGREE_EN[need]}"
        zh = f"{DEGREE_ZH[level]}，达到{need.label_zh}及以上要求"
    else:
        en = f"{DEGREE_EN[level]} is below the required {DEGREE_EN[need]}"
        zh = f"{DEGREE_ZH[level]}，未达到{need.label_zh}及以上要求"
    return _result("degree_level", level >= need, True, value, en, zh)


def _rank(rule: Rule, facts: Facts) -> CriterionResult:
    match, school, limit = facts.lookup.match, facts.education.school or "(no degree listed)", rule.max_rank
    if match is None:
        en, zh = _unresolved(school, facts.lookup)
        passed = limit is None
        en += f": counted as unranked, {'which this rule accepts' if passed else f'not within the top {limit}'}"
        zh += f"，按未进入排名处理，{'本条不限院校' if passed else f'不满足前{limit}名要求'}"
        value = ("unranked (not matched)", "未进入排名（未能对应）")
        return _result("university_rank", passed, limit is not None, value, en, zh)
    named = {"exact": "", "alias": f"{match.institution}, ", "fuzzy": f"{match.institution} (spelling differs), "}
    en = f"{school} resolved to {named[match.method]}{RANKING} rank {match.world_rank}"
    zh = f"{school}{'' if match.method == 'exact' else f'对应{match.institution}'}，{RANKING}排名{match.world_rank}"
    if limit is None:
        passed, en, zh = True, en + " (this rule accepts any university)", zh + "（本条不限院校排名）"
    elif match.rank_ceiling <= limit:
        passed, en, zh = True, en + f" (top {limit})", zh + f"，在前{limit}名内"
    else:
        passed, en, zh = False, en + f", not within the top {limit}", zh + f"，不在前{limit}名内"
    value = (f"{RANKING} {match.world_rank}", f"{RANKING} 第{match.world_rank}名")
    return _result("university_rank", passed, limit is not None, value, en, zh)


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


def _major(rule: Rule, facts: Facts) -> CriterionResult:
    code, stars = facts.education.major_code, facts.stars
    name_en = english_names.major_name(code, facts.major_name or "", "en")
    named_en = f"{code} {name_en}" if code and facts.major_name else code or "none"
    named_zh = f"{code} {facts.major_name}" if code and facts.major_name else code or "无"
    if not code:
        en, zh = "the degree has no catalogue major code", "该学位未对应到专业目录代码"
        value = (named_en, named_zh)
    elif stars is None:
        en, zh = f"major {named_en} is not on the priority list", f"专业{named_zh}不在重点专业清单内"
        value = (named_en, named_zh)
    else:
        shown = f" ({'★' * stars})" if stars else ""
        en, zh = f"major {named_en} is on the priority list{shown}", f"专业{named_zh}在重点专业清单内{shown}"
        value = (named_en + shown, named_zh + shown)
    passed = stars is not None and stars >= rule.min_stars
    if stars is not None and not passed:
        en += f", below the {'★' * rule.min_stars} this rule needs"
        zh += f"，低于本条要求的{'★' * rule.min_stars}"
    if not rule.priority_major:
        passed, en, zh = True, en + " (not required by this rule)", zh + "（本条不要求）"
    return _result("priority_major", passed, rule.priority_major, value, en, zh)


def _age(limit: int | None, level: DegreeLevel, age: int | None, birth_year: int | None) -> CriterionResult:
    holders = {DegreeLevel.DOCTORATE: "doctorate holders", DegreeLevel.NONE: "applicants without a degree"}.get(
        level, f"{DEGREE_EN[level]} degree holders"
    )
    if limit is None:
        shown = f"age {age}" if age is not None else "age unknown"
        value = (str(age), f"{age}岁") if age is not None else ("unknown", "未知")
        return _result("age", True, False, value, f"{shown}; no age limit applies", "不设年龄上限")
    if age is None:
        en = f"birth year unknown: the age limit of {limit} for {holders} cannot be checked"
        return _result("age", False, True, ("unknown", "未知"), en, f"出生年份未知，无法核验{limit}岁的年龄上限")
    value = (f"{age} (born {birth_year})", f"{age}岁（{birth_year}年出生）")
    within = age <= limit
    en = f"age {age} {'is within' if within else 'exceeds'} the limit {limit} for {holders}"
    zh = f"年龄{age}岁，{'未超过' if within else '超过'}{level.label_zh}{limit}岁的年龄上限"
    return _result("age", within, True, value, en, zh)


def _experience(rule: Rule, years: float) -> CriterionResult:
    need = rule.min_experience_years
    shown = f"{years:g} year{'' if years == 1 else 's'}"
    value = (shown, f"{years:g}年")
    if not need:
        en, zh = f"{shown} of work experience (none required)", f"工作经历{years:g}年（本条不要求）"
        return _result("experience", True, False, value, en, zh)
    passed = years >= need
    word = "meets" if passed else "is below"
    en = f"{shown} of work experience {word} the {need:g} required"
    zh = f"工作经历{years:g}年，{'达到' if passed else '未达到'}{need:g}年要求"
    return _result("experience", passed, True, value, en, zh)


@lru_cache(maxsize=1)
def major_names() -> dict[str, str]:
    """Catalogue major code -> name, from the 2026 catalogue shipped with the package."""
    text = files("matcher").joinpath("data", "majors-2026.jsonl").read_text(encoding="utf-8")
    rows = (json.loads(line) for line in text.splitlines() if line.strip())
    return {row["code"]: row["name"] for row in rows}
