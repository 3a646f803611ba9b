"""IdBitmap: the ids a filter admits, tested one at a time, many at a time, and as FAISS tests them."""

import numpy as np

from index.selection import IdBitmap


def test_admits_one_many_and_lists_the_same_ids() -> None:
    rng = np.random.default_rng(7)
    mask = rng.random(1_003) < 0.3
    bitmap = IdBitmap(mask)
    probe = np.array([-5, -1, 0, 1, 7, 8, 500, 1_002, 1_003, 1_010, 10**9], dtype=np.int64)
    probe = np.concatenate([probe, rng.integers(0, 1_003, 200)])
    expected = np.array([0 <= i < mask.size and bool(mask[i]) for i in probe.tolist()])
    assert bitmap.admits_many(probe).tolist() == expected.tolist()
    assert [bitmap.admits(int(i)) for i in probe] == expected.tolist()
    assert bitmap.ids().tolist() == np.flatnonzero(mask).tolist()
    assert bitmap.count == int(mask.sum())


def test_an_intersection_counts_what_both_admit() -> None:
    rng = np.random.default_rng(8)
    first, second = rng.random(999) < 0.5, rng.random(640) < 0.5
    both = IdBitmap(first).intersect(IdBitmap(second))
    expected = first[:640] & second
    assert both.count == int(expected.sum())
    assert both.ids().tolist() == np.flatnonzero(expected).tolist()
