"""Liveness and what is loaded."""

from fastapi import APIRouter, Request
from sqlalchemy import text

from api.deps import PlatformDep
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Is the service up, and are the indexes loaded?")
def health(request: Request, platform: PlatformDep) -> Health:
    with platform.engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    engine = request.app.state.matching
    counts: dict[str, int | None] = {"candidates": None, "jobs": None}
    if engine is not None:
        counts = {kind: index.count for kind, index in engine.indexes.items()}
    return Health(
        status="ok" if engine is not None else "degraded",
        database=platform.engine.url.get_backend_name(),
        encoder=platform.settings.encoder,
        indexes=counts,
        detail=request.app.state.matching_problem,
    )
