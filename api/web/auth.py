"""Signing in to the console with an API key: the browser gets a console session (matcher.people.console_sessions)
whose token, never the key, is kept in an HttpOnly cookie; every page checks the session and its key again (rate
limit included). Forms carry the session's own random token, so another site cannot post them."""

import hmac
from typing import Annotated

from fastapi import Depends, Form, Request, Response

from api.clients import caller_address
from api.deps import PlatformDep, SessionDep
from api.web.i18n import Translator, lang_of
from api.web.messages import SAID
from matcher.errors import Forbidden, Unauthorized
from matcher.people import console_sessions
from matcher.people.accounts import Caller, Role
from matcher.people.ratelimit import address_bucket, key_bucket

PREFIX = "/console"
SESSION_COOKIE = "tb_console_session"
LEGACY_KEY_COOKIE = "tb_console_key"  # where browsers kept the key itself before sessions: deleted at sign-in
HOMES = {
    Role.admin: f"{PREFIX}/office",
    Role.partner: f"{PREFIX}/partner",
    Role.enterprise: f"{PREFIX}/enterprise",
    Role.candidate: f"{PREFIX}/me",
}


def signed_in(request: Request, session: SessionDep, platform: PlatformDep) -> Caller | None:
    """The caller whose console session the browser holds, or None (no session, or one that has ended); every page
    counts against the session's key's rate limit."""
    token = request.cookies.get(SESSION_COOKIE)
    lifetimes = console_sessions.Lifetimes.of(platform.settings)
    resumed = console_sessions.resume(session, token, lifetimes) if token else None
    caller = resumed.caller if resumed else None
    platform.rate_limiter.hit(key_bucket(caller.key_prefix) if caller else address_bucket(caller_address(request)))
    if resumed is not None:
        request.state.csrf = resumed.csrf_token
        request.state.caller = caller
    return caller


class Viewer:
    """A page dependency admitting the given roles: without a live session the browser is sent to sign in (the
    error handler redirects), with another role's session the page says it is not theirs."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles or Role)

    def __call__(self, request: Request, caller: Annotated[Caller | None, Depends(signed_in)]) -> Caller:
        if caller is None:
            t = Translator(lang_of(request))
            if request.cookies.get(SESSION_COOKIE):
                raise Unauthorized(
                    t(
                        "登录已失效（已过期、已退出或密钥已吊销），请重新登录。",
                        "Your sign-in has ended (it expired, you signed out, or the key was revoked): sign in again.",
                    ),
                    SAID,
                )
            raise Unauthorized(t("请用 API 密钥登录。", "Please sign in with your API key."), SAID)
        if caller.role not in self.roles:
            t = Translator(lang_of(request))
            raise Forbidden(
                t(
                    f"此页面不对{t.word(caller.role.value)}账号开放。",
                    f"This page is not for a {caller.role.value} account.",
                ),
                SAID,
            )
        return caller


def check_form(
    request: Request,
    _caller: Annotated[Caller | None, Depends(signed_in)],
    csrf: Annotated[str, Form(max_length=64)] = "",
) -> None:
    """Refuse a form that did not come from one of our pages in this session (for posts by signed-in browsers): its
    token must be this session's, compared in constant time."""
    expected = getattr(request.state, "csrf", None)
    if expected is None or not hmac.compare_digest(csrf.encode(), expected.encode()):
        t = Translator(lang_of(request))
        raise Forbidden(
            t(
                "此表单已过期或并非来自 TalentBridge：请刷新页面后重试。",
                "This form has expired or did not come from TalentBridge: reload the page and try again.",
            ),
            SAID,
        )


OfficeViewer = Annotated[Caller, Depends(Viewer(Role.admin))]
PartnerViewer = Annotated[Caller, Depends(Viewer(Role.partner))]
EnterpriseViewer = Annotated[Caller, Depends(Viewer(Role.enterprise))]
CandidateViewer = Annotated[Caller, Depends(Viewer(Role.candidate))]
CheckedForm = Depends(check_form)


def keep_session(request: Request, response: Response, token: str, lifetimes: console_sessions.Lifetimes) -> None:
    """Give the browser its new session's token: HttpOnly, SameSite=Lax, only for the console, Secure over HTTPS, for
    the session's lifetime (the key itself is never in a cookie)."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(lifetimes.absolute.total_seconds()),
        path=PREFIX,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
