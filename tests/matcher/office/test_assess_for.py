"""A certification decision as a caller may see it, called directly: the office sees every one, a candidate their
own, a partner firm only with the candidate's consent (and that view is audited), an enterprise none."""

from datetime import date

import pytest

from matcher.errors import Forbidden, NotFound
from matcher.office import decisions
from matcher.people import audit, privacy
from matcher.people.accounts import Caller
from matcher.platform import Platform
from tests import factories

DAY = date(2026, 3, 1)


def test_who_sees_a_decision(platform: Platform) -> None:
    with platform.session() as session:
        office = factories.admin(session).caller
        person = factories.candidate_account(session).caller
        other = factories.candidate_account(session).caller
        firm, stranger = factories.partner(session).caller, factories.partner(session).caller
        employer = factories.enterprise_account(session).caller
        assert person.candidate_id is not None and firm.organization_id is not None
        privacy.grant(session, person, firm.organization_id)
    candidate_id = person.candidate_id

    def assess(caller: Caller) -> decisions.Assessment:
        with platform.session() as session:
            return decisions.assess_for(session, platform.settings, caller, candidate_id, DAY)

    expected = assess(office)
    assert expected.candidate_id == candidate_id and expected.criteria_version
    assert assess(person).decision == expected.decision
    assert assess(firm).decision == expected.decision
    with pytest.raises(NotFound):
        assess(other)
    with pytest.raises(Forbidden, match="consented"):
        assess(stranger)
    with pytest.raises(Forbidden):
        assess(employer)

    with platform.session() as session:
        views = audit.entries(session, subject=f"candidate:{candidate_id}", action="personal_data.view")
        assert [(v.actor_account_id, v.detail) for v in views] == [(firm.account_id, {"where": "certification"})]


def test_the_office_is_told_when_there_is_no_such_candidate(platform: Platform) -> None:
    with platform.session() as session:
        office = factories.admin(session).caller
    with platform.session() as session, pytest.raises(NotFound):
        decisions.assess_for(session, platform.settings, office, 10**9, DAY)
