"""The candidate portal (海外学子): my profile and résumé (upload, replace, delete), the openings that fit me with why,
the referrals made for me and the jobs I said I am interested in, and the policies I qualify for with the rule behind
each. A job's own page and "I'm interested" are in candidate_jobs.py; consent, contact requests, export and erasure
in candidate_privacy.py: this router includes both."""

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from api.deps import MatchingDep, PlatformDep, SessionDep, read_resume
from api.schemas import MatchOut
from api.web.auth import PREFIX, CandidateViewer, CheckedForm
from api.web.forms import FormRoute
from api.web.i18n import Translator, lang_of
from api.web.messages import SAID, worded
from api.web.pages import candidate_jobs, candidate_privacy
from api.web.pages.candidate_privacy import own_id
from api.web.render import page, redirect
from matcher.degrees import DegreeLevel
from matcher.errors import FieldProblem, Invalid, InvalidFields
from matcher.ingest import registration
from matcher.ingest.resumes import ResumeText
from matcher.office import certification, feedback
from matcher.office import decisions as talent_office
from matcher.partners import interests, referrals
from matcher.search.industries import industries_for_candidate
from matcher.search.matching import Filters
from matcher.store import queries
from matcher.store.models import utcnow

router = APIRouter(route_class=FormRoute, prefix=PREFIX, include_in_schema=False)
HOME = f"{PREFIX}/me"
PER_PAGE = 10
SIDE_INDUSTRIES = 5
MAX_EDUCATION, MAX_EXPERIENCE = 20, 50  # as PATCH /me/profile allows
LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Text = Annotated[str, Query(max_length=100)]
EDUCATION = ("school", "degree", "major", "country", "end_year")
EXPERIENCE = ("title", "organization", "start", "end", "description")
LIST_FIELDS = ("skills", "preferred_locations", "industries", "languages")


class ProfileForm(BaseModel):
    """The profile form as posted: lists typed as text (separated by commas, 、 or new lines), education and
    experience as parallel columns, one entry per row (the form adds a blank row; blank rows are dropped)."""

    name: str = Field("", max_length=300)  # blank is refused by the page, with the form as typed
    headline: str = Field("", max_length=300)
    summary: str = Field("", max_length=20_000)
    skills: str = Field("", max_length=20_000)
    location: str = Field("", max_length=300)
    preferred_locations: str = Field("", max_length=6_000)
    industries: str = Field("", max_length=6_000)
    languages: str = Field("", max_length=6_000)
    email: str = Field("", max_length=300)
    birth_year: str = Field("", max_length=10)
    edu_school: list[str] = Field(default_factory=list, max_length=MAX_EDUCATION + 1)
    edu_degree: list[str] = Field(default_factory=list, max_length=MAX_EDUCATION + 1)
    edu_major: list[str] = Field(default_factory=list, max_length=MAX_EDUCATION + 1)
    edu_country: list[str] = Field(default_factory=list, max_length=MAX_EDUCATION + 1)
    edu_end_year: list[str] = Field(default_factory=list, max_length=MAX_EDUCATION + 1)
    exp_title: list[str] = Field(default_factory=list, max_length=MAX_EXPERIENCE + 1)
    exp_organization: list[str] = Field(default_factory=list, max_length=MAX_EXPERIENCE + 1)
    exp_start: list[str] = Field(default_factory=list, max_length=MAX_EXPERIENCE + 1)
    exp_end: list[str] = Field(default_factory=list, max_length=MAX_EXPERIENCE + 1)
    exp_description: list[str] = Field(default_factory=list, max_length=MAX_EXPERIENCE + 1)


class ProfileFormRefused(Invalid):
    """The profile form refused, said in the reader's language, with the fields to fix (``birth_year``,
    ``edu_end_year:0`` for the first education entry's graduation year); nothing is stored."""

    def __init__(self, message: str, fields: tuple[str, ...] = ()) -> None:
        super().__init__(message, SAID)
        self.fields = fields


def split_list(text: str, limit: int, what: str, t: Translator, field: str = "") -> list[str]:
    """'卫星导航、组合导航, Kalman filter' -> its items (each once, in order)."""
    items = list(dict.fromkeys(item.strip() for item in LIST_SEPARATORS.split(text) if item.strip()))
    if len(items) > limit:
        raise ProfileFormRefused(t(f"{what}：最多 {limit} 项。", f"{what}: at most {limit} items."), (field,))
    return items


