"""The certification criteria (matcher/data/certification.yaml, or a file of the same shape): tiers, best first,
each a list of rules; how a rule reads in English and Chinese; loading the file. docs/certification.md gives the
fields."""

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from matcher.config_files import read_yaml_model
from matcher.degrees import DegreeLevel
from matcher.reference.universities import RANKING

DEFAULT_CONFIG = "certification.yaml"
DegreeName = Literal["bachelor", "master", "doctorate"]

DEGREE_ZH = {level: level.label_zh for level in DegreeLevel} | {DegreeLevel.NONE: "无学位"}
DEGREE_EN = {
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
        en = [DEGREE_EN[self.level] if top else f"{DEGREE_EN[self.level]} or above"]
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
    name_zh: str = ""  # the name in Chinese, shown in the Chinese console (the English `name` when empty)
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


def load_config(path: Path | None = None) -> tuple[CertificationConfig, str]:
    """The certification criteria (the packaged default, or `path`) and a short hash of the file's text."""
    return read_yaml_model(CertificationConfig, path, DEFAULT_CONFIG, "certification criteria")
