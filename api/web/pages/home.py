"""Signing in with an API key, signing out, the language toggle, and each role's landing page."""

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.clients import caller_address
from api.deps import PlatformDep, SessionDep
from api.web.auth import HOMES, LEGACY_KEY_COOKIE, PREFIX, SESSION_COOKIE, CheckedForm, keep_session, signed_in
from api.web.forms import FormRoute
from api.web.i18n import LANG_COOKIE, Translator, lang_of
from api.web.messages import SAID
from api.web.render import page, redirect, safe_next
from matcher.errors import Forbidden
from matcher.people import console_sessions
from matcher.people.accounts import Caller
from matcher.people.ratelimit import address_bucket

router = APIRouter(route_class=FormRoute, prefix=PREFIX, include_in_schema=False)


@router.get("", response_class=HTMLResponse)
def home(caller: Annotated[Caller | None, Depends(signed_in)]) -> Response:
    """Each role's own home; the sign-in page for a browser not signed in."""
    if caller is None:
        return RedirectResponse(f"{PREFIX}/login", status_code=303)
    return RedirectResponse(HOMES[caller.role], status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request,
    caller: Annotated[Caller | None, Depends(signed_in)],
    next_url: Annotated[str | None, Query(alias="next", max_length=2000)] = None,
) -> Response:
    return page(request, "login.html", next_url=safe_next(next_url, ""), signed_in_as=caller)


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    platform: PlatformDep,
    key: Annotated[str, Form(max_length=300)] = "",
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "",
) -> Response:
    t = Translator(lang_of(request))
    if not same_site(request):  # another site must not sign a browser in (with a key of its choosing)
        raise Forbidden(t("登录表单必须来自本站。", "The sign-in form must come from this site."), SAID)
    key = key.strip()
    platform.rate_limiter.hit(address_bucket(caller_address(request)))  # guesses count against the address
    lifetimes = console_sessions.Lifetimes.of(platform.settings)
    # A new session at each sign-in; the one this browser held before (if any) is revoked.
    previous = request.cookies.get(SESSION_COOKIE)
    started = console_sessions.start(session, key, lifetimes, replacing=previous) if key else None
    if started is None:
        message = t("密钥无效或已吊销，请检查后重试。", "This key is unknown or revoked: check it and try again.")
        return page(request, "login.html", status_code=401, next_url=safe_next(next_url, ""), error=message)
    caller = started.caller
    home = HOMES[caller.role]
    target = safe_next(next_url, home) if next_url and next_url != PREFIX else home
    response = redirect(target, t(f"已登录：{caller.name}", f"Signed in as {caller.name}"))
    keep_session(request, response, started.token, lifetimes)
    if LEGACY_KEY_COOKIE in request.cookies:  # the key itself, as browsers kept it before sessions
        response.delete_cookie(LEGACY_KEY_COOKIE, path=PREFIX)
    return response


def same_site(request: Request) -> bool:
    """Whether a form was posted from our own pages, by what the browser says: Sec-Fetch-Site, else Origin (a
    client that sends neither, such as a script, is no browser another site could drive)."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.url.netloc


@router.post("/logout", dependencies=[CheckedForm])
def logout(request: Request, session: SessionDep) -> Response:
    """Sign out: the session ends on the server (its token, replayed, signs no one in) and the cookie goes."""
    t = Translator(lang_of(request))
    console_sessions.revoke(session, request.cookies.get(SESSION_COOKIE, ""))
    response = redirect(f"{PREFIX}/login", t("已退出。", "Signed out."))
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)
    return response


@router.get("/lang")
def switch_language(
    lang: Annotated[str, Query(pattern="^(zh|en)$")],
    next_url: Annotated[str | None, Query(alias="next", max_length=2000)] = None,
) -> Response:
    """Switch the console's language (kept for a year) and go back to the page."""
    response = RedirectResponse(safe_next(next_url), status_code=303)
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, path="/", samesite="lax")
    return response
