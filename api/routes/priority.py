"""The priority-major list (专业清单), computed from the jobs and candidates stored now."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import AnyCaller
from api.deps import Day, OneValueEach, PlatformDep, SessionDep
from api.schemas import PriorityListOut
from matcher.office import priority
from matcher.office.priority_export import to_json

router = APIRouter(prefix="/majors", tags=["majors"], dependencies=OneValueEach)


@router.get("/priority", response_model=PriorityListOut, summary="The priority-major list with its evidence")
def priority_majors(
    session: SessionDep,
    _caller: AnyCaller,
    platform: PlatformDep,
    as_of: Annotated[
        Day | None, Query(description="Compute as of this day, 2000-01-01 to 2099-12-31 (default: today).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="How many majors.")] = 50,
) -> PriorityListOut:
    result = priority.current_list(session, platform.settings.priority_config, as_of or date.today())
    result.entries = result.entries[:limit]
    return PriorityListOut.model_validate(to_json(result))
