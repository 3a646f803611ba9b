"""The audit log: entries name who did what to which record, come back newest first, filter by subject and action,
and are written with the caller's unit of work (a unit of work that fails leaves none)."""

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from matcher.people import audit
from matcher.platform import Platform
from tests import factories


def test_entries_come_newest_first_and_filter_by_subject_and_action(session: Session) -> None:
    office = factories.admin(session).caller
    audit.record(session, office, "job.close", "job:1")
    audit.record(session, office, "job.close", "job:2", {"why": "filled"})
    audit.record(session, None, "candidate.signup", "candidate:7")
    session.flush()

    assert [(e.action, e.subject) for e in audit.entries(session)] == [
        ("candidate.signup", "candidate:7"),
        ("job.close", "job:2"),
        ("job.close", "job:1"),
    ]
    assert [e.subject for e in audit.entries(session, action="job.close")] == ["job:2", "job:1"]
    assert [e.subject for e in audit.entries(session, subject="job:1")] == ["job:1"]
    assert audit.entries(session, subject="job:1", action="candidate.signup") == []
    assert audit.entries(session, subject="job:99") == []
    assert [e.subject for e in audit.entries(session, limit=2)] == ["candidate:7", "job:2"]


def test_an_entry_names_its_actor_or_the_system(session: Session) -> None:
    partner = factories.partner(session).caller
    audit.record(session, partner, "referral.create", "referral:3", {"job": 5, "candidate": 8})
    audit.record(session, None, "candidate.signup", "candidate:8")
    session.flush()

    [by_partner] = audit.entries(session, subject="referral:3")
    assert (by_partner.actor_account_id, by_partner.actor_role) == (partner.account_id, "partner")
    assert by_partner.detail == {"job": 5, "candidate": 8}
    assert by_partner.at is not None
    [by_system] = audit.entries(session, subject="candidate:8")
    assert (by_system.actor_account_id, by_system.actor_role, by_system.detail) == (None, "system", {})


def test_an_entry_is_kept_only_if_its_unit_of_work_commits(
    platform: Platform, table_counts: Callable[[], dict[str, int]]
) -> None:
    before = table_counts()
    with pytest.raises(RuntimeError), platform.session() as session:
        audit.record(session, None, "candidate.erase", "candidate:1")
        session.flush()
        raise RuntimeError("the use case failed after recording")
    assert table_counts() == before

    with platform.session() as session:
        audit.record(session, None, "candidate.erase", "candidate:1")
    with platform.session() as session:
        assert [e.action for e in audit.entries(session, subject="candidate:1")] == ["candidate.erase"]
    assert table_counts() == {**before, "audit_log": before["audit_log"] + 1}
