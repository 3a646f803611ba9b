"""The office overrides a certification tier with a reason (issue 16, "Missing" 2): stored, audited with the tier the
criteria give, the tier chosen and the reason; counted wherever the tier counts (the policies, the reward of a hire
certified afterwards, a refused certification when the office sets none); removed again; refused when it is no
override, has no reason, names no tier of the criteria, or comes from anyone but the office."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.errors import Conflict, Forbidden, Invalid, NotFound, TalentError
from matcher.office import decisions, overrides
from matcher.people import audit
from matcher.platform import Platform
from matcher.store.models import TierOverride
from tests import factories

DAY = date(2026, 3, 1)
NO_DEGREE: list[dict[str, object]] = []


def _tier(session: Session, platform: Platform, candidate_id: int) -> str | None:
    return decisions.assess(session, platform.settings, candidate_id, DAY).decision.tier


def test_an_override_is_stored_audited_and_counts_for_policies_and_rewards(
    session: Session, platform: Platform
) -> None:
    office = factories.admin(session).caller
    firm = factories.partner(session).caller
    person = factories.candidate(session, education=NO_DEGREE)  # meets no tier by the criteria
    before = decisions.assess(session, platform.settings, person.id, DAY)
    assert before.decision.tier is None and before.decision.override is None
    assert not any(p.eligible for p in before.policies)

    found = overrides.set_tier(
        session, platform.settings, office, person.id, "C", "  专家评审认定：\n行业贡献突出 ", DAY
    )
    decision = found.decision
    assert decision.tier == "C" and decision.tier_name_zh and decision.tier_name_en
    assert decision.override is not None
    assert (decision.override.computed_tier, decision.override.reason) == (None, "专家评审认定： 行业贡献突出")
    assert decision.criteria == before.decision.criteria  # the criteria are still checked and shown
    assert any(p.eligible for p in found.policies)  # the tier the office set grants its policies
    assert decisions.assess(session, platform.settings, person.id, DAY) == found  # stored: every reader sees it
    entry = audit.entries(session, action="certification.override")[0]
    assert entry.subject == f"candidate:{person.id}" and entry.actor_account_id == office.account_id
    assert entry.detail == {"computed": None, "tier": "C", "previous": None, "reason": "专家评审认定： 行业贡献突出"}

    # A hire certified now is certified with the office's tier, and earns that tier's reward.
    job = factories.job(session)
    hired = factories.referral(session, firm, person, job, stage="hired")
    certified = decisions.certify_referral(session, platform.settings, office, hired.id, DAY)
    assert (certified.referral.tier, certified.referral.reward) == (
        "C",
        decisions.reward_for(decision, platform.settings),
    )
    assert certified.referral.reward and certified.referral.reward > 0

    # Set again: replaced (one row), the audit saying what it replaced.
    again = overrides.set_tier(session, platform.settings, office, person.id, "B", "复核后上调", DAY)
    assert again.decision.tier == "B"
    assert session.scalar(select(TierOverride.tier).where(TierOverride.candidate_id == person.id)) == "B"
    assert audit.entries(session, action="certification.override")[0].detail["previous"] == "C"
    assert certified.referral.tier == "C"  # a referral certified before keeps its tier

    # Removed: the criteria decide again, and that is audited too.
    back = overrides.remove_tier(session, platform.settings, office, person.id, DAY)
    assert back.decision == before.decision and back.policies == before.policies
    assert audit.entries(session, action="certification.override_removed")[0].detail == {"tier": "B"}
    with pytest.raises(NotFound) as none_left:
        overrides.remove_tier(session, platform.settings, office, person.id, DAY)
    assert none_left.value.reason == "no_tier_override"


def test_the_office_may_set_no_tier_and_then_a_hire_is_not_certified(session: Session, platform: Platform) -> None:
    office = factories.admin(session).caller
    firm = factories.partner(session).caller
    person = factories.candidate(session)
    computed = _tier(session, platform, person.id)
    assert computed is not None
    found = overrides.set_tier(session, platform.settings, office, person.id, None, "学历认证未通过", DAY)
    assert found.decision.tier is None and not found.decision.eligible
    assert found.decision.override is not None and found.decision.override.computed_tier == computed
    assert not any(p.eligible for p in found.policies)
    hired = factories.referral(session, firm, person, factories.job(session), stage="hired")
    with pytest.raises(decisions.NotCertifiable):
        decisions.certify_referral(session, platform.settings, office, hired.id, DAY)


@pytest.mark.parametrize(
    ("tier", "reason", "refusal"),
    [
        ("B", "", "tier_override_reason"),
        ("B", " \n\t ", "tier_override_reason"),
        ("B", "x" * 501, "tier_override_reason"),
        ("E", "not a tier of the criteria", "unknown_tier"),
        ("b", "lower case", "unknown_tier"),
        (None, "the criteria give none already", "tier_override_same"),
    ],
)
def test_a_refused_override_changes_nothing(
    session: Session, platform: Platform, tier: str | None, reason: str, refusal: str
) -> None:
    office = factories.admin(session).caller
    person = factories.candidate(session, education=NO_DEGREE)
    with pytest.raises(TalentError) as refused:
        overrides.set_tier(session, platform.settings, office, person.id, tier, reason, DAY)
    assert refused.value.reason == refusal
    kinds = {"tier_override_reason": Invalid, "unknown_tier": NotFound, "tier_override_same": Conflict}
    assert isinstance(refused.value, kinds[refusal])
    assert decisions.tier_override(session, person.id) is None
    assert not audit.entries(session, action="certification.override")


def test_the_tier_the_criteria_give_is_no_override_and_only_the_office_overrides(
    session: Session, platform: Platform
) -> None:
    office = factories.admin(session).caller
    person = factories.candidate(session)
    computed = _tier(session, platform, person.id)
    with pytest.raises(Conflict) as same:
        overrides.set_tier(session, platform.settings, office, person.id, computed, "no change", DAY)
    assert same.value.reason == "tier_override_same"
    for caller in (factories.partner(session).caller, factories.candidate_account(session, person).caller):
        with pytest.raises(Forbidden) as refused:
            overrides.set_tier(session, platform.settings, caller, person.id, "A", "mine", DAY)
        assert refused.value.reason == "office_sets_tiers"
        with pytest.raises(Forbidden):
            overrides.remove_tier(session, platform.settings, caller, person.id, DAY)
    with pytest.raises(NotFound):
        overrides.set_tier(session, platform.settings, office, 10**12, "A", "nobody", DAY)
    assert decisions.tier_override(session, person.id) is None
