"""The bilingual concept layer: the same skill, major, occupation, industry, degree or place in Chinese and English.

"渗透测试" and "penetration testing" are one concept (`skill:penetration-testing`), "伦敦" and "London" one place,
"硕士" and "MSc" one degree level. `lexicon().find(text)` returns the concepts a text names, whichever language
it is written in, so that two texts written in different languages share evidence instead of sharing nothing.

Sources (all in matcher/data, see SOURCES.md): concepts.csv (skills and occupations, hand-written for this
project), places.csv (countries, regions and cities), the 2026 major catalogue with its English names
(majors-2026.jsonl, major-aliases.csv), the leading industries with their aliases (priority-industries.yaml),
and the degree levels below.

Matching is case-insensitive; Latin forms match whole words (an n-gram of the same words), Chinese forms match
anywhere; overlapping matches resolve leftmost-longest, so "电池管理系统" is one concept, not "电池" and "管理".
"""

import csv
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from matcher.degrees import DegreeLevel

CONCEPT_TOKEN_PREFIX = "@"  # lexical tokens of concepts: "@skill:penetration-testing" (no word starts with @)
EVIDENCE_KINDS = frozenset({"skill", "occupation", "major", "industry"})  # what counts as lexical evidence

_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[a-z0-9][a-z0-9+#.\-']*[a-z0-9+#]|[a-z0-9]")
MAX_WORDS = 6

# The degree levels as people write them in a query or a profile (parse_degree reads a whole degree field;
# these are words inside free text, so the ambiguous short ones — "MA", "BA", "MS" — are left out).
DEGREE_FORMS: dict[DegreeLevel, tuple[str, str]] = {
    DegreeLevel.DOCTORATE: (
        "博士|博士研究生|博士学位|博士后",
        "phd|ph.d|ph. d|doctorate|doctoral|dphil|d.phil|doctor of philosophy|postdoc|postdoctoral",
    ),
    DegreeLevel.MASTER: (
        "硕士|硕士研究生|研究生|硕士学位",
        "master|masters|master's|msc|m.sc|meng|m.eng|mphil|mba|mres|postgraduate",
    ),
    DegreeLevel.BACHELOR: (
        "本科|学士|本科生|学士学位",
        "bachelor|bachelors|bachelor's|bsc|b.sc|beng|b.eng|undergraduate",
    ),
    DegreeLevel.ASSOCIATE: ("大专|专科|高职", "associate degree|associate's degree|hnd"),
}
OVERSEAS_FORMS = ("海外|国外|境外|留学", "abroad|overseas|outside china")
OVERSEAS = "place:overseas"
CHINA = "place:cn"


@dataclass(frozen=True)
class Concept:
    """One meaning with its labels; places also name their country (a concept id) when they are not one."""

    id: str
    kind: str  # skill, occupation, major, industry, degree, place
    zh: str
    en: str
    country: str | None = None

    def label(self, language: str) -> str:
        return self.zh if language == "zh" else self.en

    @property
    def token(self) -> str:
        return CONCEPT_TOKEN_PREFIX + self.id

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "kind": self.kind, "zh": self.zh, "en": self.en}


def words(text: str) -> list[str]:
    """Latin words as the lexicon compares them: lower case, hyphens as spaces, light stems ("c++", "node.js",
    "u.k", "characterise" = "characterization" → "characterize", "systems" → "system")."""
    return [_stem(w) for w in _WORD.findall(text.lower().replace("-", " "))]


def _stem(word: str) -> str:
    """English inflections folded, so that Latin forms match as loosely as Chinese substrings do: British and
    American spellings (-ise, -isation), -ation nouns, plurals."""
    word = word.rstrip(".") or word
    if len(word) <= 3 or not word.isalpha():
        return word
    for old, new in (("isation", "ize"), ("ization", "ize"), ("ising", "ize"), ("izing", "ize"), ("ised", "ize")):
        if word.endswith(old):
            return word[: -len(old)] + new
    if word.endswith(("ise", "ized")):
        return word[:-3] + "ize" if word.endswith("ise") else word[:-1]
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def is_concept_token(token: str) -> bool:
    return token.startswith(CONCEPT_TOKEN_PREFIX)


