"""One behavioural contract, checked for every index kind against brute-force numpy search."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from index import IndexMetadata, VectorIndex

KINDS = ["flat", "ivf"]
K = 10


class Reference:
    """The obvious model of an index: a dict from id to unit vector, searched with numpy."""

    def __init__(self, vectors: npt.NDArray[np.float32], ids: npt.NDArray[np.int64]) -> None:
        self.rows = {int(i): _unit(v) for i, v in zip(ids, vectors, strict=True)}

    def upsert(self, vectors: npt.NDArray[np.float32], ids: npt.NDArray[np.int64]) -> None:
        self.rows.update({int(i): _unit(v) for i, v in zip(ids, vectors, strict=True)})

    def remove(self, ids: list[int]) -> None:
        for i in ids:
            self.rows.pop(i, None)

    def search(self, queries: npt.NDArray[np.float32], k: int) -> tuple[np.ndarray, np.ndarray]:
        ids = np.array(sorted(self.rows), dtype=np.int64)
        matrix = np.stack([self.rows[i] for i in ids.tolist()])
        scores = np.stack([_unit(q) for q in queries]) @ matrix.T
        order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        return np.take_along_axis(scores, order, axis=1), ids[order]


def _unit(vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    as64 = np.asarray(vector, dtype=np.float64)
    return as64 / np.linalg.norm(as64)


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    shares = [len(set(f.tolist()) & set(t.tolist())) / len(t) for f, t in zip(found, truth, strict=True)]
    return float(np.mean(shares))


TOLERANCE = {"flat": 1e-5, "ivf": 1e-4}  # a score's; IVF stores vectors as 16-bit floats


def check_search(vi: VectorIndex, reference: Reference, queries: npt.NDArray[np.float32]) -> None:
    """Flat equals numpy exactly; IVF finds ≥ 90% of the true top 10, with the scores of what it finds within 1e-4
    (it stores vectors as 16-bit floats)."""
    scores, ids = vi.search(queries, K)
    want_scores, want_ids = reference.search(queries, K)
    assert scores.dtype == np.float32 and ids.dtype == np.int64
    assert scores.shape == ids.shape == (len(queries), K)
    assert np.all(np.diff(scores, axis=1) <= 1e-6), "results must be best first"
    if vi.kind == "flat":
        np.testing.assert_array_equal(ids, want_ids)
        np.testing.assert_allclose(scores, want_scores, atol=1e-5)
    else:
        assert recall(ids, want_ids) >= 0.9
        for query, row_scores, row_ids in zip(queries, scores, ids, strict=True):
            true = [float(_unit(query) @ reference.rows[int(i)]) for i in row_ids]
            np.testing.assert_allclose(row_scores, true, atol=1e-4)


@pytest.mark.parametrize("kind", KINDS)
def test_index_kind_conforms_to_numpy_search(
    kind: str,
    tmp_path: Path,
    clustered: npt.NDArray[np.float32],
    clustered_ids: npt.NDArray[np.int64],
    clustered_queries: npt.NDArray[np.float32],
) -> None:
    rng = np.random.default_rng(3)
    reference = Reference(clustered, clustered_ids)

    # build
    vi = VectorIndex.build(clustered, clustered_ids, encoder="test-encoder", kind=kind, seed=1)
    assert vi.kind == kind
    assert vi.count == len(vi) == len(clustered)
    assert vi.dimension == clustered.shape[1]
    np.testing.assert_array_equal(vi.ids(), np.sort(clustered_ids))
    assert vi.ids().dtype == np.int64
    assert vi.contains(int(clustered_ids[17])) and not vi.contains(1)
    check_search(vi, reference, clustered_queries)

    # one query of shape (d,) gives a (1, k) answer; the stored vector itself comes first
    scores, ids = vi.search(clustered[42], K)
    assert ids.shape == (1, K) and ids[0, 0] == clustered_ids[42]
    assert scores[0, 0] == pytest.approx(1.0, abs=TOLERANCE[kind])

    # add: new ids are appended, and an existing id is replaced by its new vector (upsert)
    new_vectors = rng.standard_normal((40, clustered.shape[1])).astype(np.float32)
    new_ids = np.arange(40, dtype=np.int64) + 900_000
    vi.add(new_vectors, new_ids)
    reference.upsert(new_vectors, new_ids)
    replaced = int(clustered_ids[5])
    # not unit length: add normalises it
    replacement = rng.standard_normal((1, clustered.shape[1])).astype(np.float32) * 7.0
    vi.add(replacement, [replaced])
    reference.upsert(replacement, np.array([replaced]))
    assert vi.count == len(clustered) + 40
    assert vi.contains(900_000) and vi.contains(replaced)
    scores, ids = vi.search(new_vectors, 1)
    np.testing.assert_array_equal(ids[:, 0], new_ids)
    scores, ids = vi.search(replacement, 3)
    assert ids[0, 0] == replaced and scores[0, 0] == pytest.approx(1.0, abs=TOLERANCE[kind])
    _, ids = vi.search(clustered[5], K)
    assert replaced not in ids[0, :1], "the old vector of an upserted id must be gone"
    check_search(vi, reference, clustered_queries)

    # remove: returns how many were present; unknown ids are ignored; removed ids are never returned
    gone = [int(i) for i in clustered_ids[:25]] + [900_001]
    assert vi.remove([*gone, 123_456_789]) == len(gone)
    assert vi.remove(gone) == 0
    reference.remove(gone)
    assert vi.count == len(reference.rows)
    assert not vi.contains(gone[0]) and not vi.contains(900_001)
    assert set(vi.ids().tolist()) == set(reference.rows)
    _, ids = vi.search(clustered[:25], K)
    assert not set(ids.ravel().tolist()) & set(gone)
    check_search(vi, reference, clustered_queries)

    # save / load: same answers, same description
    path = tmp_path / "nested" / f"{kind}.faiss"
    vi.save(path)
    loaded = VectorIndex.load(path, expected_encoder="test-encoder", expected_dimension=clustered.shape[1])
    before_scores, before_ids = vi.search(clustered_queries, K)
    after_scores, after_ids = loaded.search(clustered_queries, K)
    np.testing.assert_array_equal(after_ids, before_ids)
    np.testing.assert_array_equal(after_scores, before_scores)
    np.testing.assert_array_equal(loaded.ids(), vi.ids())
    assert loaded.metadata == vi.metadata

    # metadata
    meta = loaded.metadata
    assert isinstance(meta, IndexMetadata)
    assert meta.format_version == 2
    assert meta.encoder == "test-encoder"
    assert meta.dimension == clustered.shape[1]
    assert meta.metric == "inner_product"
    assert meta.kind == kind
    assert meta.count == len(reference.rows)
    assert not path.exists() and VectorIndex.exists(path) and meta.checksum is not None
    assert meta.data_file == f"{path.name}.{meta.checksum[:16]}"
    assert meta.checksum == hashlib.sha256((path.parent / meta.data_file).read_bytes()).hexdigest()
    assert meta.built_at.endswith("+00:00")
    if kind == "flat":
        assert meta.factory == "IDMap2,Flat" and meta.nlist is None and meta.nprobe is None
    else:
        assert meta.factory == f"IVF{meta.nlist},SQfp16"
        assert meta.nlist is not None and meta.nprobe is not None and 1 <= meta.nprobe <= meta.nlist
    assert IndexMetadata.from_dict(meta.to_dict()) == meta
    sidecar = json.loads(path.with_suffix(".faiss.json").read_text(encoding="utf-8"))
    assert IndexMetadata.from_dict(sidecar) == meta
    with pytest.raises(AttributeError):
        meta.count = 0  # type: ignore[misc]

    # the loaded index keeps working, and a change clears the checksum of the file it came from
    loaded.add(new_vectors[:1], [777])
    assert loaded.contains(777) and loaded.metadata.checksum is None and loaded.metadata.data_file is None
