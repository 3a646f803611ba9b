"""The office's reports, called directly on a board made by the factories: every figure is checked exactly — the
referrals by stage and firm, days from referral to hire, certified hires by tier, industry and major (with the
stars of the priority list in force), the rewards owed and paid — and so are the flat tables CSV is written from."""

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from matcher.office import reports
from matcher.office.reports import ALL
from matcher.platform import Platform
from matcher.reference.leading_industries import load_config
from matcher.store.models import PrioritySnapshot, PrioritySnapshotEntry, utcnow
from tests import factories

AS_OF = utcnow().date()
MICROELECTRONICS = {"school": "Imperial College London", "degree": "MSc", "major": "微电子", "major_code": "080704"}
UNMAPPED = {"school": "Somewhere", "degree": "MA", "major": "Basket weaving", "major_code": None}


@pytest.fixture
def board(platform: Platform) -> dict[str, Any]:
    """Six referrals by two firms. Firm A: one paid hire (tier B, 30,000, 10 days to hire), one hire not certified
    (4 days), one declined, one just referred. Firm B: two certified hires not yet paid (tier C, 10,000 each; 20 and
    6 days), one for a job that names no industry. On the priority list in force, 遥感科学与技术 has 5 stars."""
    with platform.session() as session:
        a = factories.partner(session, "甲猎头公司 Firm A").caller
        b = factories.partner(session, "乙人才服务 Firm B").caller
        office = factories.admin(session).caller
        gnss = factories.job(session, industry="卫星导航")
        chips = factories.job(session, title="模拟芯片设计工程师", industry="集成电路")
        plain = factories.job(session, title="工程师", industry=" ")
        refer = factories.referral
        refer(
            session,
            a,
            factories.candidate(session),
            gnss,
            stage="rewarded",
            office=office,
            tier="B",
            reward=30000,
            hired_after_days=10,
        )
        refer(session, a, factories.candidate(session, education=[UNMAPPED]), chips, stage="hired", hired_after_days=4)
        refer(session, a, factories.candidate(session), gnss, stage="declined")
        refer(session, a, factories.candidate(session), chips)
        refer(
            session,
            b,
            factories.candidate(session, education=[MICROELECTRONICS]),
            chips,
            stage="certified",
            office=office,
            reward=10000,
            hired_after_days=20,
        )
        refer(
            session,
            b,
            factories.candidate(session, education=[UNMAPPED]),
            plain,
            stage="certified",
            office=office,
            reward=10000,
            hired_after_days=6,
        )
        _, config_hash = load_config(platform.settings.priority_config)
        session.execute(delete(PrioritySnapshot))  # snapshots of earlier tests are not cleared between tests
        snapshot = PrioritySnapshot(
            period="earlier",
            as_of=AS_OF - timedelta(days=30),
            config_hash=config_hash,
            jobs_counted=1,
            candidates_counted=1,
        )
        snapshot.entries = [
            PrioritySnapshotEntry(major_code="081202", rank=1, stars=5, shortage=3.0, demand=1.0, supply=0)
        ]
        session.add(snapshot)
        return {"a": a.organization_id, "b": b.organization_id}


def test_referrals_by_stage_and_firm(session: Session, board: dict[str, Any]) -> None:
    report = reports.referrals_report(session)
    assert report.total == 6
    assert report.by_stage == {
        "referred": 1,
        "contacted": 0,
        "interviewing": 0,
        "offered": 0,
        "hired": 1,
        "certified": 2,
        "rewarded": 1,
        "declined": 1,
    }
    assert [(p.partner_id, p.partner, p.total) for p in report.by_partner] == [
        (board["a"], "甲猎头公司 Firm A", 4),
        (board["b"], "乙人才服务 Firm B", 2),
    ]
    header, rows = report.table()
    assert header == ["partner_id", "partner", "total", *reports.BOARD]
    assert rows == [
        [board["a"], "甲猎头公司 Firm A", 4, 1, 0, 0, 0, 1, 0, 1, 1],
        [board["b"], "乙人才服务 Firm B", 2, 0, 0, 0, 0, 0, 2, 0, 0],
        [ALL, "all partners", 6, 1, 0, 0, 0, 1, 2, 1, 1],
    ]


