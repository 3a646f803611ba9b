"""Dependencies as Annotated aliases, so route signatures read like sentences."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from matcher.platform import Platform
from matcher.reference.evaluation import MAX_TEXT
from matcher.search.matching import Filters, MatchingEngine


def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


PlatformDep = Annotated[Platform, Depends(get_platform)]


def get_session(request: Request, platform: PlatformDep) -> Iterator[Session]:
    """A request-scoped unit of work: committed when the route succeeds, rolled back when it raises. Requests that
    change things get a writer session (on SQLite it takes the write lock first instead of failing late)."""
    with platform.session(write=request.method not in ("GET", "HEAD")) as session:
        yield session


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
