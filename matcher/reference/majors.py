"""The major catalogue: loading it, and mapping what people write ("MSc Cyber Security", "计算机类") to codes."""

import csv
import io
import json
import re
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from matcher.embedding import embed_texts
from matcher.encoders import Encoder
from matcher.reference import english_names
from matcher.reference.char_grams import CharGramIndex
from matcher.store import majors as major_store
from matcher.store import queries
from matcher.store.models import Major

CATALOGUE_FILE = "majors-2026.jsonl"
ALIASES_FILE = "major-aliases.csv"
# Names people write on CVs that are not the catalogue's own: Chinese abbreviations and former names (计科, 对外汉语),
# foreign programme names (Quantity Surveying). Read by this mapper only: the demo and the concept lexicon of search
# keep to major-aliases.csv; a variant changes the major codes stored, and so the major fit (major-variants.md).
VARIANTS_FILE = "major-variants.csv"
# Below this cosine an embedding match is more often wrong than right: better no major than a wrong one.
MIN_MAPPING_SCORE = 0.6
# The weight of the character n-gram cosine (words of an English name, characters and pairs of a Chinese one) beside
# the model's cosine (1) when ranking majors: "Chemical Engineering" shares two words with 081301's English name.
LEXICAL_WEIGHT = 0.3

_DEGREE_WORDS = re.compile(
    r"\b(bachelor|master|doctor)(s|'s)?\b( of (science|arts|engineering|philosophy|business administration))?"
    r"( (of|in))?"
    r"|\b(b|m)\.?\s?(sc|a|eng|e|phil|res|tech|s)\b\.?|\bph\.?\s?d\b\.?( in)?|\bd\.?phil\b|\bmba\b"
    r"|\bmsci\b|\bm\.?arch\b|\bll\.?[bm]\b\.?|\bpg\s?(dip|cert)\b|\(res\)|\b(under|post)graduate\b"
    r"|\(hons?\)|\bhonou?rs\b|\bdegree\b|\bprogramme?\b|\bin\b"
    r"|学士|硕士|博士|研究生|本科|专业|学位",
    re.I,
)


@dataclass(frozen=True)
class CatalogueMajor:
    """What mapping needs of a catalogue major (plain data: a mapper outlives the session that loaded it)."""

    code: str
    name: str
    class_code: str
    class_name: str
    category_name: str


@dataclass(frozen=True)
class MajorHit:
    code: str
    name: str
    score: float
    class_name: str = ""
    category_name: str = ""


def catalogue_records() -> list[dict[str, Any]]:
    """The 2026 national undergraduate major catalogue shipped with the package (see matcher/data/SOURCES.md)."""
    text = files("matcher").joinpath("data", CATALOGUE_FILE).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def load_catalogue(session: Session) -> int:
    """Insert or refresh every catalogue major; returns how many the catalogue has."""
    records = catalogue_records()
    rows = {
        record["code"]: {
            "name": record["name"],
            "class_code": record["class_code"],
            "class_name": record["class_name"],
            "category_code": record["category_code"],
            "category_name": record["category_name"],
            "special": bool(record.get("special")),
            "controlled": bool(record.get("controlled")),
            "degree_note": record.get("degree_note"),
            "employment_directions": record.get("employment_directions") or [],
            "graduate_disciplines": record.get("graduate_disciplines") or [],
            "school_count": record.get("school_count"),
        }
        for record in records
    }
    queries.sync_reference(Major, rows, session=session)
    return len(records)


def alias_records() -> list[tuple[str, str]]:
    """(code, alias) pairs: the English names people give catalogue majors (matcher/data/major-aliases.md)."""
    return _name_rows(ALIASES_FILE)


def variant_records() -> list[tuple[str, str]]:
    """(code, name) pairs: other names CVs give catalogue majors, Chinese and English (major-variants.md)."""
    return _name_rows(VARIANTS_FILE)


def _name_rows(file_name: str) -> list[tuple[str, str]]:
    path = files("matcher").joinpath("data", file_name)
    if not path.is_file():
        return []
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return [(row["code"], row["alias"]) for row in rows if row.get("code") and row.get("alias")]


