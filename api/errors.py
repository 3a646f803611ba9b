"""The one place errors become HTTP responses, all in one JSON shape: {"error": {"code", "message"}}.

Domain errors (matcher.errors), bad parameters (422), bodies that cannot be parsed (400), unknown routes (404),
methods a route does not take (405, with `Allow`), bodies over the limit (413) and anything unexpected (500) alike;
api.openapi declares the shape in the spec for every status a route can answer with (WHY says when)."""

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match, Mount

from matcher.errors import DatabaseBusy, RateLimited, TalentError, Unauthorized
from matcher.store.db import busy

CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}
# Why each error status is answered, for the spec: every route may answer those in ALWAYS, one taking a body also
# those in WITH_BODY.
WHY = {
    400: "The body could not be parsed (not JSON, a broken multipart form)",
    401: "No API key where one is needed, or an unknown or revoked key",
    403: "The key's role may not call this route, or not on this record",
    404: "Nothing with that id, or nothing this caller may see",
    409: "A conflict with what is stored",
    413: "The request body is larger than TALENT_API_MAX_BODY_BYTES",
    422: "A bad parameter or body field",
    429: "Over the rate limit; see Retry-After",
    500: "The server failed to answer (the error is logged)",
    503: "The database is busy or an index is unavailable; see Retry-After when given",
}
ALWAYS = (401, 404, 422, 429, 500, 503)
WITH_BODY = (400, 413)


def _body(code: str, message: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}}, headers=headers)


async def talent_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TalentError)
    headers = None
    if isinstance(exc, RateLimited | DatabaseBusy):
        headers = {"Retry-After": str(exc.retry_after)}
    elif isinstance(exc, Unauthorized):
        headers = {"WWW-Authenticate": "Bearer"}
    return _body(exc.code, exc.message, exc.status_code, headers)


def _problem(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"] if part not in ("query", "path", "body", "header", "cookie"))
    if error.get("type") == "json_invalid":
        reason = (error.get("ctx") or {}).get("error", "")
        return f"the body is not valid JSON ({reason})" if reason else "the body is not valid JSON"
    return f"{where}: {error['msg']}" if where else str(error["msg"])


def validation_message(exc: RequestValidationError) -> str:
    """What was wrong with a request's parameters, in one line (the first five problems)."""
    return "; ".join(_problem(error) for error in exc.errors()[:5]) or "invalid request"


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return _body("invalid", validation_message(exc), 422)


def _routes(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI keeps an included router as one route
        if included is not None:
            yield from _routes(included.routes)
        else:
            yield route


def allowed_methods(request: Request) -> set[str]:
    """The methods the request's path takes (for the Allow header of a 405)."""
    methods: set[str] = set()
    for route in _routes(request.app.router.routes):
        match, _ = route.matches(request.scope)
        if match == Match.NONE:
            continue
        if isinstance(route, Mount):  # static files: read only
            methods |= {"GET", "HEAD"}
        else:
            methods |= set(getattr(route, "methods", None) or ())
    return methods


def http_headers(request: Request, exc: StarletteHTTPException) -> dict[str, str]:
    """The exception's own headers, and an Allow header on every 405."""
    headers = {name: value for name, value in (exc.headers or {}).items() if name.lower() != "allow"}
    if exc.status_code == 405:
        given = {
            method.strip()
            for name, value in (exc.headers or {}).items()
            if name.lower() == "allow"
            for method in value.split(",")
        }
        headers["Allow"] = ", ".join(sorted((given | allowed_methods(request)) - {""}))
    return headers


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = CODES.get(exc.status_code, "http_error")
    message = str(exc.detail)
    if exc.status_code == 400:  # FastAPI's "There was an error parsing the body", multipart's own words
        message = f"the request body could not be parsed: {message}"
    return _body(code, message, exc.status_code, http_headers(request, exc) or None)


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    """What no other handler took, still in the one JSON shape (the server logs the error itself): a database too busy
    to answer in time, if it escaped the request's unit of work, is the 503 DatabaseBusy gives; anything else a 500."""
    if busy(exc):
        return await talent_error(request, DatabaseBusy())
    return _body("internal_error", "the server failed to answer this request (the error is logged)", 500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(TalentError, talent_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)
