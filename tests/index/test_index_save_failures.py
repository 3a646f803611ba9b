"""A save that fails or crashes at any point leaves the previous index loadable; a later save cleans up."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt
import pytest

from index import VectorIndex
from index.storage import sidecar_path

LOCK = ".candidates.faiss.lock"
WRAPPED = {"os": ("open", "fsync", "replace", "unlink", "scandir"), "faiss": ("write_index",)}


class Crash(BaseException):
    """The process dies: nothing after this point touches the disk (not even `finally` clean-ups)."""


@dataclass
class Fault:
    """Fail the `at`-th file-system operation: once with OSError, or for good with Crash when `kill`."""

    at: int
    kill: bool = False
    calls: int = 0
    crashed: bool = False
    committed: bool = False  # the sidecar rename went through
    log: list[str] = field(default_factory=list)


@contextmanager
def faults(fault: Fault) -> Iterator[None]:
    modules: dict[str, Any] = {"os": os, "faiss": faiss}
    saved = {(m, n): getattr(modules[m], n) for m, names in WRAPPED.items() for n in names}

    def wrap(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            fault.calls += 1
            fault.log.append(name)
            if fault.crashed or fault.calls == fault.at:
                fault.crashed = fault.kill
                raise Crash(name) if fault.kill else OSError(f"simulated failure in {name}")
            result = real(*args, **kwargs)
            if name == "replace" and str(args[1]).endswith(".json"):
                fault.committed = True
            return result

        return wrapper

    for (module, name), real in saved.items():
        setattr(modules[module], name, wrap(name, real))
    try:
        yield
    finally:
        for (module, name), real in saved.items():
            setattr(modules[module], name, real)


@pytest.fixture(scope="module")
def pair(clustered: npt.NDArray[np.float32]) -> tuple[VectorIndex, VectorIndex]:
    """The previous index and the one being saved over it."""
    old = VectorIndex.build(clustered[:600], np.arange(600), encoder="e", kind="flat", dataset="db")
    new = VectorIndex.build(clustered[300:900], np.arange(300, 900), encoder="e", kind="flat", dataset="db")
    return old, new


def assert_same(path: Path, expected: VectorIndex, queries: npt.NDArray[np.float32]) -> None:
    loaded = VectorIndex.load(path, expected_encoder="e", expected_dataset="db")
    np.testing.assert_array_equal(loaded.ids(), expected.ids())
    for got, want in zip(loaded.search(queries, 5), expected.search(queries, 5), strict=True):
        np.testing.assert_array_equal(got, want)


def files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def committed_files(path: Path) -> list[str]:
    data = json.loads(sidecar_path(path).read_text(encoding="utf-8"))["data_file"]
    return sorted([LOCK, data, sidecar_path(path).name])


def _operations(pair: tuple[VectorIndex, VectorIndex], tmp_path: Path) -> list[str]:
    old, new = pair
    path = tmp_path / "count" / "candidates.faiss"
    old.save(path)
    fault = Fault(at=0)
    with faults(fault):
        new.save(path)
    return fault.log


def test_the_injection_sees_every_step_of_a_save(pair: tuple[VectorIndex, VectorIndex], tmp_path: Path) -> None:
    log = _operations(pair, tmp_path)
    assert log.count("write_index") == 1 and log.count("replace") == 2 and "scandir" in log
    assert log.index("write_index") < log.index("replace") and log[-1] == "unlink"  # the old data file goes last


@pytest.mark.parametrize("kill", [False, True], ids=["error", "crash"])
def test_a_failure_at_any_step_leaves_a_loadable_index(
    pair: tuple[VectorIndex, VectorIndex],
    tmp_path: Path,
    clustered_queries: npt.NDArray[np.float32],
    kill: bool,
) -> None:
    """Before the sidecar rename the previous index loads, after it the new one; never anything else.

    An OSError in a best-effort step (directory fsync, clean-up) is swallowed and the save goes on; a crash
    stops everything, leaving temporaries and orphan data files behind for the next save to remove.
    """
    old, new = pair
    steps = len(_operations(pair, tmp_path))
    for at in range(1, steps + 1):
        path = tmp_path / f"step{at}" / "candidates.faiss"
        old.save(path)
        fault = Fault(at=at, kill=kill)
        raised = True
        with faults(fault):
            try:
                new.save(path)
                raised = False
            except (OSError, Crash):
                pass
        assert fault.calls >= at
        assert raised or fault.committed, f"step {at} ({fault.log[at - 1]}) returned without committing"
        assert raised or not kill
        assert_same(path, new if fault.committed else old, clustered_queries)
        leftovers = set(files(path.parent)) - set(committed_files(path))
        assert all(name.startswith((".candidates.faiss.", "candidates.faiss.")) for name in leftovers)
        # a later save works and removes every orphan and temporary file
        (old if fault.committed else new).save(path)
        assert files(path.parent) == committed_files(path)
        assert_same(path, old if fault.committed else new, clustered_queries)


STEPS: dict[str, tuple[str, int]] = {
    "data-write": ("write_index", 1),
    "data-fsync": ("fsync", 1),
    "data-rename": ("replace", 1),
    "sidecar-write": ("fsync", 3),  # after the data file's and the directory's
    "sidecar-rename": ("replace", 2),
    "cleanup": ("unlink", 3),  # the two temporaries' unlink(missing_ok) come first
}


@pytest.mark.parametrize("step", list(STEPS))
def test_named_steps(
    pair: tuple[VectorIndex, VectorIndex],
    tmp_path: Path,
    clustered_queries: npt.NDArray[np.float32],
    step: str,
) -> None:
    old, new = pair
    name, nth = STEPS[step]
    log = _operations(pair, tmp_path)
    at = [i for i, op in enumerate(log, start=1) if op == name][nth - 1]
    path = tmp_path / step / "candidates.faiss"
    old.save(path)
    before = files(path.parent)
    fault = Fault(at=at)
    with faults(fault):
        if step == "cleanup":
            new.save(path)  # committed: the error in removing the old data file is not the caller's
        else:
            with pytest.raises(OSError, match="simulated failure"):
                new.save(path)
    if step == "cleanup":
        assert_same(path, new, clustered_queries)
        assert set(before) - {sidecar_path(path).name} <= set(files(path.parent))  # old data file left over
    else:
        assert_same(path, old, clustered_queries)
        assert not [n for n in files(path.parent) if n.endswith(".tmp")]  # temporaries removed on error
        if step in ("sidecar-write", "sidecar-rename"):
            assert len(files(path.parent)) == 4  # the new data file is an orphan until a later save
        else:
            assert files(path.parent) == before
    new.save(path)
    assert files(path.parent) == committed_files(path)


def test_partial_data_file_leaves_the_previous_index(
    pair: tuple[VectorIndex, VectorIndex],
    tmp_path: Path,
    clustered_queries: npt.NDArray[np.float32],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old, new = pair
    path = tmp_path / "candidates.faiss"
    old.save(path)
    before = files(tmp_path)

    def half_written(_: Any, name: str) -> None:
        Path(name).write_bytes(b"\x00" * 64)
        raise RuntimeError("Error: fwrite failed (disk full)")

    monkeypatch.setattr(faiss, "write_index", half_written)
    with pytest.raises(RuntimeError, match="disk full"):
        new.save(path)
    assert files(tmp_path) == before
    assert_same(path, old, clustered_queries)


def test_leftovers_of_crashed_saves_break_nothing_and_are_removed(
    pair: tuple[VectorIndex, VectorIndex], tmp_path: Path, clustered_queries: npt.NDArray[np.float32]
) -> None:
    old, new = pair
    new.save(tmp_path / "elsewhere" / "candidates.faiss")
    next_data = str(new.metadata.data_file)
    tmp_path = tmp_path / "indexes"
    path = tmp_path / "candidates.faiss"
    old.save(path)
    litter = {
        ".candidates.faiss.0123456789abcdef.tmp": b"half a faiss file",
        ".candidates.faiss.json.0123456789abcdef.tmp": b'{"format_version": 2',
        "candidates.faiss.00000000deadbeef": b"an orphan data file",
        next_data: b"garbage under the very name the next save writes",
        "candidates.faiss": b"the data file of format 1",
    }
    unrelated = [
        "candidates.faiss.bak",
        "candidates.faiss.0123",
        "candidates.faiss.0123456789ABCDEF",
        "candidates.faiss.0123456789abcdef.json",
        "candidates.faiss.0123456789abcdef.0123456789abcdef",
        "jobs.faiss.0123456789abcdef",
        "xcandidates.faiss.0123456789abcdef",
        ".jobs.faiss.0123456789abcdef.tmp",
        ".candidates.faiss.0123456789abcdef.0123456789abcdef.tmp",
        "notes.tmp",
    ]
    for name, content in litter.items():
        (tmp_path / name).write_bytes(content)
    for name in unrelated:
        (tmp_path / name).write_bytes(b"not ours")
    (tmp_path / "candidates.faiss.fedcba9876543210").mkdir()  # not a file: left alone

    assert_same(path, old, clustered_queries)
    new.save(path)
    assert_same(path, new, clustered_queries)
    expected = sorted([*committed_files(path), *unrelated, "candidates.faiss.fedcba9876543210"])
    assert files(tmp_path) == expected
    assert all((tmp_path / name).read_bytes() == b"not ours" for name in unrelated)
