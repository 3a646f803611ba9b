"""The office's certification queue, feedback inbox and CSV files, called directly: hired referrals wait oldest first
with what the criteria decide for them, certified ones are owed, a candidate can be looked up, and everyone shown is
audited as seen by the office; the inbox says what each piece of feedback is about; a CSV cell never runs as a
formula."""

from datetime import date

from sqlalchemy.orm import Session

from matcher import tables
from matcher.office import decisions, feedback, queue
from matcher.people import audit
from matcher.platform import Platform
from tests import factories

DAY = date(2026, 3, 1)
WHERE = "test queue"


def test_the_queue_lists_hired_and_owed_and_audits_who_it_shows(platform: Platform) -> None:
    with platform.session() as session:
        office = factories.admin(session).caller
        firm = factories.partner(session, "Queue Firm").caller
        job = factories.job(session, enterprise=factories.enterprise(session))
        first, second, paid, owed = (factories.candidate(session) for _ in range(4))
        hired = [factories.referral(session, firm, p, job, stage="hired").id for p in (first, second)]
        factories.referral(session, firm, paid, job, stage="rewarded", office=office, tier="B", reward=5)
        certified = factories.referral(session, firm, owed, job, stage="certified", office=office, tier="B", reward=7)
        stranger = factories.candidate(session).id
        certified_id = certified.id

    with platform.session() as session:
        found = queue.certification_queue(
            session,
            platform.settings,
            office,
            DAY,
            offset=0,
            page_size=1,
            owed_shown=10,
            candidate_id=stranger,
            where=WHERE,
        )
        assessor = decisions.Assessor(session, platform.settings, DAY)
        assert [w.referral.id for w in found.waiting] == hired[:1] and found.waiting_total == 2  # oldest first
        waiting = found.waiting[0]
        assert (waiting.candidate.id, waiting.job.id, waiting.partner) == (first.id, job.id, "Queue Firm")
        assert waiting.decision == assessor.assess(waiting.candidate).decision
        assert waiting.reward == assessor.reward(waiting.decision) and waiting.hired_at is not None
        assert [(o.referral.id, o.candidate.id, o.partner) for o in found.owed] == [
            (certified_id, owed.id, "Queue Firm")
        ]
        assert found.owed_total == 1 and found.owed[0].certified_at is not None
        assert found.looked_up is not None and found.looked_up.id == stranger and found.found is not None
        assert found.found.decision == decisions.assess(session, platform.settings, stranger, DAY).decision
        cash = [p for p in found.found.policies if p.eligible and p.kind == "cash" and not p.group]
        assert found.total_cash == sum(p.amount or 0 for p in cash)

        missing = queue.certification_queue(
            session,
            platform.settings,
            office,
            DAY,
            offset=5,
            page_size=20,
            owed_shown=0,
            candidate_id=10**9,
            where=WHERE,
        )
        assert (missing.waiting, missing.owed, missing.looked_up, missing.found, missing.total_cash) == (
            [],
            [],
            None,
            None,
            0,
        )
        assert (missing.waiting_total, missing.owed_total) == (2, 1)

    with platform.session() as session:  # written with the unit of work that showed them
        seen = audit.entries(session, action="personal_data.view")
        assert sorted(e.subject for e in seen) == sorted(f"candidate:{i}" for i in (first.id, owed.id, stranger))
        assert {(e.actor_account_id, e.detail["where"]) for e in seen} == {(office.account_id, WHERE)}


def test_the_inbox_says_what_each_piece_of_feedback_is_about(platform: Platform, session: Session) -> None:
    office = factories.admin(session).caller
    firm = factories.partner(session).caller
    person = factories.candidate_account(session).caller
    job = factories.job(session, title="卫星导航工程师")
    referral = factories.referral(session, firm, factories.candidate(session), job, stage="contacted")
    about_referral = feedback.file_feedback(session, firm, "何时面试？", referral_id=referral.id)
    about_policy = feedback.file_feedback(session, person, "何时发放？", policy_key="living_subsidy")

    found = feedback.inbox(session, office, None, platform.settings.policy_catalogue)
    assert [row.id for row in found.rows] == [about_policy.id, about_referral.id]  # newest first
    assert found.about == {referral.id: ("contacted", "卫星导航工程师")}
    assert found.policy_names["living_subsidy"][0] and found.policy_names["living_subsidy"][1]
    assert [row.id for row in feedback.inbox(session, firm).rows] == [about_referral.id]  # an author sees their own
    feedback.close(session, office, about_policy.id)
    closed = feedback.inbox(session, office, "closed")
    assert [row.id for row in closed.rows] == [about_policy.id] and closed.about == {}


def test_a_csv_file_is_named_after_its_report_and_quotes_formulas() -> None:
    table: tables.Table = (["partner", "total"], [["=cmd()", 3], ["-1", None], ["Firm, Ltd", 2.5]])
    file = tables.csv_file("rewards", table, date(2026, 1, 2))
    assert file.filename == "talentbridge-rewards-2026-01-02.csv"
    assert file.text == "\ufeffpartner,total\r\n'=cmd(),3\r\n'-1,\r\n\"Firm, Ltd\",2.5\r\n"
    assert tables.csv_file("referrals", table).filename.startswith("talentbridge-referrals-20")
