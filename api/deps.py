"""Dependencies as Annotated aliases, so route signatures read like sentences."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from matcher.errors import DatabaseBusy
from matcher.people import audit
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
    work, still before the response is sent (no view is shown unrecorded). A database too busy to serve the request
    in time (no free connection within db_pool_timeout, SQLite's write lock held past db_lock_timeout) is answered
    503 with Retry-After, never a stall or a bare 500."""
    write = request.method not in ("GET", "HEAD")
    try:
        with platform.session(write=write) as session:
            if not write and reads_must_not_write(session):
                audit.hold(session)
            yield session
        audit.write_held(session, platform.session)
    except SQLAlchemyError as error:
        if busy(error):
            raise DatabaseBusy() from error
        raise


# scope="function": the unit of work commits when the route returns, before the response is sent, so a client that
# has its 201 (or a browser following a redirect) reads what was written. Routes build their response inside.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_matching(platform: PlatformDep, session: SessionDep) -> MatchingEngine:
    """The current matching engine (reloaded when an index changed on disk since the last request)."""
    return platform.matching(session)


MatchingDep = Annotated[MatchingEngine, Depends(get_matching)]


def get_filters(
    location: Annotated[str | None, Query(max_length=100, description="A city or district, zh or en.")] = None,
    min_degree: Annotated[
        str | None,
        Query(max_length=30, description="none, associate, bachelor, master, doctorate (or 硕士...)."),
    ] = None,
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
