"""One place resolver over places.csv: a place as written (a name or alias in Chinese or English, or a country's
ISO 3166 alpha-2 / alpha-3 code; case, spaces and punctuation ignored) → its canonical id (us, gb, london), and an
id → its name in a language. Filters compare these ids: "US", "USA", "U.S.", "United States", "美国" are one place."""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

PLACES_FILE = "places.csv"
_SEPARATORS = re.compile(r"\s*[,，、/·]\s*")


def normalize(text: str) -> str:
    """How a written place is compared: NFKC, case-folded, letters and digits only ("U.S.A." → "usa")."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


@dataclass(frozen=True)
class Place:
    id: str
    kind: str  # country, region, city
    country: str  # the id of the country it lies in ("" for a country or a region of several)
    zh: str
    en: str
    codes: tuple[str, ...]


class PlaceResolver:
    """Places by id and by every way of writing them."""

    def __init__(self, places: list[Place], forms: dict[str, list[str]]) -> None:
        self.places = {place.id: place for place in places}
        self._codes = {code.upper() for place in places for code in place.codes}
        self._by_form: dict[str, str] = {}
        for place in places:
            for form in [*forms[place.id], *place.codes]:
                self._by_form.setdefault(normalize(form), place.id)

    def resolve(self, text: str | None) -> str | None:
        """The id of the place `text` names as a whole ("USA", "美国", "us", "United States"), or None."""
        return self._by_form.get(normalize(text or "")) or None

    def area(self, text: str | None) -> frozenset[str]:
        """The ids of the places `text` names, each piece ("Boston, USA", "美国波士顿") or as a whole, with the
        countries they lie in. A code counts only as the whole text or its last piece ("Boston, US"), and only when it
        agrees with the places named ("Berkeley, CA" is not in Canada)."""
        text = (text or "").strip()
        pieces = [p for p in _SEPARATORS.split(text) if p]
        found = {self.resolve(p) for p in {text, *pieces} if not self.is_code(p)} - {None}
        coded = {self.resolve(p) for p in {text, pieces[-1] if pieces else ""} if self.is_code(p)} - {None}
        countries = {self.places[p].country or p for p in found if p}
        found |= {p for p in coded if not countries or p in countries}  # "Berkeley, CA": no Canada
        found |= {self.places[p].country for p in found if p and self.places[p].country}
        return frozenset(p for p in found if p)

    def name(self, place_id: str, lang: str) -> str:
        """A place's name in `lang` ("en" or "zh")."""
        place = self.places[place_id]
        return place.en if lang == "en" else place.zh

    def is_code(self, text: str) -> bool:
        """Whether `text` is a country's ISO code ("CH", "che")."""
        return normalize(text).upper() in self._codes


def _split(forms: str) -> list[str]:
    return [form.strip() for form in (forms or "").split("|") if form.strip()]


@lru_cache(maxsize=1)
def resolver() -> PlaceResolver:
    """The resolver over matcher/data/places.csv, loaded once."""
    text = files("matcher").joinpath("data", PLACES_FILE).read_text(encoding="utf-8")
    places, forms = [], {}
    for row in csv.DictReader(io.StringIO(text)):
        zh, en = _split(row["zh"]), _split(row["en"])
        if not zh or not en:
            continue
        places.append(Place(row["id"], row["kind"], row["country"], zh[0], en[0], tuple(_split(row["codes"]))))
        forms[row["id"]] = zh + en
    return PlaceResolver(places, forms)
