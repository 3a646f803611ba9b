"""Certifying a hired referral, called directly: the office records the tier its candidate meets and the reward that
tier earns the partner; a candidate meeting no tier, a referral not yet hired and anyone but the office are refused,
and a refusal changes nothing. Moving a referral into `certified` is the same use case."""

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from matcher.errors import Conflict, Forbidden, NotFound
from matcher.office import decisions
from matcher.platform import Platform
from tests import factories

DAY = date(2026, 3, 1)


def test_a_hired_referral_is_certified_with_its_tier_and_reward(platform: Platform, session: Session) -> None:
    office = factories.admin(session).caller
    firm = factories.partner(session).caller
    referral = factories.referral(session, firm, factories.candidate(session), factories.job(session), stage="hired")
    expected = decisions.assess(session, platform.settings, referral.candidate_id, DAY).decision
    assert expected.tier is not None  # the factory's candidate (MSc, born 1996) meets a tier

    certified = decisions.certify_referral(session, platform.settings, office, referral.id, DAY)

    assert certified.referral is referral and certified.decision == expected
    reward = decisions.reward_for(expected, platform.settings)
    assert (referral.stage, referral.tier, referral.reward) == ("certified", expected.tier, reward)
    assert [event.stage for event in referral.events][-2:] == ["hired", "certified"]
    with pytest.raises(Conflict, match="the next stage is rewarded"):  # certified once only
        decisions.certify_referral(session, platform.settings, office, referral.id, DAY)


def test_a_candidate_meeting_no_tier_is_refused_with_the_decision(
    platform: Platform, table_counts: Callable[[], dict[str, int]]
) -> None:
    with platform.session() as session:
        office = factories.admin(session).caller
        firm = factories.partner(session).caller
        person = factories.candidate(session, birth_year=None)  # the age limit cannot be checked
        referral_id = factories.referral(session, firm, person, factories.job(session), stage="hired").id
    before = table_counts()

    with platform.session() as session, pytest.raises(decisions.NotCertifiable) as refused:
        decisions.certify_referral(session, platform.settings, office, referral_id, DAY)

    assert refused.value.referral_id == referral_id and refused.value.decision.tier is None
    assert refused.value.message.startswith("the candidate meets no certification tier (")
    assert [c for c in refused.value.decision.criteria if not c.passed]  # what the pages show as the reason
    assert isinstance(refused.value, Conflict) and table_counts() == before


def test_only_the_office_certifies_and_only_referrals_it_may_see(platform: Platform, session: Session) -> None:
    office = factories.admin(session).caller
    firm, other = factories.partner(session).caller, factories.partner(session).caller
    referral = factories.referral(session, firm, factories.candidate(session), factories.job(session), stage="hired")
    with pytest.raises(Forbidden, match="a partner cannot move a referral to certified"):
        decisions.certify_referral(session, platform.settings, firm, referral.id, DAY)
    with pytest.raises(NotFound):  # another firm's referral is not there for it
        decisions.certify_referral(session, platform.settings, other, referral.id, DAY)
    with pytest.raises(NotFound):
        decisions.certify_referral(session, platform.settings, office, 10**9, DAY)
    early = factories.referral(session, firm, factories.candidate(session), factories.job(session), stage="offered")
    with pytest.raises(Conflict, match="the next stage is hired"):
        decisions.certify_referral(session, platform.settings, office, early.id, DAY)
    assert (referral.stage, early.stage) == ("hired", "offered")


def test_moving_a_referral_certifies_it_only_into_certified(platform: Platform, session: Session) -> None:
    office = factories.admin(session).caller
    firm = factories.partner(session).caller
    referral = factories.referral(session, firm, factories.candidate(session), factories.job(session), stage="offered")

    decisions.move_referral(session, platform.settings, firm, referral.id, "hired", DAY)
    with pytest.raises(Forbidden):
        decisions.move_referral(session, platform.settings, firm, referral.id, "certified", DAY)
    moved = decisions.move_referral(session, platform.settings, office, referral.id, "certified", DAY)
    assert moved is referral and referral.stage == "certified" and referral.tier and referral.reward
    decisions.move_referral(session, platform.settings, office, referral.id, "rewarded", DAY)
    assert (referral.stage, [e.stage for e in referral.events][-3:]) == ("rewarded", ["hired", "certified", "rewarded"])
