"""What a partner firm's tools hand back to show, called directly: a shortlist comes with its candidates (no query
per entry), and a saved search is deleted only by its own firm."""

import pytest
from sqlalchemy.orm import Session

from matcher.errors import NotFound
from matcher.partners import tools
from tests import factories


def test_a_shortlist_comes_with_its_candidates(session: Session) -> None:
    firm = factories.partner(session).caller
    job = factories.job(session)
    people = [factories.candidate(session, name=f"候选人{n}", headline=f"headline {n}") for n in range(3)]

    added = tools.shortlist(session, firm, job.id, people[0].id, "first")
    assert added.candidate is people[0]
    for person in people[1:]:
        tools.shortlist(session, firm, job.id, person.id, "")
    session.flush()
    session.expire_all()

    listed = tools.shortlisted(session, firm, job.id)
    assert all("candidate" in entry.__dict__ for entry in listed)  # loaded with the entries, not one by one
    assert [(e.candidate_id, e.candidate.name, e.candidate.headline) for e in listed] == [
        (p.id, p.name, p.headline) for p in people
    ]


def test_a_saved_search_is_deleted_by_its_firm_only(session: Session) -> None:
    firm, other = factories.partner(session).caller, factories.partner(session).caller
    saved = tools.save_search(session, firm, "chips", "模拟芯片", {})
    kept = tools.save_search(session, firm, "nav", "北斗", {})

    with pytest.raises(NotFound):
        tools.delete_saved_search(session, other, saved.id)
    tools.delete_saved_search(session, firm, saved.id)
    session.flush()
    assert [s.id for s in tools.saved_searches(session, firm)] == [kept.id]
    with pytest.raises(NotFound):
        tools.delete_saved_search(session, firm, saved.id)