def _year(value: str, what: str, t: Translator, field: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{1,4}", value):
        raise ProfileFormRefused(
            t(f"{what}：须为四位数年份，例如 2025。", f"{what}: must be a year such as 2025."), (field,)
        )
    return int(value)


def _entries(form: ProfileForm, prefix: str, keys: tuple[str, ...], limit: int, t: Translator) -> list[dict[str, str]]:
    """The rows of one repeated group of the form (education or experience), blank rows dropped."""
    columns = [getattr(form, f"{prefix}_{key}") for key in keys]
    if len({len(column) for column in columns}) > 1:
        raise ProfileFormRefused(
            t("表单不完整，请刷新页面后重试。", "The form is incomplete: reload the page and try again.")
        )
    rows = [dict(zip(keys, (v.strip() for v in values), strict=True)) for values in zip(*columns, strict=True)]
    rows = [row for row in rows if any(row.values())]
    if len(rows) > limit:
        raise ProfileFormRefused(t(f"最多 {limit} 条。", f"At most {limit} entries."))
    return rows


def profile_changes(form: ProfileForm, t: Translator) -> tuple[dict[str, Any], int | None]:
    """What the form asks PATCH /me/profile's service to change, and the birth year (None: leave it)."""
    if not form.name.strip():
        raise ProfileFormRefused(t("姓名：必须填写。", "Name: is required."), ("name",))
    education: list[dict[str, Any]] = []
    for n, row in enumerate(_entries(form, "edu", EDUCATION, MAX_EDUCATION, t)):
        education.append(
            {**row, "end_year": _year(row["end_year"], t("毕业年份", "Graduation year"), t, f"edu_end_year:{n}")}
        )
    changes: dict[str, Any] = {
        "name": form.name.strip(),
        "headline": form.headline,
        "summary": form.summary,
        "skills": split_list(form.skills, 100, t("技能", "Skills"), t, "skills"),
        "location": form.location,
        "preferred_locations": split_list(
            form.preferred_locations, 20, t("意向城市", "Preferred locations"), t, "preferred_locations"
        ),
        "industries": split_list(form.industries, 20, t("意向行业", "Industries"), t, "industries"),
        "languages": split_list(form.languages, 20, t("语言", "Languages"), t, "languages"),
        "email": form.email.strip() or None,
        "education": education,
        "experience": _entries(form, "exp", EXPERIENCE, MAX_EXPERIENCE, t),
    }
    return changes, _year(form.birth_year, t("出生年份", "Birth year"), t, "birth_year")


def _form_field(problem: FieldProblem) -> str:
    """The form's name for a record field a validator refused: ("education", 0, "end_year") -> edu_end_year:0."""
    loc = problem.loc
    if len(loc) >= 3 and loc[0] in ("education", "experience") and isinstance(loc[1], int):
        return f"{'edu' if loc[0] == 'education' else 'exp'}_{loc[2]}:{loc[1]}"
    return str(loc[0]) if loc else ""


def saved_values(row: Any, joiner: str) -> dict[str, Any]:
    """What the profile form shows for the stored profile (education and experience rows as stored)."""
    return {
        **{key: getattr(row, key) or "" for key in ("name", "email", "headline", "summary", "location")},
        **{key: joiner.join(getattr(row, key) or []) for key in LIST_FIELDS},
        "birth_year": str(row.birth_year or ""),
        "education": list(row.education),
        "experience": list(row.experience),
    }


def typed_values(form: ProfileForm) -> dict[str, Any]:
    """What the profile form shows after a refusal: everything as typed, each non-blank entry kept in order."""

    def rows(prefix: str, keys: tuple[str, ...]) -> list[dict[str, str]]:
        columns = [getattr(form, f"{prefix}_{key}") for key in keys]
        typed = [dict(zip(keys, values, strict=False)) for values in zip(*columns, strict=False)]
        return [row for row in typed if any(v.strip() for v in row.values())]

    return {
        **{key: getattr(form, key) for key in ("name", "email", "headline", "summary", "location", "birth_year")},
        **{key: getattr(form, key) for key in LIST_FIELDS},
        "education": rows("edu", EDUCATION),
        "experience": rows("exp", EXPERIENCE),
    }


def _profile_page(
    request: Request,
    row: Any,
    values: dict[str, Any] | None = None,
    refused: ProfileFormRefused | None = None,
) -> Response:
    joiner = "、" if lang_of(request) == "zh" else ", "
    extra: dict[str, Any] = {}
    if refused is not None:
        extra = {"flash": {"kind": "error", "text": refused.message}, "status_code": 422}
    return page(
        request,
        "candidate/profile.html",
        me=row,
        values=values if values is not None else saved_values(row, joiner),
        invalid=refused.fields if refused else (),
        **extra,
    )


@router.get("/me", response_class=HTMLResponse)
def profile_page(request: Request, session: SessionDep, caller: CandidateViewer) -> Response:
    """My profile: the edit form, the résumé upload and whether searches show me."""
    return _profile_page(request, registration.own_profile(session, caller))


@router.post("/me/profile", dependencies=[CheckedForm])
def edit_profile(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    caller: CandidateViewer,
    form: Annotated[ProfileForm, Form()],
) -> Response:
    """Save the profile as PATCH /me/profile does (the importer's checks, then the index refreshed); a refused
    profile comes back as typed, the fields to fix marked and why, in the page's language (nothing is stored)."""
    t = Translator(lang_of(request))
    try:
        changes, birth_year = profile_changes(form, t)
        registration.edit_profile(session, platform.importer(session, "candidates"), caller, changes, birth_year)
    except ProfileFormRefused as refused:
        return _profile_page(request, registration.own_profile(session, caller), typed_values(form), refused)
    except InvalidFields as refused:
        fields = tuple(_form_field(p) for p in refused.problems)
        said = ProfileFormRefused(worded(refused, t), fields)
        return _profile_page(request, registration.own_profile(session, caller), typed_values(form), said)
    return redirect(HOME, t("档案已保存，推荐职位已随之更新。", "Profile saved; your recommended openings follow it."))


@router.post("/me/resume", dependencies=[CheckedForm])
def upload_resume(
    request: Request,
    session: SessionDep,
    caller: CandidateViewer,
    resume: Annotated[ResumeText, Depends(read_resume)],  # after the caller: read for a signed-in candidate only
) -> Response:
    """Read a PDF or DOCX résumé into the profile, exactly as POST /me/resume (a file it cannot read is refused with
    the reason); one read already replaces the one before (the page asks first), and the message says what changed."""
    t = Translator(lang_of(request))
    change = registration.add_resume(session, caller, resume)
    replaced, chars = change.replaced_chars, change.chars
    cut = t("（超出部分未读取）", " (the rest was cut off)") if resume.truncated else ""
    kind = resume.format.upper()
    if replaced:
        message = t(
            f"简历已替换：新简历（{kind}，{chars} 字）{cut}取代了原简历（{replaced} 字），"
            "推荐职位随之更新；您填写的档案内容不变。",
            f"Résumé replaced: the new one ({kind}, {chars} characters){cut} takes the place of the old one "
            f"({replaced} characters) in matching; the profile you typed stays as it is.",
        )
    else:
        message = t(
            f"已读取简历（{kind}，{chars} 字）{cut}，将用于职位匹配。",
            f"Résumé read ({kind}, {chars} characters){cut}; it is now used for matching.",
        )
    return redirect(f"{HOME}#resume" if replaced else HOME, message)


@router.post("/me/resume/delete", dependencies=[CheckedForm])
def delete_resume(request: Request, session: SessionDep, caller: CandidateViewer) -> Response:
    """Delete my résumé, as DELETE /me/resume: its text leaves my profile and matching; what I typed stays."""
    t = Translator(lang_of(request))
    removed = registration.delete_resume(session, caller)
    return redirect(
        f"{HOME}#resume",
        t(
            f"简历已删除（{removed} 字），不再用于职位匹配；您填写的档案内容不变。",
            f"Résumé deleted ({removed} characters): it is no longer used for matching; the profile you typed stays.",
        ),
    )


@router.post("/me/visibility", dependencies=[CheckedForm])
def set_visibility(
    request: Request, session: SessionDep, caller: CandidateViewer, visible: Annotated[bool, Form()]
) -> Response:
    """Show or hide my profile from partners' searches, as PUT /me/visibility."""
    t = Translator(lang_of(request))
    registration.set_visibility(session, caller, visible)
    if visible:
        return redirect(HOME, t("您的档案已在搜索中显示。", "Your profile is shown in searches again."))
    return redirect(HOME, t("您的档案已在搜索中隐藏。", "Your profile is hidden from searches."))


@router.get("/me/openings", response_class=HTMLResponse)
def openings_page(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    engine: MatchingDep,
    caller: CandidateViewer,
    location: Text = "",
    industry: Text = "",
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> Response:
    """Openings for me, best first with why (GET /candidates/{id}/matches), the leading industries that fit me
    (GET /candidates/{id}/industries) and the referrals partners made for me."""
    candidate_id = own_id(caller)
    filters = Filters.parse(location, None, industry)
    matches = engine.match_candidate(session, candidate_id, filters, PER_PAGE + 1, offset)
    items = [MatchOut(**vars(m)) for m in matches[:PER_PAGE]]
    profiles = platform.industry_profiles(session)
    fits = industries_for_candidate(session, platform.encoder, profiles, candidate_id) if profiles else []
    mine = referrals.list_referrals(session, caller)
    return page(
        request,
        "candidate/openings.html",
        items=items,
        more=len(matches) > PER_PAGE,
        offset=offset,
        per_page=PER_PAGE,
        location=filters.location or "",
        industry=filters.industry or "",
        fits=fits[:SIDE_INDUSTRIES],
        referrals=mine,
        partners=queries.organization_names(session=session, ids={r.partner_id for r in mine}),
        interests=[row for row in interests.mine(session, caller) if row.withdrawn_at is None],
    )


@router.post("/me/referrals/{referral_id}/accept", dependencies=[CheckedForm])
def accept_referral(request: Request, session: SessionDep, caller: CandidateViewer, referral_id: RowId) -> Response:
    """Accept a referral, as POST /referrals/{id}/accept: its partner and the employer may then see my name."""
    t = Translator(lang_of(request))
    title = referrals.accept(session, caller, referral_id).job.title
    return redirect(
        f"{HOME}/openings#referrals",
        t(f"已同意推荐：{title}。", f"Referral accepted: {title}."),
    )


@router.get("/me/policies", response_class=HTMLResponse)
def policies_page(request: Request, session: SessionDep, platform: PlatformDep, caller: CandidateViewer) -> Response:
    """The certification tier I meet and every policy checked against it, with the rule behind each
    (GET /candidates/{id}/certification's assessment); my feedback on policies."""
    assessment = talent_office.assess(session, platform.settings, own_id(caller), utcnow().date())
    decision = assessment.decision
    tiers = certification.load_config(platform.settings.certification_config)[0].tiers
    better = [tier for tier in tiers if decision.tier is None or tier.tier < decision.tier]
    written = [f for f in feedback.list_feedback(session, caller) if f.topic == "policy"]
    basis = decision.basis
    return page(
        request,
        "candidate/policies.html",
        assessment=assessment,
        decision=decision,
        basis_degree=DegreeLevel(basis.degree_level).label if basis else None,
        basis_major=certification.major_names().get(basis.major_code or "", "") if basis else "",
        better=better,
        granted=[p for p in assessment.policies if p.eligible],
        refused=[p for p in assessment.policies if not p.eligible],
        names={p.key: (p.name_zh, p.name_en) for p in assessment.policies},
        written=written,
        max_text=feedback.MAX_TEXT,
    )


@router.post("/me/policies/feedback", dependencies=[CheckedForm])
def policy_feedback(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    caller: CandidateViewer,
    policy_key: Annotated[str, Form(max_length=100)],
    message: Annotated[str, Form(max_length=feedback.MAX_TEXT)] = "",
) -> Response:
    """File feedback on one policy, as POST /feedback; the office answers in its inbox."""
    t = Translator(lang_of(request))
    catalogue = platform.settings.policy_catalogue
    feedback.file_feedback(session, caller, message, policy_key=policy_key, catalogue=catalogue)
    return redirect(
        f"{HOME}/policies#feedback",
        t("反馈已提交，人才办答复后会显示在这里。", "Feedback sent; the talent office's answer will appear here."),
    )


router.include_router(candidate_jobs.router)
router.include_router(candidate_privacy.router)
