"""The occupation classification (CSCO 2022): normalize a posting title to detailed occupations."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import PlatformDep, SessionDep
from api.schemas import OccupationHitOut, OccupationMapOut
from matcher.services.evaluation import MAX_TEXT
from matcher.services.occupations import clean_title

router = APIRouter(prefix="/occupations", tags=["occupations"])


@router.get("/map", response_model=OccupationMapOut, summary="Map a posting title to CSCO occupations")
def map_occupation(
    session: SessionDep,
    platform: PlatformDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_TEXT,
            pattern=r"\S",
            description="A posting title: '心内科护士（三甲医院）五险一金'.",
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=50, description="How many occupations.")] = 5,
) -> OccupationMapOut:
    hits = platform.occupation_mapper(session).map(q, limit)
    return OccupationMapOut(text=q, cleaned=clean_title(q), results=[OccupationHitOut(**asdict(hit)) for hit in hits])
