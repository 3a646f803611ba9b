"""Saving and loading an index as a pair of files: the FAISS file and a JSON sidecar carrying its checksum."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import faiss

from index.backend import is_flat, is_ivf, nlist_of
from index.errors import REBUILD_HINT, IndexCorruptError, IndexMismatchError
from index.metadata import FORMAT_VERSION, KINDS, METRIC, IndexMetadata

_READ_CHUNK = 1 << 20


def sidecar_path(path: Path) -> Path:
    """Where the JSON sidecar of the index file `path` lives: the same name plus `.json`."""
    return path.with_suffix(path.suffix + ".json")


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def save_pair(index: Any, metadata: IndexMetadata, path: Path) -> IndexMetadata:
    """Atomically write `index` to `path` and its sidecar; returns the metadata as written (with checksum).

    Both files go to temporary files in the target directory first and are fsynced; then the index is
    renamed into place, then the sidecar. A crash between the two renames leaves a new index next to the
    old sidecar, which `load_pair` detects through the checksum. On any error the temporary files are removed
    and whatever was saved before is left untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sidecar = sidecar_path(path)
    temporaries: list[Path] = []
    try:
        index_tmp = _temporary(path, temporaries)
        faiss.write_index(index, str(index_tmp))
        checksum = _sha256_and_fsync(index_tmp)
        written = metadata.with_changes(checksum=checksum, count=int(index.ntotal))
        sidecar_tmp = _temporary(sidecar, temporaries)
        with sidecar_tmp.open("w", encoding="utf-8") as handle:
            json.dump(written.to_dict(), handle, indent=2, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(index_tmp, path)
        os.replace(sidecar_tmp, sidecar)
        _fsync_directory(path.parent)
        return written
    finally:
        for leftover in temporaries:
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)


def load_pair(
    path: Path, *, expected_encoder: str | None = None, expected_dimension: int | None = None
) -> tuple[Any, IndexMetadata]:
    """Read and verify a pair written by `save_pair`.

    Raises FileNotFoundError, IndexMismatchError (other encoder, dimension or format) or IndexCorruptError.
    """
    path = Path(path)
    sidecar = sidecar_path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no vector index at {path}; build it with `talent index build`")
    if not sidecar.is_file():
        raise FileNotFoundError(
            f"the vector index at {path} has no sidecar {sidecar.name} (metadata and checksum); {REBUILD_HINT}"
        )
    metadata = _read_sidecar(sidecar)
    _check_expected(path, metadata, expected_encoder, expected_dimension)
    if metadata.checksum != file_sha256(path):
        raise IndexCorruptError(
            f"the vector index at {path} does not match its sidecar {sidecar.name} (checksum differs): "
            f"the file is damaged or a save was interrupted; {REBUILD_HINT}"
        )
    try:
        index = faiss.read_index(str(path))
    except (RuntimeError, MemoryError, ValueError) as exc:
        raise IndexCorruptError(f"the vector index at {path} cannot be read ({exc}); {REBUILD_HINT}") from exc
    _check_contents(path, index, metadata)
    return index, metadata


def _temporary(target: Path, registry: list[Path]) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    registry.append(Path(name))
    return Path(name)


def _sha256_and_fsync(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("r+b") as handle:
        while chunk := handle.read(_READ_CHUNK):
            digest.update(chunk)
        os.fsync(handle.fileno())
    return digest.hexdigest()


def _fsync_directory(directory: Path) -> None:
    """Make the renames durable (POSIX); a no-op where directories cannot be opened (Windows)."""
    if os.name != "posix":
        return
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _read_sidecar(sidecar: Path) -> IndexMetadata:
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        metadata = IndexMetadata.from_dict(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise IndexCorruptError(f"the index sidecar {sidecar} is unreadable ({exc}); {REBUILD_HINT}") from exc
    if metadata.format_version != FORMAT_VERSION:
        raise IndexMismatchError(
            f"the index sidecar {sidecar} has format version {metadata.format_version}, "
            f"this program reads version {FORMAT_VERSION}; {REBUILD_HINT}"
        )
    if metadata.metric != METRIC or metadata.kind not in KINDS or not metadata.checksum:
        raise IndexCorruptError(
            f"the index sidecar {sidecar} is inconsistent (metric {metadata.metric!r}, "
            f"kind {metadata.kind!r}, checksum {metadata.checksum!r}); {REBUILD_HINT}"
        )
    return metadata


def _check_expected(
    path: Path, metadata: IndexMetadata, expected_encoder: str | None, expected_dimension: int | None
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