def normalize_name(text: str) -> str:
    """A major's name reduced for exact comparison: case, '&', punctuation and degree words gone."""
    lowered = strip_degree_words(text).lower().replace("&", " and ")
    return " ".join(re.sub(r"[^\w\u4e00-\u9fff]+", " ", lowered).split())


# Notes that qualify a major without changing it: "车辆工程（新能源汽车方向）", "软件工程（中外合作办学）", and
# programme acronyms in brackets: "Master of Financial Engineering (MFE)".
_QUALIFIERS = re.compile(
    r"[（(][^（）()]*(方向|合作办学|中外合作|实验班|试点班|国际班|基地班|卓越|拔尖|英才|[0-9一二三四五六七八]年制)[^（）()]*[）)]"
    # an acronym, two capitals or more: "(MFE)", "(IMAC-U)", "(MSci)", "（MPH）"; not a word, "(Primary)"
    r"|[（(][A-Z][a-z]*[A-Z][A-Za-z0-9&]*(?:-[A-Z0-9]+)?[）)]"
    # British programmes with a year out, to the end of the title or the next bracket or comma: "… with Industrial
    # Placement", "… with a Year Abroad in Spain", "… with a Year in Data Science", "(Sandwich)", "(Year in Industry)"
    r"|(?i:\bwith (?:an? )?(?:industrial|professional|work) (?:placement|experience|training)(?: year)?\b"
    r"|\bwith (?:an? )?(?:placement|foundation|sandwich|integrated foundation) year\b"
    r"|\bwith (?:an? )?year (?:abroad|out|in)\b[^,()（）]*"
    r"|\((?:sandwich|sandwich placement|industrial placement|(?:an? )?year (?:abroad|out|in industry))\))"
)


def strip_degree_words(text: str) -> str:
    """'MSc in Cyber Security (Hons)' -> 'Cyber Security'; what is left names the field of study (the text itself
    when it is nothing but degree words: 'MBA')."""
    return field_of_study(text) or text.strip()


def field_of_study(text: str) -> str:
    """The field a degree title names, '' when it names none ('MSc', '硕士研究生', 'Postgraduate')."""
    words = _DEGREE_WORDS.sub(" ", _QUALIFIERS.sub(" ", text))
    return " ".join(re.sub(r"[()（）]", " ", words).split()).strip(" ,.-:;")


def _abbreviation(name: str) -> bool:
    """An alias or variant short enough to look like another by chance (MAcc, DMD, TESOL, 计科, 无机非): known as
    written, never compared for similarity."""
    if re.search(r"[\u4e00-\u9fff]", name):
        return len(name.strip()) <= 3
    return bool(re.fullmatch(r"[A-Z][A-Za-z&]{1,5}", name.strip())) and sum(c.isupper() for c in name) >= 2


