"""Response schemas: what each route returns, documented in the OpenAPI spec."""

import re
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from matcher.degrees import DegreeLevel
from matcher.ingest.registration import birth_years
from matcher.records import EmploymentType
from matcher.reference.currencies import ISO_4217, is_currency

# Every id is a signed 64-bit integer: BIGINT on PostgreSQL, INTEGER (64-bit) on SQLite (matcher.store.types.BigId).
MAX_ID = 2**63 - 1
# An id a path or a body names. `format: int64` says the range exactly: FastAPI writes the bounds of body fields as
# floats, and 2**63 - 1 as a float is 2**63, one past the largest id.
Id = Annotated[int, Field(ge=1, le=MAX_ID, json_schema_extra={"format": "int64"})]

# Text that must say something: a character that is neither whitespace nor NUL (which use cases strip, or refuse).
# Python's str.strip() also takes \x1c-\x1f for whitespace, and ECMAScript's \s (the spec's) does not: both are out.
NOT_BLANK = r"[^\s\x00\x1c-\x1f]"


def _not_blank(text: str) -> str:
    """`text`, if it has a character NOT_BLANK allows: checked here, not by a `pattern`, to refuse it in words."""
    if re.search(NOT_BLANK, text) is None:
        raise ValueError("it is empty: give some words, not only spaces")
    return text


Words = Annotated[str, AfterValidator(_not_blank), Field(json_schema_extra={"pattern": NOT_BLANK})]

# The birth years a profile may give, as of the day the server started (the use case checks them as of today).
FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR = birth_years()
BirthYear = Annotated[
    int,
    Field(
        ge=FIRST_BIRTH_YEAR,
        le=LAST_BIRTH_YEAR,
        description=f"For the age limit of young-talent tiers: {FIRST_BIRTH_YEAR} to 15 years ago ({LAST_BIRTH_YEAR}).",
    ),
]

# The degree names a filter or a posting takes: each DegreeLevel's label, or its Chinese name (DegreeLevel.label_zh),
# exactly as matcher.degrees reads them (tests/api/test_spec_conformance.py keeps the two in step). Free text such
# as "MSc" or "本科及以上" is for imported records, not for the API.
DegreeName = Literal["none", "associate", "bachelor", "master", "doctorate", "不限", "大专", "本科", "硕士", "博士"]


def _currency(code: str) -> str:
    if not is_currency(code):
        raise PydanticCustomError(
            "currency", "{code} is not an ISO 4217 currency code (CNY, USD, EUR…)", {"code": code}
        )
    return code


# An active ISO 4217 code: an enum in the spec, so that what it allows is exactly what is accepted.
Currency = Annotated[
    str,
    AfterValidator(_currency),
    WithJsonSchema({"type": "string", "enum": sorted(ISO_4217), "description": "An ISO 4217 currency code."}),
]


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: str = Field(description="'ok', or 'degraded' when matching is unavailable (see 'detail').")
    database: str
    encoder: str
    indexes: dict[str, int | None] = Field(description="Vectors in each index; null when it is not loaded.")
    detail: str | None = None


class Provenance(BaseModel):
    source: str
    external_id: str
    url: str | None
    fetched_at: datetime | None
    imported_at: datetime


def _degree_label(value: Any) -> Any:
    """A stored degree level (0..4) as its label ('master'); a label passes through."""
    return DegreeLevel(value).label if isinstance(value, int) else value


def _synthetic(value: Any) -> Any:
    """A row's extras as the flag they may carry (generated demo records); a flag passes through."""
    return bool(value.get("synthetic")) if isinstance(value, dict) else value


DegreeLabel = Annotated[str, BeforeValidator(_degree_label)]
# Read from a row's `extras` (or given as the flag itself).
Synthetic = Annotated[bool, BeforeValidator(_synthetic), Field(validation_alias=AliasChoices("extras", "synthetic"))]


# EducationOut, ExperienceOut, CandidateOut and JobOut read a stored row: `CandidateOut.model_validate(row)`.
class EducationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    school: str
    degree: str
    degree_level: DegreeLabel | None
    major: str
    major_code: str | None
    country: str
    end_year: int | None


class ExperienceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    title: str
    organization: str
    description: str
    start: str
    end: str


class CandidateOut(Provenance):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    headline: str
    summary: str
    skills: list[str]
    location: str
    preferred_locations: list[str]
    industries: list[str]
    languages: list[str]
    highest_degree: DegreeLabel
    education: list[EducationOut]
    experience: list[ExperienceOut]
    synthetic: Synthetic = Field(description="True for generated demo records.")
    masked: bool = Field(
        True, description="True when name, identifiers and contact are masked: the candidate has not consented to you."
    )
    contact: str | None = Field(None, description="E-mail, shown only to those the candidate consented to.")


