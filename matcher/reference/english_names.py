"""English names for what the city names in Chinese: the catalogue's majors, classes and categories (by code), the
leading industries (by name) and the occupations of the 2022 classification (by code), curated by the project
(matcher/data/SOURCES.md says how). Pages in English, explanations and exports with an English option use them."""

import csv
import io
import json
import re
from functools import lru_cache
from importlib.resources import files

MAJORS_FILE = "majors-2026-en.csv"
INDUSTRIES_FILE = "industries-en.csv"
OCCUPATIONS_FILE = "occupations-2022-en.csv"


def _table(name: str, key: str, value: str) -> dict[str, str]:
    text = files("matcher").joinpath("data", name).read_text(encoding="utf-8")
    return {row[key]: row[value] for row in csv.DictReader(io.StringIO(text))}


@lru_cache(maxsize=1)
def major_names() -> dict[str, str]:
    """Catalogue code (080901, its class 0809, its category 08) -> English name."""
    return _table(MAJORS_FILE, "code", "name_en")


@lru_cache(maxsize=1)
def industry_names() -> dict[str, str]:
    """Leading industry (电子信息) -> English name (Electronic Information)."""
    return _table(INDUSTRIES_FILE, "name", "name_en")


@lru_cache(maxsize=1)
def occupation_names() -> dict[str, str]:
    """CSCO 2022 code (2-02-10-03, its groups 2-02-10-00, 2-02-00-00, 2-00-00-00) -> English name."""
    return _table(OCCUPATIONS_FILE, "code", "name_en")


@lru_cache(maxsize=1)
def chinese_major_names() -> dict[str, str]:
    """Catalogue code (major, class, category) -> its Chinese name in the catalogue."""
    names: dict[str, str] = {}
    text = files("matcher").joinpath("data", "majors-2026.jsonl").read_text(encoding="utf-8")
    for line in filter(str.strip, text.splitlines()):
        major = json.loads(line)
        names[major["category_code"]] = major["category_name"]
        names[major["class_code"]] = major["class_name"]
        names[major["code"]] = major["name"]
    return names


def major_name(code: str | None, chinese: str, lang: str) -> str:
    """A major's (class's, category's) name in `lang` ("zh" or "en"): in English when asked for and known, else
    the Chinese name given (or, given none, the catalogue's)."""
    chinese = chinese or chinese_major_names().get(code or "", code or "")
    if lang != "en" or not code:
        return chinese
    return major_names().get(code, chinese)


_HAN = re.compile(r"[\u4e00-\u9fff]")


def written_in(text: str, lang: str) -> bool:
    """Whether `text` reads in `lang`: Chinese when it has Han characters, English when it has none."""
    return bool(_HAN.search(text)) == (lang != "en")


def major_shown(typed: str, code: str | None, lang: str) -> str:
    """A person's major as a page in `lang` shows it: their own words when they are in that language, else the
    catalogue's name for its code in that language (when it has one), else their words."""
    if written_in(typed, lang) or not code:
        return typed
    shown = major_name(code, "", lang)
    return shown if shown != code and written_in(shown, lang) else typed


_NAMED_CODE = re.compile(r"^(?P<name>.*\S)\s*\((?P<code>[0-9]{4,6}[A-Z]{0,2})\)$")


def major_label(text: str, lang: str) -> str:
    """'计算机科学与技术 (080901)', as explanations list a matched major, in `lang`."""
    found = _NAMED_CODE.match(text)
    if found is None:
        return text
    return f"{major_shown(found['name'], found['code'], lang)} ({found['code']})"


def industry_name(name: str, lang: str) -> str:
    """A leading industry's name in `lang`; an industry outside the table keeps its own name."""
    return industry_names().get(name, name) if lang == "en" else name


def occupation_name(code: str | None, chinese: str, lang: str) -> str:
    """An occupation's (or occupational group's) name in `lang` ("zh" or "en"): in English when asked for and
    known, else the Chinese name given."""
    if lang != "en" or not code:
        return chinese
    return occupation_names().get(code, chinese)


@lru_cache(maxsize=1)
def _classification() -> dict[str, tuple[int, str]]:
    """CSCO 2022 code -> (level, Chinese name without its green/digital marks)."""
    from matcher.reference.occupations import csco_records, unmarked  # it imports this module

    return {row["code"]: (int(row["level"]), unmarked(row["name"])[0]) for row in csco_records()}


def job_occupation(code: str | None, confidence: float | None, lang: str) -> str:
    """How a job's occupation reads: the occupation, its group with "exact occupation uncertain", "occupation
    uncertain" when the coder was unsure, or "" when it never ran."""
    if not code:
        if confidence is None:
            return ""
        return "职业待定（标题不足以确定职业）" if lang != "en" else "Occupation uncertain (the title does not say)"
    level, chinese = _classification().get(code, (4, code))
    name = occupation_name(code, chinese, lang)
    if level == 4:
        return f"{name} ({code})" if lang == "en" else f"{name}（{code}）"
    if lang == "en":
        return f"{name} ({code}; the exact occupation is uncertain)"
    return f"{name}（{code}，具体职业待定）"
