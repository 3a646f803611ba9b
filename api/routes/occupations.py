"""The occupation classification (CSCO 2022): normalize a posting title to detailed occupations."""

from dataclasses import asdict

from fastapi import APIRouter

from api.auth import AnyCaller
from api.deps import MapLimit, MapText, OneValueEach, PlatformDep, SessionDep
from api.schemas import OccupationGuessOut, OccupationHitOut, OccupationMapOut
from matcher.reference.occupations import clean_title

router = APIRouter(prefix="/occupations", tags=["occupations"], dependencies=OneValueEach)


@router.get(
    "/map", response_model=OccupationMapOut, summary="Map a posting title ('会计（金水区）4500-6000元') to CSCO"
)
def map_occupation(
    session: SessionDep, _caller: AnyCaller, platform: PlatformDep, q: MapText, limit: MapLimit = 5
) -> OccupationMapOut:
    mapper = platform.occupation_mapper(session)
    hits, guess = mapper.explain(q, limit)
    return OccupationMapOut(
        text=q,
        cleaned=clean_title(q),
        results=[OccupationHitOut(**asdict(h)) for h in hits],
        guess=OccupationGuessOut(**asdict(guess), uncertain=guess.uncertain) if guess else None,
    )
