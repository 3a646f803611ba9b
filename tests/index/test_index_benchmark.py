"""benchmark_search reports what it promises (timings themselves are not asserted here)."""

from __future__ import annotations

import faiss
import numpy as np

from index.benchmark import BENCHMARK_KEYS, benchmark_search, clustered_vectors


def test_clustered_vectors_are_unit_float32_and_reproducible() -> None:
    vectors = clustered_vectors(500, 24, clusters=10, seed=3)
    assert vectors.shape == (500, 24) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(vectors, clustered_vectors(500, 24, clusters=10, seed=3))
    assert not np.array_equal(vectors, clustered_vectors(500, 24, clusters=10, seed=4))


def test_benchmark_returns_the_documented_keys() -> None:
    vectors = clustered_vectors(2_000, 16, clusters=20, seed=1)
    rng = np.random.default_rng(0)
    queries = vectors[rng.choice(2_000, 30, replace=False)] + rng.normal(0, 0.05, (30, 16)).astype(np.float32)
    threads = faiss.omp_get_max_threads()

    report = benchmark_search(vectors, queries, k=10, seed=0)

    assert faiss.omp_get_max_threads() == threads, "the thread setting must be restored"
    assert set(report) == set(BENCHMARK_KEYS)
    assert (report["n"], report["dimension"], report["queries"], report["k"]) == (2_000, 16, 30, 10)
    timings = (
        "exact_build_s",
        "approx_build_s",
        "exact_p50_ms",
        "exact_p99_ms",
        "approx_p50_ms",
        "approx_p99_ms",
    )
    for key in timings:
        value = report[key]
        assert isinstance(value, float) and value > 0
    assert float(report["exact_p50_ms"]) <= float(report["exact_p99_ms"])
    speedup = report["speedup_p50"]
    assert isinstance(speedup, float) and speedup > 0
    assert 0.0 <= float(report["recall_at_k"]) <= 1.0
    assert report["nlist"] == 51 and 1 <= int(report["nprobe"]) <= 51
    assert report["approx_factory"] == "IVF51,SQfp16"
