"""The funnel of a period (issue 16, "Missing" 1): the referrals made on the period's days — calendar days in the
platform's zone — followed to wherever they got, with the conversion from stage to stage and from referred; every
report of the office takes the same period; a period that ends before it starts is refused."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from matcher.errors import Invalid
from matcher.office import reports
from matcher.office.periods import period
from matcher.partners import referrals
from matcher.platform import Platform
from matcher.store.models import Referral
from tests import factories

ZONE = "Asia/Shanghai"
# 16:30 UTC on 1 March is half past midnight on 2 March in Beijing.
LATE_ON_THE_FIRST = datetime(2026, 3, 1, 16, 30, tzinfo=UTC)


def _made(referral: Referral, at: datetime) -> None:
    referral.created_at = at


@pytest.fixture
def cohorts(session: Session) -> dict[str, int]:
    """March (Beijing days): five referrals — two hired and certified (one reward paid), one at `interviewing`, one
    declined after an interview, one just referred; 1 March at 23:59 Beijing and 2 March at 00:30 Beijing sit on either
    side of the day's end. February: one referral, hired."""
    firm = factories.partner(session, "Period Firm").caller
    office = factories.admin(session).caller
    job = factories.job(session)
    refer = factories.referral
    march = [
        refer(session, firm, factories.candidate(session), job, stage="rewarded", office=office, reward=8),
        refer(session, firm, factories.candidate(session), job, stage="certified", office=office, reward=5),
        refer(session, firm, factories.candidate(session), job, stage="interviewing"),
        refer(session, firm, factories.candidate(session), job, stage="interviewing"),
        refer(session, firm, factories.candidate(session), job),
    ]
    referrals.move(session, firm, march[3].id, "declined")
    _made(march[0], datetime(2026, 3, 1, 15, 59, tzinfo=UTC))  # 23:59 on 1 March in Beijing
    for i, row in enumerate(march[1:]):
        _made(row, LATE_ON_THE_FIRST + timedelta(days=i))  # 2 to 5 March in Beijing, from 00:30 on 2 March
    february = refer(session, firm, factories.candidate(session), job, stage="hired")
    _made(february, datetime(2026, 2, 10, 4, 0, tzinfo=UTC))
    session.flush()
    return {"first": march[0].id, "second": march[1].id, "february": february.id}


def _funnel(report: reports.ReferralsReport) -> list[tuple[str, int, float | None, float | None]]:
    return [(c.stage, c.reached, c.from_previous, c.from_referred) for c in report.funnel]


def test_the_funnel_of_march_converts_stage_by_stage(session: Session, cohorts: dict[str, int]) -> None:
    report = reports.referrals_report(session, period(date(2026, 3, 1), date(2026, 3, 31), ZONE))
    assert report.total == 5 and (report.start, report.end) == (date(2026, 3, 1), date(2026, 3, 31))
    assert report.by_stage["declined"] == 1 and report.by_stage["interviewing"] == 1
    assert _funnel(report) == [
        ("referred", 5, None, None),
        ("contacted", 4, 0.8, 0.8),
        ("interviewing", 4, 1.0, 0.8),  # the declined one had been interviewed
        ("offered", 2, 0.5, 0.4),
        ("hired", 2, 1.0, 0.4),
        ("certified", 2, 1.0, 0.4),
        ("rewarded", 1, 0.5, 0.2),
    ]


def test_days_are_the_zones_calendar_days(session: Session, cohorts: dict[str, int]) -> None:
    first_day = reports.referrals_report(session, period(date(2026, 3, 1), date(2026, 3, 1), ZONE))
    assert first_day.total == 1 and first_day.by_stage["rewarded"] == 1  # 15:59 UTC: 23:59 in Beijing
    second_day = reports.referrals_report(session, period(date(2026, 3, 2), date(2026, 3, 2), ZONE))
    assert second_day.total == 1 and second_day.by_stage["certified"] == 1  # 16:30 UTC on 1 March: 00:30 on 2 March
    in_utc = reports.referrals_report(session, period(date(2026, 3, 1), date(2026, 3, 1), "UTC"))
    assert in_utc.total == 2  # in UTC the next one (16:30) falls on 1 March too
    open_start = reports.referrals_report(session, period(None, date(2026, 2, 28), ZONE))
    assert open_start.total == 1 and open_start.by_stage["hired"] == 1
    everything = reports.referrals_report(session)
    assert everything.total == 6 and (everything.start, everything.end) == (None, None)
    assert [c.reached for c in everything.funnel][:5] == [6, 5, 5, 3, 3]


def test_every_report_takes_the_period(session: Session, platform: Platform, cohorts: dict[str, int]) -> None:
    march = period(date(2026, 3, 1), date(2026, 3, 31), ZONE)
    february = period(date(2026, 2, 1), date(2026, 2, 28), ZONE)
    placed = reports.placements_report(session, platform.settings, date(2026, 4, 1), march)
    assert (placed.certified, placed.time_to_hire.hires) == (2, 2)
    in_february = reports.placements_report(session, platform.settings, date(2026, 4, 1), february)
    assert (in_february.time_to_hire.hires, in_february.certified) == (1, 0)  # hired, not certified
    paid = reports.rewards_report(session, march)
    assert (paid.owed, paid.owed_hires, paid.paid, paid.paid_hires) == (5, 1, 8, 1)
    assert reports.rewards_report(session, period(date(2026, 3, 2), None, ZONE)).paid == 0  # paid one: 1 March
    _, rows = reports.referrals_report(session, february).table()
    assert rows[-1][:3] == [reports.ALL, "all partners", 1]


def test_with_no_referrals_the_rates_are_not_numbers(session: Session) -> None:
    empty = reports.referrals_report(session, period(date(2030, 1, 1), date(2030, 1, 2), ZONE))
    assert empty.total == 0 and all(
        (c.reached, c.from_previous, c.from_referred) == (0, None, None) for c in empty.funnel
    )


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        period(date(2026, 3, 2), date(2026, 3, 1), ZONE)
    assert refused.value.reason == "date_range"
    assert refused.value.params == {"start": date(2026, 3, 2), "end": date(2026, 3, 1)}
    with pytest.raises(Invalid) as too_far:
        period(None, date.max, ZONE)
    assert too_far.value.reason == "day_out_of_range"
    assert period(date(2026, 3, 1), date(2026, 3, 1), ZONE).until == datetime(2026, 3, 1, 16, 0, tzinfo=UTC)
