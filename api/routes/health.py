"""Liveness and what is loaded."""

from fastapi import APIRouter

from api.auth import AnyCaller
from api.deps import MatchingDep, PlatformDep, SessionDep
from api.schemas import Health
from matcher.store.db import ping, pool_exhausted

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Is the service up, and are the indexes loaded?")
def health(session: SessionDep, _caller: AnyCaller, engine: MatchingDep, platform: PlatformDep) -> Health:
    """Answers at once even when every database connection is in use: the round trip to the database is then left
    out (it would queue behind the requests holding them) and the status says the database is busy. Called without a
    key, as probes do, it needs no connection at all in that case."""
    problems = list(engine.problems.values())
    limit = platform.settings.db_pool_size + platform.settings.db_max_overflow
    if pool_exhausted(platform.engine, limit):
        problems.append(f"the database is busy: all {limit} connections are in use")
    else:
        ping(session)
    counts: dict[str, int | None] = {"candidates": None, "jobs": None}
    counts.update({kind: index.count for kind, index in engine.indexes.items()})
    return Health(
        status="degraded" if problems else "ok",
        database=platform.engine.url.get_backend_name(),
        encoder=platform.settings.encoder,
        indexes=counts,
        detail="; ".join(problems) or None,
    )
