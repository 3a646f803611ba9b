"""Pure normalizers the pipelines use: HTML to text, dates, salary ranges, degree levels."""

import re
from datetime import date, datetime

from w3lib.html import remove_tags, replace_entities

from matcher.degrees import DegreeLevel, parse_degree

_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_BREAKS = re.compile(r"<\s*(br|/p|/li|/h[1-6]|/div)\s*/?\s*>", re.I)


def html_to_text(value: str | None) -> str:
    """Visible text of an HTML fragment: tags removed, entities decoded, blank runs collapsed, lines kept."""
    if not value:
        return ""
    text = replace_entities(remove_tags(_BREAKS.sub("\n", str(value))))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def iso_date(value: str | None) -> str | None:
    """'2026-11-01T09:00:00+08:00', '2026/11/01', '2026年11月1日' -> '2026-11-01'; None when unreadable."""
    if not value:
        return None
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    match = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            return None
    return None


_PERIODS = {
    "year": "year",
    "annual": "year",
    "yearly": "year",
    "年": "year",
    "month": "month",
    "monthly": "month",
    "月": "month",
    "day": "day",
    "daily": "day",
    "天": "day",
    "日": "day",
    "hour": "hour",
    "hourly": "hour",
    "小时": "hour",
    "时": "hour",
}


def salary_period(value: str | None) -> str | None:
    """schema.org unitText ('MONTH', 'YEAR') or Chinese ('月') -> year | month | day | hour."""
    if not value:
        return None
    return _PERIODS.get(str(value).strip().lower().rstrip("s"))


# Above these, a salary that names no period is taken as yearly: where annual pay is quoted (USD 100,000), a
# monthly figure that high is rare; for CNY, 100,000 a month is rarer still than 年薪 100,000.
_YEARLY_FROM = {"CNY": 100_000, "USD": 15_000, "EUR": 15_000, "GBP": 15_000, "AUD": 20_000, "CAD": 20_000}


def infer_salary_period(amount: float | None, currency: str) -> str:
    """The period of a salary given without one: 'year' for amounts only annual pay reaches, else 'month'."""
    threshold = _YEARLY_FROM.get(currency)
    return "year" if amount is not None and threshold is not None and amount >= threshold else "month"


_RANGE = re.compile(
    r"(?P<low>\d+(?:\.\d+)?)\s*(?P<low_unit>[kK千wW万]?)\s*(?:-|~|–|—|至|到)\s*(?P<high>\d+(?:\.\d+)?)\s*(?P<unit>[kK千wW万]?)"
)
_SINGLE = re.compile(r"(?P<low>\d+(?:\.\d+)?)\s*(?P<unit>[kK千wW万])")
_MULTIPLIER = {"": 1, "k": 1_000, "K": 1_000, "千": 1_000, "w": 10_000, "W": 10_000, "万": 10_000}


def parse_salary_text(text: str | None) -> tuple[float | None, float | None, str | None]:
    """'15-25K', '1.5-2.5万/月', '8000-12000元/月', '20万/年' -> (min, max, period); Nones when absent."""
    if not text:
        return None, None, None
    value = str(text)
    period = None
    for word, name in (
        ("年", "year"),
        ("/year", "year"),
        ("月", "month"),
        ("/month", "month"),
        ("天", "day"),
        ("/day", "day"),
        ("小时", "hour"),
        ("/hour", "hour"),
    ):
        if word in value.lower():
            period = name
            break
    match = _RANGE.search(value)
    if match:
        unit = match["unit"] or match["low_unit"]
        scale = _MULTIPLIER[unit]
        low_scale = _MULTIPLIER[match["low_unit"]] if match["low_unit"] else scale
        low, high = float(match["low"]) * low_scale, float(match["high"]) * scale
        if "薪" in value or unit in ("k", "K", "千"):
            period = period or "month"
        return (min(low, high), max(low, high), period)
    single = _SINGLE.search(value)
    if single:
        amount = float(single["low"]) * _MULTIPLIER[single["unit"]]
        return amount, amount, period
    return None, None, period


def degree_name(value: str | None) -> tuple[str, bool]:
    """A degree requirement as a level name ('' for none), and whether it was understood."""
    if not value or not str(value).strip():
        return "", True
    level = parse_degree(str(value))
    if level is None:
        return "", False
    return ("" if level is DegreeLevel.NONE else level.label), True
