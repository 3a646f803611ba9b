"""Saved indexes: refused if made for another encoder, caught when damaged; a failed save breaks nothing."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt
import pytest

from index import IndexCorruptError, IndexMismatchError, VectorIndex, VectorIndexError
from index.storage import sidecar_path


@pytest.fixture(params=["flat", "ivf"])
def saved(
    request: pytest.FixtureRequest, tmp_path: Path, clustered: npt.NDArray[np.float32]
) -> tuple[Path, VectorIndex]:
    vi = VectorIndex.build(clustered[:800], np.arange(800) + 10, encoder="minilm-v2", kind=request.param)
    path = tmp_path / "indexes" / "candidates.faiss"
    vi.save(path)
    return path, vi


def edit_sidecar(path: Path, **changes: Any) -> None:
    sidecar = sidecar_path(path)
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    data.update(changes)
    sidecar.write_text(json.dumps(data), encoding="utf-8")


def test_save_writes_the_index_and_a_sidecar(saved: tuple[Path, VectorIndex]) -> None:
    path, vi = saved
    assert sorted(p.name for p in path.parent.iterdir()) == ["candidates.faiss", "candidates.faiss.json"]
    assert sidecar_path(path) == path.parent / "candidates.faiss.json"
    assert vi.metadata.checksum is not None
    assert json.loads(sidecar_path(path).read_text(encoding="utf-8"))["checksum"] == vi.metadata.checksum


def test_load_refuses_another_encoder(saved: tuple[Path, VectorIndex]) -> None:
    path, _ = saved
    with pytest.raises(IndexMismatchError) as caught:
        VectorIndex.load(path, expected_encoder="labse")
    message = str(caught.value)
    assert "minilm-v2" in message and "labse" in message and "talent index build" in message
    assert isinstance(caught.value, VectorIndexError)


def test_load_refuses_another_dimension(saved: tuple[Path, VectorIndex]) -> None:
    path, vi = saved
    with pytest.raises(IndexMismatchError, match="talent index build") as caught:
        VectorIndex.load(path, expected_encoder="minilm-v2", expected_dimension=vi.dimension + 1)
    assert str(vi.dimension) in str(caught.value)


def test_load_refuses_another_format_version(saved: tuple[Path, VectorIndex]) -> None:
    path, _ = saved
    edit_sidecar(path, format_version=99)
    with pytest.raises(IndexMismatchError, match="talent index build"):
        VectorIndex.load(path)


def test_missing_files_are_file_not_found(saved: tuple[Path, VectorIndex], tmp_path: Path) -> None:
    path, _ = saved
    with pytest.raises(FileNotFoundError, match="talent index build"):
        VectorIndex.load(tmp_path / "nowhere.faiss")
    sidecar_path(path).unlink()
    with pytest.raises(FileNotFoundError, match="sidecar"):
        VectorIndex.load(path)


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("damage", [_flip_a_byte, _truncate], ids=["flipped-byte", "truncated"])
def test_damaged_index_file_is_corrupt(saved: tuple[Path, VectorIndex], damage: Callable[[Path], None]) -> None:
    path, _ = saved
    damage(path)
    with pytest.raises(IndexCorruptError, match="talent index build"):
        VectorIndex.load(path)


def test_unreadable_file_with_a_matching_checksum_is_corrupt(saved: tuple[Path, VectorIndex]) -> None:
    import hashlib

    path, _ = saved
    path.write_bytes(b"not a faiss index at all")
    edit_sidecar(path, checksum=hashlib.sha256(path.read_bytes()).hexdigest())
    with pytest.raises(IndexCorruptError, match="cannot be read"):
        VectorIndex.load(path)


def test_count_disagreeing_with_the_sidecar_is_corrupt(saved: tuple[Path, VectorIndex]) -> None:
    path, vi = saved
    edit_sidecar(path, count=vi.count + 1)
    with pytest.raises(IndexCorruptError, match="talent index build"):
        VectorIndex.load(path)


@pytest.mark.parametrize("content", ["{not json", "[]", '{"format_version": 1}'])
def test_unreadable_sidecar_is_corrupt(saved: tuple[Path, VectorIndex], content: str) -> None:
    path, _ = saved
    sidecar_path(path).write_text(content, encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="talent index build"):
        VectorIndex.load(path)


def test_torn_pair_is_detected(saved: tuple[Path, VectorIndex], tmp_path: Path) -> None:
    """A crash between the two renames leaves the new index next to the sidecar of the previous save."""
    path, vi = saved
    old_sidecar = tmp_path / "old-sidecar.json"
    shutil.copy(sidecar_path(path), old_sidecar)
    vi.remove([10, 11, 12])
    vi.save(path)
    shutil.copy(old_sidecar, sidecar_path(path))
    with pytest.raises(IndexCorruptError, match="interrupted") as caught:
        VectorIndex.load(path)
    assert "talent index build" in str(caught.value)


def _fail_on_call(real: Callable[..., Any], failing_call: int, partial: bool = False) -> Callable[..., Any]:
    """Wrap `real` so its `failing_call`-th call raises (after writing half a file when `partial`)."""
    calls = {"n": 0}

    def wrapper(*args: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == failing_call:
            if partial:
                Path(args[1]).write_bytes(b"\x00" * 64)
            raise OSError("simulated crash")
        return real(*args)

    return wrapper


@pytest.mark.parametrize(
    ("target", "failing_call", "partial"),
    [
        ("write_index", 2, False),
        ("write_index", 2, True),  # the temporary file is half written when the failure hits
        ("replace", 3, False),  # first save: calls 1 and 2; the second save's index rename fails
    ],
)
def test_interrupted_save_leaves_the_previous_index_usable(
    tmp_path: Path,
    clustered: npt.NDArray[np.float32],
    clustered_queries: npt.NDArray[np.float32],
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    failing_call: int,
    partial: bool,
) -> None:
    if target == "write_index":
        monkeypatch.setattr(faiss, "write_index", _fail_on_call(faiss.write_index, failing_call, partial))
    else:
        monkeypatch.setattr(os, "replace", _fail_on_call(os.replace, failing_call))
    path = tmp_path / "candidates.faiss"
    vi = VectorIndex.build(clustered[:500], np.arange(500), encoder="e")
    vi.save(path)
    expected = vi.search(clustered_queries, 5)

    vi.remove(np.arange(250))
    with pytest.raises(OSError, match="simulated crash"):
        vi.save(path)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["candidates.faiss", "candidates.faiss.json"]
    loaded = VectorIndex.load(path, expected_encoder="e")
    assert loaded.count == 500
    for got, want in zip(loaded.search(clustered_queries, 5), expected, strict=True):
        np.testing.assert_array_equal(got, want)


def test_failed_sidecar_rename_leaves_a_detectable_torn_pair(
    tmp_path: Path, clustered: npt.NDArray[np.float32], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Between the two renames nothing can keep the old pair: the checksum makes the mismatch loud."""
    monkeypatch.setattr(os, "replace", _fail_on_call(os.replace, 4))
    path = tmp_path / "candidates.faiss"
    vi = VectorIndex.build(clustered[:300], np.arange(300), encoder="e")
    vi.save(path)
    vi.remove([1])
    with pytest.raises(OSError, match="simulated crash"):
        vi.save(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["candidates.faiss", "candidates.faiss.json"]
    with pytest.raises(IndexCorruptError):
        VectorIndex.load(path)


def test_saving_again_overwrites_and_updates_the_checksum(
    saved: tuple[Path, VectorIndex], clustered: npt.NDArray[np.float32]
) -> None:
    path, vi = saved
    first = vi.metadata.checksum
    vi.add(clustered[900:901], [5])
    assert vi.metadata.checksum is None
    vi.save(path)
    assert vi.metadata.checksum not in (None, first)
    assert VectorIndex.load(path).contains(5)


def test_empty_index_round_trips(tmp_path: Path) -> None:
    vi = VectorIndex.build(np.empty((0, 8), dtype=np.float32), np.empty(0, dtype=np.int64), encoder="e")
    vi.save(tmp_path / "empty.faiss")
    loaded = VectorIndex.load(tmp_path / "empty.faiss", expected_dimension=8)
    assert (loaded.count, loaded.dimension, loaded.kind) == (0, 8, "flat")
