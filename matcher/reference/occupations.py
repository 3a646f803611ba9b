"""The occupation classification (CSCO 2022): loading it, and normalizing posting titles to detailed occupations.

A posting title says more than the occupation: "郑东新区某茶饮店急招店员（包吃住）", "Java开发工程师（高新区）15-25K".
`OccupationMapper` gives the coder (matcher/reference/occupation_coder.py) the classification from the database,
the job-board titles known for each occupation (occupation-titles.csv: "Java开发工程师" is how postings say
软件工程技术人员) and the embedding cache.
"""

import csv
import io
import re
from collections.abc import Callable, Sequence
from importlib.resources import files
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.embedding import embed_texts
from matcher.encoders import Encoder
from matcher.reference import english_names
from matcher.reference.occupation_coder import (
    OccupationCoder,
    OccupationGuess,
    OccupationHit,
    group_of,
    parent_code,
    reference_texts,
)
from matcher.reference.occupation_features import OccupationText, title_parts
from matcher.reference.occupation_ranker import OccupationRanker
from matcher.reference.occupation_training import train, training_set
from matcher.reference.title_cleaning import clean_title, title_key
from matcher.store import queries
from matcher.store.models import Occupation

__all__ = [
    "OccupationGuess",
    "OccupationHit",
    "OccupationMapper",
    "clean_title",
    "group_of",
    "parent_code",
    "title_key",
]

CSCO_FILE = "csco-2022.csv"
TITLES_FILE = "occupation-titles.csv"  # job-board titles per detailed occupation (matcher/data/SOURCES.md)
ENCODE_BATCH = 64
FREQUENCY_FILE = "occupation-frequency.csv"  # how often postings advertise each detailed occupation, 0–4
DETAILED = 4  # the level of 细类, the occupations titles are mapped to
# The 2022 classification marks green occupations with L and digital ones with S after the name ("…人员L/S").
_MARKS = re.compile(r"(L/S|S/L|L|S)$")


