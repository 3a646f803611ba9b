"""Posting titles → CSCO 2022 detailed occupations, best first, with a calibrated confidence and a back-off.

`clean_title` keeps the occupation part of a title; `OccupationFeatures` scores every detailed occupation from
several sides (the multilingual model, known job-board titles, BM25, character n-grams, exact and partial matches,
fused by reciprocal rank); `OccupationRanker` weighs them (learned on training folds) into a probability over the
candidates. `guess` then says what a job should show: the detailed occupation when its calibrated confidence
reaches MIN_CONFIDENCE, else its minor group (小类) or middle group (中类) when that is sure enough, else nothing
("occupation uncertain") rather than a wrong code. docs/evaluation.md gives the figures and how they were reached.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from matcher.reference.occupation_features import OccupationFeatures, OccupationText, occupation_views
from matcher.reference.occupation_ranker import Calibration, OccupationRanker, candidates_of

# A job shows an occupation (or a group) only when at least this share of such answers were right on the folds the
# ranker was not fitted on: below it, "occupation uncertain". Chosen before any labelled set was looked at: more
# likely right than wrong, with a margin.
MIN_CONFIDENCE = 0.6
# A title this close to one the coder's own data holds (n-gram cosine, or the same key) counts as seen when the coder
# is measured: the figures that matter are on the others.
NEAR_DUPLICATE = 0.8
DETAILED, MINOR, MIDDLE = 4, 3, 2

Embed = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class OccupationHit:
    code: str
    name: str
    score: float  # the ranker's probability among the candidates
    group_code: str = ""
    group_name: str = ""


@dataclass(frozen=True)
class OccupationGuess:
    """What a job shows: a detailed occupation, a group (backed off), or nothing (uncertain)."""

    code: str | None  # a detailed occupation (level 4), a group's code (level 3 or 2), or None: uncertain
    name: str
    level: int  # 4, 3 (小类), 2 (中类) or 0 when uncertain
    confidence: float  # calibrated: the share of such answers that were right on unseen folds
    detailed_code: str  # the best detailed occupation, whatever the confidence ("" for an empty title)

    @property
    def uncertain(self) -> bool:
        return self.code is None


def reference_texts(occupations: Sequence[OccupationText], titles: Sequence[str]) -> list[str]:
    """What the coder embeds, in order: each occupation's views, the known titles, each English name."""
    views = [text for _, text in occupation_views(occupations)]
    return views + list(titles) + [o.name_en or o.name for o in occupations]


def parent_code(code: str) -> str | None:
    """2-02-10-03 -> 2-02-10-00 -> 2-02-00-00 -> 2-00-00-00 -> None."""
    parts = code.split("-")
    for position in (3, 2, 1):
        if parts[position].strip("0"):
            return "-".join(parts[:position] + ["00"] * (4 - position))
    return None


def group_of(code: str) -> str:
    """The minor group (小类, level 3) a detailed occupation belongs to: 2-02-10-03 -> 2-02-10."""
    return code.rsplit("-", 1)[0]


def minor_group_code(code: str) -> str:
    """2-02-10-03 -> 2-02-10-00 (小类); a detailed occupation that is itself a minor group keeps its code."""
    return code.rsplit("-", 1)[0] + "-00"


def middle_group_code(code: str) -> str:
    """2-02-10-03 -> 2-02-00-00 (中类)."""
    return code[:4] + "-00-00"


class OccupationCoder:
    """The detailed occupations, their known titles and the ranker: maps cleaned titles and their embeddings."""

    def __init__(
        self,
        occupations: Sequence[OccupationText],
        names: dict[str, str],  # every code of the classification (all levels) -> name
        titles: Sequence[tuple[str, str]],  # (code, title) known job-board titles
        embed: Embed,
        ranker: OccupationRanker,
    ) -> None:
        self.occupations = list(occupations)
        self.codes = [o.code for o in self.occupations]
        self.names = names
        self.ranker = ranker
        positions = {code: position for position, code in enumerate(self.codes)}
        self.titles = [(positions[code], title) for code, title in titles if code in positions]
        vectors = embed(reference_texts(self.occupations, [title for _, title in self.titles]))
        views = len(vectors) - len(self.titles) - len(self.occupations)
        self.title_vectors = vectors[views : views + len(self.titles)]
        self.features = OccupationFeatures(
            self.occupations, self.titles, vectors[:views], self.title_vectors, vectors[views + len(self.titles) :]
        )
        self._minor = np.array([minor_group_code(code) for code in self.codes])
        self._middle = np.array([middle_group_code(code) for code in self.codes])

    def probabilities(
        self, cleaned: str, vector: np.ndarray, exclude: int | None = None, parts: np.ndarray | None = None
    ) -> np.ndarray:
        """The ranker's probability of every detailed occupation (zero outside the candidates); `parts`: the
        embeddings of title_parts(cleaned)."""
        features = self.features.rows(cleaned, vector, exclude, parts)
        return self.ranker.probabilities(self.ranker.scores(features), candidates_of(features))

    def seen(self, cleaned: str) -> bool:
        """The title, or a near duplicate of it, is one of the known titles or names."""
        return self.features.closest_known(cleaned) >= NEAR_DUPLICATE

    def hits(self, probabilities: np.ndarray, limit: int) -> list[OccupationHit]:
        top = np.argsort(-probabilities, kind="stable")[:limit]
        return [self._hit(self.codes[i], float(probabilities[i])) for i in top]

    def guess(self, probabilities: np.ndarray) -> OccupationGuess:
        """The detailed occupation, else its minor or middle group, when calibrated as sure enough; else uncertain."""
        best = int(np.argmax(probabilities))
        code = self.codes[best]
        calibration = self.ranker.calibration
        detailed = calibration.get("detailed", Calibration())(float(probabilities[best]))
        if detailed >= MIN_CONFIDENCE:
            return OccupationGuess(code, self.names.get(code, ""), DETAILED, detailed, code)
        backs = (
            (MINOR, "minor", self._minor, minor_group_code(code)),
            (MIDDLE, "middle", self._middle, middle_group_code(code)),
        )
        for level, key, groups, group in backs:
            if group == code or group not in self.names:
                continue
            confidence = calibration.get(key, Calibration())(float(probabilities[groups == group].sum()))
            if confidence >= MIN_CONFIDENCE:
                return OccupationGuess(group, self.names[group], level, confidence, code)
        return OccupationGuess(None, "", 0, detailed, code)

    def _hit(self, code: str, score: float) -> OccupationHit:
        parent = self.names.get(parent_code(code) or "", "")
        return OccupationHit(code, self.names.get(code, code), round(score, 4), group_of(code), parent)