class JobOut(Provenance):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    enterprise: str = Field(validation_alias=AliasChoices("employer", "enterprise"))  # a row's employer
    enterprise_id: int | None
    industry: str
    description: str
    requirements: str
    majors: list[str]
    major_codes: list[str]
    major_source: str = Field(
        description="Where major_codes came from: given (the posting's majors), text (its requirements), inferred "
        "(its title), any (专业不限), or empty."
    )
    min_degree: DegreeLabel
    location: str
    salary_min: float | None
    salary_max: float | None
    currency: str
    salary_period: str
    posted_at: date | None
    occupation_code: str | None = Field(
        description="The CSCO 2022 occupation the title names: a detailed occupation (2-02-10-03), or its minor or "
        "middle group (2-02-10-00, 2-02-00-00) when only the group is sure enough; null when the coder was unsure "
        "(occupation_confidence set: 'occupation uncertain') or has not run."
    )
    occupation_confidence: float | None = Field(
        None,
        description="How sure the coder was, calibrated: the share of such answers that were right on titles it "
        "had not seen (docs/evaluation.md).",
    )
    openings: int | None = Field(None, description="Vacancies (招聘人数).")
    experience_years: float | None = Field(None, description="Years of work experience asked for.")
    employment_type: EmploymentType | None = Field(None, description="full_time, part_time, internship or contract.")
    valid_through: date | None = Field(None, description="The last day to apply.")
    synthetic: Synthetic
    closed_at: datetime | None = Field(None, description="When the enterprise closed it (no longer matched).")


class MatchOut(BaseModel):
    id: int
    source: str
    external_id: str
    score: float = Field(description="Hybrid score in [0, 1]; see explanation for its parts.")
    summary: dict[str, Any]
    explanation: dict[str, Any] = Field(
        description="components (dense, lexical, structured), structured_fit (degree, major, location), weights, "
        "matched_terms (words both languages use alike), matched_concepts (skills, occupations, majors, industries "
        "shared whichever language each side is written in: id, kind, zh, en), matched_skills, matched_majors, "
        "notes (English) and notes_zh (the same in Chinese)."
    )
    masked: bool = Field(False, description="For candidates: name and identifiers masked (no consent to you).")
    records: list[dict[str, Any]] = Field(
        default_factory=list,
        description="For a candidate whose records are linked as one person (docs/identity.md): the other records "
        "(id, source, external_id), shown once here as this best-ranked one.",
    )


class MatchPage(BaseModel):
    items: list[MatchOut]
    limit: int
    offset: int


class MajorHitOut(BaseModel):
    code: str = Field(description="Catalogue code, e.g. 080911TK (T = special, K = state-controlled).")
    name: str
    class_name: str
    category_name: str
    score: float = Field(description="1.0 for an exact name, alias or code; else the cosine similarity.")


class MajorMapOut(BaseModel):
    text: str
    results: list[MajorHitOut]


class OccupationHitOut(BaseModel):
    code: str = Field(description="CSCO 2022 detailed occupation, e.g. 2-02-10-03.")
    name: str
    group_code: str = Field(description="Its minor group (小类), e.g. 2-02-10.")
    group_name: str
    score: float = Field(
        description="The coder's probability that the title is this occupation, among the candidates its "
        "retrievers found (docs/evaluation.md)."
    )


class OccupationGuessOut(BaseModel):
    code: str | None = Field(
        description="What a job with this title shows: the first occupation when sure enough, else its minor or "
        "middle group when that is, else null (occupation uncertain)."
    )
    name: str
    level: int = Field(description="4 (detailed occupation, 细类), 3 (小类), 2 (中类), or 0 when uncertain.")
    confidence: float = Field(description="Calibrated: the share of such answers that were right on unseen titles.")
    uncertain: bool
    detailed_code: str = Field(description="The first detailed occupation, whatever the confidence.")


class OccupationMapOut(BaseModel):
    text: str
    cleaned: str = Field(description="What was compared, after places, pay, perks and notes were removed.")
    results: list[OccupationHitOut]
    guess: OccupationGuessOut | None = Field(description="What a job with this title shows (null for no title).")


class PriorityIndustryOut(BaseModel):
    industry: str
    share: float = Field(description="Share of the major's demand that comes from this industry.")


class PriorityJobOut(BaseModel):
    id: int
    title: str
    employer: str
    weight: float = Field(description="What this job adds to the major's demand.")


class PriorityEntryOut(BaseModel):
    rank: int
    code: str
    name: str
    class_name: str
    stars: int = Field(ge=1, le=5)
    shortage: float = Field(description="(demand ‰ + smoothing) / (supply ‰ + smoothing).")
    demand: float
    demand_per_mille: float
    supply: int = Field(description="Candidates with a degree in the major.")
    supply_per_mille: float
    jobs: int
    vacancies: int
    median_monthly_salary: float | None
    top_industries: list[PriorityIndustryOut]
    example_jobs: list[PriorityJobOut]
    rank_change: int | None = Field(description="Places up (+) or down (-) since the previous snapshot.")
    stars_change: int | None


