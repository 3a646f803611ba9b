"""Reports for the talent office, as JSON or as CSV to open in a spreadsheet."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from api.auth import Admin
from api.deps import Day, OneValueEach, PlatformDep, SessionDep
from api.downloads import download
from api.schemas import error_responses
from matcher import tables
from matcher.office import periods, reports
from matcher.platform import Platform
from matcher.store.models import utcnow

router = APIRouter(prefix="/reports", tags=["reports"], dependencies=OneValueEach)
Format = Annotated[
    Literal["json", "csv"],
    Query(alias="format", description="json (default), or csv: UTF-8 with a byte-order mark, for spreadsheets."),
]


From = Annotated[
    Day | None,
    Query(alias="from", description="Only referrals made on or after this day (YYYY-MM-DD, TALENT_TIME_ZONE)."),
]
To = Annotated[
    Day | None,
    Query(alias="to", description="Only referrals made on or before this day (YYYY-MM-DD, TALENT_TIME_ZONE)."),
]


def period_of(platform: Platform, start: date | None, end: date | None) -> periods.Period:
    """The days asked for, in the platform's time zone (422 when `from` is after `to`)."""
    return periods.period(start, end, platform.settings.time_zone)


def documented(csv_columns: str) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a report route: the JSON schema comes from response_model; CSV is described here."""
    return {
        **error_responses(401, 403),
        200: {
            "description": f"The report as JSON, or with ?format=csv as a CSV attachment. CSV columns: {csv_columns}.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
    }


def as_csv(name: str, table: tables.Table) -> Response:
    """A report as a CSV attachment named after it and today's date."""
    return download(name, table)


@router.get(
    "/referrals",
    response_model=reports.ReferralsReport,
    responses=documented("partner_id, partner, total, then one per stage; the last row (partner_id 'all') is the sum"),
    summary="Referrals by the stage they stand at, overall and per partner, and the funnel's conversion rates",
)
def referrals_report(
    session: SessionDep,
    platform: PlatformDep,
    caller: Admin,
    fmt: Format = "json",
    start: From = None,
    end: To = None,
) -> reports.ReferralsReport | Response:
    report = reports.referrals_report(session, period_of(platform, start, end))
    return as_csv("referrals", report.table()) if fmt == "csv" else report


@router.get(
    "/placements",
    response_model=reports.PlacementsReport,
    responses=documented(
        "breakdown (time_to_hire, certified, tier, industry, major, priority_major), key, name, stars, count, "
        "median_days, mean_days"
    ),
    summary="Time from referral to hire, and certified talent by tier, industry and priority major",
)
def placements_report(
    session: SessionDep,
    platform: PlatformDep,
    caller: Admin,
    fmt: Format = "json",
    start: From = None,
    end: To = None,
) -> reports.PlacementsReport | Response:
    span = period_of(platform, start, end)
    report = reports.placements_report(session, platform.settings, utcnow().date(), span)
    return as_csv("placements", report.table()) if fmt == "csv" else report


@router.get(
    "/rewards",
    response_model=reports.RewardsReport,
    responses=documented(
        "partner_id, partner, owed, owed_hires, paid, paid_hires (CNY); the last row (partner_id 'all') is the sum"
    ),
    summary="Partner rewards owed (certified) and paid (rewarded), per partner",
)
def rewards_report(
    session: SessionDep,
    platform: PlatformDep,
    caller: Admin,
    fmt: Format = "json",
    start: From = None,
    end: To = None,
) -> reports.RewardsReport | Response:
    report = reports.rewards_report(session, period_of(platform, start, end))
    return as_csv("rewards", report.table()) if fmt == "csv" else report
