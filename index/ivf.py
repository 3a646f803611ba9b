"""Sizing and tuning of the approximate (IVF) index: how many cells, what to train on, how many to probe."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt

from index.arrays import FloatArray, IdArray
from index.backend import new_ivf, set_nprobe

MIN_POINTS_PER_CELL = 39  # FAISS k-means wants at least this many training points per centroid
# Training points per centroid. FAISS accepts 39 to 256; k-means costs points × cells × dimension per iteration, so
# at a million rows (4,000 cells) 256 per cell meant training on every row for half an hour on two cores. With 64 the
# build is four times faster; the recall target still holds, because nprobe is calibrated after training
# (docs/operations.md, "Indexes", has the figures).
TRAINING_POINTS_PER_CELL = 64
CALIBRATION_QUERIES = 500
CALIBRATION_K = 10
CALIBRATION_NOISE = 0.35  # norm of the noise added to a stored vector to make a calibration query


@dataclass(frozen=True, slots=True)
class IvfBuild:
    """A trained, filled IVF index and the parameters chosen for it."""

    index: Any
    nlist: int
    nprobe: int
    recall: float


def nlist_for(count: int) -> int:
    """Cells for `count` vectors: about 4·√count, but no fewer than 39 vectors per cell, and at least one."""
    return max(1, min(round(4 * math.sqrt(count)), count // MIN_POINTS_PER_CELL))


def sample_rows(count: int, size: int, seed: int) -> npt.NDArray[np.intp]:
    """Sorted positions of `size` distinct rows of `count`, fixed by `seed` (all rows when size >= count)."""
    if size >= count:
        return np.arange(count)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(count, size=size, replace=False))


@dataclass(frozen=True, slots=True)
class CalibrationSet:
    """Queries made from stored vectors, the id each was made from, and their exact top-k without that id."""

    queries: FloatArray
    sources: IdArray
    truth: IdArray

    @property
    def k(self) -> int:
        return int(self.truth.shape[1])


def calibration_set(
    vectors: FloatArray,
    ids: IdArray,
    seed: int,
    *,
    size: int = CALIBRATION_QUERIES,
    k: int = CALIBRATION_K,
    noise: float = CALIBRATION_NOISE,
) -> CalibrationSet:
    """Up to `size` stored vectors plus noise of norm ≈ `noise` (renormalised) as stand-ins for real queries.

    Each query's own source vector is left out of its neighbours ("leave one out"): it would be an easy hit
    that real queries do not get, and counting it makes the measured recall optimistic.
    """
    rows = sample_rows(vectors.shape[0], size, seed + 1)
    rng = np.random.default_rng(seed + 2)
    jitter = rng.standard_normal((rows.size, vectors.shape[1])).astype(np.float32)
    jitter *= noise / math.sqrt(vectors.shape[1])
    queries = vectors[rows] + jitter
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    sources = ids[rows]
    truth = without_sources(exact_neighbours(queries, vectors, ids, k + 1), sources, k)
    return CalibrationSet(queries=queries, sources=sources, truth=truth)


def exact_neighbours(queries: FloatArray, vectors: FloatArray, ids: IdArray, k: int) -> IdArray:
    """Ids of the exact top-k by inner product (brute force, as in faiss contrib exhaustive_search)."""
    k = min(k, vectors.shape[0])
    _, positions = faiss.knn(queries, vectors, k, metric=faiss.METRIC_INNER_PRODUCT)
    return np.where(positions >= 0, ids[np.maximum(positions, 0)], -1).astype(np.int64)


def without_sources(found: IdArray, sources: IdArray, k: int) -> IdArray:
    """Each row of `found` with its source id dropped (order kept), cut or padded with -1 to `k` columns."""
    keep = found != sources[:, None]
    order = np.argsort(~keep, axis=1, kind="stable")  # kept entries first, in their original order
    kept = np.where(np.take_along_axis(keep, order, axis=1), np.take_along_axis(found, order, axis=1), -1)
    if kept.shape[1] < k:
        kept = np.pad(kept, ((0, 0), (0, k - kept.shape[1])), constant_values=-1)
    return kept[:, :k].astype(np.int64)


def recall_at_k(found: IdArray, truth: IdArray) -> float:
    """Fraction of the true neighbours (ids >= 0 in `truth`) that appear in `found`, over all queries."""
    hits = 0
    expected = 0
    for got, want in zip(found, truth, strict=True):
        want_set = set(want[want >= 0].tolist())
        expected += len(want_set)
        hits += len(want_set.intersection(got.tolist()))
    return 1.0 if expected == 0 else hits / expected


def nprobe_candidates(nlist: int) -> list[int]:
    """1, 2, 4, 8, … up to nlist, always ending with nlist itself (which is exhaustive)."""
    candidates = []
    nprobe = 1
    while nprobe < nlist:
        candidates.append(nprobe)
        nprobe *= 2
    candidates.append(nlist)
    return candidates


def calibration_recall(index: Any, calibration: CalibrationSet, nprobe: int) -> float:
    """Recall@k of `index` searched with `nprobe` on the calibration queries (sources left out)."""
    set_nprobe(index, nprobe)
    _, found = index.search(calibration.queries, calibration.k + 1)
    return recall_at_k(without_sources(found, calibration.sources, calibration.k), calibration.truth)


def calibrate_nprobe(index: Any, nlist: int, calibration: CalibrationSet, target_recall: float) -> tuple[int, float]:
    """Smallest candidate nprobe whose calibration recall reaches `target_recall`, and that recall."""
    recall = 0.0
    for nprobe in nprobe_candidates(nlist):
        recall = calibration_recall(index, calibration, nprobe)
        if recall >= target_recall:
            return nprobe, recall
    return nlist, recall


def build_ivf(vectors: FloatArray, ids: IdArray, *, target_recall: float, seed: int) -> IvfBuild:
    """Train an IVF index on (a sample of) unit `vectors`, add them under `ids`, and calibrate nprobe."""
    count, dimension = vectors.shape
    nlist = nlist_for(count)
    index = new_ivf(dimension, nlist, seed)
    training_size = TRAINING_POINTS_PER_CELL * nlist
    index.train(vectors if training_size >= count else vectors[sample_rows(count, training_size, seed)])
    index.add_with_ids(vectors, ids)
    nprobe, recall = calibrate_nprobe(index, nlist, calibration_set(vectors, ids, seed), target_recall)
    set_nprobe(index, nprobe)
    return IvfBuild(index=index, nlist=nlist, nprobe=nprobe, recall=recall)
