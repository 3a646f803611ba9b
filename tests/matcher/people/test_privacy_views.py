"""Views of candidates, called directly: unmasked views are audited with the caller's own unit of work (once each,
none for a candidate's own view, none kept when that unit of work fails: nothing was shown), or held for right after
it (a read on SQLite) and written then in a writer unit of work of its own; nothing to audit writes nothing."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from sqlalchemy.orm import Session

from matcher.people import audit, privacy
from matcher.platform import Platform
from tests import factories


def test_views_are_audited_with_the_callers_unit_of_work(platform: Platform) -> None:
    with platform.session() as session:
        partner = factories.partner(session).caller
        person = factories.candidate_account(session)
        first, second, third = (factories.candidate(session).id for _ in range(3))

    with platform.session() as session:
        privacy.audit_candidate_views(session, partner, [second, first, first], "GET /somewhere")
        privacy.audit_candidate_views(session, person.caller, [person.caller.candidate_id], "GET /me")
    with pytest.raises(RuntimeError), platform.session() as session:  # a failing request shows nothing...
        privacy.audit_candidate_views(session, partner, [third], "GET /failed")
        raise RuntimeError("the request failed before its response")

    with platform.session() as session:  # ...and records nothing; the views shown are written down, once each
        entries = audit.entries(session, action="personal_data.view")
        assert sorted((e.subject, e.actor_account_id, e.detail["where"]) for e in entries) == [
            (f"candidate:{first}", partner.account_id, "GET /somewhere"),
            (f"candidate:{second}", partner.account_id, "GET /somewhere"),
        ]  # a candidate looking at themselves is no view to audit


def test_held_views_are_written_after_the_unit_of_work_in_one_of_their_own(platform: Platform) -> None:
    with platform.session() as session:
        partner = factories.partner(session).caller
        shown = factories.candidate(session).id
    opened: list[bool] = []

    def sessions(*, write: bool = False) -> AbstractContextManager[Session]:
        opened.append(write)
        return platform.session(write=write)

    with platform.session() as session:  # a read on SQLite, as the API's get_session makes it
        audit.hold(session)
        privacy.audit_candidate_views(session, partner, [shown], "GET /held")
        assert not session.new  # held, not added: this unit of work writes nothing
    assert opened == []
    with platform.session() as reading:
        assert audit.entries(reading, action="personal_data.view") == []

    assert audit.write_held(session, sessions) == 1 and opened == [True]  # one writer, after it
    assert audit.write_held(session, sessions) == 0 and opened == [True]  # once
    with platform.session() as reading:
        [entry] = audit.entries(reading, action="personal_data.view")
        assert (entry.subject, entry.actor_account_id, entry.detail) == (
            f"candidate:{shown}",
            partner.account_id,
            {"where": "GET /held"},
        )


def test_nothing_to_audit_writes_nothing(platform: Platform, table_counts: Callable[[], dict[str, int]]) -> None:
    with platform.session() as session:
        office = factories.admin(session).caller
    opened: list[bool] = []

    def sessions(*, write: bool = False) -> AbstractContextManager[Session]:
        opened.append(write)
        return platform.session(write=write)

    before = table_counts()
    with platform.session() as session:
        audit.hold(session)
        privacy.audit_candidate_views(session, office, [], "GET /search/candidates")
    assert audit.write_held(session, sessions) == 0
    assert opened == [] and table_counts() == before
