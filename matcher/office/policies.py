"""Policy entitlements (政策兑现): what a certification decision entitles a person to, and partner rewards.

The catalogue is matcher/data/policies.yaml (or a file of the same shape); docs/certification.md describes it.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from matcher.config_files import read_yaml_model
from matcher.degrees import DegreeLevel
from matcher.errors import Invalid
from matcher.office.certification import Applicant, Decision, major_names
from matcher.office.criteria import DegreeName
from matcher.reference import english_names

DEFAULT_CATALOGUE = "policies.yaml"
TierLetter = str  # "A".."Z", as in the certification criteria


class PolicyRule(BaseModel):
    """Who gets how much: the first rule of a policy that fits a decision applies."""

    model_config = ConfigDict(extra="forbid")
    tiers: list[TierLetter] | None = None
    min_degree: DegreeName | None = None
    amount: int | None = Field(default=None, ge=0)
    detail_en: str = ""
    detail_zh: str = ""

    @model_validator(mode="after")
    def _tier_letters(self) -> "PolicyRule":
        bad = [t for t in self.tiers or [] if len(t) != 1 or not t.isupper()]
        if bad:
            raise ValueError(f"tiers are single capital letters such as A, not {bad}")
        return self

    @property
    def level(self) -> DegreeLevel:
        return DegreeLevel[self.min_degree.upper()] if self.min_degree else DegreeLevel.NONE


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    kind: Literal["cash", "in_kind"]
    up_to: bool = False
    group: str | None = None
    founders_only: bool = False
    graduated_within_years: int | None = Field(default=None, ge=0)
    payment_en: str = ""
    payment_zh: str = ""
    rules: list[PolicyRule] = Field(min_length=1)

    @model_validator(mode="after")
    def _rules_fit_kind(self) -> "Policy":
        for i, rule in enumerate(self.rules):
            if self.kind == "cash" and rule.amount is None:
                raise ValueError(f"rule {i} of a cash policy needs an amount")
            if self.kind == "in_kind" and not (rule.detail_en and rule.detail_zh):
                raise ValueError(f"rule {i} of an in-kind policy needs detail_en and detail_zh")
        return self


class TopUp(BaseModel):
    """More for majors on the priority list: a percentage or a fixed amount on the listed policies."""

    model_config = ConfigDict(extra="forbid")
    percent: float | None = Field(default=None, gt=0)
    fixed: int | None = Field(default=None, gt=0)
    min_stars: int = Field(default=0, ge=0, le=5)
    policies: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_kind(self) -> "TopUp":
        if (self.percent is None) == (self.fixed is None):
            raise ValueError("give either percent or fixed, not both or neither")
        return self


class PolicyConfig(BaseModel):
    """The YAML file's shape (matcher/data/policies.yaml is the default)."""

    model_config = ConfigDict(extra="forbid")
    name: str
    name_zh: str = ""  # the name in Chinese, shown in the Chinese console (the English `name` when empty)
    currency: Literal["CNY"] = "CNY"
    priority_major_top_up: TopUp | None = None
    policies: list[Policy] = Field(min_length=1)
    partner_rewards: dict[TierLetter, int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _keys_known(self) -> "PolicyConfig":
        keys = [p.key for p in self.policies]
        if len(keys) != len(set(keys)):
            raise ValueError(f"policy keys must be unique (got {keys})")
        unknown = set(self.priority_major_top_up.policies if self.priority_major_top_up else []) - set(keys)
        if unknown:
            raise ValueError(f"priority_major_top_up names unknown policies {sorted(unknown)}")
        if any(v < 0 for v in self.partner_rewards.values()):
            raise ValueError("partner rewards cannot be negative")
        return self


def load_catalogue(path: Path | None = None) -> tuple[PolicyConfig, str]:
    """The policy catalogue (the packaged default, or `path`) and a short hash of the file's text."""
    return read_yaml_model(PolicyConfig, path, DEFAULT_CATALOGUE, "policy catalogue")


@dataclass(frozen=True)
class Entitlement:
    """One policy checked against a decision: whether it applies, how much, and the rule behind it."""

    key: str
    name_zh: str
    name_en: str
    kind: str  # "cash" or "in_kind"
    eligible: bool
    amount: int | None  # CNY after any top-up; None for in-kind benefits and ineligible policies
    base_amount: int | None
    up_to: bool  # the amount is a ceiling decided case by case
    rule: str  # English: "tier B and master's → 100,000 CNY", or why it does not apply
    rule_zh: str
    top_up: str | None = None
    top_up_zh: str | None = None
    detail_en: str = ""
    detail_zh: str = ""
    payment_en: str = ""
    payment_zh: str = ""
    group: str | None = None  # entitlements sharing a group are alternatives: the person chooses one


def eligible_policies(
    decision: Decision, applicant: Applicant, config: PolicyConfig, as_of: date | None = None
) -> list[Entitlement]:
    """The entitlements a certification decision grants, in catalogue order."""
    return [e for e in assess_policies(decision, applicant, config, as_of) if e.eligible]


def assess_policies(
    decision: Decision, applicant: Applicant, config: PolicyConfig, as_of: date | None = None
) -> list[Entitlement]:
    """Every policy of the catalogue checked against a decision, with the rule that grants it or why not."""
    day = as_of or decision.as_of or date.today()
    return [_assess(policy, decision, applicant, config, day) for policy in config.policies]


def _assess(policy: Policy, decision: Decision, applicant: Applicant, config: PolicyConfig, day: date) -> Entitlement:
    blocked = _blocker(policy, decision, applicant, day)
    rule = None if blocked else _first_rule(policy, decision)
    if blocked or rule is None:
        en, zh = blocked or _no_rule(decision)
        return _entitlement(policy, False, None, None, en, zh)
    level = DegreeLevel(decision.basis.degree_level) if decision.basis else DegreeLevel.NONE
    when_en, when_zh = _condition(rule, decision.tier or "", level)
    if policy.kind == "in_kind":
        en, zh = f"{when_en} → {rule.detail_en}", f"{when_zh} → {rule.detail_zh}"
        return _entitlement(policy, True, None, None, en, zh, rule)
    base = rule.amount or 0
    prefix = "up to " if policy.up_to else ""
    en = f"{when_en} → {prefix}{base:,} {config.currency} {policy.name_en.lower()}"
    zh = f"{when_zh} → {policy.name_zh}{'最高' if policy.up_to else ''}{base:,}元"
    amount, top_en, top_zh = _top_up(policy, decision, config, base)
    return _entitlement(policy, True, amount, base, en, zh, rule, top_en, top_zh)


def _entitlement(
    policy: Policy,
    eligible: bool,
    amount: int | None,
    base: int | None,
    rule_en: str,
    rule_zh: str,
    rule: PolicyRule | None = None,
    top_en: str | None = None,
    top_zh: str | None = None,
) -> Entitlement:
    return Entitlement(
        policy.key,
        policy.name_zh,
        policy.name_en,
        policy.kind,
        eligible,
        amount,
        base,
        policy.up_to,
        rule_en,
        rule_zh,
        top_en,
        top_zh,
        rule.detail_en if rule else "",
        rule.detail_zh if rule else "",
        policy.payment_en,
        policy.payment_zh,
        policy.group,
    )


def _blocker(policy: Policy, decision: Decision, applicant: Applicant, day: date) -> tuple[str, str] | None:
    """Why a policy cannot apply at all, if something rules it out before its amount rules."""
    if decision.tier is None:
        return "not certified: policies need a certified tier", "未获人才认定，不能享受政策"
    if policy.founders_only and not applicant.founder:
        return "only for founders of a start-up", "仅限创业人才（企业创始人）"
    limit = policy.graduated_within_years
    if limit is not None:
        year = decision.basis.end_year if decision.basis else None
        if year is None:
            return "graduation year unknown", f"毕业年份未知，无法核验毕业{limit}年内的要求"
        if day.year - year > limit:
            en = f"graduated in {year}, more than {limit} years before {day.year}"
            return en, f"{year}年毕业，已超过毕业{limit}年内的要求"
    return None


def _first_rule(policy: Policy, decision: Decision) -> PolicyRule | None:
    level = DegreeLevel(decision.basis.degree_level) if decision.basis else DegreeLevel.NONE
    for rule in policy.rules:
        if (rule.tiers is None or decision.tier in rule.tiers) and level >= rule.level:
            return rule
    return None


def _no_rule(decision: Decision) -> tuple[str, str]:
    return f"no rule covers tier {decision.tier} with this degree", f"{decision.tier}类及该学位不在适用范围内"


def _condition(rule: PolicyRule, tier: str, level: DegreeLevel) -> tuple[str, str]:
    """The rule's condition as met, e.g. ("tier B and master's", "B类且硕士")."""
    names = {DegreeLevel.BACHELOR: "bachelor's", DegreeLevel.MASTER: "master's", DegreeLevel.DOCTORATE: "doctorate"}
    en, zh = ([f"tier {tier}"], [f"{tier}类"]) if rule.tiers else (["any certified tier"], ["各类人才"])
    if rule.min_degree:
        en.append(names.get(level, level.label))
        zh.append(level.label_zh)
    return " and ".join(en), "且".join(zh)


def _top_up(policy: Policy, decision: Decision, config: PolicyConfig, base: int) -> tuple[int, str | None, str | None]:
    """The amount after the priority-major top-up, and the rule behind the top-up when it applies."""
    top = config.priority_major_top_up
    stars = decision.priority_stars
    if top is None or policy.key not in top.policies or stars is None or stars < top.min_stars:
        return base, None, None
    extra = round(base * top.percent / 100) if top.percent is not None else top.fixed or 0
    how = f"+{top.percent:g}%" if top.percent is not None else f"+{extra:,} {config.currency}"
    code = decision.basis.major_code if decision.basis else ""
    name_zh = major_names().get(code or "", "")
    major_en = f"{code} {english_names.major_name(code, name_zh, 'en') if name_zh else ''}".strip()
    major_zh = f"{code} {name_zh}".strip()
    shown = f" ({'★' * stars})" if stars else ""
    en = f"major {major_en} is on the priority list{shown}: {how} (+{extra:,} {config.currency})"
    zh = f"专业{major_zh}在重点专业清单内{shown}：{how}（增加{extra:,}元）"
    return base + extra, en, zh


def reward_for_tier(tier: str | None, config: PolicyConfig) -> int:
    """The partner reward (CNY) for introducing a hire certified at `tier`; 0 when not certified or unlisted."""
    if tier is None:
        return 0
    if len(tier) != 1 or not tier.isupper():
        raise Invalid(f"unknown tier {tier!r}: tiers are single capital letters such as A", "unknown_tier", tier=tier)
    return config.partner_rewards.get(tier, 0)
