"""Saving and loading an index: a content-addressed FAISS data file, committed by renaming its JSON sidecar."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

import faiss

from index.backend import is_flat, is_ivf, nlist_of
from index.errors import REBUILD_HINT, IndexCorruptError, IndexMismatchError
from index.files import (
    create_temporary,
    data_file_name,
    file_sha256,
    fsync_directory,
    remove_stale,
    sha256_and_fsync,
    write_and_fsync,
    writer_lock,
)
from index.metadata import FORMAT_VERSION, KINDS, METRIC, IndexMetadata

_LOAD_ATTEMPTS = 3  # a save may delete the data file a reader is about to open; the reader retries


def sidecar_path(path: Path) -> Path:
    """Where the JSON sidecar of the index `path` lives: the same name plus `.json`."""
    return path.with_suffix(path.suffix + ".json")


def index_exists(path: Path) -> bool:
    """Whether an index has been saved at `path`: its sidecar, the commit point of every save, exists."""
    return sidecar_path(Path(path)).is_file()


def save_pair(index: Any, metadata: IndexMetadata, path: Path) -> IndexMetadata:
    """Save `index` as `path`; returns the metadata as written (with checksum and data file name).

    1. The FAISS data goes to a temporary file, is fsynced and hashed, and is renamed to its content-addressed
       name `<path name>.<16 hex of sha256>` next to `path` (an identical file of that name is harmlessly
       replaced); the directory is fsynced so the name is durable before anything refers to it.
    2. The sidecar `<path>.json` naming that file and its checksum goes to a temporary file, is fsynced, and
       is renamed into place: that rename is the commit. Until it happens the previous sidecar and the data
       file it names are untouched, so a failure or crash at any earlier point leaves the previous index
       loadable; after it the new index is.
    3. Data files no sidecar names any more, and temporaries of crashed saves, are deleted (best effort; a
       later save removes whatever is left).

    Saves of the same `path` are serialised across processes by a lock file `.<path name>.lock`.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sidecar = sidecar_path(path)
    with writer_lock(path):
        temporaries: list[Path] = []
        try:
            descriptor, data_tmp = create_temporary(path)
            temporaries.append(data_tmp)
            os.close(descriptor)
            faiss.write_index(index, str(data_tmp))
            checksum = sha256_and_fsync(data_tmp)
            data_name = data_file_name(path, checksum)
            os.replace(data_tmp, path.parent / data_name)
            fsync_directory(path.parent)
            written = metadata.with_changes(checksum=checksum, count=int(index.ntotal), data_file=data_name)
            descriptor, sidecar_tmp = create_temporary(sidecar)
            temporaries.append(sidecar_tmp)
            text = json.dumps(written.to_dict(), indent=2, sort_keys=True) + "\n"
            write_and_fsync(descriptor, text.encode("utf-8"))
            os.replace(sidecar_tmp, sidecar)  # the commit
        finally:
            for leftover in temporaries:
                with contextlib.suppress(OSError):
                    leftover.unlink(missing_ok=True)
        fsync_directory(path.parent)  # the commit is durable before the previous data file goes
        remove_stale(path, keep=data_name)
    return written


def load_pair(
    path: Path,
    *,
    expected_encoder: str | None = None,
    expected_dimension: int | None = None,
    expected_dataset: str | None = None,
) -> tuple[Any, IndexMetadata]:
    """Read and verify an index written by `save_pair`.

    Raises FileNotFoundError (nothing saved at `path`), IndexMismatchError (other encoder, dimension,
    dataset or file format) or IndexCorruptError (damaged or missing data file, unreadable sidecar).
    """
    path = Path(path)
    metadata = _read_sidecar(path)
    for _ in range(_LOAD_ATTEMPTS):
        _check_expected(path, metadata, expected_encoder, expected_dimension, expected_dataset)
        try:
            index = _read_data(path, metadata)
        except FileNotFoundError:
            latest = _read_sidecar(path)
            # Data files are named by their contents: a later save of the same vectors may have written the very
            # file an earlier save removed. Only a file the sidecar still names and that is still gone is missing.
            if latest.data_file == metadata.data_file and not (path.parent / str(latest.data_file)).exists():
                raise IndexCorruptError(
                    f"the vector index at {path} is incomplete: the data file {metadata.data_file} named by its "
                    f"sidecar {sidecar_path(path).name} is missing; {REBUILD_HINT}"
                ) from None
            metadata = latest  # a save committed in the meantime and removed the file: read the new one
            continue
        _check_contents(path, index, metadata)
        return index, metadata
    raise IndexCorruptError(f"the vector index at {path} kept changing while it was loaded; try again")