def test_placements_time_to_hire_and_certified_hires(
    session: Session, platform: Platform, board: dict[str, Any]
) -> None:
    report = reports.placements_report(session, platform.settings, AS_OF)
    assert report.as_of == AS_OF
    by_firm = [(t.partner_id, t.partner, t.hires, t.median_days, t.mean_days) for t in report.time_to_hire_by_partner]
    assert by_firm == [(board["a"], "甲猎头公司 Firm A", 2, 7.0, 7.0), (board["b"], "乙人才服务 Firm B", 2, 13.0, 13.0)]
    overall = report.time_to_hire
    assert (overall.partner_id, overall.hires, overall.median_days, overall.mean_days) == (None, 4, 8.0, 10.0)
    assert report.certified == 3  # the hire not yet certified is not one
    assert report.by_tier == {"B": 1, "C": 2}
    assert report.by_industry == {reports.UNSPECIFIED: 1, "卫星导航": 1, "集成电路": 1}
    assert [(m.code, m.name, m.stars, m.certified) for m in report.by_major] == [
        ("081202", "遥感科学与技术", 5, 1),
        ("080704", "微电子科学与工程", None, 1),
    ]
    assert report.priority_major_hires == 1

    header, rows = report.table()
    assert header == ["breakdown", "key", "name", "stars", "count", "median_days", "mean_days"]
    assert rows == [
        ["time_to_hire", board["a"], "甲猎头公司 Firm A", None, 2, 7.0, 7.0],
        ["time_to_hire", board["b"], "乙人才服务 Firm B", None, 2, 13.0, 13.0],
        ["time_to_hire", ALL, "all partners", None, 4, 8.0, 10.0],
        ["certified", ALL, "all certified hires", None, 3, None, None],
        ["tier", "B", None, None, 1, None, None],
        ["tier", "C", None, None, 2, None, None],
        ["industry", reports.UNSPECIFIED, None, None, 1, None, None],
        ["industry", "卫星导航", None, None, 1, None, None],
        ["industry", "集成电路", None, None, 1, None, None],
        ["major", "081202", "遥感科学与技术", 5, 1, None, None],
        ["major", "080704", "微电子科学与工程", None, 1, None, None],
        ["priority_major", ALL, "certified hires with a priority major", None, 1, None, None],
    ]


def test_stars_come_from_the_list_in_force_on_the_day(
    session: Session, platform: Platform, board: dict[str, Any]
) -> None:
    """Before the snapshot was taken there was no list in force: the list computed for that day (from jobs with no
    posting date, so outside any window before today) gives no stars."""
    earlier = AS_OF - timedelta(days=31)
    report = reports.placements_report(session, platform.settings, earlier)
    assert [(m.code, m.stars) for m in report.by_major] == [("080704", None), ("081202", None)]
    assert report.priority_major_hires == 0


def test_rewards_owed_and_paid(session: Session, board: dict[str, Any]) -> None:
    report = reports.rewards_report(session)
    assert (report.currency, report.owed, report.owed_hires, report.paid, report.paid_hires) == (
        "CNY",
        20000,
        2,
        30000,
        1,
    )
    assert [(p.partner_id, p.owed, p.owed_hires, p.paid, p.paid_hires) for p in report.by_partner] == [
        (board["a"], 0, 0, 30000, 1),
        (board["b"], 20000, 2, 0, 0),
    ]
    header, rows = report.table()
    assert header == ["partner_id", "partner", "owed", "owed_hires", "paid", "paid_hires"]
    assert rows == [
        [board["a"], "甲猎头公司 Firm A", 0, 0, 30000, 1],
        [board["b"], "乙人才服务 Firm B", 20000, 2, 0, 0],
        [ALL, "all partners", 20000, 2, 30000, 1],
    ]


def test_with_no_referrals_every_report_is_empty_but_whole(session: Session, platform: Platform) -> None:
    referred = reports.referrals_report(session)
    assert (referred.total, referred.by_partner) == (0, [])
    assert referred.by_stage == dict.fromkeys(reports.BOARD, 0)
    assert referred.table()[1] == [[ALL, "all partners", 0, *[0] * len(reports.BOARD)]]

    placed = reports.placements_report(session, platform.settings, date(2026, 1, 1))
    assert placed.time_to_hire_by_partner == []
    assert (placed.time_to_hire.hires, placed.time_to_hire.median_days, placed.time_to_hire.mean_days) == (
        0,
        None,
        None,
    )
    assert (placed.certified, placed.by_tier, placed.by_industry, placed.by_major) == (0, {}, {}, [])
    assert placed.priority_major_hires == 0

    rewards = reports.rewards_report(session)
    assert (rewards.owed, rewards.owed_hires, rewards.paid, rewards.paid_hires, rewards.by_partner) == (0, 0, 0, 0, [])
    assert rewards.table()[1] == [[ALL, "all partners", 0, 0, 0, 0]]
