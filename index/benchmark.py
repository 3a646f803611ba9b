"""Exact versus IVF search on the same vectors: build time, one-query latency, recall (numpy + FAISS only)."""

from __future__ import annotations

import math
import time
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt

from index.arrays import FloatArray, IdArray, unit_queries, unit_rows
from index.ivf import recall_at_k
from index.vector_index import VectorIndex

BENCHMARK_KEYS = (
    "n",
    "dimension",
    "queries",
    "k",
    "search_threads",
    "exact_build_s",
    "approx_build_s",
    "exact_p50_ms",
    "exact_p99_ms",
    "approx_p50_ms",
    "approx_p99_ms",
    "speedup_p50",
    "recall_at_k",
    "approx_factory",
    "nlist",
    "nprobe",
    "calibrated_recall",
)
_WARMUP_QUERIES = 5


def clustered_vectors(
    n: int, dimension: int, *, clusters: int = 200, spread: float = 0.35, seed: int = 0
) -> FloatArray:
    """Unit float32 vectors near random unit centres (noise of norm ≈ `spread`), like real embeddings."""
    if n < 0 or dimension < 1 or clusters < 1 or spread < 0:
        raise ValueError("need n >= 0, dimension >= 1, clusters >= 1 and spread >= 0")
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, dimension), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    out = np.empty((n, dimension), dtype=np.float32)
    step = 16_384
    for start in range(0, n, step):
        size = min(step, n - start)
        rows = centres[rng.integers(0, clusters, size=size)]
        rows += rng.standard_normal((size, dimension), dtype=np.float32) * np.float32(spread / math.sqrt(dimension))
        out[start : start + size] = rows
    return unit_rows(out)


def benchmark_search(
    vectors: Any, queries: Any, *, k: int = 10, seed: int = 0, target_recall: float = 0.95
) -> dict[str, float | int | str]:
    """Build an exact and an IVF index over `vectors` (ids 0..n-1) and time one-query-at-a-time searches.

    Builds use FAISS's default threads; searches run on one thread (restored afterwards) so the latency is
    that of one API request on one core. Returns the keys in BENCHMARK_KEYS.
    """
    rows = unit_rows(vectors)
    asked = unit_queries(queries, rows.shape[1])
    if asked.shape[0] == 0:
        raise ValueError("benchmark_search needs at least one query")
    ids = np.arange(rows.shape[0], dtype=np.int64)

    started = time.perf_counter()
    exact = VectorIndex.build(rows, ids, encoder="benchmark", kind="flat")
    exact_build = time.perf_counter() - started
    started = time.perf_counter()
    approx = VectorIndex.build(rows, ids, encoder="benchmark", kind="ivf", target_recall=target_recall, seed=seed)
    approx_build = time.perf_counter() - started

    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        exact_ms, exact_ids = _time_single_queries(exact, asked, k)
        approx_ms, approx_ids = _time_single_queries(approx, asked, k)
    finally:
        faiss.omp_set_num_threads(threads)

    metadata = approx.metadata
    exact_p50 = float(np.percentile(exact_ms, 50))
    approx_p50 = float(np.percentile(approx_ms, 50))
    return {
        "n": int(rows.shape[0]),
        "dimension": int(rows.shape[1]),
        "queries": int(asked.shape[0]),
        "k": k,
        "search_threads": 1,
        "exact_build_s": exact_build,
        "approx_build_s": approx_build,
        "exact_p50_ms": exact_p50,
        "exact_p99_ms": float(np.percentile(exact_ms, 99)),
        "approx_p50_ms": approx_p50,
        "approx_p99_ms": float(np.percentile(approx_ms, 99)),
        "speedup_p50": exact_p50 / approx_p50 if approx_p50 > 0 else math.inf,
        "recall_at_k": recall_at_k(approx_ids, exact_ids),
        "approx_factory": metadata.factory,
        "nlist": metadata.nlist or 0,
        "nprobe": metadata.nprobe or 0,
        "calibrated_recall": metadata.calibrated_recall or 0.0,
    }


def _time_single_queries(index: VectorIndex, queries: FloatArray, k: int) -> tuple[npt.NDArray[np.float64], IdArray]:
    """Milliseconds per query (one `search` call each, as an API request makes) and the ids found."""
    for query in queries[:_WARMUP_QUERIES]:
        index.search(query, k)
    timings = np.empty(queries.shape[0], dtype=np.float64)
    found = np.empty((queries.shape[0], k), dtype=np.int64)
    for row, query in enumerate(queries):
        started = time.perf_counter()
        _, ids = index.search(query, k)
        timings[row] = (time.perf_counter() - started) * 1000.0
        found[row] = ids[0]
    return timings, found


GROWTH_KEYS = ("rows", "grown_recall", "rebuilt_recall", "grown_p99_ms", "rebuilt_p99_ms", "batch_add_ms", "nprobe")


def benchmark_growth(
    start: int,
    factors: tuple[int, ...] = (1, 2, 4, 8),
    *,
    dimension: int = 512,
    queries: int = 200,
    batch: int = 50,
    k: int = 10,
    seed: int = 0,
) -> list[dict[str, float | int]]:
    """How an IVF index trained on `start` vectors holds as vectors are added without retraining.

    Vectors come from one clustered distribution (`clustered_vectors`). At each size start·factor, the grown
    index (trained at `start`, filled by batches) and an index built afresh at that size are searched with the
    same queries: recall@k against exact search, one-thread p99 latency, and the cost of adding a batch of
    `batch` vectors to the grown index (what one feed batch costs). Returns one dict of GROWTH_KEYS per size.
    """
    total = start * max(factors)
    vectors = clustered_vectors(total + queries, dimension, seed=seed)
    asked, pool = vectors[:queries], vectors[queries:]
    ids = np.arange(total, dtype=np.int64)
    grown = VectorIndex.build(pool[:start], ids[:start], encoder="benchmark", kind="ivf", seed=seed)
    filled = start
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    results: list[dict[str, float | int]] = []
    try:
        for factor in factors:
            size = start * factor
            add_times = []
            while filled < size:
                end = min(size, filled + batch)
                began = time.perf_counter()
                grown.add(pool[filled:end], ids[filled:end])
                add_times.append(time.perf_counter() - began)
                filled = end
            truth = _exact_top(pool[:size], asked, k)
            rebuilt = VectorIndex.build(pool[:size], ids[:size], encoder="benchmark", kind="ivf", seed=seed)
            row: dict[str, float | int] = {"rows": size}
            for name, index in (("grown", grown), ("rebuilt", rebuilt)):
                latencies, found = [], []
                for query in asked:
                    began = time.perf_counter()
                    _, top = index.search(query, k)
                    latencies.append(time.perf_counter() - began)
                    found.append(top[0])
                row[f"{name}_recall"] = round(recall_at_k(np.array(found), truth), 4)
                row[f"{name}_p99_ms"] = round(float(np.percentile(latencies, 99)) * 1000, 3)
            row["batch_add_ms"] = round(float(np.median(add_times)) * 1000, 3) if add_times else 0.0
            row["nprobe"] = int(grown.metadata.nprobe or 0)
            results.append(row)
    finally:
        faiss.omp_set_num_threads(threads)
    return results


def _exact_top(vectors: FloatArray, queries: FloatArray, k: int) -> IdArray:
    _, positions = faiss.knn(queries, vectors, k, metric=faiss.METRIC_INNER_PRODUCT)
    return positions.astype(np.int64)
