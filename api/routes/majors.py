"""The national major catalogue: map a degree or major name (any language) to it."""

from dataclasses import asdict

from fastapi import APIRouter

from api.auth import AnyCaller
from api.deps import MapLimit, MapText, OneValueEach, PlatformDep, SessionDep
from api.schemas import MajorHitOut, MajorMapOut

router = APIRouter(prefix="/majors", tags=["majors"], dependencies=OneValueEach)


@router.get("/map", response_model=MajorMapOut, summary="Map a degree name ('MSc Cyber Security', '金融学') to majors")
def map_major(
    session: SessionDep, _caller: AnyCaller, platform: PlatformDep, q: MapText, limit: MapLimit = 5
) -> MajorMapOut:
    hits = platform.major_mapper(session).map(q, limit)
    return MajorMapOut(text=q, results=[MajorHitOut(**asdict(hit)) for hit in hits])