class PriorityListOut(BaseModel):
    as_of: date
    window_start: date
    config: str = Field(description="Hash of the industries-and-weights file used.")
    jobs_counted: int
    candidates_counted: int
    previous_period: str | None = Field(description="The saved snapshot the changes are measured against.")
    entries: list[PriorityEntryOut]


class MajorRefOut(BaseModel):
    code: str
    name: str


class IndustryJobOut(BaseModel):
    id: int
    title: str
    employer: str
    score: float = Field(description="Cosine between the candidate and this opening.")


class IndustryFitOut(BaseModel):
    industry: str
    score: float = Field(description="Cosine between the candidate and the industry's profile (mean of its jobs).")
    jobs: int = Field(description="Jobs the profile is built from.")
    matching_majors: list[MajorRefOut] = Field(description="The candidate's majors that the industry's jobs ask for.")
    example_jobs: list[IndustryJobOut] = Field(description="The industry's openings closest to the candidate.")


# EducationIn and ExperienceIn are matcher.records.Education and Experience as the API takes them: with the lengths
# the spec gives, counted as sent (the records count them once they have stripped the spaces around the text).
class EducationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    school: str = Field("", max_length=300)
    degree: str = Field("", max_length=300, description="As written: 'MSc', 'Master of Engineering', '硕士'.")
    major: str = Field("", max_length=300, description="As written: 'Cyber Security', '网络空间安全'.")
    country: str = Field("", max_length=300)
    end_year: int | None = Field(None, ge=1950, le=2100)


class ExperienceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field("", max_length=300)
    organization: str = Field("", max_length=300)
    description: str = Field("", max_length=20_000)
    start: str = Field("", max_length=20, description="'YYYY' or 'YYYY-MM'.")
    end: str = Field("", max_length=20, description="'YYYY', 'YYYY-MM', or empty while current.")


class JobIn(BaseModel):
    """A job as an enterprise posts it (its enterprise is the caller's)."""

    model_config = ConfigDict(extra="forbid")

    title: Words = Field(min_length=1, max_length=300)
    industry: str = Field("", max_length=300)
    description: str = Field("", max_length=20_000)
    requirements: str = Field("", max_length=20_000)
    majors: list[Annotated[str, Field(max_length=300)]] = Field(default_factory=list, max_length=50)
    min_degree: DegreeName = Field("none", description="The least degree asked for (none: any).")
    location: str = Field("", max_length=300)
    salary_min: float | None = Field(None, ge=0, le=1e9)
    salary_max: float | None = Field(None, ge=0, le=1e9)
    currency: Currency = "CNY"
    salary_period: str = Field("month", pattern=r"^(year|month|day|hour)$")
    posted_at: date | None = None
    openings: int | None = Field(None, ge=1, le=10_000, description="Vacancies (招聘人数).")
    experience_years: float | None = Field(None, ge=0, le=50, description="Years of work experience asked for.")
    employment_type: EmploymentType | None = None
    valid_through: date | None = Field(None, description="The last day to apply (not before posted_at).")


class Patch(BaseModel):
    """The body of a PATCH: the fields given change, those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")
    CLEARABLE: ClassVar[frozenset[str]] = frozenset()  # fields that null empties; on any other, null changes nothing

    def changes(self) -> dict[str, Any]:
        """The fields to change and their new values."""
        given = self.model_dump(exclude_unset=True)
        return {name: value for name, value in given.items() if value is not None or name in self.CLEARABLE}


class JobPatch(Patch):
    """The fields to change; those left out, or null, stay as they are (null empties salary_min, salary_max,
    posted_at and the terms: openings, experience_years, employment_type, valid_through)."""

    CLEARABLE = frozenset(
        {"salary_min", "salary_max", "posted_at", "openings", "experience_years", "employment_type", "valid_through"}
    )

    title: Words | None = Field(None, min_length=1, max_length=300)
    industry: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=20_000)
    requirements: str | None = Field(None, max_length=20_000)
    majors: list[Annotated[str, Field(max_length=300)]] | None = Field(None, max_length=50)
    min_degree: DegreeName | None = None
    location: str | None = Field(None, max_length=300)
    salary_min: float | None = Field(None, ge=0, le=1e9)
    salary_max: float | None = Field(None, ge=0, le=1e9)
    currency: Currency | None = None
    salary_period: str | None = Field(None, pattern=r"^(year|month|day|hour)$")
    posted_at: date | None = None
    openings: int | None = Field(None, ge=1, le=10_000)
    experience_years: float | None = Field(None, ge=0, le=50)
    employment_type: EmploymentType | None = None
    valid_through: date | None = None


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route that can answer these error statuses, each with the error body."""
    return {status: {"model": ErrorOut} for status in statuses}


Order = Literal["fit", "newest", "degree"]  # matcher.search.matching.ORDERS (tests/api/test_spec_conformance.py)
