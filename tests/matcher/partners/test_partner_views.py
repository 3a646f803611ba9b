"""What the partner and enterprise consoles read, called directly: a candidate accepts a referral (once, audited);
an organization's contact requests with each candidate as it may see them (views audited) and counted per job; a
firm's shortlists, job choices and what it already did with candidates; the referrals' jobs come with them."""

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from matcher.errors import Forbidden, NotFound
from matcher.partners import contact_requests, referrals, tools
from matcher.people import audit, privacy
from matcher.platform import Platform
from matcher.store import queries
from matcher.store.models import Job, utcnow
from tests import factories
from tests.conftest import sql_target


def test_a_candidate_accepts_a_referral_once(session: Session) -> None:
    person = factories.candidate(session)
    me = factories.candidate_account(session, person).caller
    firm = factories.partner(session).caller
    referral = factories.referral(session, firm, person, factories.job(session))

    accepted = referrals.accept(session, me, referral.id)
    when = accepted.accepted_at
    assert accepted is referral and when is not None
    assert referrals.accept(session, me, referral.id).accepted_at == when  # again: nothing changes
    assert [e.action for e in audit.entries(session, subject=f"referral:{referral.id}")].count("referral.accept") == 1
    assert person.id in privacy.unmasked_ids(session, firm, [person.id])

    with pytest.raises(Forbidden):
        referrals.accept(session, firm, referral.id)
    other = factories.candidate_account(session).caller
    with pytest.raises(NotFound):
        referrals.accept(session, other, referral.id)


def test_contact_requests_as_the_organization_sees_them(platform: Platform) -> None:
    with platform.session() as session:
        employer = factories.enterprise(session)
        hr = factories.enterprise_account(session, employer).caller
        job = factories.job(session, enterprise=employer)
        shares, masked, hidden = (factories.candidate(session, name=n) for n in ("王芳", "Jane Doe", "张伟"))
        for person in (shares, masked, hidden):
            contact_requests.request_contact(session, hr, person.id, job.id, "你好")
        consenting = factories.candidate_account(session, shares).caller
        asked = contact_requests.for_organization(session, hr, [shares.id])[0]
        contact_requests.answer(session, consenting, asked.id, accept=True)
        hidden.visible = False
        ids = (shares.id, masked.id, hidden.id)
        assert contact_requests.counts_by_job(session, hr, [job.id, job.id + 1000]) == {
            job.id: {"accepted": 1, "pending": 2},
            job.id + 1000: {},
        }
        assert contact_requests.counts_by_job(session, hr, []) == {}
        latest = contact_requests.latest_asked(session, hr, list(ids))
        assert {i: a.status for i, a in latest.items()} == {
            shares.id: "accepted",
            masked.id: "pending",
            hidden.id: "pending",
        }
        assert all(a.again_after is None for a in latest.values())
        assert contact_requests.latest_asked(session, hr, []) == {}

    with platform.session() as session:
        sent = contact_requests.sent(session, hr, 10, "test requests")
        shown = {row.request.candidate_id: (row.name, row.headline, row.email, row.masked) for row in sent}
        assert [row.request.candidate_id for row in sent] == [hidden.id, masked.id, shares.id]  # newest first
        assert shown[shares.id] == ("王芳", shares.headline, shares.email, False)
        assert shown[masked.id] == ("J*** D**", masked.headline, None, True)
        assert shown[hidden.id] == ("张*", "", None, True)  # a hidden profile says nothing more
        assert [row.request.candidate_id for row in contact_requests.sent(session, hr, 1, "x")] == [hidden.id]
        assert privacy.shared_emails(session, hr, ids) == {shares.id: shares.email}

    with platform.session() as session:
        views = audit.entries(session, action="personal_data.view")
        assert [(v.subject, v.detail["where"]) for v in views if v.detail["where"] == "test requests"] == [
            (f"candidate:{shares.id}", "test requests")
        ]


def test_a_firms_shortlists_and_progress(session: Session) -> None:
    firm = factories.partner(session, "Shortlist Firm").caller
    colleague = factories.partner(session, "Shortlist Firm").caller
    other = factories.partner(session).caller
    first_job, second_job = factories.job(session, title="嵌入式工程师"), factories.job(session, title="GNSS 工程师")
    people = [factories.candidate(session, name=n) for n in ("李明", "Jane Doe")]
    tools.shortlist(session, firm, first_job.id, people[0].id, "strong")
    tools.shortlist(session, colleague, first_job.id, people[1].id, "")
    tools.shortlist(session, firm, second_job.id, people[0].id, "")
    referral = factories.referral(session, firm, people[0], first_job, stage="contacted")

    assert tools.shortlisted_jobs(session, firm) == [(second_job, 1), (first_job, 2)]  # added to last first
    assert tools.shortlisted_jobs(session, other) == []
    assert tools.progress(session, firm, [people[0].id, people[1].id]) == {
        people[0].id: [("shortlisted", "嵌入式工程师"), ("shortlisted", "GNSS 工程师"), ("referred", "嵌入式工程师")],
        people[1].id: [("shortlisted", "嵌入式工程师")],
    }
    assert tools.progress(session, other, [people[0].id]) == {people[0].id: []}

    found = tools.shortlists(session, firm, first_job.id)
    assert found.current is first_job and [job for job, _ in found.jobs] == [second_job, first_job]
    assert [(e.candidate_id, e.name, e.note, e.stage) for e in found.entries] == [
        (people[0].id, "李*", "strong", referral.stage),
        (people[1].id, "J*** D**", "", None),
    ]
    assert tools.shortlists(session, firm).current is second_job  # the one added to last
    empty = tools.shortlists(session, other)
    assert (empty.jobs, empty.current, empty.entries) == ([], None, [])
    with pytest.raises(NotFound, match="job 1000000000 not found"):
        tools.shortlists(session, firm, 10**9)


def test_job_choices_put_the_asked_one_first_then_the_closest_then_the_shortlisted(
    loaded: Platform, session: Session
) -> None:
    firm = factories.partner(session).caller
    gnss, nurse, food = (
        queries.get_by_ref(Job, session=session, source="test", external_id=f"j-{name}")
        for name in ("gnss", "nurse", "food")
    )
    assert gnss is not None and nurse is not None and food is not None
    tools.shortlist(session, firm, food.id, factories.candidate(session).id, "")
    engine = loaded.matching(session)

    chosen = tools.job_choices(session, engine, firm, "GNSS positioning algorithms", nurse.id, 1)
    assert [j.id for j in chosen] == [nurse.id, gnss.id, food.id]
    assert [j.id for j in tools.job_choices(session, engine, firm, "GNSS positioning algorithms", gnss.id, 1)] == [
        gnss.id,
        food.id,
    ]  # each job once
    nurse.closed_at = utcnow()
    assert nurse not in tools.job_choices(session, engine, firm, "GNSS positioning algorithms", nurse.id, 1)


def test_listed_referrals_come_with_their_jobs(platform: Platform) -> None:
    with platform.session() as session:
        firm = factories.partner(session).caller
        for _ in range(3):
            factories.referral(session, firm, factories.candidate(session), factories.job(session))
    with platform.session() as session:
        listed = referrals.list_referrals(session, firm)
        statements: list[str] = []

        def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
            statements.append(statement)

        event.listen(sql_target(platform), "before_cursor_execute", seen)
        try:
            titles = [(r.job.title, r.job.employer) for r in listed]
        finally:
            event.remove(sql_target(platform), "before_cursor_execute", seen)
        assert len(titles) == 3 and statements == []  # loaded with them: no query per referral
