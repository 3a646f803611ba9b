"""A period of the office's reports: from one calendar day to another, both included, as the days fall in the
platform's time zone (TALENT_TIME_ZONE: a referral made at 23:30 UTC on 1 March is a 2 March referral in Beijing)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, true
from sqlalchemy.orm import InstrumentedAttribute

from matcher.errors import Invalid


@dataclass(frozen=True)
class Period:
    """Days `start` to `end` (either open: None) in `zone`; the moments they cover are [since, until) in UTC."""

    start: date | None
    end: date | None
    zone: str

    @property
    def since(self) -> datetime | None:
        return _midnight(self.start, self.zone) if self.start else None

    @property
    def until(self) -> datetime | None:
        return _midnight(self.end + timedelta(days=1), self.zone) if self.end else None

    @property
    def whole(self) -> bool:
        """No bound: every row counts."""
        return self.start is None and self.end is None

    def covers(self, column: InstrumentedAttribute[datetime] | ColumnElement[datetime]) -> ColumnElement[bool]:
        """A condition on a UTC timestamp `column`: it falls on one of the period's days."""
        bounds = []
        if self.since is not None:
            bounds.append(column >= self.since)
        if self.until is not None:
            bounds.append(column < self.until)
        return and_(true(), *bounds)


ALL_TIME = Period(None, None, "UTC")


def _midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def period(start: date | None, end: date | None, zone: str) -> Period:
    """The days from `start` to `end` in `zone` (an IANA name); either may be left open. Invalid when `start` is
    after `end`, or for a day the calendar cannot hold with the day after it (date.max)."""
    first, last = date.min + timedelta(days=1), date.max - timedelta(days=1)
    for day in (start, end):
        if day is not None and not first <= day <= last:
            raise Invalid(
                f"{day.isoformat()} is out of range: give a day from {first} to {last}",
                "day_out_of_range",
                day=day,
                first=first,
                last=last,
            )
    if start is not None and end is not None and start > end:
        raise Invalid(
            f"the period starts ({start.isoformat()}) after it ends ({end.isoformat()})",
            "date_range",
            start=start,
            end=end,
        )
    return Period(start, end, zone)
