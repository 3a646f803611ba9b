"""Saved indexes: the file layout, refused if made for another encoder, caught when damaged or incomplete."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

import index.storage
from index import IndexCorruptError, IndexMetadata, IndexMismatchError, VectorIndex, VectorIndexError
from index.metadata import FORMAT_VERSION
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


def data_file(path: Path) -> Path:
    """The data file the sidecar of `path` names."""
    return path.parent / json.loads(sidecar_path(path).read_text(encoding="utf-8"))["data_file"]


def test_save_writes_a_content_addressed_data_file_and_a_sidecar(saved: tuple[Path, VectorIndex]) -> None:
    path, vi = saved
    checksum = vi.metadata.checksum
    assert checksum is not None
    data_name = f"candidates.faiss.{checksum[:16]}"
    assert vi.metadata.data_file == data_name
    assert sorted(p.name for p in path.parent.iterdir()) == [
        ".candidates.faiss.lock",
        data_name,
        "candidates.faiss.json",
    ]
    assert sidecar_path(path) == path.parent / "candidates.faiss.json"
    sidecar = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    assert (sidecar["checksum"], sidecar["data_file"]) == (checksum, data_name)
    assert hashlib.sha256((path.parent / data_name).read_bytes()).hexdigest() == checksum


def test_exists_means_the_sidecar_exists(saved: tuple[Path, VectorIndex], tmp_path: Path) -> None:
    path, _ = saved
    assert VectorIndex.exists(path) and VectorIndex.exists(str(path))  # type: ignore[arg-type]
    assert not path.exists()  # the data lives in the content-addressed file, never at `path` itself
    assert not VectorIndex.exists(tmp_path / "indexes" / "jobs.faiss")
    sidecar_path(path).unlink()
    assert not VectorIndex.exists(path)  # data files without a sidecar are no index


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


@pytest.mark.parametrize("version", [1, 99])
def test_load_refuses_another_format_version(saved: tuple[Path, VectorIndex], version: int) -> None:
    path, _ = saved
    edit_sidecar(path, format_version=version)
    with pytest.raises(IndexMismatchError, match="talent index build") as caught:
        VectorIndex.load(path)
    assert f"format version {version}" in str(caught.value)


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
def test_damaged_data_file_is_corrupt(saved: tuple[Path, VectorIndex], damage: Callable[[Path], None]) -> None:
    path, _ = saved
    damage(data_file(path))
    with pytest.raises(IndexCorruptError, match="checksum") as caught:
        VectorIndex.load(path)
    assert "talent index build" in str(caught.value)


def test_unreadable_file_with_a_matching_checksum_is_corrupt(saved: tuple[Path, VectorIndex]) -> None:
    path, _ = saved
    data_file(path).write_bytes(b"not a faiss index at all")
    edit_sidecar(path, checksum=hashlib.sha256(data_file(path).read_bytes()).hexdigest())
    with pytest.raises(IndexCorruptError, match="cannot be read"):
        VectorIndex.load(path)


def test_count_disagreeing_with_the_sidecar_is_corrupt(saved: tuple[Path, VectorIndex]) -> None:
    path, vi = saved
    edit_sidecar(path, count=vi.count + 1)
    with pytest.raises(IndexCorruptError, match="talent index build"):
        VectorIndex.load(path)


@pytest.mark.parametrize("content", ["{not json", "[]", f'{{"format_version": {FORMAT_VERSION}}}', "\udcff"])
def test_unreadable_sidecar_is_corrupt(saved: tuple[Path, VectorIndex], content: str) -> None:
    path, _ = saved
    sidecar_path(path).write_bytes(content.encode("utf-8", "surrogateescape"))
    with pytest.raises(IndexCorruptError, match="talent index build"):
        VectorIndex.load(path)


@pytest.mark.parametrize("name", [None, "", ".", "..", "../candidates.faiss.json", "a/b", "candidates.faiss.json", 7])
def test_sidecar_naming_no_valid_data_file_is_corrupt(saved: tuple[Path, VectorIndex], name: object) -> None:
    path, _ = saved
    edit_sidecar(path, data_file=name)
    with pytest.raises(IndexCorruptError, match="talent index build"):
        VectorIndex.load(path)


def test_missing_data_file_is_corrupt(saved: tuple[Path, VectorIndex]) -> None:
    path, _ = saved
    data_file(path).unlink()
    with pytest.raises(IndexCorruptError, match="missing") as caught:
        VectorIndex.load(path)
    assert "talent index build" in str(caught.value)


def test_a_data_file_replaced_by_another_save_is_detected(saved: tuple[Path, VectorIndex], tmp_path: Path) -> None:
    """Files copied around by hand: the sidecar names a file whose bytes are those of another index."""
    path, vi = saved
    vi.remove([10, 11, 12])
    other = tmp_path / "other" / "candidates.faiss"
    vi.save(other)
    shutil.copy(data_file(other), data_file(path))
    with pytest.raises(IndexCorruptError, match="checksum") as caught:
        VectorIndex.load(path)
    assert "talent index build" in str(caught.value)


def test_a_save_committed_while_loading_is_followed(
    saved: tuple[Path, VectorIndex], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader reads the sidecar, a save commits and deletes that data file, the reader re-reads the sidecar."""
    path, vi = saved
    stale = IndexMetadata.from_dict(json.loads(sidecar_path(path).read_text(encoding="utf-8")))
    vi.remove([10, 11, 12])
    vi.save(path)
    assert not (path.parent / str(stale.data_file)).exists()
    real = index.storage._read_sidecar
    calls = {"n": 0}

    def first_stale(p: Path) -> IndexMetadata:
        calls["n"] += 1
        return stale if calls["n"] == 1 else real(p)

    monkeypatch.setattr(index.storage, "_read_sidecar", first_stale)
    loaded = VectorIndex.load(path)
    assert calls["n"] == 2 and loaded.count == vi.count and not loaded.contains(10)


