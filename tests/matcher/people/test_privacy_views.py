"""Views of candidates, called directly: unmasked views are audited in a unit of work of their own (committed even
when the caller's fails, and none opened for nothing), and hidden profiles are told apart."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from sqlalchemy.orm import Session

from matcher.people import audit, privacy
from matcher.platform import Platform
from tests import factories


def test_views_are_audited_in_their_own_committed_unit_of_work(platform: Platform) -> None:
    with platform.session() as session:
        partner = factories.partner(session).caller
        person = factories.candidate_account(session)
        first, second = factories.candidate(session).id, factories.candidate(session).id

    with pytest.raises(RuntimeError), platform.session():  # the request's own unit of work fails afterwards...
        privacy.audit_candidate_views(platform.session, partner, [second, first, first], "GET /somewhere")
        raise RuntimeError("the request failed after showing them")
    privacy.audit_candidate_views(platform.session, person.caller, [person.caller.candidate_id], "GET /me")

    with platform.session() as session:  # ...yet the views stay written down, once each
        entries = audit.entries(session, action="personal_data.view")
        assert sorted((e.subject, e.actor_account_id, e.detail["where"]) for e in entries) == [
            (f"candidate:{first}", partner.account_id, "GET /somewhere"),
            (f"candidate:{second}", partner.account_id, "GET /somewhere"),
        ]  # a candidate looking at themselves is no view to audit


def test_nothing_to_audit_opens_no_unit_of_work(platform: Platform, table_counts: Callable[[], dict[str, int]]) -> None:
    with platform.session() as session:
        office = factories.admin(session).caller
    opened: list[bool] = []

    def sessions(*, write: bool = False) -> AbstractContextManager[Session]:
        opened.append(write)
        return platform.session(write=write)

    before = table_counts()
    privacy.audit_candidate_views(sessions, office, [], "GET /search/candidates")
    assert opened == [] and table_counts() == before
