"""Liveness and what is loaded."""

from fastapi import APIRouter

from api.auth import AnyCaller
from api.deps import MatchingDep, PlatformDep, SessionDep
from api.schemas import Health
from matcher.store.db import ping

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Is the service up, and are the indexes loaded?")
def health(session: SessionDep, _caller: AnyCaller, engine: MatchingDep, platform: PlatformDep) -> Health:
    ping(session)
    counts: dict[str, int | None] = {"candidates": None, "jobs": None}
    counts.update({kind: index.count for kind, index in engine.indexes.items()})
    return Health(
        status="degraded" if engine.problems else "ok",
        database=platform.engine.url.get_backend_name(),
        encoder=platform.settings.encoder,
        indexes=counts,
        detail="; ".join(engine.problems.values()) or None,
    )
