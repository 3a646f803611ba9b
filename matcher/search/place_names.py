"""A place as a page in one language shows it. A person's or employer's own words stay when they are already in the
page's language; otherwise the place they name, in that language ("英国伦敦" on an English page: "London, United
Kingdom (英国伦敦)"), with the words as written after it unless they are just the place's name. Words naming no one
place (several, or none the place table knows) are shown as written."""

from functools import lru_cache

from matcher.reference.english_names import written_in
from matcher.reference.places import Place, resolver
from matcher.search.place_filter import place_ids


@lru_cache(maxsize=20_000)
def place_shown(text: str, lang: str) -> str:
    text = " ".join(text.split())
    table = resolver()
    whole = table.resolve(text)
    if whole is not None and table.is_code(text):  # "CH", "KR": a code is no language's words
        return table.name(whole, lang)
    if not text or written_in(text, lang):
        return text
    if whole is not None:
        return table.name(whole, lang)
    known = [table.places[i] for i in place_ids(text) if i in table.places]
    named = [p for p in known if p.kind != "country"]
    if len(named) > 1:  # "郑州市惠济区, 河南省, CN": the city, not the province it lies in
        named = [p for p in named if p.kind == "city"]
    countries = [p for p in known if p.kind == "country"]
    if len(named) > 1 or len(countries) > 1 or not known:
        return text
    return f"{_composed(named[0] if named else None, countries[0] if countries else None, lang)} ({text})"


def _composed(place: Place | None, country: Place | None, lang: str) -> str:
    """ "London, United Kingdom" / "英国伦敦"; a place in China without its country in Chinese ("郑州")."""
    if place is None:
        assert country is not None
        return country.en if lang == "en" else country.zh
    if country is None or country.id == place.id:
        return place.en if lang == "en" else place.zh
    if lang == "en":
        return f"{place.en}, {country.en}"
    return place.zh if country.id == "cn" else f"{country.zh}{place.zh}"
