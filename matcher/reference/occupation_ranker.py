"""How the occupation coder weighs its features, and how sure it is: a learned linear scorer and a calibration.

The scorer is a softmax over the candidates (the CANDIDATES occupations the fused retrievers rank highest): the
probability of an occupation is exp(w · features) normalised over them. It is fitted on the training folds only
(matcher/reference/occupation_training.py); the weights ship in matcher/data/occupation-ranker.json.

The confidence of an answer is the probability of the first occupation mapped through a calibration (isotonic:
for each band of raw probability, the share of first answers that were right on folds the scorer was not fitted
on), so that "0.8" means right about 8 times in 10. When the first occupation is not sure enough but its minor
group (小类) or middle group (中类) is — the sum of the probabilities under it — the coder backs off to the group.
"""

import json
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any

import numpy as np

from matcher.reference.occupation_features import FEATURES

RANKER_FILE = "occupation-ranker.json"
CANDIDATES = 100


@dataclass
class Calibration:
    """Isotonic map from a raw probability to the share of right answers: step function on `edges`."""

    edges: list[float] = field(default_factory=list)  # ascending upper bounds of the raw probability
    accuracy: list[float] = field(default_factory=list)  # non-decreasing

    def __call__(self, raw: float) -> float:
        if not self.edges:
            return round(raw, 4)
        index = int(np.searchsorted(np.asarray(self.edges), raw, side="left"))
        return self.accuracy[min(index, len(self.accuracy) - 1)]

    @classmethod
    def fit(cls, raw: np.ndarray, right: np.ndarray, weight: np.ndarray | None = None, bins: int = 20) -> "Calibration":
        """Pool-adjacent-violators over `bins` quantile bands of the raw probability (answers weighted by `weight`)."""
        order = np.argsort(raw, kind="stable")
        weight = np.ones(len(raw)) if weight is None else np.asarray(weight, dtype=np.float64)
        raw, right, weight = raw[order], right[order].astype(np.float64) * weight[order], weight[order]
        chunks = [chunk for chunk in np.array_split(np.arange(len(raw)), bins) if len(chunk)]
        blocks = [[float(right[c].sum()), float(weight[c].sum()), float(raw[c][-1])] for c in chunks]
        merged: list[list[float]] = []
        for block in blocks:
            merged.append(block)
            while len(merged) > 1 and merged[-2][0] / merged[-2][1] >= merged[-1][0] / merged[-1][1]:
                last = merged.pop()
                merged[-1] = [merged[-1][0] + last[0], merged[-1][1] + last[1], last[2]]
        edges = [round(b[2], 4) for b in merged]
        edges[-1] = 1.0
        return cls(edges, [round(b[0] / b[1], 4) for b in merged])


@dataclass
class OccupationRanker:
    weights: np.ndarray  # one per feature of FEATURES
    # "detailed": the first occupation's probability -> right; "minor"/"middle": its group's summed probability
    calibration: dict[str, Calibration] = field(default_factory=dict)
    about: dict[str, Any] = field(default_factory=dict)  # how it was trained (shown by `talent eval occupations`)

    def scores(self, features: np.ndarray) -> np.ndarray:
        result: np.ndarray = features @ self.weights
        return result

    def probabilities(self, scores: np.ndarray, candidates: np.ndarray) -> np.ndarray:
        """Softmax over `candidates` (positions), zero elsewhere."""
        chosen = scores[candidates]
        exp = np.exp(chosen - chosen.max())
        result = np.zeros_like(scores)
        result[candidates] = exp / exp.sum()
        return result

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": list(FEATURES),
                "weights": [round(float(w), 5) for w in self.weights],
                "calibration": {
                    level: {"edges": c.edges, "accuracy": c.accuracy} for level, c in self.calibration.items()
                },
                "about": self.about,
            },
            ensure_ascii=False,
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> "OccupationRanker":
        data = json.loads(text)
        if data["features"] != list(FEATURES):
            raise ValueError(f"{RANKER_FILE} was trained on other features: retrain it (talent occupations train)")
        calibration = {level: Calibration(c["edges"], c["accuracy"]) for level, c in data["calibration"].items()}
        return cls(np.asarray(data["weights"], dtype=np.float32), calibration, data.get("about", {}))

    @classmethod
    def untrained(cls) -> "OccupationRanker":
        """Every feature alike: the starting point of `talent occupations train`."""
        return cls(np.ones(len(FEATURES), dtype=np.float32))

    @classmethod
    def packaged(cls) -> "OccupationRanker":
        return cls.from_json(files("matcher").joinpath("data", RANKER_FILE).read_text(encoding="utf-8"))


def candidates_of(features: np.ndarray, limit: int = CANDIDATES) -> np.ndarray:
    """The positions the fused retrievers (the RRF column) rank highest: the softmax is over these."""
    rrf = features[:, FEATURES.index("rrf")]
    exact = features[:, FEATURES.index("exact")]
    limit = min(limit, len(rrf))
    top = np.argpartition(-(rrf + exact), limit - 1)[:limit]
    return np.sort(top)


def fit_weights(
    features: np.ndarray,
    gold: np.ndarray,
    sample_weight: np.ndarray | None = None,
    l2: float = 1e-3,
    steps: int = 300,
) -> np.ndarray:
    """Weights maximising the softmax likelihood of the gold among each query's candidates (full-batch Adam).

    features: queries × candidates × FEATURES; gold: the index of the right occupation among each query's candidates;
    sample_weight: how much each query counts (by default all alike).
    """
    share = np.ones(len(gold)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    share = share / share.sum()
    width = features.shape[2]
    weights = np.zeros(width)
    moment, second = np.zeros(width), np.zeros(width)
    picked = features[np.arange(len(gold)), gold] * share[:, None]
    for step in range(1, steps + 1):
        scores = features @ weights
        exp = np.exp(scores - scores.max(axis=1, keepdims=True))
        p = exp / exp.sum(axis=1, keepdims=True)
        gradient = np.einsum("qc,qcf->f", p * share[:, None], features) - picked.sum(axis=0) + l2 * weights
        moment = 0.9 * moment + 0.1 * gradient
        second = 0.999 * second + 0.001 * gradient**2
        weights -= 0.05 * (moment / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
    return weights
