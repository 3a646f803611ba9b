"""What a candidate's privacy page and a partner's lists read, called directly: the consents a candidate gave (in
force first), withdrawing one (and saying to whom), and candidates' names as a caller may see them, audited when
shown unmasked."""

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from matcher.errors import NotFound
from matcher.people import audit, privacy
from matcher.platform import Platform
from tests import factories


def test_a_candidates_consents_in_force_first(session: Session) -> None:
    me = factories.candidate_account(session).caller
    firms = [factories.partner(session).caller for _ in range(3)]
    given = [privacy.grant(session, me, firm.organization_id or 0) for firm in firms]
    for n, consent in enumerate(given):  # granted one day apart, the last newest
        consent.granted_at -= timedelta(days=3 - n)
    assert privacy.consents(session, factories.candidate_account(session).caller) == []

    withdrawn_from = privacy.withdraw(session, me, firms[2].organization_id or 0)

    assert withdrawn_from is not None and withdrawn_from.id == firms[2].organization_id
    assert [(consent.id, organization.id) for consent, organization in privacy.consents(session, me)] == [
        (given[1].id, firms[1].organization_id),
        (given[0].id, firms[0].organization_id),
        (given[2].id, firms[2].organization_id),
    ]
    with pytest.raises(NotFound):  # withdrawn already
        privacy.withdraw(session, me, firms[2].organization_id or 0)


def test_names_as_a_caller_sees_them_with_unmasked_views_audited(platform: Platform) -> None:
    with platform.session() as session:
        consenting = factories.candidate(session, name="王芳")
        other = factories.candidate(session, name="Jane Doe")
        firm = factories.partner(session).caller
        me = factories.candidate_account(session, consenting).caller
        privacy.grant(session, me, firm.organization_id or 0)
        ids = [consenting.id, other.id, 10**9]

    with platform.session() as session:
        names = privacy.names_as_seen(session, firm, ids, "test names")
        assert names == {
            consenting.id: privacy.SeenName("王芳", False),
            other.id: privacy.SeenName("J*** D**", True),
        }  # an erased candidate is left out
        assert privacy.names_as_seen(session, firm, [], "test names") == {}
        assert privacy.shared_emails(session, firm, ids) == {consenting.id: consenting.email}
        assert privacy.shared_emails(session, firm, [other.id]) == {}

    with platform.session() as session:
        views = audit.entries(session, action="personal_data.view")
        assert [(v.subject, v.actor_account_id, v.detail) for v in views] == [
            (f"candidate:{consenting.id}", firm.account_id, {"where": "test names"})
        ]