def csco_records() -> list[dict[str, Any]]:
    """The 2022 classification shipped with the package (see matcher/data/SOURCES.md), one row per code.

    The file repeats a few codes (a minor group with no subdivisions listed as level 3 and level 4, and three
    exact duplicates): a code keeps its deepest level and its first definition and tasks.
    """
    text = files("matcher").joinpath("data", CSCO_FILE).read_text(encoding="utf-8")
    by_code: dict[str, dict[str, Any]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        seen = by_code.setdefault(row["code"], row)
        if seen is not row:
            seen["level"] = str(max(int(seen["level"]), int(row["level"])))
            for key in ("definition", "tasks"):
                seen[key] = seen.get(key) or row.get(key) or ""
    return list(by_code.values())


def occupation_titles() -> list[tuple[str, str]]:
    """(code, title) for the job-board titles shipped with the package, in file order."""
    text = files("matcher").joinpath("data", TITLES_FILE).read_text(encoding="utf-8")
    return [(row["code"].strip(), row["title"].strip()) for row in csv.DictReader(io.StringIO(text)) if row["title"]]


def occupation_frequency() -> dict[str, int]:
    """code -> how often job boards advertise it (0 practically never … 4 among the most advertised)."""
    text = files("matcher").joinpath("data", FREQUENCY_FILE).read_text(encoding="utf-8")
    return {row["code"].strip(): int(row["frequency"]) for row in csv.DictReader(io.StringIO(text))}


def unmarked(name: str) -> tuple[str, str]:
    """A classification name without its green/digital marks, and the marks: '智能制造工程技术人员S' -> (…, 'S')."""
    name = name.strip()
    marks = _MARKS.search(name) if re.search(r"[\u4e00-\u9fff][LS/]+$", name) else None
    return (name[: marks.start()], marks.group()) if marks else (name, "")


def load_occupations(session: Session) -> int:
    """Insert or refresh every occupation of the classification; returns how many it has."""
    records = csco_records()
    rows = {}
    for record in records:
        name, marks = unmarked(record["name"])
        rows[record["code"]] = {
            "level": int(record["level"]),
            "name": name,
            "green": "L" in marks,
            "digital": "S" in marks,
            "definition": (record.get("definition") or "").strip(),
            "tasks": (record.get("tasks") or "").strip(),
            "parent_code": parent_code(record["code"]),
        }
    queries.sync_reference(Occupation, rows, session=session)
    return len(records)


def occupation_texts(rows: Sequence[Occupation]) -> list[OccupationText]:
    """The detailed occupations among `rows`, with their English names and how often postings advertise them."""
    english, frequency = english_names.occupation_names(), occupation_frequency()
    return [
        OccupationText(r.code, r.name, r.definition, r.tasks, english.get(r.code, ""), frequency.get(r.code, 1))
        for r in rows
        if r.level == DETAILED
    ]


def embedded_texts(session: Session) -> list[str]:
    """Every text the occupation coder embeds (a test suite keeps them cached)."""
    rows = session.scalars(select(Occupation).order_by(Occupation.code)).all()
    return reference_texts(occupation_texts(rows), [title for _, title in occupation_titles()])


class OccupationMapper:
    """Maps posting titles (Chinese, English or mixed) to detailed occupations, best first, and says what a job
    should show (`guesses`: the occupation, a group when only that is sure, or "uncertain")."""

    def __init__(self, session: Session, encoder: Encoder, ranker: OccupationRanker | None = None) -> None:
        rows = session.scalars(select(Occupation).order_by(Occupation.code)).all()
        detailed = occupation_texts(rows)
        self._encoder = encoder
        self.coder = OccupationCoder(
            detailed,
            {row.code: row.name for row in rows},
            occupation_titles(),
            lambda texts: embed_texts(session, encoder, texts)[0],
            ranker or OccupationRanker.packaged(),
        )

    def codes(self) -> set[str]:
        """The detailed occupations titles are mapped to."""
        return set(self.coder.codes)

    def all_codes(self) -> set[str]:
        """Every code of the classification, groups included (a labelled set may give a group as the answer)."""
        return set(self.coder.names)

    def map(self, title: str, limit: int = 5) -> list[OccupationHit]:
        """The detailed occupations `title` most likely is, best first (empty for an empty title)."""
        (probabilities,) = self._probabilities([title], self._encoder.encode)
        return self.coder.hits(probabilities, limit) if probabilities is not None else []

    def map_many(self, titles: list[str], limit: int = 5) -> list[list[OccupationHit]]:
        """`map` for many titles, encoded in batches (not through the cache: a file of titles seen once)."""
        return [
            self.coder.hits(p, limit) if p is not None else []
            for p in self._probabilities(titles, self._encoder.encode)
        ]

    def explain(self, title: str, limit: int = 5) -> tuple[list[OccupationHit], OccupationGuess | None]:
        """`map` and `guess` at once."""
        (probabilities,) = self._probabilities([title], self._encoder.encode)
        if probabilities is None:
            return [], None
        return self.coder.hits(probabilities, limit), self.coder.guess(probabilities)

    def guess(self, title: str) -> OccupationGuess | None:
        """What a job titled `title` shows (None for an empty title)."""
        (probabilities,) = self._probabilities([title], self._encoder.encode)
        return self.coder.guess(probabilities) if probabilities is not None else None

    def _probabilities(self, titles: list[str], embed: Callable[[list[str]], np.ndarray]) -> list[np.ndarray | None]:
        """The coder's probabilities for each title (None for one with nothing left after cleaning): the cleaned
        titles and their parts embedded in one batch."""
        cleaned = [clean_title(t) if t.strip() else "" for t in titles]
        parts = [title_parts(text) for text in cleaned]
        texts = cleaned + [part for text_parts in parts for part in text_parts]
        vectors = embed(texts) if self.coder.codes and any(cleaned) else np.zeros((len(texts), 0), dtype=np.float32)
        results: list[np.ndarray | None] = []
        start = len(cleaned)
        for text, text_parts, vector in zip(cleaned, parts, vectors, strict=False):
            part_vectors = vectors[start : start + len(text_parts)]
            start += len(text_parts)
            results.append(self.coder.probabilities(text, vector, parts=part_vectors) if text else None)
        return results

    def _batched(self, texts: list[str]) -> np.ndarray:
        """Encoded in batches of texts of about the same length (the model pads a batch to its longest text)."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.zeros((len(texts), self._encoder.dimension), dtype=np.float32)
        for start in range(0, len(order), ENCODE_BATCH):
            chosen = order[start : start + ENCODE_BATCH]
            vectors[chosen] = self._encoder.encode([texts[i] for i in chosen])
        return vectors

    def _cached(self, session: Session) -> Callable[[list[str]], np.ndarray]:
        return lambda texts: embed_texts(session, self._encoder, texts)[0]

    def train_ranker(self, session: Session) -> OccupationRanker:
        """A ranker fitted on the known titles, each left out in turn (matcher/reference/occupation_training.py)."""
        data = training_set(self.coder, self._cached(session))
        return train(self.coder, data)

    def seen(self, title: str) -> bool:
        """The cleaned title or a near duplicate is in the coder's own data (a known title or an occupation's name)."""
        return self.coder.seen(clean_title(title))

    def ranked(
        self, session: Session, titles: list[str], limit: int = 10
    ) -> list[tuple[list[OccupationHit], OccupationGuess | None]]:
        """Hits and what a job would show, for many titles at once (`talent eval occupations`)."""
        return [
            (self.coder.hits(p, limit), self.coder.guess(p)) if p is not None else ([], None)
            for p in self._probabilities(titles, self._cached(session))
        ]

    def guesses(self, session: Session, titles: list[str]) -> list[OccupationGuess | None]:
        """`guess` for many titles; the cleaned titles go through the embedding cache."""
        return [
            self.coder.guess(p) if p is not None else None for p in self._probabilities(titles, self._cached(session))
        ]
