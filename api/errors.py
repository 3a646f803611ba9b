"""The one place domain errors become HTTP responses: {"error": {"code", "message"}}."""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from matcher.errors import DatabaseBusy, RateLimited, TalentError, Unauthorized
from matcher.store.db import busy


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


def validation_message(exc: RequestValidationError) -> str:
    """What was wrong with a request's parameters, in one line (the first five problems)."""
    problems = []
    for error in exc.errors()[:5]:
        where = ".".join(str(part) for part in error["loc"] if part not in ("query", "path", "body"))
        problems.append(f"{where}: {error['msg']}")
    return "; ".join(problems) or "invalid request"


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return _body("invalid", validation_message(exc), 422)


async def http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 413: "too_large"}.get(exc.status_code, "http_error")
    return _body(code, str(exc.detail), exc.status_code)


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
