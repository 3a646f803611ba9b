"""Policy entitlements and partner rewards from the packaged catalogue: plain functions, no database."""

from datetime import date
from pathlib import Path

import pytest

from matcher.degrees import DegreeLevel
from matcher.errors import Invalid
from matcher.office.certification import Applicant, Decision, Education, certify, load_config
from matcher.office.policies import (
    Entitlement,
    assess_policies,
    eligible_policies,
    load_catalogue,
    reward_for_tier,
)
from matcher.reference.universities import default_resolver

AS_OF = date(2026, 6, 1)
CYBER, COMPUTING = "080911TK", "080901"
CATALOGUE_TEXT = (Path(__file__).resolve().parents[3] / "matcher" / "data" / "policies.yaml").read_text("utf-8")


def person(
    school: str, level: int, major: str = COMPUTING, end_year: int = 2024, founder: bool = False, country: str = "UK"
) -> Applicant:
    return Applicant(1995, [Education(school, level, major, end_year, country)], 1, founder)


def decide(applicant: Applicant) -> Decision:
    return certify(applicant, load_config()[0], {CYBER: 4}, AS_OF, default_resolver())


def granted(applicant: Applicant, catalogue_path: Path | None = None) -> dict[str, Entitlement]:
    catalogue = load_catalogue(catalogue_path)[0]
    return {e.key: e for e in eligible_policies(decide(applicant), applicant, catalogue, AS_OF)}


@pytest.mark.parametrize(
    ("applicant", "tier", "amounts"),
    [
        (
            person("University of Cambridge", DegreeLevel.DOCTORATE),
            "A",
            {
                "living_subsidy": 54000,
                "settling_subsidy": 500000,
                "home_purchase_subsidy": 100000,
                "talent_apartment": None,
                "children_school": None,
            },
        ),
        (
            person("UCL", DegreeLevel.MASTER),
            "B",
            {
                "living_subsidy": 36000,
                "settling_subsidy": 100000,
                "home_purchase_subsidy": 50000,
                "talent_apartment": None,
                "children_school": None,
            },
        ),
        (
            person("University of Hull", DegreeLevel.DOCTORATE),
            "B",
            {
                "living_subsidy": 54000,
                "settling_subsidy": 200000,
                "home_purchase_subsidy": 100000,
                "talent_apartment": None,
                "children_school": None,
            },
        ),
        (
            person("University of Sussex", DegreeLevel.MASTER),
            "C",
            {
                "living_subsidy": 36000,
                "settling_subsidy": 50000,
                "home_purchase_subsidy": 50000,
                "talent_apartment": None,
                "children_school": None,
            },
        ),
        (
            person("Oxford Brookes University", DegreeLevel.BACHELOR),
            "D",
            {"living_subsidy": 18000, "home_purchase_subsidy": 20000, "talent_apartment": None},
        ),
    ],
)
def test_amounts_by_tier_and_degree(applicant: Applicant, tier: str, amounts: dict[str, int | None]) -> None:
    assert decide(applicant).tier == tier
    assert {key: e.amount for key, e in granted(applicant).items()} == amounts


def test_each_entitlement_states_its_rule() -> None:
    found = granted(person("UCL", DegreeLevel.MASTER))
    assert found["settling_subsidy"].rule == "tier B → 100,000 CNY settling-in subsidy"
    assert found["settling_subsidy"].rule_zh == "B类 → 安家补贴100,000元"
    assert found["living_subsidy"].rule == "any certified tier and master's → 36,000 CNY young-talent living subsidy"
    assert found["living_subsidy"].payment_en == "paid monthly for 36 months (the amount is the total)"
    apartment = found["talent_apartment"]
    assert (apartment.kind, apartment.amount, apartment.group) == ("in_kind", None, "housing")
    assert apartment.rule == "tier B → rent-free talent apartment (up to 120 m²) for up to 3 years"
    assert found["home_purchase_subsidy"].group == "housing"  # an alternative to the apartment


def test_a_priority_major_gets_the_top_up() -> None:
    found = granted(person("UCL", DegreeLevel.MASTER, major=CYBER))
    living, settling = found["living_subsidy"], found["settling_subsidy"]
    assert (living.base_amount, living.amount) == (36000, 43200)
    assert (settling.base_amount, settling.amount) == (100000, 120000)
    assert living.top_up == "major 080911TK Cyberspace Security is on the priority list (★★★★): +20% (+7,200 CNY)"
    assert living.top_up_zh == "专业080911TK 网络空间安全在重点专业清单内 (★★★★)：+20%（增加7,200元）"
    purchase = found["home_purchase_subsidy"]  # not a topped-up policy
    assert (purchase.amount, purchase.top_up) == (50000, None)


