"""The priority-major list (专业清单), computed from the jobs and candidates stored now."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import AnyCaller
from api.deps import PlatformDep, SessionDep
from api.schemas import PriorityListOut
from matcher.office import priority
from matcher.office.priority_export import to_json
from matcher.reference import leading_industries

router = APIRouter(prefix="/majors", tags=["majors"])


@router.get("/priority", response_model=PriorityListOut, summary="The priority-major list with its evidence")
def priority_majors(
    session: SessionDep,
    _caller: AnyCaller,
    platform: PlatformDep,
    as_of: Annotated[date | None, Query(description="Compute as of this date (default: today).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="How many majors.")] = 50,
) -> PriorityListOut:
    day = as_of or date.today()
    config, config_hash = leading_industries.load_config(platform.settings.priority_config)
    result = priority.compute_priority(session, config, config_hash, day)
    result = priority.compare_with_previous(session, result, priority.period_of(day))
    result.entries = result.entries[:limit]
    return PriorityListOut.model_validate(to_json(result))
