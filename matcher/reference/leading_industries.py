"""The city's leading industries and the weights the priority-major list gives them: the YAML configuration
(matcher/data/priority-industries.yaml by default), read and validated, and which leading industry a job's
industry text names."""

import re
from pathlib import Path

from pydantic import BaseModel, Field

from matcher.config_files import read_yaml_model

DEFAULT_CONFIG = "priority-industries.yaml"


class IndustryWeight(BaseModel):
    weight: float = Field(gt=0)
    aliases: list[str] = Field(default_factory=list)


class PriorityConfig(BaseModel):
    """The YAML file's shape (matcher/data/priority-industries.yaml is the default)."""

    industries: dict[str, IndustryWeight]
    other_industry_weight: float = Field(ge=0)
    education: dict[str, float]
    experience_per_year: float = Field(ge=0)
    experience_cap_years: float = Field(ge=0)
    salary_floor: float = Field(gt=0)
    salary_ceiling: float = Field(gt=0)
    inferred_majors_weight: float = Field(ge=0, le=1)
    max_openings_per_job: int = Field(ge=1)
    smoothing_per_mille: float = Field(gt=0)
    stars: list[float] = Field(min_length=4, max_length=4)
    window_days: int = Field(gt=0)

    def leading_industry(self, text: str) -> str | None:
        """The leading industry a job's industry text names (by name or alias), if any. Chinese names match
        anywhere in the text; Latin ones as whole words ("AI" is not in "Retail")."""
        for name, spec in self.industries.items():
            for alias in (name, *spec.aliases):
                if alias.isascii():
                    if re.search(rf"(?<![A-Za-z0-9]){re.escape(alias)}(?![A-Za-z0-9])", text, re.I):
                        return name
                elif alias in text:
                    return name
        return None


def load_config(path: Path | None = None) -> tuple[PriorityConfig, str]:
    """The configuration (the packaged default, or `path`) and a short hash of its text, stamped on snapshots."""
    return read_yaml_model(PriorityConfig, path, DEFAULT_CONFIG, "priority configuration")