def test_founders_get_start_up_funding() -> None:
    assert "startup_support" not in granted(person("UCL", DegreeLevel.MASTER))
    funding = granted(person("UCL", DegreeLevel.MASTER, founder=True))["startup_support"]
    assert (funding.amount, funding.up_to) == (2000000, True)
    assert funding.rule == "tier B → up to 2,000,000 CNY start-up funding for founders"


def test_why_a_policy_does_not_apply() -> None:
    applicant = person("UCL", DegreeLevel.MASTER, end_year=2018)
    checks = {e.key: e for e in assess_policies(decide(applicant), applicant, load_catalogue()[0], AS_OF)}
    assert not checks["living_subsidy"].eligible
    assert checks["living_subsidy"].rule == "graduated in 2018, more than 5 years before 2026"
    assert checks["startup_support"].rule == "only for founders of a start-up"
    assert checks["settling_subsidy"].eligible
    d_tier = person("Oxford Brookes University", DegreeLevel.BACHELOR)
    school = {e.key: e for e in assess_policies(decide(d_tier), d_tier, load_catalogue()[0], AS_OF)}
    assert school["children_school"].rule == "no rule covers tier D with this degree"


def test_no_certification_no_entitlements() -> None:
    applicant = person("郑州大学", DegreeLevel.MASTER, country="中国")
    decision = decide(applicant)
    assert decision.tier is None
    catalogue = load_catalogue()[0]
    assert eligible_policies(decision, applicant, catalogue, AS_OF) == []
    assert {e.rule for e in assess_policies(decision, applicant, catalogue, AS_OF)} == {
        "not certified: policies need a certified tier"
    }


def test_partner_rewards() -> None:
    catalogue = load_catalogue()[0]
    assert [reward_for_tier(t, catalogue) for t in ("A", "B", "C", "D", None)] == [50000, 20000, 8000, 2000, 0]
    with pytest.raises(Invalid, match="unknown tier 'tier-a'"):
        reward_for_tier("tier-a", catalogue)


def test_catalogue_tiers_are_the_certification_tiers() -> None:
    tiers = {t.tier for t in load_config()[0].tiers}
    catalogue = load_catalogue()[0]
    assert set(catalogue.partner_rewards) == tiers
    assert {t for p in catalogue.policies for r in p.rules for t in r.tiers or []} <= tiers


def test_a_changed_catalogue_changes_the_entitlements(tmp_path: Path) -> None:
    changed = tmp_path / "policies.yaml"
    text = CATALOGUE_TEXT.replace("percent: 20", "fixed: 10000").replace(
        "{min_degree: master, amount: 36000}", "{min_degree: master, amount: 60000}"
    )
    changed.write_text(text, encoding="utf-8")
    found = granted(person("UCL", DegreeLevel.MASTER, major=CYBER), changed)
    assert (found["living_subsidy"].base_amount, found["living_subsidy"].amount) == (60000, 70000)
    assert (
        found["living_subsidy"].top_up
        == "major 080911TK Cyberspace Security is on the priority list (★★★★): +10,000 CNY (+10,000 CNY)"
    )
    assert load_catalogue(changed)[1] != load_catalogue()[1]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{tiers: [A], amount: 500000}",
            "{tiers: [A]}",
            "policies.1: Value error, rule 0 of a cash policy needs an amount",
        ),
        (
            "policies: [living_subsidy, settling_subsidy]",
            "policies: [living_subsidy, housing]",
            "priority_major_top_up names unknown policies ['housing']",
        ),
        ("percent: 20", "percent: 20\n  fixed: 5000", "give either percent or fixed"),
        ("kind: in_kind", "kind: gift", "line 65: policies.3.kind: Input should be 'cash' or 'in_kind'"),
        ("{tiers: [B], amount: 2000000}", "{tiers: [b], amount: 2000000}", "tiers are single capital letters"),
        ("- key: children_school", "- key: living_subsidy", "policy keys must be unique"),
        ("  A: 50000", "  A: 50000\n  A: 60000", ""),  # YAML keeps the last of a repeated key: not an error
    ],
)
def test_a_bad_catalogue_says_where(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in CATALOGUE_TEXT
    bad = tmp_path / "bad.yaml"
    bad.write_text(CATALOGUE_TEXT.replace(old, new, 1), encoding="utf-8")
    if not message:
        assert reward_for_tier("A", load_catalogue(bad)[0]) == 60000
        return
    with pytest.raises(Invalid) as caught:
        load_catalogue(bad)
    assert message in caught.value.message and "policy catalogue" in caught.value.message
