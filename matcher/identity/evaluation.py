"""`talent eval people`: how well records of one person are linked and namesakes kept apart, on labelled pairs.

The file is JSONL, one pair a line: {"pair": id, "same": bool, "kind": tag, "a": record, "b": record}, each record
in the import format of a candidate (matcher.records.CandidateRecord). The pairs split by the CRC-32 of their id:
even → the dev half (where the thresholds were chosen), odd → the test half; figures are given for both and for
all. Precision and recall are of automatic links (score ≥ SURE); "to review" counts the pairs the office would see.
"""

import json
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import ValidationError

from matcher.errors import Invalid
from matcher.identity.evidence import Evidence, evidence_of
from matcher.identity.resolution import Decision, PairScore, score_pair
from matcher.records import CandidateRecord

MAX_PAIRS = 100_000


@dataclass(frozen=True)
class LabelledPair:
    pair: str
    same: bool
    kind: str
    a: CandidateRecord
    b: CandidateRecord

    @property
    def half(self) -> str:
        return "dev" if zlib.crc32(self.pair.encode()) % 2 == 0 else "test"


@dataclass
class Figures:
    """Counts of one slice of the pairs at the shipped thresholds."""

    pairs: int = 0
    same: int = 0
    linked_right: int = 0  # same and linked
    linked_wrong: int = 0  # different people linked
    to_review: int = 0
    same_to_review: int = 0

    @property
    def precision(self) -> float:
        linked = self.linked_right + self.linked_wrong
        return self.linked_right / linked if linked else 1.0

    @property
    def recall(self) -> float:
        return self.linked_right / self.same if self.same else 1.0

    @property
    def recall_with_review(self) -> float:
        return (self.linked_right + self.same_to_review) / self.same if self.same else 1.0

    def add(self, same: bool, decision: Decision) -> None:
        self.pairs += 1
        self.same += same
        self.linked_right += same and decision is Decision.LINK
        self.linked_wrong += (not same) and decision is Decision.LINK
        self.to_review += decision is Decision.REVIEW
        self.same_to_review += same and decision is Decision.REVIEW

    def as_dict(self) -> dict[str, Any]:
        return {
            "pairs": self.pairs,
            "same": self.same,
            "linked_right": self.linked_right,
            "linked_wrong": self.linked_wrong,
            "to_review": self.to_review,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "recall_with_review": round(self.recall_with_review, 4),
        }


@dataclass
class PeopleReport:
    halves: dict[str, Figures] = field(default_factory=dict)
    kinds: dict[str, Figures] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)


def read_pairs(text: str) -> list[LabelledPair]:
    """The labelled pairs of a JSONL file; Invalid naming the line when one is not right."""
    pairs: list[LabelledPair] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            pair = LabelledPair(
                str(row["pair"]),
                bool(row["same"]),
                str(row.get("kind", "")),
                CandidateRecord.model_validate(row["a"]),
                CandidateRecord.model_validate(row["b"]),
            )
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            message = f"{where}: {first['msg']}" if where else str(first["msg"])
            raise Invalid(f"line {number}: not a labelled pair ({message})") from None
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise Invalid(f"line {number}: not a labelled pair ({error})") from None
        if pair.pair in seen:
            raise Invalid(f"line {number}: pair {pair.pair!r} is given twice")
        seen.add(pair.pair)
        pairs.append(pair)
        if len(pairs) > MAX_PAIRS:
            raise Invalid(f"more than {MAX_PAIRS} pairs")
    if not pairs:
        raise Invalid("the file holds no pairs")
    return pairs


def record_evidence(record: CandidateRecord) -> Evidence:
    """The identity evidence of an import record."""
    return evidence_of(
        name=record.name,
        email=record.email,
        url=record.url,
        texts=[record.headline, record.summary, *(e.description for e in record.experience)],
        extras=record.extras,
        education=[(e.school, e.degree, e.country, e.end_year) for e in record.education],
        employers=[e.organization for e in record.experience],
    )


def profile_text(record: CandidateRecord) -> str:
    """What a record says about the person's work, for comparing two profiles' meaning."""
    parts = [record.headline, ", ".join(record.skills)]
    parts += [f"{e.degree} {e.major}" for e in record.education]
    parts += [e.title for e in record.experience]
    return "\n".join(p for p in parts if p.strip()) or record.summary[:300]


def evaluate_pairs(
    pairs: list[LabelledPair],
    embed: Callable[[list[str]], np.ndarray] | None,
    misses: int = 10,
    scorer: Callable[[Evidence, Evidence, float | None], PairScore] = score_pair,
) -> PeopleReport:
    """Score every pair; figures per half and per kind, and up to `misses` wrong verdicts."""
    similarities: list[float | None] = [None] * len(pairs)
    if embed is not None:
        texts = [profile_text(r) for p in pairs for r in (p.a, p.b)]
        vectors = embed(texts)
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        similarities = [float(vectors[2 * i] @ vectors[2 * i + 1]) for i in range(len(pairs))]
    report = PeopleReport(halves=defaultdict(Figures), kinds=defaultdict(Figures))
    for pair, similarity in zip(pairs, similarities, strict=True):
        verdict = scorer(record_evidence(pair.a), record_evidence(pair.b), similarity)
        for figures in (report.halves[pair.half], report.halves["all"], report.kinds[pair.kind]):
            figures.add(pair.same, verdict.decision)
        wrong = (verdict.decision is Decision.LINK) != pair.same
        if wrong and len(report.misses) < misses:
            report.misses.append(
                {
                    "pair": pair.pair,
                    "kind": pair.kind,
                    "same": pair.same,
                    "decision": verdict.decision.value,
                    "score": verdict.score,
                    "reasons": list(verdict.reasons),
                    "names": [pair.a.name, pair.b.name],
                }
            )
    report.halves = dict(report.halves)
    report.kinds = dict(sorted(report.kinds.items()))
    return report
