"""The national major catalogue: map a degree or major name (any language) to it."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import PlatformDep, SessionDep
from api.schemas import MajorHitOut, MajorMapOut
from matcher.services.evaluation import MAX_TEXT

router = APIRouter(prefix="/majors", tags=["majors"])


@router.get("/map", response_model=MajorMapOut, summary="Map a degree name to catalogue majors")
def map_major(
    session: SessionDep,
    platform: PlatformDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_TEXT,
            pattern=r"\S",
            description="'MSc Cyber Security', 'BEng EEE', '金融学', '080901'.",
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=50, description="How many majors.")] = 5,
) -> MajorMapOut:
    hits = platform.major_mapper(session).map(q, limit)
    return MajorMapOut(text=q, results=[MajorHitOut(**asdict(hit)) for hit in hits])