class Lexicon:
    """Concepts by id, and the surface forms that name them, ready to be found in text."""

    def __init__(self, entries: list[tuple[Concept, list[str]]]) -> None:
        self.concepts: dict[str, Concept] = {}
        self._latin: dict[tuple[str, ...], str] = {}
        self._cjk: dict[str, str] = {}
        self._cjk_lengths: dict[str, list[int]] = defaultdict(list)
        for concept, forms in entries:
            self.concepts.setdefault(concept.id, concept)
            for form in forms:
                self._add_form(form, concept.id)
        for first, lengths in self._cjk_lengths.items():
            self._cjk_lengths[first] = sorted(set(lengths), reverse=True)

    def _add_form(self, form: str, concept_id: str) -> None:
        form = " ".join(form.lower().split())
        if not form:
            return
        if _CJK.search(form):
            self._cjk.setdefault(form, concept_id)  # the first concept to claim a form keeps it
            self._cjk_lengths[form[0]].append(len(form))
            return
        key = tuple(words(form))
        if key and len(key) <= MAX_WORDS:
            self._latin.setdefault(key, concept_id)

    def get(self, concept_id: str) -> Concept | None:
        return self.concepts.get(concept_id)

    def find(self, text: str, kinds: frozenset[str] | None = None) -> list[Concept]:
        """The distinct concepts `text` names (of `kinds`, or all), in the order they first appear."""
        spans = self._spans(text.lower())
        found: dict[str, Concept] = {}
        end = -1
        for start, stop, concept_id in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
            if start < end:
                continue  # overlaps a longer (or earlier) match
            end = stop
            concept = self.concepts[concept_id]
            if kinds is None or concept.kind in kinds:
                found.setdefault(concept_id, concept)
        return list(found.values())

    def _spans(self, lowered: str) -> list[tuple[int, int, str]]:
        spans: list[tuple[int, int, str]] = []
        for i, char in enumerate(lowered):
            for length in self._cjk_lengths.get(char, ()):
                piece = lowered[i : i + length]
                concept_id = self._cjk.get(piece)
                if concept_id is None:
                    continue
                if piece[0].isascii() and i and lowered[i - 1].isascii() and lowered[i - 1].isalnum():
                    continue  # a Latin-led mixed form ("c语言") must start a word
                spans.append((i, i + length, concept_id))
                break
        spaced = lowered.replace("-", " ")
        matches = [(m.start(), m.end(), _stem(m.group())) for m in _WORD.finditer(spaced)]
        for i in range(len(matches)):
            for n in range(min(MAX_WORDS, len(matches) - i), 0, -1):
                key = tuple(word for _, _, word in matches[i : i + n])
                concept_id = self._latin.get(key)
                if concept_id is not None:
                    spans.append((matches[i][0], matches[i + n - 1][1], concept_id))
                    break
        return spans

    # -- places -----------------------------------------------------------------------------------------

    def places(self, text: str) -> list[Concept]:
        """The places `text` names: cities, regions, countries (and `place:overseas` for 海外 / abroad)."""
        return self.find(text, frozenset({"place"}))

    def place_keys(self, text: str) -> set[str]:
        """The place concepts `text` names, each with the country it lies in, and `place:overseas` for any
        place outside mainland China."""
        keys: set[str] = set()
        for place in self.places(text):
            keys.add(place.id)
            if place.id == OVERSEAS:
                continue
            country = place.country or place.id
            keys.add(country)
            if country != CHINA:
                keys.add(OVERSEAS)
        return keys

    def degree(self, text: str) -> DegreeLevel | None:
        """The highest degree level a free text names (博士, PhD, master's, 硕士 …), if any."""
        levels = [DegreeLevel[c.id.split(":", 1)[1].upper()] for c in self.find(text, frozenset({"degree"}))]
        return max(levels) if levels else None


def _split(forms: str) -> list[str]:
    return [form.strip() for form in (forms or "").split("|") if form.strip()]


def _data(name: str) -> Any:
    return resources.files("matcher.data").joinpath(name)


def _rows(name: str) -> list[dict[str, str]]:
    with _data(name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _builtin() -> list[tuple[Concept, list[str]]]:
    entries: list[tuple[Concept, list[str]]] = []
    for level, (zh, en) in DEGREE_FORMS.items():
        concept = Concept(f"degree:{level.label}", "degree", level.label_zh, level.label)
        entries.append((concept, _split(zh) + _split(en)))
    zh, en = OVERSEAS_FORMS
    entries.append((Concept(OVERSEAS, "place", "海外", "abroad"), _split(zh) + _split(en)))
    return entries


def _concept_rows() -> list[tuple[Concept, list[str]]]:
    entries = []
    for row in _rows("concepts.csv"):
        kind = "occupation" if row["kind"] == "role" else row["kind"]
        zh, en = _split(row["zh"]), _split(row["en"])
        if not zh or not en:
            continue
        entries.append((Concept(f"{kind}:{row['id']}", kind, zh[0], en[0]), zh + en))
    return entries


def _place_rows() -> list[tuple[Concept, list[str]]]:
    entries = []
    for row in _rows("places.csv"):
        zh, en = _split(row["zh"]), _split(row["en"])
        if not zh or not en:
            continue
        country = f"place:{row['country']}" if row.get("country") else None
        entries.append((Concept(f"place:{row['id']}", "place", zh[0], en[0], country), zh + en))
    return entries


# English major names that are also everyday words of CVs and postings ("Education" heads a CV section, a
# "battery management system" is no management degree): they name the major only in the majors mapper.
GENERIC_MAJOR_FORMS = frozenset({"management", "education", "law", "laws", "history", "design", "computing"})


def _major_rows() -> list[tuple[Concept, list[str]]]:
    english: dict[str, list[str]] = defaultdict(list)
    for row in _rows("major-aliases.csv"):
        if row.get("language", "en") == "en" and row["alias"].strip().lower() not in GENERIC_MAJOR_FORMS:
            english[row["code"]].append(row["alias"])
    entries = []
    with _data("majors-2026.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            major = json.loads(line)
            names = english.get(major["code"], [])
            concept = Concept(f"major:{major['code']}", "major", major["name"], names[0] if names else major["name"])
            entries.append((concept, [major["name"], *names]))
    return entries


def _industry_rows() -> list[tuple[Concept, list[str]]]:
    with _data("priority-industries.yaml").open(encoding="utf-8") as handle:
        industries = (yaml.safe_load(handle) or {}).get("industries", {})
    entries = []
    for name, spec in industries.items():
        aliases = [str(a) for a in (spec or {}).get("aliases", [])]
        english = [a for a in aliases if a.isascii()]
        entries.append(
            (Concept(f"industry:{name}", "industry", name, english[0] if english else name), [name, *aliases])
        )
    return entries


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The packaged lexicon, read once per process. Degrees and places first, then the leading industries (so
    "electronics" is the industry 电子信息, as the industry filter needs), occupations and skills, then majors: where
    two claim one form, the earlier keeps it."""
    return Lexicon(_builtin() + _place_rows() + _industry_rows() + _concept_rows() + _major_rows())


def concept_tokens(text: str) -> list[str]:
    """The lexical tokens of the evidence concepts `text` names (skills, occupations, majors, industries)."""
    return [concept.token for concept in lexicon().find(text, EVIDENCE_KINDS)]
