"""What a free-text query asks of its results beyond its words, and filters read in either language.

A query that names a degree (博士, PhD, master's, 硕士) or a place (郑州, London, 英国, 海外) — or a filter that does —
implies a degree and a location fit, scored as the structured part of the hybrid score and explained with a note in
English and in Chinese. An industry filter names a leading industry by its Chinese or English name.
"""

from dataclasses import dataclass

from matcher.concepts import OVERSEAS, Concept, lexicon
from matcher.degrees import DegreeLevel
from matcher.search.scoring import Explanation, degree_fit, place_area, structured_mean
from matcher.store.models import Candidate, Job


@dataclass(frozen=True)
class QueryPreferences:
    """What a free-text query asks of the results beyond its words: a degree (博士, PhD, master's, 硕士) and
    places (郑州, London, 英国, 海外), scored as the structured fit and shown in the explanation."""

    degree: DegreeLevel | None
    places: tuple[Concept, ...]

    @classmethod
    def read(
        cls, text: str, min_degree: DegreeLevel | None = None, location: str | None = None
    ) -> "QueryPreferences | None":
        """What `text` asks for, with what the filters ask (a filter's place or degree is explained like one the
        query names)."""
        words = lexicon()
        degree = words.degree(text)
        places = list(words.places(text))
        if min_degree is not None and min_degree > DegreeLevel.NONE:
            degree = max(degree or DegreeLevel.NONE, min_degree)
        if location:
            places += [p for p in words.places(location) if p not in places]
        preferences = cls(degree, tuple(places))
        return preferences if preferences.degree is not None or preferences.places else None

    def explain(self, row: Candidate | Job, explanation: Explanation) -> None:
        degree: float | None = None
        if self.degree is not None and isinstance(row, Candidate):
            degree, note, note_zh = degree_fit(row.highest_degree, self.degree)
            if note and note_zh:
                explanation.note(note.replace("requires", "asked for"), note_zh.replace("要求", "查询要求"))
        elif self.degree is not None and isinstance(row, Job):
            degree = 1.0 if row.min_degree <= self.degree else 0.0
            if not degree:
                need = DegreeLevel(row.min_degree)
                explanation.note(f"requires a {need.label} degree", f"要求{need.label_zh}")
        location: float | None = None
        if self.places:
            places = [row.location, *row.preferred_locations] if isinstance(row, Candidate) else [row.location]
            wanted = {place.id for place in self.places}
            met = [p for p in places if p and wanted & place_area(p)]
            location = 1.0 if met else 0.0
            if met:
                hit = [place for place in self.places if place.id in place_area(met[0])] or list(self.places)
                explanation.note(*place_note(hit, isinstance(row, Job), met[0] == places[0]))
        explanation.degree_fit, explanation.location_fit = degree, location
        explanation.structured = structured_mean(degree, location)


def place_note(places: list[Concept], is_job: bool, lives_there: bool) -> tuple[str, str]:
    """Why a result is in the places asked for, in English and in Chinese."""
    abroad = any(place.id == OVERSEAS for place in places)
    label_en = "abroad" if abroad else "in " + ", ".join(place.en for place in places)
    label_zh = "海外" if abroad else "、".join(place.zh for place in places)
    if is_job:
        return f"located {label_en}", f"工作地点在{label_zh}"
    if lives_there:
        return f"lives {label_en}", f"现居{label_zh}"
    return f"wants to work {label_en}", f"意向工作地包括{label_zh}"


def industry_matches(wanted: str, industry: str) -> bool:
    """Whether `industry` is the one `wanted` names: the same leading industry by any of its Chinese or English
    names (electronics = 电子信息), else `wanted` is part of it."""
    words = lexicon()
    kinds = frozenset({"industry"})
    named = {c.id for c in words.find(wanted, kinds)}
    if named and named & {c.id for c in words.find(industry, kinds)}:
        return True
    return wanted.lower() in industry.lower()
