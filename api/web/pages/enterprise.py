"""The enterprise pages (用人单位): the employer's jobs, posting, editing and closing one. The candidates ranked for
a job and the contact requests are in enterprise_candidates.py, whose routes this router includes. Mirrors
api/routes/jobs.py."""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from api.deps import PlatformDep, SessionDep
from api.schemas import JobIn
from api.web import clock
from api.web.auth import PREFIX, CheckedForm, EnterpriseViewer
from api.web.forms import FormRoute
from api.web.i18n import Translator, lang_of
from api.web.messages import problem_text
from api.web.pages import enterprise_candidates
from api.web.render import page, redirect, zone_of
from matcher.degrees import DegreeLevel
from matcher.errors import Invalid
from matcher.ingest import postings
from matcher.partners import contact_requests
from matcher.records import EMPLOYMENT_TYPES
from matcher.reference import leading_industries
from matcher.store.models import Job

router = APIRouter(route_class=FormRoute, prefix=PREFIX, include_in_schema=False)
HOME = f"{PREFIX}/enterprise"
MAX_JOBS = 300  # jobs listed on the home page (an enterprise with more closes old ones)
DEGREES = ("associate", "bachelor", "master", "doctorate")
PERIODS = ("month", "year", "day", "hour")
JobId = Annotated[int, Path(ge=1, le=2**63 - 1)]
LongText = Annotated[str, Form(max_length=20_000)]
Short = Annotated[str, Form(max_length=500)]
Number = Annotated[str, Form(max_length=30)]
MAJOR_SEPARATORS = re.compile(r"[,，、;；\n]+")

# What each field of the form is called, for error messages.
LABELS: dict[str, tuple[str, str]] = {
    "title": ("职位名称", "Job title"),
    "industry": ("行业", "Industry"),
    "description": ("职位描述", "Description"),
    "requirements": ("任职要求", "Requirements"),
    "majors": ("专业", "Majors"),
    "min_degree": ("最低学历", "Minimum degree"),
    "location": ("工作地点", "Location"),
    "salary_min": ("最低薪资", "Minimum salary"),
    "salary_max": ("最高薪资", "Maximum salary"),
    "currency": ("币种", "Currency"),
    "salary_period": ("薪资周期", "Pay period"),
    "openings": ("招聘人数", "Openings"),
    "experience_years": ("工作经验（年）", "Years of experience"),
    "employment_type": ("工作性质", "Job type"),
    "valid_through": ("申请截止日期", "Apply by"),
}


@dataclass(frozen=True)
class JobRow:
    job: Job
    editable: bool
    requests: dict[str, int]  # contact requests about the job by status


def job_form(
    title: Short = "",
    industry: Short = "",
    description: LongText = "",
    requirements: LongText = "",
    majors: Annotated[str, Form(max_length=5_000)] = "",
    min_degree: Annotated[str, Form(max_length=30)] = "",
    location: Short = "",
    salary_min: Number = "",
    salary_max: Number = "",
    currency: Annotated[str, Form(max_length=10)] = "CNY",
    salary_period: Annotated[str, Form(max_length=10)] = "month",
    openings: Number = "",
    experience_years: Number = "",
    employment_type: Annotated[str, Form(max_length=20)] = "",
    valid_through: Annotated[str, Form(max_length=30)] = "",
) -> dict[str, str]:
    """The job form as typed (checked by `validated`)."""
    return {key: value.strip() for key, value in locals().items()}


JobForm = Annotated[dict[str, str], Depends(job_form)]


class JobFormRefused(Invalid):
    """The job form refused, saying why in the reader's language and which fields to fix (nothing is stored)."""

    def __init__(self, message: str, fields: tuple[str, ...]) -> None:
        super().__init__(message)
        self.fields = fields


def _reason(error: ErrorDetails, t: Translator) -> str:
    """One field's problem in the reader's language."""
    return problem_text(error["type"], error.get("ctx") or {}, error["msg"], t)


def validated(raw: dict[str, str], t: Translator, today: date) -> dict[str, Any]:
    """The form's fields as JobIn takes them, or JobFormRefused saying what to fix (nothing is stored); a deadline
    before `today` (in the console's zone) is refused."""
    fields: dict[str, Any] = {
        **raw,
        "majors": [m.strip() for m in MAJOR_SEPARATORS.split(raw["majors"]) if m.strip()],
        "salary_min": raw["salary_min"] or None,
        "salary_max": raw["salary_max"] or None,
        "currency": raw["currency"].upper() or "CNY",
        "min_degree": raw["min_degree"] or "none",  # the form's 不限 / Any
        **{key: raw[key] or None for key in ("openings", "experience_years", "employment_type", "valid_through")},
    }
    try:
        job = JobIn(**fields)
    except ValidationError as exc:
        parts, wrong = [], []
        for error in exc.errors()[:3]:
            field = str(error["loc"][0]) if error["loc"] else ""
            label = t(*LABELS[field]) if field in LABELS else field
            parts.append(f"{label}{t('：', ': ')}{_reason(error, t)}")
            wrong.append(field)
        raise JobFormRefused(t("；", "; ").join(parts), tuple(wrong)) from None
    if job.salary_min is not None and job.salary_max is not None and job.salary_min > job.salary_max:
        raise JobFormRefused(
            t(
                f"最低薪资（{job.salary_min:g}）高于最高薪资（{job.salary_max:g}）。",
                f"The minimum salary ({job.salary_min:g}) is above the maximum ({job.salary_max:g}).",
            ),
            ("salary_min", "salary_max"),
        )
    if job.valid_through is not None and job.valid_through < today:
        raise JobFormRefused(
            t(
                f"申请截止日期（{job.valid_through}）已经过去。",
                f"The last day to apply ({job.valid_through}) has passed.",
            ),
            ("valid_through",),
        )
    return job.model_dump(exclude={"posted_at"})


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}" if value < 1e6 else f"{value:.0f}"


