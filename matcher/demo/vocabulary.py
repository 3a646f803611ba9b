"""Word lists for the synthetic demo data (matcher.demo.generator), loaded from package data in matcher/data:

- demo-vocabulary.jsonl, one table or one entry of a table a line: {"table": "industries", "value": [...]},
  {"table": "roles", "key": "llm", "value": {...}};
- major-aliases.csv (code,alias,language), product data: demo profiles and job ads write its full names.

A term "中文|English" has a Chinese and an English form; a term without "|" is the same in both ("PyTorch").
Majors are catalogue names (majors-2026.jsonl), universities are spelled as in arwu-2025.csv, and company and
organisation names are fictional on purpose (tests/matcher/demo/test_demo_generator.py checks all three).
"""

import csv
import io
import json
from collections.abc import Iterator
from importlib.resources import files
from typing import Any, TypedDict


class Role(TypedDict):
    """A job the demo enterprises post; candidates aim at the same roles."""

    title: str  # "中文|English"
    industries: list[str]
    majors: list[str]  # catalogue names, best fit first
    degree: str  # typical minimum: bachelor / master / doctorate
    salary: float  # typical monthly starting salary in thousand CNY for that degree
    skills: list[str]
    duties: list[str]  # "中文句子|English sentence."


class Field(TypedDict):
    """A group of related majors: the skills, projects and job titles that go with them."""

    kind: str  # the degree family: engineering, science, arts, business, law, medicine
    industries: list[str]
    skills: list[str]
    projects: list[str]  # "zh clause|en clause in the past tense"
    titles: list[str]  # "中文|English": [an internship, the job they look for]
    duty: str  # "中文|English" what that job does
    org_words: list[str]  # the middle word of a fictional organisation abroad, e.g. "Robotics"


class Country(TypedDict):
    zh: str
    short: str  # how a location names the country: "London, UK"
    weight: float  # how often a candidate studied there
    cities: list[str]  # "伦敦|London"
    language: str  # the local language besides English, "德语|German"; "" for English-speaking
    legal: str  # company suffix abroad: "Ltd", "Inc.", "GmbH"


def data_text(name: str) -> str:
    """A file of matcher/data, shipped as package data."""
    return files("matcher").joinpath("data", name).read_text(encoding="utf-8")


def read_jsonl(name: str) -> Iterator[dict[str, Any]]:
    return (json.loads(line) for line in data_text(name).split("\n") if line.strip())


def read_csv(name: str) -> Iterator[dict[str, str]]:
    return csv.DictReader(io.StringIO(data_text(name), newline=""))


def _tables() -> dict[str, Any]:
    tables: dict[str, Any] = {}
    for row in read_jsonl("demo-vocabulary.jsonl"):
        if "key" in row:
            tables.setdefault(row["table"], {})[row["key"]] = row["value"]
        else:
            tables[row["table"]] = row["value"]
    return tables


def load_major_aliases() -> dict[str, list[str]]:
    """Catalogue code -> its English aliases, in file order (major-aliases.csv)."""
    found: dict[str, list[str]] = {}
    for row in read_csv("major-aliases.csv"):
        if row["language"] == "en":
            found.setdefault(row["code"], []).append(row["alias"])
    return found


def _english_major_names(fields: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """field -> {catalogue major: its English full names from major-aliases.csv}."""
    codes = {row["name"]: row["code"] for row in read_jsonl("majors-2026.jsonl")}
    aliases = load_major_aliases()
    found: dict[str, dict[str, list[str]]] = {}
    for field, majors in fields.items():
        for major in majors:
            names = [alias for alias in aliases.get(codes.get(major, ""), []) if not alias.isupper()]
            if not names:
                raise ValueError(f"demo major {major!r} has no catalogue code or no English name in major-aliases.csv")
            found.setdefault(field, {})[major] = names
    return found


_T = _tables()

SOURCE = "synthetic-demo"
EMAIL_DOMAIN = "example.org"
URL_BASE = "https://demo.talentbridge.invalid"

# enterprises
INDUSTRIES: list[str] = _T["industries"]
DISTRICTS: list[str] = _T["districts"]
ENTERPRISE_PREFIXES: list[str] = _T["enterprise_prefixes"]
BRAND_FIRST: list[str] = _T["brand_first"]
BRAND_SECOND: list[str] = _T["brand_second"]
BRAND_BLOCKLIST: list[str] = _T["brand_blocklist"]  # word pairs that would name a known brand: skipped
INDUSTRY_BUSINESS: dict[str, list[str]] = _T["industry_business"]
LEGAL_FORMS: list[str] = _T["legal_forms"]
INDUSTRY_FOCUS: dict[str, list[str]] = _T["industry_focus"]
EMPLOYEE_BANDS: list[str] = _T["employee_bands"]
TEAMS: list[str] = _T["teams"]

# roles and majors: each major is in one field
ROLES: dict[str, Role] = _T["roles"]
MAJOR_FIELDS: dict[str, dict[str, list[str]]] = _english_major_names(_T["major_fields"])
FIELDS: dict[str, Field] = _T["fields"]

# people
SURNAMES: list[str] = _T["surnames"]  # common ones first
GIVEN_NAME_CHARS: list[str] = _T["given_name_chars"]
HENAN_CITIES: list[str] = _T["henan_cities"]
OTHER_CITIES: list[str] = _T["other_cities"]

# universities: ARWU institution -> (Chinese name, "中文城市|City"); the others keep their English name and get a
# random city of their country. Medical schools and schools of economics and business only fit some fields.
COUNTRIES: dict[str, Country] = _T["countries"]
UNIVERSITIES: dict[str, tuple[str, str]] = {name: (zh, city) for name, (zh, city) in _T["universities"].items()}
MEDICAL_SCHOOL_WORDS: list[str] = _T["medical_school_words"]
MEDICAL_FIELDS: list[str] = _T["medical_fields"]
BUSINESS_SCHOOL_WORDS: list[str] = _T["business_school_words"]
BUSINESS_FIELDS: list[str] = _T["business_fields"]

# degrees as people write them
DEGREES_EN: dict[str, dict[str, list[str]]] = _T["degrees_en"]  # level -> degree family -> spellings
DEGREE_FAMILY_ZH: dict[str, str] = _T["degree_family_zh"]
DEGREES_ZH: dict[str, list[str]] = _T["degrees_zh"]
LEVEL_ZH: dict[str, str] = _T["level_zh"]
LEVEL_JOB_ZH: dict[str, str] = _T["level_job_zh"]
LEVEL_EN_PHRASE: dict[str, str] = _T["level_en_phrase"]  # what a job asks for
DEGREE_WANTED_ZH: dict[str, str] = _T["degree_wanted_zh"]
LEVEL_EN_STUDY: dict[str, str] = _T["level_en_study"]

# organisations abroad and phrases
ORG_FIRST_WORDS: list[str] = _T["org_first_words"]
GENERIC_ORGS: list[str] = _T["generic_orgs"]
JOB_BONUSES: list[str] = _T["job_bonuses"]
ENGLISH_LEVELS: list[str] = _T["english_levels"]
LOCAL_LANGUAGE_LEVELS: list[str] = _T["local_language_levels"]
