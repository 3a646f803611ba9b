"""A student signs up in the browser (like POST /signup): a short profile, consent to the terms, then their API key
shown once and straight into their profile, signed in. A refused form comes back as typed, saying why in the page's
language."""

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from api.clients import caller_address
from api.deps import PlatformDep, SessionDep
from api.web.auth import HOMES, PREFIX, SESSION_COOKIE, keep_session
from api.web.forms import FormRoute
from api.web.i18n import Translator, lang_of
from api.web.messages import SAID
from api.web.pages.candidate import split_list
from api.web.pages.home import same_site
from api.web.render import page
from matcher.errors import Forbidden, Invalid
from matcher.ingest import registration
from matcher.people import console_sessions
from matcher.people.accounts import Role
from matcher.people.ratelimit import address_bucket

router = APIRouter(route_class=FormRoute, prefix=PREFIX, include_in_schema=False)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
Short = Annotated[str, Form(max_length=300)]


class SignUpRefused(Invalid):
    """The form refused: why, in the reader's language, and the fields to fix."""

    def __init__(self, message: str, fields: tuple[str, ...]) -> None:
        super().__init__(message)
        self.fields = fields


def signup_form(
    name: Short = "",
    email: Short = "",
    headline: Short = "",
    summary: Annotated[str, Form(max_length=20_000)] = "",
    skills: Annotated[str, Form(max_length=5_000)] = "",
    location: Short = "",
    birth_year: Annotated[str, Form(max_length=10)] = "",
    accept_terms: Annotated[str, Form(max_length=10)] = "",
) -> dict[str, str]:
    """The sign-up form as typed (checked by `checked`)."""
    return {key: value.strip() for key, value in locals().items()}


SignUpForm = Annotated[dict[str, str], Depends(signup_form)]


def checked(form: dict[str, str], t: Translator) -> tuple[dict[str, Any], int | None]:
    """The profile's fields and birth year, or SignUpRefused saying everything there is to fix at once."""
    problems: list[tuple[str, tuple[str, ...]]] = []  # what to say, and the fields it marks
    if not form["name"]:
        problems.append((t("姓名：必须填写。", "Name: is required."), ("name",)))
    if form["email"] and not EMAIL.match(form["email"]):
        problems.append((t("电子邮箱：格式不对。", "E-mail: is not an e-mail address."), ("email",)))
    birth_year = None
    if form["birth_year"]:
        first, last = registration.birth_years()
        if form["birth_year"].isdigit() and first <= int(form["birth_year"]) <= last:
            birth_year = int(form["birth_year"])
        else:
            said = t(f"出生年份：应在 {first} 到 {last} 之间。", f"Birth year: must be from {first} to {last}.")
            problems.append((said, ("birth_year",)))
    skills: list[str] = []
    try:
        skills = split_list(form["skills"], 100, t("技能", "Skills"), t)
    except Invalid as refused:  # a list too long, said by split_list in the reader's language
        problems.append((refused.message, ("skills",)))
    if not (form["headline"] or form["summary"] or skills or (problems and problems[-1][1] == ("skills",))):
        said = t(
            "请至少填写求职方向、简介或技能之一，我们才能为您匹配职位。",
            "Fill in at least one of what you are looking for, a summary or skills, so that jobs can be matched.",
        )
        problems.append((said, ("headline", "summary", "skills")))
    if form["accept_terms"] != "yes":
        said = t("请阅读并同意下方的个人信息处理说明后再注册。", "Please read and accept the terms below to sign up.")
        problems.append((said, ("accept_terms",)))
    if problems:
        raise SignUpRefused(
            " ".join(message for message, _ in problems), tuple(f for _, fields in problems for f in fields)
        )
    fields = {
        "name": form["name"],
        "email": form["email"] or None,
        "headline": form["headline"],
        "summary": form["summary"],
        "skills": skills,
        "location": form["location"],
    }
    return fields, birth_year


def _form_page(request: Request, typed: dict[str, str], refused: SignUpRefused | None = None) -> Response:
    extra: dict[str, Any] = {}
    if refused is not None:
        extra = {"flash": {"kind": "error", "text": refused.message}, "status_code": 422}
    return page(request, "signup.html", values=typed, invalid=refused.fields if refused else (), **extra)


@router.get("/signup", response_class=HTMLResponse)
def signup_page(request: Request) -> Response:
    return _form_page(request, {})


@router.post("/signup")
def sign_up(request: Request, session: SessionDep, platform: PlatformDep, form: SignUpForm) -> Response:
    """Register, like POST /signup, then sign this browser in with a new session and show the key once."""
    t = Translator(lang_of(request))
    if not same_site(request):  # another site must not register people through a browser
        raise Forbidden(t("注册表单必须来自本站。", "The sign-up form must come from this site."), SAID)
    platform.rate_limiter.hit(address_bucket(caller_address(request)))
    try:
        fields, birth_year = checked(form, t)
    except SignUpRefused as refused:
        return _form_page(request, form, refused)
    candidate_id, key = registration.sign_up(session, platform.importer(session, "candidates"), fields, birth_year)
    lifetimes = console_sessions.Lifetimes.of(platform.settings)
    started = console_sessions.start(session, key, lifetimes, replacing=request.cookies.get(SESSION_COOKIE))
    assert started is not None  # the key was made just now
    response = page(request, "signup_done.html", key=key, candidate_id=candidate_id, profile=HOMES[Role.candidate])
    response.headers["Cache-Control"] = "no-store"  # the key is on this page, once
    keep_session(request, response, started.token, lifetimes)
    return response
