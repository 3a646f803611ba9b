"""The office pages (人才办): the priority-major list with its evidence, the talent catalogue per leading industry,
and the referral funnel with placements and rewards — each with a CSV download (the JSON API's CSV reports need an
API key header, which a browser link cannot send). The certification queue and the feedback inbox are in
office_queue.py, the review of records that may be one person in office_people.py, both included here."""

import csv
import io
import re
from datetime import date
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import DAY_PATTERN, PlatformDep, SessionDep
from api.downloads import download
from api.web.auth import PREFIX, OfficeViewer
from api.web.forms import FormRoute
from api.web.i18n import Lang, Translator, lang_of
from api.web.messages import worded
from api.web.pages import office_people, office_queue
from api.web.render import page
from matcher import tables
from matcher.errors import FieldProblem, InvalidFields, TalentError
from matcher.office import catalogue as talent_catalogue
from matcher.office import certification, periods, priority, reports
from matcher.office.priority import PriorityList
from matcher.office.priority_export import COLUMNS, row
from matcher.platform import Platform
from matcher.reference import english_names, leading_industries
from matcher.reference.leading_industries import PriorityConfig
from matcher.store.models import utcnow

router = APIRouter(route_class=FormRoute, prefix=PREFIX, include_in_schema=False)
router.include_router(office_queue.router)
router.include_router(office_people.router)

CHART_MAJORS = 15  # majors in the shortage chart
LIMITS = (20, 50, 100, 200)  # choices of how many majors the table lists
OTHER = "其他行业"  # compute_priority's name for demand outside the leading industries
ReportName = Literal["referrals", "placements", "rewards"]
AsOf = Annotated[date | None, Query(description="Compute as of this day (default: today).")]
# The funnel's period as typed (YYYY-MM-DD, or empty for open), read by `period_of` so that a refused one is kept.
From = Annotated[str, Query(alias="from", max_length=40)]
To = Annotated[str, Query(alias="to", max_length=40)]


def english_industries(config: PriorityConfig) -> dict[str, str]:
    """Each leading industry's English name: ours for the industries of the packaged configuration, else the first
    Latin alias the configuration gives it, else its Chinese name."""
    names = {OTHER: "Other industries", reports.UNSPECIFIED: "Unspecified"}
    for name, spec in config.industries.items():
        latin = next((alias for alias in spec.aliases if alias.isascii()), "")
        names[name] = english_names.industry_names().get(name) or (latin[:1].upper() + latin[1:]) or name
    return names


def priority_list(session: SessionDep, platform: Platform, day: date) -> tuple[PriorityList, PriorityConfig]:
    """The list as GET /majors/priority computes it (with each major's change since the last snapshot). On the
    demo data (500 jobs, 2,000 candidates) this takes ~55 ms, so it is computed per request, not cached."""
    config, _ = leading_industries.load_config(platform.settings.priority_config)
    return priority.current_list(session, platform.settings.priority_config, day), config


def as_csv(name: str, table: tables.Table) -> Response:
    """A report as a CSV attachment named after it and today's date."""
    return download(name, table)