def _read_data(path: Path, metadata: IndexMetadata) -> Any:
    """The FAISS index in the data file `metadata` names, checksum verified; FileNotFoundError if it is gone."""
    data = path.parent / str(metadata.data_file)
    if file_sha256(data) != metadata.checksum:
        raise IndexCorruptError(
            f"the vector index at {path} does not match its sidecar {sidecar_path(path).name}: the checksum of "
            f"the data file {data.name} differs, so the file is damaged or was replaced; {REBUILD_HINT}"
        )
    try:
        return faiss.read_index(str(data))
    except (RuntimeError, MemoryError, ValueError) as exc:
        if not data.exists():
            raise FileNotFoundError(data) from exc
        raise IndexCorruptError(
            f"the vector index at {path} cannot be read from {data.name} ({exc}); {REBUILD_HINT}"
        ) from exc


def _read_sidecar(path: Path) -> IndexMetadata:
    sidecar = sidecar_path(path)
    try:
        text = sidecar.read_bytes()
    except FileNotFoundError:
        raise FileNotFoundError(
            f"no vector index at {path} (its sidecar {sidecar.name} does not exist); build it with `talent index build`"
        ) from None
    try:
        data = json.loads(text)
    except ValueError as exc:  # includes Unicode decoding errors
        raise IndexCorruptError(f"the index sidecar {sidecar} is not JSON ({exc}); {REBUILD_HINT}") from exc
    version = data.get("format_version") if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version != FORMAT_VERSION:
        raise IndexMismatchError(
            f"the index sidecar {sidecar} has format version {version}, "
            f"this program reads version {FORMAT_VERSION}; {REBUILD_HINT}"
        )
    try:
        metadata = IndexMetadata.from_dict(data)
    except ValueError as exc:
        raise IndexCorruptError(f"the index sidecar {sidecar} is unreadable ({exc}); {REBUILD_HINT}") from exc
    if metadata.metric != METRIC or metadata.kind not in KINDS or not metadata.checksum:
        raise IndexCorruptError(
            f"the index sidecar {sidecar} is inconsistent (metric {metadata.metric!r}, "
            f"kind {metadata.kind!r}, checksum {metadata.checksum!r}); {REBUILD_HINT}"
        )
    if not _is_bare_name(metadata.data_file) or metadata.data_file == sidecar.name:
        raise IndexCorruptError(
            f"the index sidecar {sidecar} names no valid data file ({metadata.data_file!r}); {REBUILD_HINT}"
        )
    return metadata


def _is_bare_name(name: str | None) -> bool:
    """A plain file name in the sidecar's folder: no folder part, no `.` or `..`, no NUL."""
    return bool(name) and name not in (".", "..") and not any(c in str(name) for c in "/\\\0")


def _check_expected(
    path: Path,
    metadata: IndexMetadata,
    expected_encoder: str | None,
    expected_dimension: int | None,
    expected_dataset: str | None,
) -> None:
    if expected_encoder is not None and metadata.encoder != expected_encoder:
        raise IndexMismatchError(
            f"the vector index at {path} was built with encoder {metadata.encoder!r}, "
            f"but the configured encoder is {expected_encoder!r}; {REBUILD_HINT}"
        )
    if expected_dimension is not None and metadata.dimension != expected_dimension:
        raise IndexMismatchError(
            f"the vector index at {path} holds {metadata.dimension}-dimensional vectors (encoder "
            f"{metadata.encoder!r}), but {expected_dimension} dimensions are expected; {REBUILD_HINT}"
        )
    if expected_dataset is not None and metadata.dataset is not None and metadata.dataset != expected_dataset:
        raise IndexMismatchError(
            f"the vector index at {path} was built from another database (dataset {metadata.dataset!r}, "
            f"expected {expected_dataset!r}); {REBUILD_HINT}"
        )


def _check_contents(path: Path, index: Any, metadata: IndexMetadata) -> None:
    problems = []
    if int(index.d) != metadata.dimension:
        problems.append(f"dimension {index.d} (sidecar says {metadata.dimension})")
    if int(index.ntotal) != metadata.count:
        problems.append(f"{index.ntotal} vectors (sidecar says {metadata.count})")
    if index.metric_type != faiss.METRIC_INNER_PRODUCT:
        problems.append("a metric other than inner product")
    if metadata.kind == "flat" and not is_flat(index):
        problems.append(f"a {type(index).__name__} where a flat index was expected")
    if metadata.kind == "ivf" and not (is_ivf(index) and nlist_of(index) == metadata.nlist):
        problems.append(f"a {type(index).__name__} that is not the IVF{metadata.nlist} the sidecar describes")
    elif metadata.kind == "ivf" and not (metadata.nprobe and 1 <= metadata.nprobe <= nlist_of(index)):
        problems.append(f"nprobe {metadata.nprobe} outside 1..{nlist_of(index)}")
    if problems:
        raise IndexCorruptError(f"the vector index at {path} holds {'; '.join(problems)}; {REBUILD_HINT}")
