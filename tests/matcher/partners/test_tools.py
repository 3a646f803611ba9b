"""A partner firm's working tools, called directly: saved searches and shortlists belong to the firm (colleagues
share them, other firms never see them), and what is refused leaves nothing behind."""

from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from matcher.errors import Conflict, Invalid, NotFound
from matcher.partners import tools
from matcher.platform import Platform
from matcher.store.models import SavedSearch, utcnow
from tests import factories


def test_a_saved_search_is_tidied_and_shared_by_the_firm_only(session: Session) -> None:
    li = factories.partner(session, "甲猎头公司 Firm A").caller
    wang = factories.partner(session, "甲猎头公司 Firm A").caller  # a colleague
    other = factories.partner(session).caller

    saved = tools.save_search(session, li, "  北斗 engineers ", " GNSS 算法 ", {"location": "郑州", "min_degree": ""})
    assert (saved.name, saved.query, saved.filters) == ("北斗 engineers", "GNSS 算法", {"location": "郑州"})
    assert (saved.organization_id, saved.created_by) == (li.organization_id, li.account_id)
    second = tools.save_search(session, wang, "chips", "模拟芯片", {})

    assert [s.id for s in tools.saved_searches(session, li)] == [saved.id, second.id]
    assert [s.id for s in tools.saved_searches(session, wang)] == [saved.id, second.id]
    assert tools.saved_searches(session, other) == []
    assert tools.saved_search(session, wang, saved.id) is saved
    with pytest.raises(NotFound, match=f"saved search {saved.id} not found"):
        tools.saved_search(session, other, saved.id)
    with pytest.raises(NotFound):
        tools.saved_search(session, li, saved.id + 1000)


def test_a_firm_at_its_limit_of_saved_searches_is_refused_and_nothing_is_saved(
    platform: Platform, table_counts: Callable[[], dict[str, int]]
) -> None:
    with platform.session() as session:
        full, other = factories.partner(session).caller, factories.partner(session).caller
        assert full.organization_id is not None
        session.add_all(
            SavedSearch(organization_id=full.organization_id, name=f"s{n}", query="q", filters={})
            for n in range(tools.MAX_SAVED)
        )
    before = table_counts()
    with platform.session() as session, pytest.raises(Invalid, match=f"{tools.MAX_SAVED} saved searches"):
        tools.save_search(session, full, "one more", "q", {})
    assert table_counts() == before
    with platform.session() as session:  # the limit is per firm
        tools.save_search(session, other, "first", "q", {})
    assert table_counts()["saved_searches"] == before["saved_searches"] + 1


def test_a_shortlist_is_the_firms_own_and_in_order(session: Session) -> None:
    firm = factories.partner(session, "乙人才服务 Firm B").caller
    colleague = factories.partner(session, "乙人才服务 Firm B").caller
    other = factories.partner(session).caller
    job = factories.job(session)
    first, second = factories.candidate(session), factories.candidate(session)

    entry = tools.shortlist(session, firm, job.id, second.id, "strong on RTK" + "x" * 3000)
    tools.shortlist(session, colleague, job.id, first.id, "")
    tools.shortlist(session, other, job.id, second.id, "theirs")
    session.flush()

    assert (entry.organization_id, entry.added_by, len(entry.note)) == (firm.organization_id, firm.account_id, 2000)
    assert entry.note.startswith("strong on RTK")
    assert [(e.candidate_id, e.added_by) for e in tools.shortlisted(session, firm, job.id)] == [
        (second.id, firm.account_id),
        (first.id, colleague.account_id),
    ]
    assert [e.note for e in tools.shortlisted(session, other, job.id)] == ["theirs"]
    assert tools.shortlisted(session, firm, factories.job(session).id) == []


def test_shortlisting_twice_is_a_conflict_and_the_firm_carries_on(
    platform: Platform, table_counts: Callable[[], dict[str, int]]
) -> None:
    with platform.session() as session:
        firm = factories.partner(session).caller
        job_id, candidate_id = factories.job(session).id, factories.candidate(session).id
        tools.shortlist(session, firm, job_id, candidate_id, "first")
    before = table_counts()
    with platform.session() as session:
        with pytest.raises(Conflict, match=f"already on your shortlist for job {job_id}"):
            tools.shortlist(session, firm, job_id, candidate_id, "again")
        # the unit of work is still usable after the refusal, and what it commits holds no second entry
        assert [e.note for e in tools.shortlisted(session, firm, job_id)] == ["first"]
    assert table_counts() == before


def test_a_closed_job_a_hidden_or_missing_candidate_and_a_missing_job_are_refused(
    platform: Platform, table_counts: Callable[[], dict[str, int]]
) -> None:
    with platform.session() as session:
        firm = factories.partner(session).caller
        open_job = factories.job(session).id
        closed_job = factories.job(session, closed_at=utcnow()).id
        visible = factories.candidate(session).id
        hidden = factories.candidate(session, visible=False).id
    before = table_counts()
    refused: list[tuple[int, int, type[Exception], str]] = [
        (closed_job, visible, Invalid, f"job {closed_job} is closed"),
        (open_job, hidden, NotFound, f"candidate {hidden} not found"),
        (open_job, visible + hidden + 1000, NotFound, "candidate .* not found"),
        (open_job + closed_job + 1000, visible, NotFound, "job .* not found"),
    ]
    for job_id, candidate_id, error, message in refused:
        with platform.session() as session, pytest.raises(error, match=message):
            tools.shortlist(session, firm, job_id, candidate_id, "")
    assert table_counts() == before


def test_unlisting_removes_only_the_firms_own_entry(session: Session) -> None:
    firm, other = factories.partner(session).caller, factories.partner(session).caller
    job, person = factories.job(session), factories.candidate(session)
    tools.shortlist(session, firm, job.id, person.id, "")
    tools.shortlist(session, other, job.id, person.id, "")

    tools.unlist(session, firm, job.id, person.id)
    session.flush()
    assert tools.shortlisted(session, firm, job.id) == []
    assert [e.candidate_id for e in tools.shortlisted(session, other, job.id)] == [person.id]
    with pytest.raises(NotFound, match=f"candidate {person.id} is not on your shortlist for job {job.id}"):
        tools.unlist(session, firm, job.id, person.id)


def test_a_candidate_who_hides_their_profile_leaves_every_shortlist_until_they_show_it_again(session: Session) -> None:
    firm = factories.partner(session).caller
    job = factories.job(session)
    staying, hiding = factories.candidate(session), factories.candidate(session)
    tools.shortlist(session, firm, job.id, staying.id, "")
    tools.shortlist(session, firm, job.id, hiding.id, "their note")
    session.flush()

    hiding.visible = False
    session.flush()
    assert [e.candidate_id for e in tools.shortlisted(session, firm, job.id)] == [staying.id]
    assert [(j.id, count) for j, count in tools.shortlisted_jobs(session, firm)] == [(job.id, 1)]
    assert [e.candidate_id for e in tools.shortlists(session, firm, job.id).entries] == [staying.id]

    hiding.visible = True  # the firm's entry was kept, note and all
    session.flush()
    assert [e.note for e in tools.shortlisted(session, firm, job.id)] == ["", "their note"]
    assert [(j.id, count) for j, count in tools.shortlisted_jobs(session, firm)] == [(job.id, 2)]
