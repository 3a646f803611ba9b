"""The correction an index applies to vectors and queries: fitted, applied, saved and checked on load."""

from pathlib import Path

import numpy as np
import pytest

from index import IndexMismatchError, VectorIndex
from index.transform import Correction, fit_cross_group_scales, fit_group_centring


def _two_groups(n: int = 200, d: int = 16, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectors whose content is shared across two groups, each group shifted along its own offset."""
    rng = np.random.default_rng(seed)
    content = rng.normal(size=(n, d))
    groups = np.array(["zh", "en"] * (n // 2))
    offset = np.zeros(d)
    offset[0] = 3.0
    vectors = content + np.where(groups[:, None] == "zh", offset, -offset)
    return vectors.astype(np.float32), groups, content


def test_removing_the_group_direction_brings_twins_together() -> None:
    vectors, groups, content = _two_groups()
    correction = fit_group_centring(vectors, groups, name="test")
    assert correction.basis.shape == (1, 16)
    assert abs(abs(float(correction.basis[0, 0])) - 1.0) < 0.05  # the offset's direction
    corrected = correction.apply(vectors)
    assert np.allclose(np.linalg.norm(corrected, axis=1), 1.0, atol=1e-5)
    twin_zh = correction.apply(content[0] + np.eye(16)[0] * 3)[0]
    twin_en = correction.apply(content[0] - np.eye(16)[0] * 3)[0]
    raw = [v / np.linalg.norm(v) for v in (content[0] + np.eye(16)[0] * 3, content[0] - np.eye(16)[0] * 3)]
    assert float(twin_zh @ twin_en) > 0.95 > float(raw[0] @ raw[1])


def test_too_small_groups_only_centre() -> None:
    vectors, groups, _ = _two_groups(n=12)
    assert fit_group_centring(vectors, groups, name="t").basis.shape == (0, 16)
    assert fit_group_centring(np.zeros((0, 4)), np.array([]), name="t").fitted_on == 0


def test_cross_group_scales_lift_the_group_a_model_scores_lower() -> None:
    rng = np.random.default_rng(1)
    items = rng.normal(size=(400, 8)).astype(np.float32)
    items /= np.linalg.norm(items, axis=1, keepdims=True)
    item_groups = np.array(["zh", "en"] * 200)
    queries = items[:100] + rng.normal(scale=0.1, size=(100, 8)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    query_groups = np.array(["zh"] * 100)
    fair = fit_cross_group_scales(queries, query_groups, items, item_groups)
    damped = items.copy()
    damped[item_groups == "en"] *= 0.7  # a model that scores the other group 30% lower
    lifted = fit_cross_group_scales(queries, query_groups, damped, item_groups)
    assert 0.8 < fair["zh>en"] < 1.25
    assert lifted["zh>en"] > fair["zh>en"] * 1.2
    assert "en>zh" not in lifted  # no English queries: no factor for them


def test_the_correction_is_saved_applied_to_queries_and_checked(tmp_path: Path) -> None:
    vectors, groups, _ = _two_groups()
    correction = fit_group_centring(vectors, groups, name="lang-v1").with_scales({"zh>en": 1.2}, 50)
    ids = np.arange(1, len(vectors) + 1)
    built = VectorIndex.build(vectors, ids, encoder="e", correction=correction)
    built.save(tmp_path / "x.faiss")
    loaded = VectorIndex.load(tmp_path / "x.faiss", expected_correction="lang-v1")
    assert loaded.correction is not None and loaded.correction.fingerprint == correction.fingerprint
    assert loaded.correction.scale("zh", "en") == pytest.approx(1.2) and loaded.correction.scale("en", "en") == 1
    scores, found = loaded.search(vectors[3], 1)
    assert int(found[0, 0]) == 4 and scores[0, 0] == pytest.approx(1.0, abs=1e-5)
    among = loaded.search(vectors[3], 2, among=[10, 11])[1]
    assert set(among[0].tolist()) == {10, 11}
    with pytest.raises(IndexMismatchError, match="built with the correction 'lang-v1'"):
        VectorIndex.load(tmp_path / "x.faiss", expected_correction="none")
    plain = VectorIndex.build(vectors, ids, encoder="e")
    plain.save(tmp_path / "y.faiss")
    with pytest.raises(IndexMismatchError, match="'none', not 'lang-v1'"):
        VectorIndex.load(tmp_path / "y.faiss", expected_correction="lang-v1")


def test_a_tampered_correction_is_refused() -> None:
    correction = Correction.identity(4, "x")
    data = correction.to_dict()
    data["mean"] = [1.0, 0.0, 0.0, 0.0]
    with pytest.raises(ValueError, match="fingerprint"):
        Correction.from_dict(data, 4)
