"""Saves of one index from several threads or processes are serialised; readers never see a broken index."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

import index.storage
from index import VectorIndex
from index.storage import sidecar_path

LOCK = ".candidates.faiss.lock"


@pytest.fixture(scope="module")
def pair(clustered: npt.NDArray[np.float32]) -> tuple[VectorIndex, VectorIndex]:
    """The previous index and the one being saved over it."""
    old = VectorIndex.build(clustered[:600], np.arange(600), encoder="e", kind="flat", dataset="db")
    new = VectorIndex.build(clustered[300:900], np.arange(300, 900), encoder="e", kind="flat", dataset="db")
    return old, new


def files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def committed_files(path: Path) -> list[str]:
    data = json.loads(sidecar_path(path).read_text(encoding="utf-8"))["data_file"]
    return sorted([LOCK, data, sidecar_path(path).name])


def test_save_waits_for_the_writer_lock(pair: tuple[VectorIndex, VectorIndex], tmp_path: Path) -> None:
    fcntl = pytest.importorskip("fcntl")
    old, new = pair
    path = tmp_path / "candidates.faiss"
    old.save(path)
    with (tmp_path / LOCK).open("rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        saver = threading.Thread(target=new.save, args=(path,))
        saver.start()
        saver.join(0.3)
        assert saver.is_alive()  # blocked: the other writer still holds the lock
        assert index.storage.load_pair(path)[1].count == old.count
        fcntl.flock(held.fileno(), fcntl.LOCK_UN)
    saver.join(10)
    assert not saver.is_alive() and VectorIndex.load(path).count == new.count


def test_concurrent_saves_and_loads_never_see_a_broken_index(
    pair: tuple[VectorIndex, VectorIndex], tmp_path: Path
) -> None:
    old, new = pair
    path = tmp_path / "candidates.faiss"
    old.save(path)
    errors: list[BaseException] = []

    def run(action: Callable[[], object]) -> None:
        try:
            for _ in range(15):
                action()
        except BaseException as exc:
            errors.append(exc)

    workers = [
        threading.Thread(target=run, args=(lambda: VectorIndex.load(path).save(path),)),
        threading.Thread(target=run, args=(lambda: new.save(path),)),
        threading.Thread(target=run, args=(lambda: old.save(path),)),
        threading.Thread(target=run, args=(lambda: VectorIndex.load(path),)),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert not errors, errors
    assert files(tmp_path) == committed_files(path)
    assert VectorIndex.load(path).count in (old.count, new.count)