class MajorMapper:
    """Maps free text to catalogue majors: by code, by exact name, alias or variant, else by similarity.

    The similarity compares the field of study the text names with every major's Chinese name, English name,
    aliases and variants (abbreviations aside: they count as written only), two ways: the multilingual model's
    cosine (it crosses languages) and the character n-gram cosine (it catches a rare shared word or character the
    model blurs); each major keeps its best of each, and its score is their weighted mean (1 : LEXICAL_WEIGHT).
    Only the model's cosine decides whether a match is sure enough to store. A text that names no field ('MSc',
    '硕士研究生') or a single character ('无') matches by code or exact name only.
    """

    def __init__(self, session: Session, encoder: Encoder) -> None:
        self._majors = [
            CatalogueMajor(m.code, m.name, m.class_code, m.class_name, m.category_name)
            for m in major_store.all_majors(session=session)
        ]
        self._encoder = encoder
        self._by_code = {m.code: m for m in self._majors}
        self._by_name = {normalize_name(m.name): m for m in self._majors}
        self._classes = {m.class_name: m.class_code for m in self._majors}
        # The catalogue's own English names (majors-2026-en.csv) and the aliases: an English degree title then meets
        # a name in its own language, which the multilingual model matches more surely than a Chinese one.
        english = english_names.major_names()
        other_names = [(m.code, english[m.code]) for m in self._majors if english.get(m.code)]
        other_names += [(code, alias) for code, alias in alias_records() if code in self._by_code]
        for code, name in other_names:
            self._by_name.setdefault(normalize_name(name), self._by_code[code])
        # Variants after every other name, and apart: a job's "计算机相关" is the class, not the variant 计算机.
        variants = [(code, name) for code, name in variant_records() if code in self._by_code]
        self._by_variant: dict[str, CatalogueMajor] = {}
        for code, name in variants:
            self._by_variant.setdefault(normalize_name(name), self._by_code[code])
        compared = [(code, name) for code, name in other_names + variants if not _abbreviation(name)]
        names = [(m.code, m.name) for m in self._majors] + compared
        codes = sorted(self._by_code)
        self._codes = np.array(codes)
        position = {code: i for i, code in enumerate(codes)}
        self._owners = np.array([position[code] for code, _ in names], dtype=np.int64)
        self._vectors, _ = embed_texts(session, encoder, [name for _, name in names])
        self._lexical = CharGramIndex([normalize_name(name) for _, name in names])

    def __len__(self) -> int:
        return len(self._majors)

    def codes(self) -> set[str]:
        return set(self._by_code)

    def seen(self, text: str) -> bool:
        """The text is a code, a name, an alias or a variant this mapper knows as written (an exact match)."""
        return self._exact(text.strip()) is not None

    def map(self, text: str, limit: int = 5, *, lexical: bool = True) -> list[MajorHit]:
        """The catalogue majors `text` most likely names, best first (`lexical=False`: by the model's cosine
        alone, for a text that is no degree name, a job title: 前端开发 shares 开发 with 房地产开发与管理)."""
        return [self._hit(code, score) for code, score, _ in self._ranked(text, limit, lexical)]

    def _ranked(self, text: str, limit: int, lexical: bool = True) -> list[tuple[str, float, float]]:
        """(code, score, the model's cosine) best first: an exact match scores 1.0; the others the weighted mean
        of the model's and the n-gram cosine (1 : LEXICAL_WEIGHT)."""
        cleaned = text.strip()
        if not cleaned or not self._majors:
            return []
        exact = self._exact(cleaned)
        ranked = [(exact.code, 1.0, 1.0)] if exact is not None else []
        field = field_of_study(cleaned)
        if len(ranked) >= limit or len(field) < 2:  # nothing (else) to compare
            return ranked
        weight = LEXICAL_WEIGHT if lexical else 0.0
        model = self._best_per_major(self._vectors @ self._encoder.encode([field])[0])
        grams = self._best_per_major(self._lexical.cosines(normalize_name(field))) if lexical else 0.0
        scores = (model + weight * grams) / (1 + weight)
        for i in np.lexsort((self._codes, -scores)):  # best first, ties by code
            if len(ranked) >= limit:
                break
            if exact is None or self._codes[i] != exact.code:  # the exact match is first already
                ranked.append((str(self._codes[i]), float(scores[i]), float(model[i])))
        return ranked

    def _exact(self, cleaned: str) -> CatalogueMajor | None:
        key = normalize_name(cleaned)
        return self._by_code.get(cleaned.upper()) or self._by_name.get(key) or self._by_variant.get(key)

    def _best_per_major(self, scores: np.ndarray) -> np.ndarray:
        best = np.full(len(self._codes), -1.0)
        np.maximum.at(best, self._owners, scores)
        return best

    def _hit(self, code: str, score: float) -> MajorHit:
        major = self._by_code[code]
        return MajorHit(code, major.name, round(score, 4), major.class_name, major.category_name)

    def best_code(self, text: str) -> str | None:
        """The single best major code for `text`, if it is a confident enough match (exact, or the model's cosine
        at least MIN_MAPPING_SCORE)."""
        ranked = self._ranked(text, limit=1)
        return ranked[0][0] if ranked and ranked[0][2] >= MIN_MAPPING_SCORE else None

    def job_codes(self, majors: list[str]) -> list[str]:
        """Codes for the majors a job asks for; a class ('计算机类') gives its 4-digit class code."""
        codes: list[str] = []
        for text in majors:
            name = re.sub(r"(相关|相近|等)+$", "", strip_degree_words(text))
            exact = self._by_name.get(normalize_name(name))  # 统计学 is the major, before 统计学类 the class
            code = (exact.code if exact else None) or self._classes.get(name) or self._classes.get(name + "类")
            code = code or self.best_code(text)  # variants after the classes: 计算机相关 is class 0809
            if code and code not in codes:
                codes.append(code)
        return codes
