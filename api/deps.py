"""Dependencies as Annotated aliases, so route signatures read like sentences."""

import re
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

from anyio import CapacityLimiter, to_thread
from fastapi import Depends, Query, Request, UploadFile
from pydantic import BeforeValidator, Field
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from api.schemas import DegreeName
from matcher.errors import DatabaseBusy, Invalid
from matcher.ingest.resumes import MAX_RESUME_BYTES, ResumeText, extract_resume
from matcher.people import audit, console_sessions
from matcher.platform import Platform
from matcher.reference.evaluation import MAX_TEXT
from matcher.search.matching import Filters, MatchingEngine
from matcher.store.db import busy, reads_must_not_write


def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


PlatformDep = Annotated[Platform, Depends(get_platform)]


def get_session(request: Request, platform: PlatformDep) -> Iterator[Session]:
    """A request-scoped unit of work: committed when the route succeeds, rolled back when it raises. Requests that
    change things get a writer session (on SQLite it takes the write lock first instead of failing late).

    One connection per request: audit entries go into this unit of work. A read on SQLite may not write, so it holds
    them, and they are written right after it has committed and given its connection back, in a short writer unit of
    work, still before the response is sent (no view is shown unrecorded); so is a console session's last page seen.
    A database too busy to serve the request in time (no free connection within db_pool_timeout, SQLite's write lock
    held past db_lock_timeout) is answered 503 with Retry-After, never a stall or a bare 500."""
    write = request.method not in ("GET", "HEAD")
    try:
        with platform.session(write=write) as session:
            if not write and reads_must_not_write(session):
                audit.hold(session)
                console_sessions.hold(session)
            yield session
        audit.write_held(session, platform.session)
        console_sessions.write_held(session, platform.session)
    except SQLAlchemyError as error:
        if busy(error):
            raise DatabaseBusy() from error
        raise


# scope="function": the unit of work commits when the route returns, before the response is sent, so a client that
# has its 201 (or a browser following a redirect) reads what was written. Routes build their response inside.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def read_resume(request: Request, session: SessionDep, file: UploadFile) -> ResumeText:
    """The uploaded résumé's text (matcher.ingest.resumes), read before the request writes anything.

    Reading a file is CPU work of up to a few seconds, capped. It must not run inside a writer's transaction: on
    SQLite that holds the write lock from its first statement, so every other writer would wait behind the reading
    and fail once db_lock_timeout passed. So the transaction the caller's authentication began (it read the key, and
    may have touched a console session) is committed first, giving back the lock and the connection; the route's
    writes begin a new one on the same session afterwards (one connection per request, at a time). The reading runs
    in a thread, at most api_resume_readers at once per process; waiting for one holds nothing."""
    await to_thread.run_sync(session.commit)
    data = await file.read(MAX_RESUME_BYTES + 1)
    readers: CapacityLimiter = request.app.state.resume_readers
    return await to_thread.run_sync(extract_resume, data, file.filename or "", file.content_type, limiter=readers)


# Declare it after the route's caller: who calls is checked (and counted against the rate limit) before any reading.
UploadedResume = Annotated[ResumeText, Depends(read_resume)]


def get_matching(platform: PlatformDep, session: SessionDep) -> MatchingEngine:
    """The current matching engine (reloaded when an index changed on disk since the last request)."""
    return platform.matching(session)


MatchingDep = Annotated[MatchingEngine, Depends(get_matching)]


def one_value_each(request: Request) -> None:
    """Refuse a query parameter given more than once (`?location=a&location=b`): each takes one value, and FastAPI
    would quietly keep the last. A dependency of every router whose routes take query parameters."""
    repeated = sorted({name for name in request.query_params if len(request.query_params.getlist(name)) > 1})
    if repeated:
        raise Invalid(f"{', '.join(repeated)}: give each query parameter once")


OneValueEach = [Depends(one_value_each)]


def get_filters(
    location: Annotated[str | None, Query(max_length=100, description="A city or district, zh or en.")] = None,
    min_degree: Annotated[DegreeName | None, Query(description="The least degree, in English or Chinese.")] = None,
    industry: Annotated[str | None, Query(max_length=100, description="Industry, e.g. 电子信息.")] = None,
) -> Filters:
    return Filters.parse(location, min_degree, industry)


FiltersDep = Annotated[Filters, Depends(get_filters)]


class Page:
    def __init__(
        self,
        limit: Annotated[int, Query(ge=1, le=100, description="Results per page.")] = 10,
        offset: Annotated[int, Query(ge=0, le=10_000, description="Results to skip.")] = 0,
    ) -> None:
        self.limit = limit
        self.offset = offset


PageDep = Annotated[Page, Depends(Page)]


# What the /majors/map and /occupations/map routes take: a text to map and how many results.
MapText = Annotated[
    str,
    Query(min_length=1, max_length=MAX_TEXT, pattern=r"\S", description="The text to map, Chinese or English."),
]
MapLimit = Annotated[int, Query(ge=1, le=50, description="How many results.")]


# The days a route can decide or compute as of: 2000-01-01 to 2099-12-31, written YYYY-MM-DD.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
DAY_PATTERN = r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$"  # exactly those years, in that form


def _day_text(value: Any) -> Any:
    """Refuse a day not written as DAY_PATTERN says: pydantic alone would read a number as a Unix time (as_of=0 is
    1970-01-01), a midnight datetime as its day, and any year from 1 to 9999."""
    if isinstance(value, str) and not re.fullmatch(DAY_PATTERN, value):
        raise ValueError(f"give a day from {FIRST_DAY} to {LAST_DAY}, written YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_day_text), Field(json_schema_extra={"pattern": DAY_PATTERN})]
