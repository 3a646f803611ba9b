"""Times as the people of Zhengzhou read them: stored in UTC, shown in the configured zone (TALENT_TIME_ZONE,
Asia/Shanghai by default) with the zone named next to every time of day."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from api.web.i18n import Lang

# Names people use for a zone; any other zone is shown by its IANA key.
ZONE_NAMES = {"Asia/Shanghai": ("北京时间", "Beijing time")}


def in_zone(value: datetime, zone: ZoneInfo) -> datetime:
    """`value` in `zone`; a naive value is UTC (as every stored time is)."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(zone)


def zone_label(zone: ZoneInfo, moment: datetime, lang: Lang) -> str:
    """The zone's name and offset at `moment`: "北京时间 UTC+8", "Beijing time (UTC+8)"."""
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    utc = f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
    zh, en = ZONE_NAMES.get(zone.key, (zone.key, zone.key))
    return f"{zh} {utc}" if lang == "zh" else f"{en} ({utc})"


def day(value: datetime | date | None, zone: ZoneInfo) -> str:
    """The calendar date in the zone ("2026-12-05"); a date (a posting's day) as it is; empty for no value."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return value.isoformat()
    return in_zone(value, zone).strftime("%Y-%m-%d")


def minute(value: datetime | None, zone: ZoneInfo, lang: Lang) -> str:
    """Date and time to the minute in the zone, the zone named: "2026-12-05 13:17 北京时间 UTC+8"."""
    if value is None:
        return ""
    local = in_zone(value, zone)
    return f"{local.strftime('%Y-%m-%d %H:%M')} {zone_label(zone, local, lang)}"


def today(zone: ZoneInfo) -> date:
    """Today's date in the zone (in Zhengzhou, a day begins 8 hours before UTC's)."""
    return datetime.now(zone).date()


def zone_name(zone: ZoneInfo, lang: Lang) -> str:
    """The zone as people call it, with its offset now: "北京时间 UTC+8", "Beijing time (UTC+8)"."""
    return zone_label(zone, datetime.now(zone), lang)
