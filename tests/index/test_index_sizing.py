"""Which kind of index a collection gets, how many IVF cells, and how nprobe is calibrated."""

from __future__ import annotations

import math

import faiss
import numpy as np
import numpy.typing as npt
import pytest

from index import VectorIndex
from index.ivf import (
    calibration_recall,
    calibration_set,
    nlist_for,
    nprobe_candidates,
    sample_rows,
    without_sources,
)


def test_kind_follows_the_exact_threshold(clustered: npt.NDArray[np.float32]) -> None:
    vectors = clustered[:400]
    ids = np.arange(400)
    assert VectorIndex.build(vectors, ids, encoder="e").kind == "flat"  # default threshold 20,000
    assert VectorIndex.build(vectors, ids, encoder="e", exact_threshold=400).kind == "flat"
    assert VectorIndex.build(vectors, ids, encoder="e", exact_threshold=399).kind == "ivf"
    assert VectorIndex.build(vectors, ids, encoder="e", exact_threshold=10, kind="flat").kind == "flat"
    assert VectorIndex.build(vectors, ids, encoder="e", kind="ivf").kind == "ivf"


@pytest.mark.parametrize(
    ("count", "nlist"),
    [(1, 1), (38, 1), (78, 2), (1_000, 25), (3_000, 76), (10_000, 256), (100_000, 1265), (1_000_000, 4000)],
)
def test_nlist_is_four_root_n_with_at_least_39_points_per_cell(count: int, nlist: int) -> None:
    assert nlist_for(count) == nlist
    assert nlist_for(count) == max(1, min(round(4 * math.sqrt(count)), count // 39))
    assert nlist_for(count) == 1 or count / nlist_for(count) >= 39


def test_built_ivf_records_its_cells_and_probes(clustered: npt.NDArray[np.float32]) -> None:
    vi = VectorIndex.build(clustered, np.arange(len(clustered)), encoder="e", kind="ivf")
    meta = vi.metadata
    assert meta.nlist == nlist_for(len(clustered)) == faiss.extract_index_ivf(vi._index).nlist
    assert meta.nprobe == faiss.extract_index_ivf(vi._index).nprobe
    assert meta.factory == f"IVF{meta.nlist},SQfp16"


@pytest.mark.parametrize("target", [0.8, 0.95, 0.99])
def test_calibration_picks_the_smallest_nprobe_reaching_the_target(
    clustered: npt.NDArray[np.float32], target: float
) -> None:
    ids = np.arange(len(clustered), dtype=np.int64) + 5
    vi = VectorIndex.build(clustered, ids, encoder="e", kind="ivf", target_recall=target, seed=2)
    meta = vi.metadata
    assert meta.nlist is not None and meta.nprobe is not None and meta.calibrated_recall is not None
    assert meta.nprobe in nprobe_candidates(meta.nlist)
    assert meta.calibrated_recall >= target

    # same build sample again: the chosen nprobe reaches the target, every smaller candidate misses it
    calibration = calibration_set(clustered, ids, 2)
    assert calibration.queries.shape == (500, clustered.shape[1]) and calibration.k == 10
    assert not np.any(calibration.truth == calibration.sources[:, None]), "a query's own source is left out"
    assert calibration_recall(vi._index, calibration, meta.nprobe) == pytest.approx(meta.calibrated_recall)
    smaller = [c for c in nprobe_candidates(meta.nlist) if c < meta.nprobe]
    assert all(calibration_recall(vi._index, calibration, c) < target for c in smaller)


def test_leaving_the_source_out_keeps_order_and_pads() -> None:
    found = np.array([[7, 3, 9], [4, 5, 6], [8, -1, -1]], dtype=np.int64)
    sources = np.array([3, 1, 8], dtype=np.int64)
    assert without_sources(found, sources, 2).tolist() == [[7, 9], [4, 5], [-1, -1]]
    assert without_sources(found, sources, 4).tolist() == [[7, 9, -1, -1], [4, 5, 6, -1], [-1, -1, -1, -1]]


def test_calibration_needs_more_than_one_probe_on_this_data(clustered: npt.NDArray[np.float32]) -> None:
    """Guards the test above against being vacuous: nprobe 1 must miss the 0.95 target here."""
    vi = VectorIndex.build(clustered, np.arange(len(clustered)), encoder="e", kind="ivf", seed=2)
    assert vi.metadata.nprobe is not None and vi.metadata.nprobe > 1


def test_nprobe_candidates_are_powers_of_two_up_to_nlist() -> None:
    assert nprobe_candidates(1) == [1]
    assert nprobe_candidates(8) == [1, 2, 4, 8]
    assert nprobe_candidates(76) == [1, 2, 4, 8, 16, 32, 64, 76]


def test_training_sample_is_capped_and_reproducible() -> None:
    assert sample_rows(100, 500, seed=0).tolist() == list(range(100))
    first = sample_rows(10_000, 256, seed=4)
    assert first.size == 256 and np.unique(first).size == 256 and np.all(np.diff(first) > 0)
    np.testing.assert_array_equal(first, sample_rows(10_000, 256, seed=4))


def test_same_seed_builds_the_same_index(
    clustered: npt.NDArray[np.float32], clustered_queries: npt.NDArray[np.float32]
) -> None:
    ids = np.arange(len(clustered))
    one = VectorIndex.build(clustered, ids, encoder="e", kind="ivf", seed=9)
    two = VectorIndex.build(clustered, ids, encoder="e", kind="ivf", seed=9)
    assert one.metadata.nprobe == two.metadata.nprobe
    np.testing.assert_array_equal(one.search(clustered_queries, 10)[1], two.search(clustered_queries, 10)[1])


def test_tiny_ivf_has_one_cell_and_is_exact(clustered: npt.NDArray[np.float32]) -> None:
    vi = VectorIndex.build(clustered[:20], np.arange(20), encoder="e", kind="ivf")
    assert (vi.metadata.nlist, vi.metadata.nprobe) == (1, 1)
    _, ids = vi.search(clustered[:20], 1)
    np.testing.assert_array_equal(ids[:, 0], np.arange(20))
