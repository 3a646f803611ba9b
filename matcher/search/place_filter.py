"""The location filter: a place the filter names as a whole (a name, an alias or a country code, in Chinese or
English) admits the rows whose places lie in it, compared as canonical place ids (matcher.reference.places), so every
spelling of a country admits the same people; anything else (a district, 海外, free words) keeps the scoring rule
(`place_matches`)."""

from functools import lru_cache

from matcher.reference.places import resolver
from matcher.search.scoring import place_area, place_matches


@lru_cache(maxsize=50_000)
def place_ids(place: str) -> frozenset[str]:
    """The canonical ids of every place `place` lies in: the places it names (pieces, whole, codes) and their
    countries, and `overseas` for a place outside mainland China."""
    return frozenset(key.removeprefix("place:") for key in place_area(place)) | resolver().area(place)


def place_admits(wanted: str, place: str) -> bool:
    """Whether the filter value `wanted` admits a row that names `place`."""
    target = resolver().resolve(wanted)
    if target is None:
        return place_matches(wanted, place)
    return target in place_ids(place)