def test_a_data_file_removed_and_written_again_by_later_saves_is_read(
    saved: tuple[Path, VectorIndex], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Data files are named by their contents: a reader opens the file just as a save of other vectors removes it,
    and a save of the first vectors again writes it back under the same name. The sidecar names it still, and the
    reader reads it rather than calling the index incomplete."""
    path, vi = saved
    real = index.storage._read_data
    calls = {"n": 0}

    def gone_the_first_time(p: Path, metadata: IndexMetadata) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise FileNotFoundError(p.parent / str(metadata.data_file))
        return real(p, metadata)

    monkeypatch.setattr(index.storage, "_read_data", gone_the_first_time)
    loaded = VectorIndex.load(path)
    assert calls["n"] == 2 and loaded.count == vi.count


def test_saving_again_writes_a_new_data_file_and_removes_the_old_one(
    saved: tuple[Path, VectorIndex], clustered: npt.NDArray[np.float32]
) -> None:
    path, vi = saved
    first, first_file = vi.metadata.checksum, data_file(path)
    vi.add(clustered[900:901], [5])
    assert vi.metadata.checksum is None and vi.metadata.data_file is None
    vi.save(path)
    assert vi.metadata.checksum not in (None, first)
    assert data_file(path) != first_file and not first_file.exists()
    assert len(list(path.parent.glob("candidates.faiss.*"))) == 2  # the sidecar and one data file
    assert VectorIndex.load(path).contains(5)


def test_saving_an_unchanged_index_again_keeps_one_data_file(saved: tuple[Path, VectorIndex]) -> None:
    path, vi = saved
    before = sorted(p.name for p in path.parent.iterdir())
    VectorIndex.load(path).save(path)
    vi.save(path)
    assert sorted(p.name for p in path.parent.iterdir()) == before
    assert VectorIndex.load(path).count == vi.count


def test_empty_index_round_trips(tmp_path: Path) -> None:
    vi = VectorIndex.build(np.empty((0, 8), dtype=np.float32), np.empty(0, dtype=np.int64), encoder="e")
    vi.save(tmp_path / "empty.faiss")
    loaded = VectorIndex.load(tmp_path / "empty.faiss", expected_dimension=8)
    assert (loaded.count, loaded.dimension, loaded.kind) == (0, 8, "flat")