@router.get("/office", response_class=HTMLResponse)
def priority_majors(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    caller: OfficeViewer,
    as_of: AsOf = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> Response:
    """The priority-major list (专业清单): a chart of the greatest shortages and the top majors with evidence."""
    t = Translator(lang_of(request))
    day = as_of or date.today()
    result, config = priority_list(session, platform, day)
    chart = [(english_names.major_name(e.code, e.name, t.lang), e.shortage) for e in result.entries[:CHART_MAJORS]]
    return page(
        request,
        "office/priority.html",
        result=result,
        entries=result.entries[:limit],
        limit=limit,
        limits=sorted({*LIMITS, limit}),
        as_of=as_of,
        chart=chart,
        chart_title=t(f"紧缺度最高的 {len(chart)} 个专业", f"The {len(chart)} majors in shortest supply"),
        industry_en=english_industries(config),
        config_file=platform.settings.priority_config.name if platform.settings.priority_config else "",
    )


@router.get("/office/priority.csv")
def priority_csv(
    session: SessionDep,
    platform: PlatformDep,
    caller: OfficeViewer,
    as_of: AsOf = None,
    lang: Annotated[Lang, Query(description="Names of majors and industries in Chinese or English.")] = "zh",
) -> Response:
    """The whole list as CSV, every row with its evidence (the columns of `talent priority export`), majors and
    industries named in `lang`."""
    result, _ = priority_list(session, platform, as_of or date.today())
    return as_csv("priority-majors", (list(COLUMNS), [list(row(e, lang).values()) for e in result.entries]))


@router.get("/office/catalogue", response_class=HTMLResponse)
def catalogue(
    request: Request, session: SessionDep, platform: PlatformDep, caller: OfficeViewer, as_of: AsOf = None
) -> Response:
    """The talent catalogue: per leading industry, the occupations, majors and employers in demand."""
    t = Translator(lang_of(request))
    day = as_of or date.today()
    config, _ = leading_industries.load_config(platform.settings.priority_config)
    window_start = priority.window_start_of(day, config.window_days)  # Invalid for a day the calendar cannot hold
    entries = talent_catalogue.talent_catalogue(session, config, day)
    english = english_industries(config)
    chart = [(t(e.industry, english.get(e.industry, e.industry)), float(e.vacancies)) for e in entries if e.jobs]
    return page(
        request,
        "office/catalogue.html",
        entries=entries,
        day=day,
        as_of=as_of,
        window_start=window_start,
        chart=chart,
        industry_en=english,
    )


@router.get("/office/catalogue.csv")
def catalogue_csv(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    caller: OfficeViewer,
    as_of: AsOf = None,
    lang: Annotated[
        Lang | None, Query(description="Names of industries, occupations and majors in Chinese or English.")
    ] = None,
) -> Response:
    """The catalogue in long form (industry, kind, rank, code, name, value), as `talent catalogue --format csv`;
    industries, occupations and majors named in `lang` (by default the console's language)."""
    config, _ = leading_industries.load_config(platform.settings.priority_config)
    day = as_of or date.today()
    priority.window_start_of(day, config.window_days)  # Invalid for a day the calendar cannot hold
    entries = talent_catalogue.talent_catalogue(session, config, day)
    header, *lines = csv.reader(io.StringIO(talent_catalogue.to_csv(entries, lang or lang_of(request))))
    rows: list[list[tables.Cell]] = [list(line) for line in lines]
    return as_csv("talent-catalogue", (header, rows))


def _day(text: str, field: str) -> date | None:
    """A day typed YYYY-MM-DD (2000 to 2099, as the API's days); None when left empty."""
    text = text.strip()
    if not text:
        return None
    try:
        if re.fullmatch(DAY_PATTERN, text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    problem = FieldProblem((field,), "date_parsing", "not a day written YYYY-MM-DD")
    raise InvalidFields(f"{field}: not a day written YYYY-MM-DD", [problem])


def period_of(start: str, end: str, platform: Platform) -> periods.Period:
    """The period the funnel's form asks for, its days in the console's zone (TALENT_TIME_ZONE)."""
    return periods.period(_day(start, "from"), _day(end, "to"), platform.settings.time_zone)


def period_query(start: str, end: str) -> str:
    """The period as the query of a link (the CSV downloads take the page's period), '' when open."""
    given = {name: value.strip() for name, value in (("from", start), ("to", end)) if value.strip()}
    return f"?{urlencode(given)}" if given else ""


@router.get("/office/funnel", response_class=HTMLResponse)
def funnel(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    caller: OfficeViewer,
    start: From = "",
    end: To = "",
) -> Response:
    """Referrals by stage with the conversion from stage to stage (overall and per partner), placements (time to
    hire; certified hires by tier, industry and priority major) and partner rewards — of the referrals made from
    `from` to `to` (days in the console's zone; either may be left empty). A refused period is the page again (422)
    with the reason and what was typed."""
    t = Translator(lang_of(request))
    try:
        span = period_of(start, end, platform)
    except TalentError as refused:
        return page(request, "office/funnel.html", status_code=422, refused=worded(refused, t), start=start, end=end)
    referred = reports.referrals_report(session, span)
    placed = reports.placements_report(session, platform.settings, utcnow().date(), span)
    rewards = reports.rewards_report(session, span)
    tiers = {
        tier.tier: (tier.name_zh, tier.name_en)
        for tier in certification.load_config(platform.settings.certification_config)[0].tiers
    }
    config, _ = leading_industries.load_config(platform.settings.priority_config)
    english = english_industries(config)
    return page(
        request,
        "office/funnel.html",
        start=start.strip(),
        end=end.strip(),
        period=span,
        csv_query=period_query(start, end),
        referred=referred,
        placed=placed,
        rewards=rewards,
        stages=reports.BOARD,
        stage_chart=[(t.word(stage), float(referred.by_stage[stage])) for stage in reports.BOARD],
        tier_chart=[(t(*tiers.get(tier, (tier, tier))), float(n)) for tier, n in placed.by_tier.items()],
        industry_chart=[(t(name, english.get(name, name)), float(n)) for name, n in placed.by_industry.items()],
    )


@router.get("/office/reports/{name}.csv")
def report_csv(
    session: SessionDep,
    platform: PlatformDep,
    caller: OfficeViewer,
    name: ReportName,
    start: From = "",
    end: To = "",
) -> Response:
    """The office's reports as the JSON API's ?format=csv gives them, for a browser signed in to the console, of
    the funnel page's period (`from`, `to`)."""
    span = period_of(start, end, platform)
    if name == "referrals":
        return as_csv(name, reports.referrals_report(session, span).table())
    if name == "placements":
        return as_csv(name, reports.placements_report(session, platform.settings, utcnow().date(), span).table())
    return as_csv(name, reports.rewards_report(session, span).table())