def form_values(job: Job | None) -> dict[str, str]:
    """What the form shows: a job's fields, or the defaults of a new one."""
    if job is None:
        return {"currency": "CNY", "salary_period": "month"}
    return {
        "title": job.title,
        "industry": job.industry,
        "description": job.description,
        "requirements": job.requirements,
        "majors": "、".join(job.majors),
        "min_degree": DegreeLevel(job.min_degree).label if job.min_degree else "",
        "location": job.location,
        "salary_min": _number(job.salary_min),
        "salary_max": _number(job.salary_max),
        "currency": job.currency,
        "salary_period": job.salary_period,
        "openings": str(job.openings or ""),
        "experience_years": _number(job.experience_years),
        "employment_type": job.employment_type or "",
        "valid_through": job.valid_through.isoformat() if job.valid_through else "",
    }


@lru_cache(maxsize=4)
def _industries(path: FilePath | None) -> tuple[str, ...]:
    """The city's leading industries (the priority configuration), offered in the form."""
    return tuple(leading_industries.load_config(path)[0].industries)


def _form_page(
    request: Request,
    platform: PlatformDep,
    job: Job | None,
    refused: JobFormRefused | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    """The job form: the job's fields (or a new job's defaults); after a refusal, what was typed, the fields to fix
    marked and why, answered 422."""
    editable = job is None or (job.source == postings.SOURCE and job.closed_at is None)
    extra: dict[str, Any] = {}
    if refused is not None:
        extra = {"flash": {"kind": "error", "text": refused.message}, "status_code": 422}
    return page(
        request,
        "enterprise/job_form.html",
        job=job,
        values=typed if typed is not None else form_values(job),
        invalid=refused.fields if refused else (),
        editable=editable,
        degrees=DEGREES,
        employment_types=EMPLOYMENT_TYPES,
        periods=PERIODS,
        industries=_industries(platform.settings.priority_config),
        source=postings.SOURCE,
        **extra,
    )


@router.get("/enterprise", response_class=HTMLResponse)
def my_jobs(request: Request, session: SessionDep, caller: EnterpriseViewer) -> Response:
    """The enterprise's jobs: open ones first, newest first; closed ones marked."""
    jobs = postings.own_jobs(session, caller, MAX_JOBS)
    counts = contact_requests.counts_by_job(session, caller, [j.id for j in jobs])
    rows = [JobRow(job, job.source == postings.SOURCE and job.closed_at is None, counts[job.id]) for job in jobs]
    return page(
        request,
        "enterprise/jobs.html",
        rows=rows,
        open_count=sum(1 for j in jobs if j.closed_at is None),
        source=postings.SOURCE,
    )


@router.get("/enterprise/jobs/new", response_class=HTMLResponse)
def new_job_page(request: Request, platform: PlatformDep, _caller: EnterpriseViewer) -> Response:
    return _form_page(request, platform, None)


@router.post("/enterprise/jobs/new", dependencies=[CheckedForm])
def post_job(
    request: Request, session: SessionDep, platform: PlatformDep, caller: EnterpriseViewer, form: JobForm
) -> Response:
    """Post a job, like POST /jobs: stored, normalized and searchable at once."""
    t = Translator(lang_of(request))
    try:
        fields = validated(form, t, clock.today(zone_of(request)))
    except JobFormRefused as refused:
        return _form_page(request, platform, None, refused, form)
    job = postings.post_job(session, platform.importer(session, "jobs"), caller, fields)
    return redirect(
        f"{HOME}/jobs/{job.id}",
        t(
            f"已发布「{job.title}」。下面是与它最匹配的候选人。",
            f"Posted “{job.title}”. Here are the candidates who fit it best.",
        ),
    )


@router.get("/enterprise/jobs/{job_id}/edit", response_class=HTMLResponse)
def edit_job_page(
    request: Request, session: SessionDep, platform: PlatformDep, caller: EnterpriseViewer, job_id: JobId
) -> Response:
    return _form_page(request, platform, postings.own_job(session, caller, job_id))


@router.post("/enterprise/jobs/{job_id}/edit", dependencies=[CheckedForm])
def edit_job(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    caller: EnterpriseViewer,
    form: JobForm,
    job_id: JobId,
) -> Response:
    """Change a job, like PATCH /jobs/{id} (a crawled or closed job is refused with the service's reason)."""
    t = Translator(lang_of(request))
    try:
        fields = validated(form, t, clock.today(zone_of(request)))
    except JobFormRefused as refused:
        return _form_page(request, platform, postings.own_job(session, caller, job_id), refused, form)
    job = postings.update_job(session, platform.importer(session, "jobs"), caller, job_id, fields)
    return redirect(f"{HOME}/jobs/{job.id}", t(f"已保存「{job.title}」。", f"Saved “{job.title}”."))


@router.post("/enterprise/jobs/{job_id}/close", dependencies=[CheckedForm])
def close_job(request: Request, session: SessionDep, caller: EnterpriseViewer, job_id: JobId) -> Response:
    """Close a job, like POST /jobs/{id}/close: it leaves matches and search."""
    t = Translator(lang_of(request))
    job = postings.close_job(session, caller, job_id)
    message = t(
        f"已关闭「{job.title}」，它不再出现在搜索结果中。", f"Closed “{job.title}”: it no longer shows in search."
    )
    return redirect(HOME, message)


router.include_router(enterprise_candidates.router)
