"""Which database an index was built from, indexes of format 1, and the permissions of saved files."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import faiss
import numpy as np
import numpy.typing as npt
import pytest

from index import IndexMetadata, IndexMismatchError, VectorIndex
from index.storage import sidecar_path


@pytest.fixture
def vectors(clustered: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    return clustered[:200]


def test_dataset_is_stored_and_survives_changes_and_saves(tmp_path: Path, vectors: npt.NDArray[np.float32]) -> None:
    vi = VectorIndex.build(vectors[:100], np.arange(100), encoder="e", dataset="7f3c-db")
    assert vi.metadata.dataset == "7f3c-db"
    vi.add(vectors[100:110], np.arange(100, 110))
    vi.remove([0, 1])
    assert vi.metadata.dataset == "7f3c-db"
    path = tmp_path / "candidates.faiss"
    vi.save(path)
    assert json.loads(sidecar_path(path).read_text(encoding="utf-8"))["dataset"] == "7f3c-db"
    loaded = VectorIndex.load(path, expected_dataset="7f3c-db")
    assert loaded.metadata.dataset == "7f3c-db" and loaded.count == 108
    loaded.add(vectors[150:151], [999])
    loaded.save(path)
    assert VectorIndex.load(path, expected_dataset="7f3c-db").metadata.dataset == "7f3c-db"


def test_an_index_of_another_database_is_refused(tmp_path: Path, vectors: npt.NDArray[np.float32]) -> None:
    path = tmp_path / "candidates.faiss"
    VectorIndex.build(vectors, np.arange(200), encoder="e", dataset="db-one").save(path)
    with pytest.raises(IndexMismatchError) as caught:
        VectorIndex.load(path, expected_encoder="e", expected_dataset="db-two")
    message = str(caught.value)
    assert "another database" in message and "db-one" in message and "db-two" in message
    assert "talent index build" in message
    assert VectorIndex.load(path).metadata.dataset == "db-one"  # no expectation: not compared


def test_an_index_of_unknown_dataset_is_accepted(tmp_path: Path, vectors: npt.NDArray[np.float32]) -> None:
    path = tmp_path / "candidates.faiss"
    VectorIndex.build(vectors, np.arange(200), encoder="e").save(path)
    assert json.loads(sidecar_path(path).read_text(encoding="utf-8"))["dataset"] is None
    assert VectorIndex.load(path, expected_dataset="db-two").metadata.dataset is None


@pytest.mark.parametrize("dataset", ["", 5, b"db"])
def test_build_refuses_a_bad_dataset(vectors: npt.NDArray[np.float32], dataset: object) -> None:
    with pytest.raises(ValueError, match="dataset"):
        VectorIndex.build(vectors, np.arange(200), encoder="e", dataset=dataset)  # type: ignore[arg-type]


def test_metadata_of_format_1_parses_without_the_new_fields() -> None:
    meta = IndexMetadata.from_dict(
        {
            "format_version": 1,
            "encoder": "e",
            "dimension": 4,
            "metric": "inner_product",
            "kind": "flat",
            "factory": "IDMap2,Flat",
            "count": 0,
            "built_at": "2024-05-01T12:00:00+00:00",
            "checksum": "00",
        }
    )
    assert (meta.data_file, meta.dataset) == (None, None)


def test_an_index_saved_in_format_1_must_be_rebuilt(tmp_path: Path, vectors: npt.NDArray[np.float32]) -> None:
    """Format 1 kept the FAISS data at `path` itself, next to a sidecar without `data_file`."""
    import hashlib

    vi = VectorIndex.build(vectors, np.arange(200), encoder="e")
    path = tmp_path / "candidates.faiss"
    faiss.write_index(vi._index, str(path))
    legacy = {**vi.metadata.to_dict(), "format_version": 1, "checksum": hashlib.sha256(path.read_bytes()).hexdigest()}
    del legacy["data_file"], legacy["dataset"]
    sidecar_path(path).write_text(json.dumps(legacy), encoding="utf-8")
    assert VectorIndex.exists(path)
    with pytest.raises(IndexMismatchError, match="format version 1") as caught:
        VectorIndex.load(path)
    assert "talent index build" in str(caught.value)
    vi.save(path)  # the rebuild replaces it, and removes the old data file at `path`
    assert not path.exists() and VectorIndex.load(path).count == 200


@pytest.fixture(params=[0o022, 0o027, 0o077])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    previous = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(previous)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_saved_files_get_the_permissions_of_a_normally_created_file(
    tmp_path: Path, vectors: npt.NDArray[np.float32], umask: int
) -> None:
    path = tmp_path / "candidates.faiss"
    vi = VectorIndex.build(vectors, np.arange(200), encoder="e")
    vi.save(path)
    vi.remove([0])
    vi.save(path)  # over existing files too
    normal = tmp_path / "normal"
    normal.write_bytes(b"")
    expected = 0o644 & ~umask
    assert stat.S_IMODE(normal.stat().st_mode) & 0o644 == expected
    written = [sidecar_path(path), path.parent / str(vi.metadata.data_file)]
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in written} == {p.name: expected for p in written}
    assert stat.S_IMODE((tmp_path / ".candidates.faiss.lock").stat().st_mode) == expected
