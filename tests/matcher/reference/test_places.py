"""The place resolver: every way of writing a place gives its one id, and an id its name in each language."""

import pytest

from matcher.reference.places import resolver


@pytest.mark.parametrize(
    ("written", "place"),
    [
        ("US", "us"), ("usa", "us"), ("U.S.A.", "us"), ("United States", "us"), ("美国", "us"),
        ("GBR", "gb"), ("U.K.", "gb"), ("英国", "gb"), ("Türkiye", "tr"), ("TUR", "tr"), ("伦敦", "london"),
        ("Hong Kong SAR", "hk"), ("nowhere", None), ("", None),
    ],
)  # fmt: skip
def test_a_place_resolves_from_any_spelling(written: str, place: str | None) -> None:
    assert resolver().resolve(written) == place


def test_an_area_holds_the_places_named_and_their_countries_and_no_us_state_as_a_country() -> None:
    places = resolver()
    assert places.area("Boston, US") == {"boston", "us"}
    assert "ca" not in places.area("Berkeley, CA") and "ca" in places.area("Toronto, CA")
    assert places.name("us", "en") == "United States" and places.name("us", "zh") == "美国"


def test_every_country_has_its_iso_codes_and_no_spelling_names_two_places() -> None:
    places = resolver()
    countries = [p for p in places.places.values() if p.kind == "country"]
    assert len(countries) >= 69 and all(len(p.codes) == 2 for p in countries)
    for place in countries:
        assert all(places.resolve(code) == place.id for code in place.codes)
