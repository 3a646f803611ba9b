"""Signing in to the console with an API key: the key is kept in an HttpOnly cookie and checked on every page like
a bearer key (rate limit included). Forms carry a token derived from the key, so another site cannot post them."""

import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, Form, Request

from api.deps import PlatformDep, SessionDep
from api.web.i18n import Translator, lang_of
from matcher.errors import Forbidden, Unauthorized
from matcher.people.accounts import Caller, Role, authenticate

PREFIX = "/console"
KEY_COOKIE = "tb_console_key"
HOMES = {
    Role.admin: f"{PREFIX}/office",
    Role.partner: f"{PREFIX}/partner",
    Role.enterprise: f"{PREFIX}/enterprise",
    Role.candidate: f"{PREFIX}/me",
}


def csrf_token(key: str) -> str:
    """The form token of a signed-in browser: only a page that knows the key can write it."""
    return hmac.new(key.encode(), b"talentbridge-console-form", hashlib.sha256).hexdigest()[:32]


def signed_in(request: Request, session: SessionDep, platform: PlatformDep) -> Caller | None:
    """The caller whose key the browser holds, or None; every page counts against the key's rate limit."""
    key = request.cookies.get(KEY_COOKIE)
    caller = authenticate(session, key) if key else None
    client = request.client.host if request.client else "unknown"
    platform.rate_limiter.hit(f"key:{caller.key_prefix}" if caller else f"addr:{client}")
    if caller is not None and key:
        request.state.csrf = csrf_token(key)
        request.state.caller = caller
    return caller


class Viewer:
    """A page dependency admitting the given roles: without a valid key the browser is sent to sign in (the
    error handler redirects), with another role's key the page says it is not theirs."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles or Role)

    def __call__(self, request: Request, caller: Annotated[Caller | None, Depends(signed_in)]) -> Caller:
        if caller is None:
            t = Translator(lang_of(request))
            if request.cookies.get(KEY_COOKIE):
                raise Unauthorized(
                    t("此密钥已失效（未知或已吊销），请重新登录。", "This key is unknown or revoked: sign in again.")
                )
            raise Unauthorized(t("请用 API 密钥登录。", "Please sign in with your API key."))
        if caller.role not in self.roles:
            raise Forbidden(f"this page is not for a {caller.role.value} account")
        return caller


def check_form(
    request: Request,
    _caller: Annotated[Caller | None, Depends(signed_in)],
    csrf: Annotated[str, Form(max_length=64)] = "",
) -> None:
    """Refuse a form that did not come from one of our pages (for posts by signed-in browsers)."""
    expected = getattr(request.state, "csrf", None)
    if expected is None or not hmac.compare_digest(csrf, expected):
        raise Forbidden("this form has expired or did not come from TalentBridge: reload the page and try again")


OfficeViewer = Annotated[Caller, Depends(Viewer(Role.admin))]
PartnerViewer = Annotated[Caller, Depends(Viewer(Role.partner))]
EnterpriseViewer = Annotated[Caller, Depends(Viewer(Role.enterprise))]
CandidateViewer = Annotated[Caller, Depends(Viewer(Role.candidate))]
CheckedForm = Depends(check_form)
