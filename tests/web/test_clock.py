"""Times in the console's zone: naive stored times are UTC; the zone is named, with its offset."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from api.web import clock
from matcher.config import Settings

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_late_utc_evening_is_the_next_morning_in_zhengzhou() -> None:
    late = datetime(2026, 11, 30, 20, 5)  # naive, as SQLite gives it back: UTC
    assert clock.day(late, SHANGHAI) == "2026-12-01"
    assert clock.minute(late, SHANGHAI, "zh") == "2026-12-01 04:05 北京时间 UTC+8"
    assert clock.minute(late.replace(tzinfo=UTC), SHANGHAI, "en") == "2026-12-01 04:05 Beijing time (UTC+8)"
    assert clock.day(None, SHANGHAI) == "" and clock.minute(None, SHANGHAI, "zh") == ""
    assert clock.day(date(2026, 11, 30), SHANGHAI) == "2026-11-30"  # a posting's day is a day, in no zone


def test_another_zone_is_named_by_its_key_with_its_offset() -> None:
    kolkata = ZoneInfo("Asia/Kolkata")
    assert clock.minute(datetime(2026, 12, 1, 0, 0), kolkata, "en") == "2026-12-01 05:30 Asia/Kolkata (UTC+5:30)"
    assert clock.minute(datetime(2026, 12, 1, 12, 0), ZoneInfo("America/New_York"), "zh").endswith(
        "America/New_York UTC-5"
    )


def test_an_unknown_zone_is_refused_with_a_readable_message() -> None:
    assert Settings(time_zone=" Europe/Berlin ").time_zone == "Europe/Berlin"
    with pytest.raises(ValidationError, match="TALENT_TIME_ZONE must be an IANA time zone"):
        Settings(time_zone="Mars/Olympus")
    with pytest.raises(ValidationError, match="TALENT_TIME_ZONE"):
        Settings(time_zone="Asia")
