"""The sentences of the demo data: job descriptions and requirements, candidate headlines and summaries.

The generator decides what a record says (a role, a degree, a city); this module writes it in Chinese or
English.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass

from matcher.demo import vocabulary as V
from matcher.demo.reference import University

NOW_YEAR = 2026  # the demo's "today": a degree ending before it is finished


def zh(term: str) -> str:
    """The Chinese form of a "中文|English" term (a term without "|" is the same in both)."""
    return term.split("|")[0]


def en(term: str) -> str:
    """The English form of a "中文|English" term."""
    return term.split("|")[-1]


def form(term: str, lang: str) -> str:
    return en(term) if lang == "en" else zh(term)


def article(noun: str) -> str:
    """'a' or 'an' before a job title."""
    first = noun.split()[0]
    return "an" if first[0] in "AEIO" or first in {"FPGA", "RF", "LLM"} else "a"


def join_en(items: Sequence[str], last: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {last} {items[-1]}"


@dataclass
class Posting:
    """What a job ad says, already in its language (`lang`)."""

    lang: str
    enterprise: str
    team: str
    title: str
    district: str  # "中文|English"
    duties: list[str]
    degree: str  # bachelor / master / doctorate
    years: int
    majors: list[str]
    classes: list[str]  # the catalogue classes of the majors (Chinese ads name them)
    skills: list[str]
    bonus: str


def job_description(p: Posting) -> str:
    if p.lang == "en":
        where = f"in Zhengzhou ({en(p.district)})"
        intro = f"{p.enterprise} is hiring {article(p.title)} {p.title} for its {p.team} {where}."
        return " ".join([intro, *p.duties])
    return f"{p.enterprise}{p.team}现招聘{p.title}，工作地点郑州市{zh(p.district)}。岗位职责：" + "".join(p.duties)


def job_requirements(p: Posting) -> str:
    if p.lang == "en":
        lines = [
            f"{V.LEVEL_EN_PHRASE[p.degree]} in {join_en(p.majors, 'or')}, or a related field.",
            f"{p.years}+ years of relevant experience."
            if p.years
            else "Fresh graduates and returnees from overseas are welcome.",
            f"Skills: {', '.join(p.skills)}.",
            p.bonus,
        ]
        return "\n".join(f"- {line}" for line in lines)
    lines = [
        f"{'、'.join(p.classes)}相关专业{V.DEGREE_WANTED_ZH[p.degree]}，{'、'.join(p.majors)}等专业优先；",
        f"{p.years}年以上相关工作经验；" if p.years else "欢迎2026/2027届优秀毕业生及留学归国人员；",
        f"熟悉{'、'.join(p.skills)}；",
        f"{p.bonus}。",
    ]
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


@dataclass
class Profile:
    """What a candidate's headline and summary are written from."""

    level: str  # of the latest degree
    end_year: int
    school: str  # ARWU name
    school_zh: str  # Chinese name when we know it, else the ARWU name
    degree: str  # as written on the profile
    major: str  # as written on the profile
    major_zh: str  # catalogue name
    target: str  # "中文|English" title of the job they look for
    projects: list[str]  # "zh|en" project clauses of their field
    skills: list[str]
    prefs: list[str]  # "中文|English" cities, most wanted first
    hometown: str | None  # "中文|English" city in Henan
    current_job: tuple[str, str] | None  # (title, organisation) as written


def candidate_text(p: Profile, lang: str, rng: random.Random) -> tuple[str, str]:
    """(headline, summary) in Chinese ("zh") or English ("en")."""
    return _english(p, rng) if lang == "en" else _chinese(p, rng)


