"""A linear correction applied to every vector before it is indexed or searched: centre, project, re-normalise.

    corrected(x) = unit( P · (x − mean) ),   P = I − B·Bᵀ   (B: orthonormal rows, the removed directions)

The index stores corrected vectors and corrects each query the same way, so cosine is taken between corrected
vectors on both sides (what FAISS's IndexPreTransform does, kept here in numpy so that callers can correct the
vectors they re-score exactly too). `name` says what was removed and how it was fitted; `fingerprint` identifies
the numbers, and is stamped in the index's sidecar.

A linear correction removes what all vectors of a group share; it cannot remove what a model does to pairs: a
multilingual model scores a good match written in the query's language higher than the same match written in
another (relevant pairs across languages score lower, irrelevant ones alike). `scales` carries that as a number
per (query group, item group): the factor that brings the best matches of the other group level with the best
matches of the query's own group, fitted on a sample of queries (`fit_cross_group_scales`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from index.arrays import FloatArray


@dataclass(frozen=True)
class Correction:
    name: str
    mean: FloatArray  # (d,)
    basis: FloatArray  # (k, d), orthonormal rows; k may be 0
    fitted_on: int  # how many vectors it was fitted on
    scales: dict[str, float] = field(default_factory=dict)  # "query group>item group" -> score factor
    queries_fitted_on: int = 0  # how many vectors the queries that fitted `scales` were drawn from

    def scale(self, query_group: str, item_group: str) -> float:
        """The factor for a score between a query of `query_group` and an item of `item_group` (1 if unknown)."""
        if query_group == item_group:
            return 1.0
        return self.scales.get(f"{query_group}>{item_group}", 1.0)

    def with_scales(self, scales: dict[str, float], queries_fitted_on: int) -> Correction:
        return replace(self, scales=dict(scales), queries_fitted_on=queries_fitted_on)

    @classmethod
    def identity(cls, dimension: int, name: str = "none") -> Correction:
        return cls(name, np.zeros(dimension, dtype=np.float32), np.zeros((0, dimension), dtype=np.float32), 0)

    @property
    def dimension(self) -> int:
        return int(self.mean.shape[0])

    @property
    def fingerprint(self) -> str:
        digest = hashlib.sha256(self.name.encode("utf-8"))
        digest.update(np.ascontiguousarray(self.mean, dtype=np.float32).tobytes())
        digest.update(np.ascontiguousarray(self.basis, dtype=np.float32).tobytes())
        digest.update(repr(sorted(self.scales.items())).encode("utf-8"))
        return digest.hexdigest()[:16]

    def apply(self, vectors: Any) -> FloatArray:
        """Corrected unit rows of `vectors` (n, d) or of one vector (d,) as (1, d); zero rows stay zero."""
        rows = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        if rows.shape[1] != self.dimension:
            raise ValueError(f"expected vectors of dimension {self.dimension}, got {rows.shape[1]}")
        centred = rows - self.mean
        if self.basis.shape[0]:
            centred = centred - (centred @ self.basis.T) @ self.basis
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return np.ascontiguousarray(centred / norms, dtype=np.float32)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "fingerprint": self.fingerprint,
            "fitted_on": self.fitted_on,
            "scales": self.scales,
            "queries_fitted_on": self.queries_fitted_on,
            "mean": [float(v) for v in self.mean],
            "basis": [[float(v) for v in row] for row in self.basis],
        }

    @classmethod
    def from_dict(cls, data: Any, dimension: int) -> Correction:
        """Parse what `to_dict` wrote; ValueError when it is malformed or does not fit `dimension`."""
        if not isinstance(data, dict):
            raise ValueError("the correction must be a JSON object")
        try:
            mean = np.asarray(data["mean"], dtype=np.float32)
            basis = np.asarray(data["basis"], dtype=np.float32).reshape(-1, dimension)
            scales = {str(key): float(value) for key, value in dict(data.get("scales") or {}).items()}
            correction = cls(
                str(data["name"]), mean, basis, int(data["fitted_on"]), scales, int(data.get("queries_fitted_on", 0))
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"the correction is malformed: {exc}") from exc
        if mean.shape != (dimension,):
            raise ValueError(f"the correction's mean has shape {mean.shape}, expected ({dimension},)")
        if data.get("fingerprint") not in (None, correction.fingerprint):
            raise ValueError("the correction's numbers do not match its fingerprint")
        return correction


def fit_group_centring(
    vectors: Any, groups: Any, *, name: str, min_per_group: int = 10, max_directions: int = 4
) -> Correction:
    """Centre on the mean of all vectors and remove the directions that separate the groups' means.

    With groups = the language each vector's text is written in, this takes out what the embedding says about the
    language, keeping what it says about the content. Groups with fewer than `min_per_group` vectors do not
    count; with fewer than two such groups only the centring is done.
    """
    rows = np.asarray(vectors, dtype=np.float32)
    labels = np.asarray(groups)
    if rows.ndim != 2 or labels.shape != (rows.shape[0],):
        raise ValueError("vectors must be (n, d) and groups (n,)")
    dimension = rows.shape[1]
    if rows.shape[0] == 0:
        return Correction.identity(dimension, name)
    mean = rows.mean(axis=0)
    means = [
        rows[labels == g].mean(axis=0) for g in sorted(set(labels.tolist())) if (labels == g).sum() >= min_per_group
    ]
    basis = np.zeros((0, dimension), dtype=np.float32)
    if len(means) >= 2:
        differences = np.stack([m - mean for m in means])
        _, s, vt = np.linalg.svd(differences, full_matrices=False)
        keep = min(max_directions, len(means) - 1, int((s > 1e-6 * max(s.max(), 1e-12)).sum()))
        basis = vt[:keep].astype(np.float32)
    return Correction(name, mean.astype(np.float32), basis, int(rows.shape[0]))


def fit_cross_group_scales(
    queries: Any,
    query_groups: Any,
    items: Any,
    item_groups: Any,
    *,
    top: int = 10,
    min_per_group: int = 20,
    bounds: tuple[float, float] = (0.5, 2.0),
) -> dict[str, float]:
    """For each query group q and other item group i: the factor on q→i scores that gives group i, among the
    `top` best items of q's queries (on average), the share it has among all items — within `bounds`.

    It assumes what a parity measurement assumes: that how well an item matches does not depend on its group, so
    a group should be seen as often as it is there. Queries and items are corrected unit rows; groups smaller than
    `min_per_group` (queries or items) get no factor. Found by bisection (the share grows with the factor).
    """
    q = np.asarray(queries, dtype=np.float32)
    x = np.asarray(items, dtype=np.float32)
    qg, ig = np.asarray(query_groups), np.asarray(item_groups)
    groups = [g for g in sorted(set(ig.tolist())) if (ig == g).sum() >= max(min_per_group, top)]
    scales: dict[str, float] = {}
    if len(groups) < 2 or q.shape[0] == 0:
        return scales
    scores = q @ x.T
    for own in groups:
        asking = qg == own
        if asking.sum() < min_per_group:
            continue
        block = scores[asking]
        factors = {g: 1.0 for g in groups}
        for _ in range(3):  # each other group in turn, with every group competing, until they settle
            for other in groups:
                if other != own:
                    factors[other] = _share_matching_factor(block, ig, factors, other, top, bounds)
        scales.update({f"{own}>{g}": factors[g] for g in groups if g != own})
    return scales


def _share_matching_factor(
    scores: FloatArray, groups: Any, factors: dict[str, float], other: str, top: int, bounds: tuple[float, float]
) -> float:
    """The factor on `other`'s scores at which its mean share of each row's top `top` equals its share of the
    items, the other groups' scores scaled by their `factors`."""
    known = np.isin(groups, list(factors))
    scaling = np.array([factors.get(g, 1.0) for g in groups.tolist()], dtype=np.float32)
    is_other = groups == other
    target = is_other[known].mean()
    low, high = bounds
    for _ in range(25):
        factor = (low + high) / 2
        scaling[is_other] = factor
        scaled = np.where((scores > 0) & known, scores * scaling, np.where(known, scores, -np.inf))
        best = np.argpartition(-scaled, top - 1, axis=1)[:, :top]
        share = is_other[best].mean()
        if share < target:
            low = factor
        else:
            high = factor
    return float((low + high) / 2)
