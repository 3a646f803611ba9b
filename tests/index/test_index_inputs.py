"""Bad input is refused with a ValueError that says what is wrong; odd but valid input behaves."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from index import VectorIndex


@pytest.fixture
def small(clustered: npt.NDArray[np.float32]) -> VectorIndex:
    return VectorIndex.build(clustered[:50], np.arange(50), encoder="e")


def test_wrong_dimension_is_refused_everywhere(small: VectorIndex) -> None:
    with pytest.raises(ValueError, match="dimension 16 but the index has dimension 32"):
        small.add(np.ones((2, 16), dtype=np.float32), [100, 101])
    with pytest.raises(ValueError, match="dimension 16 but the index has dimension 32"):
        small.search(np.ones(16, dtype=np.float32), 3)
    with pytest.raises(ValueError, match=r"2-D array of shape \(n, dimension\)"):
        VectorIndex.build(np.ones(32, dtype=np.float32), [1], encoder="e")
    with pytest.raises(ValueError, match=r"shape \(dimension,\) or \(m, dimension\)"):
        small.search(np.ones((1, 1, 32), dtype=np.float32), 3)


def test_duplicate_ids_are_refused(clustered: npt.NDArray[np.float32], small: VectorIndex) -> None:
    with pytest.raises(ValueError, match="unique; duplicated: 7"):
        VectorIndex.build(clustered[:3], [7, 8, 7], encoder="e")
    with pytest.raises(ValueError, match="unique; duplicated: 100"):
        small.add(clustered[:2], [100, 100])
    assert small.count == 50


@pytest.mark.parametrize(
    ("ids", "message"),
    [([1, 2], "got 2 ids for 3 vectors"), ([1.5, 2, 3], "must be integers"), ([-1, 2, 3], "non-negative")],
)
def test_bad_ids_are_refused(clustered: npt.NDArray[np.float32], ids: list[Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        VectorIndex.build(clustered[:3], ids, encoder="e")


def test_zero_vectors_are_refused(clustered: npt.NDArray[np.float32], small: VectorIndex) -> None:
    vectors = clustered[:3].copy()
    vectors[1] = 0.0
    with pytest.raises(ValueError, match=r"all-zero rows.*\(rows 1\)"):
        VectorIndex.build(vectors, [1, 2, 3], encoder="e")
    with pytest.raises(ValueError, match="all-zero"):
        small.add(vectors, [100, 101, 102])
    with pytest.raises(ValueError, match="queries contain all-zero"):
        small.search(np.zeros(32, dtype=np.float32), 3)
    assert small.count == 50


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_and_inf_are_refused(clustered: npt.NDArray[np.float32], small: VectorIndex, bad: float) -> None:
    vectors = clustered[:3].copy()
    vectors[2, 5] = bad
    with pytest.raises(ValueError, match=r"NaN or infinite values \(rows 2\)"):
        VectorIndex.build(vectors, [1, 2, 3], encoder="e")
    with pytest.raises(ValueError, match="NaN or infinite"):
        small.add(vectors, [100, 101, 102])
    with pytest.raises(ValueError, match="queries contain NaN or infinite"):
        small.search(vectors[2], 3)


@pytest.mark.parametrize("k", [0, -3, 2.5, True, "10"])
def test_k_must_be_a_positive_integer(small: VectorIndex, clustered: npt.NDArray[np.float32], k: Any) -> None:
    with pytest.raises(ValueError, match="k must be a positive integer"):
        small.search(clustered[0], k)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"kind": "hnsw"}, "kind must be one of flat, ivf"),
        ({"encoder": ""}, "encoder must be a non-empty string"),
        ({"target_recall": 0.0}, "target_recall"),
        ({"target_recall": 1.5}, "target_recall"),
        ({"exact_threshold": -1}, "exact_threshold"),
    ],
)
def test_bad_build_options_are_refused(
    clustered: npt.NDArray[np.float32], options: dict[str, Any], message: str
) -> None:
    arguments: dict[str, Any] = {"encoder": "e", **options}
    with pytest.raises(ValueError, match=message):
        VectorIndex.build(clustered[:5], np.arange(5), **arguments)


def test_text_is_not_a_vector(small: VectorIndex) -> None:
    with pytest.raises(ValueError, match="real numeric array"):
        small.search(np.array(["a", "b"]), 3)


def test_k_beyond_the_count_is_padded(small: VectorIndex, clustered: npt.NDArray[np.float32]) -> None:
    scores, ids = small.search(clustered[:2], 60)
    assert scores.shape == ids.shape == (2, 60)
    assert np.all(ids[:, :50] >= 0) and np.all(ids[:, 50:] == -1)
    assert np.all(np.isneginf(scores[:, 50:])) and np.all(np.isfinite(scores[:, :50]))
    assert scores.dtype == np.float32


def test_empty_index_builds_and_answers_with_padding() -> None:
    vi = VectorIndex.build(np.empty((0, 4), dtype=np.float32), [], encoder="e", kind=None)
    assert (vi.count, vi.dimension, vi.kind, len(vi)) == (0, 4, "flat", 0)
    assert vi.ids().dtype == np.int64 and vi.ids().size == 0
    scores, ids = vi.search(np.ones(4), 3)
    assert ids.tolist() == [[-1, -1, -1]] and np.all(np.isneginf(scores))
    vi.add(np.eye(4, dtype=np.float32), [4, 3, 2, 1])
    assert vi.search(np.array([0, 0, 1.0, 0]), 1)[1].tolist() == [[2]]
    with pytest.raises(ValueError, match="IVF index needs at least one vector"):
        VectorIndex.build(np.empty((0, 4), dtype=np.float32), [], encoder="e", kind="ivf")


def test_inputs_are_normalised_and_never_modified(clustered: npt.NDArray[np.float32]) -> None:
    vectors = clustered[:10].astype(np.float64) * 1e6  # large, float64: still fine
    original = vectors.copy()
    vi = VectorIndex.build(vectors, np.arange(10, dtype=np.uint32), encoder="e")
    np.testing.assert_array_equal(vectors, original)
    scores, ids = vi.search(vectors[3] * 1e-30, 1)  # tiny but non-zero query
    assert ids[0, 0] == 3 and scores[0, 0] == pytest.approx(1.0, abs=1e-5)


def test_remove_accepts_a_scalar_and_ignores_unknown_ids(small: VectorIndex) -> None:
    assert small.remove(3) == 1
    assert small.remove(np.int64(3)) == 0
    assert small.remove([]) == 0
    assert small.remove([4, 4, 999]) == 1
    assert small.count == 48 and not small.contains(3) and not small.contains(4)
