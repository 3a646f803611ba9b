"""The hybrid score of a match and its explanation.

score = (w_dense·dense + w_lexical·lexical + w_structured·structured) / (sum of the weights used), where
structured is the mean of the fits that apply: degree (does the candidate hold what the job asks?), major
(same catalogue major = 1, same class = 0.6, same category = 0.2) and location (does the candidate want to
work where the job is?). A component that cannot apply (a free-text query has no degree) is left out of
both the sum and the weights, so scores stay comparable within one result list. A free-text query that names a
degree (博士, PhD, master's) or a place (郑州, London, 英国, 海外) implies the same fits.

Places compare through the bilingual concept layer (matcher.concepts): 伦敦 = London, 英国 = UK, and a city lies in
its country; text that names no known place falls back to comparing the words.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from matcher.concepts import Concept, lexicon
from matcher.degrees import DegreeLevel

# English spellings of the cities candidates name most, so "Zhengzhou" meets "郑州市高新区".
CITY_ALIASES = {
    "zhengzhou": "郑州",
    "beijing": "北京",
    "shanghai": "上海",
    "shenzhen": "深圳",
    "guangzhou": "广州",
    "hangzhou": "杭州",
    "wuhan": "武汉",
    "xi'an": "西安",
    "xian": "西安",
    "chengdu": "成都",
    "nanjing": "南京",
    "henan": "河南",
    "luoyang": "洛阳",
    "kaifeng": "开封",
    "suzhou": "苏州",
    "tianjin": "天津",
    "chongqing": "重庆",
}
_PLACE_SUFFIX = re.compile(r"(市|省|区|县)$")


@dataclass(frozen=True)
class Weights:
    dense: float
    lexical: float
    structured: float


@dataclass
class Explanation:
    """Why a result ranks where it does: every component, its weight, and what matched."""

    dense: float
    lexical: float | None = None
    structured: float | None = None
    degree_fit: float | None = None
    major_fit: float | None = None
    location_fit: float | None = None
    matched_terms: list[str] = field(default_factory=list)
    matched_skills: list[str] = field(default_factory=list)
    matched_majors: list[str] = field(default_factory=list)
    matched_concepts: list[Concept] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    notes_zh: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)

    def note(self, en: str, zh: str) -> None:
        """A sentence about the match, in English and in Chinese."""
        self.notes.append(en)
        self.notes_zh.append(zh)

    def as_dict(self) -> dict[str, Any]:
        return {
            "components": {
                "dense": round(self.dense, 4),
                "lexical": None if self.lexical is None else round(self.lexical, 4),
                "structured": None if self.structured is None else round(self.structured, 4),
            },
            "structured_fit": {
                "degree": self.degree_fit,
                "major": self.major_fit,
                "location": self.location_fit,
            },
            "weights": self.weights,
            "matched_terms": self.matched_terms,
            "matched_skills": self.matched_skills,
            "matched_majors": self.matched_majors,
            "matched_concepts": [concept.as_dict() for concept in self.matched_concepts],
            "notes": self.notes,
            "notes_zh": self.notes_zh,
        }


def combine(explanation: Explanation, weights: Weights) -> float:
    """The hybrid score from the components present in `explanation`; records the weights used."""
    parts = [("dense", max(0.0, explanation.dense), weights.dense)]
    if explanation.lexical is not None:
        parts.append(("lexical", explanation.lexical, weights.lexical))
    if explanation.structured is not None:
        parts.append(("structured", explanation.structured, weights.structured))
    total = sum(weight for _, _, weight in parts)
    explanation.weights = {name: weight for name, _, weight in parts}
    if total <= 0:
        return 0.0
    return sum(value * weight for _, value, weight in parts) / total


def degree_fit(candidate_level: int, required_level: int) -> tuple[float | None, str | None, str | None]:
    """1 when the candidate holds the required degree; 0.5 one level short; 0 further. With the fit, why it is
    short, in English and in Chinese."""
    if required_level <= DegreeLevel.NONE:
        return None, None, None
    if candidate_level >= required_level:
        return 1.0, None, None
    gap = required_level - candidate_level
    need, has = DegreeLevel(required_level), DegreeLevel(candidate_level)
    return (
        max(0.0, 1.0 - 0.5 * gap),
        f"requires a {need.label} degree; the candidate's highest is {has.label}",
        f"要求{need.label_zh}，候选人为{has.label_zh}",
    )


def major_fit(candidate_codes: list[str], job_codes: list[str]) -> tuple[float | None, list[str]]:
    """Best fit between the candidate's catalogue majors and those the job asks for; the codes that met."""
    if not job_codes:
        return None, []
    best, matched = 0.0, []
    for code in candidate_codes:
        for wanted in job_codes:
            if code == wanted or (len(wanted) == 4 and code.startswith(wanted)):
                fit = 1.0
            elif code[:4] == wanted[:4]:
                fit = 0.6
            elif code[:2] == wanted[:2]:
                fit = 0.2
            else:
                continue
            if fit > best:
                best, matched = fit, [code]
            elif fit == best and code not in matched:
                matched.append(code)
    return best, matched