def _chinese(p: Profile, rng: random.Random) -> tuple[str, str]:
    major, target, studying = p.major_zh, zh(p.target), p.end_year >= NOW_YEAR
    school = p.school_zh if not p.school_zh.isascii() else f"{p.school_zh} "
    level = f"{V.LEVEL_JOB_ZH[p.level]}在读" if studying else V.LEVEL_ZH[p.level]
    headline = rng.choice(
        [
            f"{school}{major}{level}",
            f"{school}{major}{level} | {p.skills[0]}",
            f"{major}{level} | 意向：{target}",
        ]
    )
    sentences = [
        f"目前就读于{school}{major}专业（{V.LEVEL_JOB_ZH[p.level]}），预计{p.end_year}年毕业。"
        if studying
        else f"{p.end_year}年毕业于{school}{major}专业，获{V.LEVEL_ZH[p.level]}学位。"
    ]
    if p.current_job:
        sentences.append(f"目前在{p.current_job[1]}担任{p.current_job[0]}。")
    elif rng.random() < 0.85:
        sentences.append(f"在校期间{zh(rng.choice(p.projects))}。")
    cities = [zh(c) for c in p.prefs]
    if cities[0] == "郑州":
        home = f"我是{zh(p.hometown)}人，" if p.hometown else ""
        others = f"，也考虑{'、'.join(cities[1:])}" if len(cities) > 1 else ""
        back = f"{home}考虑回国发展，首选郑州{others}"
    else:
        back = f"考虑回国发展，意向城市为{'、'.join(cities)}"
    sentences.append(f"希望从事{target}相关工作，{back}。")
    if rng.random() < 0.5:
        sentences.append(f"熟悉{'、'.join(p.skills[:3])}。")
    return headline, "".join(sentences)


def _english(p: Profile, rng: random.Random) -> tuple[str, str]:
    target = en(p.target)
    phrase = f"{p.degree} in {p.major}" if " " in p.degree else f"{p.degree} {p.major}"
    headline = rng.choice(
        [
            f"{phrase} @ {p.school} | {p.skills[0]}",
            f"{phrase}, {p.school}",
            f"{target} | {phrase} @ {p.school}",
        ]
    )
    if p.end_year < NOW_YEAR:
        sentences = [f"I completed my {phrase} at {p.school} in {p.end_year}."]
    else:
        study = f"{V.LEVEL_EN_STUDY[p.level]} in {p.major}"
        sentences = [f"I am studying for {study} at {p.school} and will graduate in {p.end_year}."]
    if p.current_job:
        title, organization = p.current_job
        sentences.append(f"I work as {article(title)} {title} at {organization.rstrip('.')}.")
    elif rng.random() < 0.85:
        sentences.append(f"During my studies I {en(rng.choice(p.projects))}.")
    cities, looking = [en(c) for c in p.prefs], f"I am looking for {article(target)} {target} role and"
    if cities[0] == "Zhengzhou":
        home = f", being from {en(p.hometown)}, Henan," if p.hometown else ""
        others = f" (or {join_en(cities[1:], 'or')})" if len(cities) > 1 else ""
        sentences.append(f"{looking}{home} would like to return to China, ideally to Zhengzhou{others}.")
    else:
        sentences.append(f"{looking} am open to returning to China: {join_en(cities, 'or')}.")
    if rng.random() < 0.5:
        sentences.append(f"Key skills: {', '.join(p.skills[:3])}.")
    return headline, " ".join(sentences)


def location(university: University, lang: str, rng: random.Random, own_city: bool) -> str:
    """Where a candidate is: the university's city while studying (when we know it), later often another city
    of the same country. "英国伦敦" / "London, UK"."""
    country = V.COUNTRIES[university.country_code]
    known = V.UNIVERSITIES.get(university.name)
    city = known[1] if known and (own_city or rng.random() < 0.6) else rng.choice(country["cities"])
    if lang != "en":
        return country["zh"] if zh(city) in country["zh"] else country["zh"] + zh(city)
    return en(city) if en(city) == country["short"] else f"{en(city)}, {country['short']}"


def languages(country_code: str, lang: str, rng: random.Random) -> list[str]:
    """Chinese, English with a level, and sometimes the language of the country they studied in."""
    english, local = rng.choice(V.ENGLISH_LEVELS), V.COUNTRIES[country_code]["language"]
    if lang == "en":
        found = ["Mandarin Chinese (native)", f"English ({en(english)})"]
    else:
        found = ["中文（母语）", f"英语（{zh(english)}）"]
    if local and rng.random() < 0.45:
        level = rng.choice(V.LOCAL_LANGUAGE_LEVELS)
        found.append(f"{en(local)} ({en(level)})" if lang == "en" else f"{zh(local)}（{zh(level)}）")
    return found
