"""The major catalogue: loading it, and mapping what people write ("MSc Cyber Security", "计算机类") to codes."""

import json
import re
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from matcher.encoders import Encoder
from matcher.services.embedding import embed_texts
from matcher.store import majors as major_store
from matcher.store.models import Major

CATALOGUE_FILE = "majors-2026.jsonl"
MIN_MAPPING_SCORE = 0.35

_DEGREE_WORDS = re.compile(
    r"\b(bachelor|master|doctor)s?\b( of (science|arts|engineering|philosophy|business administration))?( in)?"
    r"|\b(b|m)\.?\s?(sc|a|eng|e|phil|res|tech|s)\b\.?|\bph\.?\s?d\b\.?( in)?|\bd\.?phil\b|\bmba\b"
    r"|\(hons?\)|\bhonou?rs\b|\bdegree\b|\bprogramme?\b|\bin\b"
    r"|学士|硕士|博士|研究生|本科|专业|学位",
    re.I,
)


@dataclass(frozen=True)
class MajorHit:
    code: str
    name: str
    score: float


def catalogue_records() -> list[dict[str, Any]]:
    """The 2026 national undergraduate major catalogue shipped with the package (see matcher/data/SOURCES.md)."""
    text = files("matcher").joinpath("data", CATALOGUE_FILE).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def load_catalogue(session: Session) -> int:
    """Insert or refresh every catalogue major; returns how many the catalogue has."""
    existing = {major.code: major for major in major_store.all_majors(session=session)}
    records = catalogue_records()
    for record in records:
        fields = {
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
        row = existing.get(record["code"])
        if row is None:
            session.add(Major(code=record["code"], **fields))
        else:
            for key, value in fields.items():
                if getattr(row, key) != value:
                    setattr(row, key, value)
    session.flush()
    return len(records)


def strip_degree_words(text: str) -> str:
    """'MSc in Cyber Security (Hons)' -> 'Cyber Security'; what is left names the field of study."""
    stripped = " ".join(_DEGREE_WORDS.sub(" ", text).split()).strip(" ,.-:;()")
    return stripped or text.strip()


class MajorMapper:
    """Maps free text to catalogue majors: by code, by exact Chinese name, else by multilingual embedding."""

    def __init__(self, session: Session, encoder: Encoder) -> None:
        self._majors = list(major_store.all_majors(session=session))
        self._encoder = encoder
        self._by_code = {m.code: m for m in self._majors}
        self._by_name = {m.name: m for m in self._majors}
        self._classes = {m.class_name: m.class_code for m in self._majors}
        vectors, _ = embed_texts(session, encoder, [m.name for m in self._majors])
        self._vectors = vectors

    def __len__(self) -> int:
        return len(self._majors)

    def name_of(self, code: str) -> str:
        if code in self._by_code:
            return self._by_code[code].name
        return next((name for name, class_code in self._classes.items() if class_code == code), code)

    def map(self, text: str, limit: int = 5) -> list[MajorHit]:
        """The catalogue majors `text` most likely names, best first."""
        cleaned = text.strip()
        if not cleaned or not self._majors:
            return []
        exact = self._by_code.get(cleaned.upper()) or self._by_name.get(strip_degree_words(cleaned))
        if exact is not None:
            return [MajorHit(exact.code, exact.name, 1.0)]
        query = self._encoder.encode([strip_degree_words(cleaned)])[0]
        scores = self._vectors @ query
        order = np.argsort(-scores)[:limit]
        return [MajorHit(self._majors[i].code, self._majors[i].name, float(scores[i])) for i in order]

    def best_code(self, text: str) -> str | None:
        """The single best major code for `text`, if it is a confident enough match."""
        hits = self.map(text, limit=1)
        return hits[0].code if hits and hits[0].score >= MIN_MAPPING_SCORE else None

    def job_codes(self, majors: list[str]) -> list[str]:
        """Codes for the majors a job asks for; a class ('计算机类') gives its 4-digit class code."""
        codes: list[str] = []
        for text in majors:
            name = strip_degree_words(text)
            code = self._classes.get(name) or self._classes.get(name + "类") or self.best_code(text)
            if code and code not in codes:
                codes.append(code)
        return codes
