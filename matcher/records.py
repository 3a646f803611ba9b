"""The import/export record schema (JSONL, one record a line), validated with pydantic.

docs/data-format.md documents every field; tests/matcher/test_records.py keeps the two in step.
"""

import json
import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from matcher.degrees import DegreeLevel, parse_degree

# Lengths match the columns in matcher/store/models.py, so a record valid here is storable on every backend.
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]


def _without_nul(value: Any) -> Any:
    """NUL characters removed everywhere (scraped text has them; PostgreSQL text cannot hold them)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    return value


STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class Record(BaseModel):
    """Fields every imported record has: where it came from."""

    model_config = STRICT

    @model_validator(mode="before")
    @classmethod
    def _strip_nul(cls, data: Any) -> Any:
        return _without_nul(data)

    @field_validator("fetched_at")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        """Times without an offset are taken as UTC; all are stored in UTC."""
        if value is None:
            return None
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)

    @field_validator("extras")
    @classmethod
    def _plain_json(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            json.dumps(value, allow_nan=False)
        except ValueError as exc:
            raise ValueError("extras must be plain JSON (no NaN or Infinity)") from exc
        return value

    source: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = Field(
        description="Who published the record, e.g. 'orcid', 'acme-careers', 'synthetic-demo'."
    )
    external_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] = Field(
        description="The record's id at its source; (source, external_id) is unique."
    )
    url: Short | None = Field(None, description="Where the record can be seen at its source.")
    fetched_at: datetime | None = Field(None, description="When the record was fetched from its source.")
    extras: dict[str, Any] = Field(default_factory=dict, description="Anything else the source had.")


class Education(BaseModel):
    model_config = STRICT

    school: Short = ""
    degree: Short = Field("", description="As written: 'MSc', 'Master of Engineering', '硕士'.")
    major: Short = Field("", description="As written: 'Cyber Security', '网络空间安全'.")
    country: Short = ""
    end_year: int | None = Field(None, ge=1950, le=2100)

    @property
    def level(self) -> DegreeLevel | None:
        return parse_degree(self.degree) if self.degree else None


YearMonth = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)]


class Experience(BaseModel):
    model_config = STRICT

    title: Short = ""
    organization: Short = ""
    description: Text = ""
    start: YearMonth = Field("", description="'YYYY' or 'YYYY-MM'.")
    end: YearMonth = Field("", description="'YYYY', 'YYYY-MM', or empty while current; not before start.")

    @field_validator("end")
    @classmethod
    def _not_before_start(cls, end: str, info: ValidationInfo) -> str:
        start = _year_month(info.data.get("start", ""))
        finish = _year_month(end)
        if start is None or finish is None:
            return end
        # A year alone ("2020") is compared by year only: it may be any month of that year.
        both_months = bool(start[1] and finish[1])
        if (finish if both_months else finish[:1]) < (start if both_months else start[:1]):
            raise PydanticCustomError(
                "end_before_start", "end {end} is before start {start}", {"start": info.data["start"], "end": end}
            )
        return end


_YEAR_MONTH = re.compile(r"(\d{4})(?:[-./](\d{1,2}))?")


def _year_month(value: str) -> tuple[int, int] | None:
    """(year, month) of 'YYYY' or 'YYYY-MM' (month 0 when not given); None for anything else."""
    match = _YEAR_MONTH.fullmatch(value.strip())
    if match is None:
        return None
    month = int(match.group(2) or 0)
    return (int(match.group(1)), month) if month <= 12 else None


class CandidateRecord(Record):
    name: Short = ""
    headline: Short = ""
    summary: Text = ""
    skills: list[Short] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    experience: list[Experience] = Field(default_factory=list)
    location: Short = Field("", description="Where the candidate is now, e.g. 'London, UK'.")
    preferred_locations: list[Short] = Field(default_factory=list, description="Where they would work.")
    industries: list[Short] = Field(default_factory=list, description="Industries they want to work in.")
    languages: list[Short] = Field(default_factory=list)
    email: Short | None = None
    consent_to_contact: bool = False

    @model_validator(mode="after")
    def _has_content(self) -> "CandidateRecord":
        if not (self.headline or self.summary or self.skills or self.education or self.experience):
            raise PydanticCustomError(
                "no_content", "a candidate needs at least one of headline, summary, skills, education, experience"
            )
        return self


EmploymentType = Literal["full_time", "part_time", "internship", "contract"]
EMPLOYMENT_TYPES: tuple[str, ...] = ("full_time", "part_time", "internship", "contract")
# A job's terms beyond pay, kept in `extras` (as crawled postings keep them) and given as fields here.
TERMS = ("openings", "experience_years", "employment_type", "valid_through")
EMPLOYMENT_SYNONYMS = {
    "fulltime": "full_time",
    "parttime": "part_time",
    "intern": "internship",
    "contractor": "contract",
    "temporary": "contract",
    "全职": "full_time",
    "兼职": "part_time",
    "实习": "internship",
    "合同": "contract",
    "劳务派遣": "contract",
}


class JobRecord(Record):
    title: NonEmpty
    enterprise: Short = Field("", description="The hiring organisation's name.")
    enterprise_external_id: Short | None = Field(
        None, description="The enterprise's external_id (same source), when known."
    )
    industry: Short = ""
    description: Text = ""
    requirements: Text = ""
    majors: list[Short] = Field(default_factory=list, description="Majors asked for, as written.")
    min_degree: Short = Field("", description="'bachelor', '硕士', 'PhD', ...; empty means any.")
    location: Short = ""
    salary_min: float | None = Field(None, ge=0)
    salary_max: float | None = Field(None, ge=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "CNY"
    salary_period: Annotated[str, StringConstraints(pattern=r"^(year|month|day|hour)$")] = "month"
    posted_at: date | None = None
    openings: int | None = Field(None, ge=1, le=10_000, description="Vacancies (招聘人数, totalJobOpenings).")
    experience_years: float | None = Field(None, ge=0, le=50, description="Years of work experience asked for.")
    employment_type: EmploymentType | None = Field(None, description="full_time, part_time, internship, contract.")
    valid_through: date | None = Field(None, description="The last day to apply (schema.org validThrough).")

    @field_validator("employment_type", mode="before")
    @classmethod
    def _employment_type(cls, value: Any) -> Any:
        """schema.org's employmentType (FULL_TIME, INTERN, CONTRACTOR...) and the Chinese words read as ours."""
        if isinstance(value, str):
            key = value.strip().lower().replace("-", "_").replace(" ", "_")
            return EMPLOYMENT_SYNONYMS.get(key, key) or None
        return value

    @field_validator("min_degree")
    @classmethod
    def _known_degree(cls, value: str) -> str:
        """Stored as its level's name ('硕士' -> 'master'), so an export imports back unchanged."""
        if not value:
            return ""
        level = parse_degree(value)
        if level is None:
            raise ValueError(f"unknown degree level {value!r}; use one of none, associate, bachelor, master, doctorate")
        return "" if level is DegreeLevel.NONE else level.label

    @model_validator(mode="after")
    def _salary_range(self) -> "JobRecord":
        if self.salary_min is not None and self.salary_max is not None and self.salary_min > self.salary_max:
            raise PydanticCustomError(
                "salary_range",
                "salary_min {low} is above salary_max {high}",
                {"low": self.salary_min, "high": self.salary_max},
            )
        if self.valid_through is not None and self.posted_at is not None and self.valid_through < self.posted_at:
            raise PydanticCustomError(
                "deadline_before_posting",
                "valid_through {deadline} is before posted_at {posted}",
                {"deadline": self.valid_through.isoformat(), "posted": self.posted_at.isoformat()},
            )
        return self

    def terms(self) -> dict[str, Any]:
        """The terms given (openings, experience, employment type, deadline), as stored in the job's extras under
        the keys crawled postings use."""
        given = {key: getattr(self, key) for key in TERMS}
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in given.items() if v is not None}

    @property
    def min_degree_level(self) -> DegreeLevel:
        return parse_degree(self.min_degree) or DegreeLevel.NONE


class EnterpriseRecord(Record):
    name: NonEmpty
    industry: Short = ""
    location: Short = ""
    description: Text = ""
    website: Short | None = None


class MajorListingRecord(Record):
    """A major as a list shows it (crawled catalogue tables, universities' lists of majors)."""

    name: NonEmpty
    code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] = Field(
        "", description="The code the list gives, e.g. 080901 or 080911TK."
    )
    class_name: Short = ""
    category_name: Short = ""
    university: Short = Field("", description="Whose list this is, for a university's page.")


RECORD_TYPES: dict[str, type[Record]] = {
    "candidates": CandidateRecord,
    "jobs": JobRecord,
    "enterprises": EnterpriseRecord,
    "major_listings": MajorListingRecord,
}
