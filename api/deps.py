"""Dependencies as Annotated aliases, so route signatures read like sentences."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from matcher.degrees import DegreeLevel, parse_degree
from matcher.errors import IndexUnavailable, Invalid
from matcher.services.matching import Filters, MatchingEngine
from matcher.services.platform import Platform


def get_platform(request: Request) -> Platform:
    platform: Platform = request.app.state.platform
    return platform


PlatformDep = Annotated[Platform, Depends(get_platform)]


def get_session(platform: PlatformDep) -> Iterator[Session]:
    """A request-scoped unit of work: committed when the route succeeds, rolled back when it raises."""
    with platform.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_matching(request: Request) -> MatchingEngine:
    engine: MatchingEngine | None = request.app.state.matching
    if engine is None:
        raise IndexUnavailable(request.app.state.matching_problem or "matching is not available")
    return engine


MatchingDep = Annotated[MatchingEngine, Depends(get_matching)]


def get_filters(
    location: Annotated[str | None, Query(max_length=100, description="A city or district, zh or en.")] = None,
    min_degree: Annotated[
        str | None,
        Query(max_length=30, description="none, associate, bachelor, master, doctorate (or 硕士...)."),
    ] = None,
    industry: Annotated[str | None, Query(max_length=100, description="Industry, e.g. 电子信息.")] = None,
) -> Filters:
    level: DegreeLevel | None = None
    if min_degree:
        level = parse_degree(min_degree)
        if level is None:
            raise Invalid(f"min_degree: unknown degree {min_degree!r}; use bachelor, master, doctorate ...")
    return Filters(location=location or None, min_degree=level, industry=industry or None)


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
