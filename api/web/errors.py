"""Errors on console pages read as pages: sign in when not signed in, the form's page again with the message
after a refused post, an error page otherwise. Everything outside /console keeps the API's JSON errors."""

from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from api import errors as api_errors
from api.limits import BodyTooLarge, size_text
from api.web.auth import PREFIX, SESSION_COOKIE
from api.web.i18n import Translator, lang_of
from api.web.messages import BY_STATUS, problems_text, worded
from api.web.render import page, redirect, safe_next
from matcher.errors import DatabaseBusy, FieldProblem, RateLimited, TalentError
from matcher.people import console_sessions
from matcher.store.db import busy


def _on_console(request: Request) -> bool:
    return request.url.path == PREFIX or request.url.path.startswith(f"{PREFIX}/")


def _back(request: Request) -> str:
    """The console page a form was posted from (its Referer), else the console's home."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc and referer.netloc != request.url.netloc:
        return PREFIX
    return safe_next(referer.path + (f"?{referer.query}" if referer.query else ""))


def _shown(request: Request, message: str, status: int) -> Response:
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        login = f"{PREFIX}/login?next={quote(target if request.method == 'GET' else PREFIX)}"
        response = redirect(login)
        if request.cookies.get(SESSION_COOKIE):  # a session that has ended: forget it and say so
            response = redirect(login, message, error=True)
            response.delete_cookie(SESSION_COOKIE, path=PREFIX)
        return response
    if request.method == "POST" and status in (403, 404, 409, 413, 422):
        return redirect(_back(request), message, error=True)
    return page(request, "error.html", status_code=status, status=status, message=message)


async def talent_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TalentError)
    if not _on_console(request):
        return await api_errors.talent_error(request, exc)
    response = _shown(request, worded(exc, Translator(lang_of(request))), exc.status_code)
    if isinstance(exc, RateLimited | DatabaseBusy):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if not _on_console(request):
        return await api_errors.validation_error(request, exc)
    t = Translator(lang_of(request))
    problems = [
        FieldProblem(_where(tuple(error["loc"])), error["type"], error["msg"], dict(error.get("ctx") or {}))
        for error in exc.errors()[:3]
    ]
    return _shown(request, problems_text(problems, t) + t("。", "."), 422)


def _where(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """A request parameter's place without the part of the request it came in ("path", "query", "body")."""
    return loc[1:] if len(loc) > 1 and loc[0] in ("path", "query", "body", "header", "cookie") else loc


def _recognise(request: Request) -> None:
    """For an address no page answers (so no page's dependency looked at the session): who is signed in, so the
    error page keeps their menu and links home."""
    token = request.cookies.get(SESSION_COOKIE)
    platform = getattr(request.app.state, "platform", None)
    if not token or platform is None or getattr(request.state, "caller", None) is not None:
        return
    with platform.session() as session:
        resumed = console_sessions.resume(session, token, console_sessions.Lifetimes.of(platform.settings))
    if resumed is not None:
        request.state.caller, request.state.csrf = resumed.caller, resumed.csrf_token


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if not _on_console(request):
        return await api_errors.http_error(request, exc)
    t = Translator(lang_of(request))
    message = str(exc.detail)
    if exc.status_code in (404, 405) and request.method == "GET":
        await run_in_threadpool(_recognise, request)
        message = t(*BY_STATUS[exc.status_code])  # the framework's "Not Found", in the reader's language
    if isinstance(exc, BodyTooLarge):  # no use case's words: say it in the reader's language
        limit = size_text(exc.limit)
        message = t(f"提交的内容超过 {limit} 的上限。", f"What was sent is larger than the {limit} limit.")
    response = _shown(request, message, exc.status_code)
    response.headers.update(api_errors.http_headers(request, exc))  # Allow on a 405
    return response


async def unexpected_error(request: Request, exc: Exception) -> Response:
    """What no other handler took: on the console, the error page (the busy page when the database was too busy);
    elsewhere the API's JSON."""
    if not _on_console(request):
        return await api_errors.unexpected_error(request, exc)
    if busy(exc):
        return await talent_error(request, DatabaseBusy())
    message = Translator(lang_of(request))(
        "服务器未能完成此请求（已记录错误）。", "The server failed to answer this request (the error is logged)."
    )
    return page(request, "error.html", status_code=500, status=500, message=message)


def install(app: FastAPI) -> None:
    """Console-aware handlers in place of the API's (which they call for every other path)."""
    app.add_exception_handler(TalentError, talent_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)