def _place_words(place: str) -> set[str]:
    keys = set()
    for part in re.split(r"[,，/、\s]+", place.lower()):
        part = _PLACE_SUFFIX.sub("", part.strip())
        if part:
            keys.add(CITY_ALIASES.get(part, part))
    return keys


@lru_cache(maxsize=50_000)
def named_places(text: str) -> frozenset[str]:
    """The place concepts `text` names itself (伦敦 → London), not the countries they lie in."""
    return frozenset(place.id for place in lexicon().places(text))


@lru_cache(maxsize=50_000)
def place_area(text: str) -> frozenset[str]:
    """Every place `text` lies in: the places it names, their countries, and abroad for a place outside China."""
    return frozenset(lexicon().place_keys(text))


@lru_cache(maxsize=100_000)
def place_matches(wanted: str, place: str) -> bool:
    """Whether the place a person names (city, district, country, 海外/abroad; English or Chinese) lies in `place`."""
    wanted_places = named_places(wanted)
    if wanted_places and wanted_places & place_area(place):
        return True
    target = place.lower()
    target_keys = _place_words(place)
    for key in _place_words(wanted):
        if key in target or key in target_keys or any(key in t or t in key for t in target_keys if len(t) > 1):
            return True
    return False


def location_fit(candidate_places: list[str], job_location: str) -> float | None:
    """1 when one of the places the candidate names is where the job is, 0 when none is; None if unknown."""
    places = [p for p in candidate_places if p]
    if not places or not job_location:
        return None
    return 1.0 if any(place_matches(p, job_location) for p in places) else 0.0


def structured_mean(*fits: float | None) -> float | None:
    present = [fit for fit in fits if fit is not None]
    return sum(present) / len(present) if present else None


def matched_skills(skills: list[str], text: str, concepts: frozenset[str] | None = None) -> list[str]:
    """The candidate's skills that the job text names, in its words or in the other language's (a skill and the
    text naming the same concept: "penetration testing" in a profile, 渗透测试 in a posting)."""
    lowered = text.lower()
    concepts = _concept_ids(text) if concepts is None else concepts
    found = []
    for skill in skills:
        needle = skill.lower().strip()
        if not needle:
            continue
        if re.search(r"[\u4e00-\u9fff]", needle):
            hit = needle in lowered
        else:
            hit = re.search(r"(?<![a-z0-9])" + re.escape(needle) + r"(?![a-z0-9])", lowered) is not None
        if hit or not concepts.isdisjoint(_concept_ids(skill)):
            found.append(skill)
    return found


@lru_cache(maxsize=4_096)
def _concept_ids(text: str) -> frozenset[str]:
    return frozenset(concept.id for concept in lexicon().find(text))
