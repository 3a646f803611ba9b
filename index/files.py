"""Durable file primitives for saving an index: temporary files, fsync, checksums, a writer lock, cleanup."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

if sys.platform != "win32":
    import fcntl

_READ_CHUNK = 1 << 20
_TOKEN_BYTES = 8  # temporary names carry 16 random hex digits
DATA_NAME_HEX = 16  # data files are named after the first 16 hex digits of their sha256
FILE_MODE = 0o644  # the kernel applies the umask (and default ACLs) on creation, as for any new file


def data_file_name(path: Path, checksum: str) -> str:
    """Bare name of the content-addressed data file of the index `path`, e.g. `candidates.faiss.0123abcd…`."""
    return f"{path.name}.{checksum[:DATA_NAME_HEX]}"


def create_temporary(target: Path) -> tuple[int, Path]:
    """Create `.<target name>.<16 hex>.tmp` next to `target` for writing; returns the open descriptor and path.

    Unlike `tempfile.mkstemp` (mode 0600) the file is created with mode 0644 filtered by the process umask,
    atomically and without touching the umask, so other users can read it like any normally created file.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        candidate = target.parent / f".{target.name}.{secrets.token_hex(_TOKEN_BYTES)}.tmp"
        try:
            return os.open(candidate, flags, FILE_MODE), candidate
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file next to {target}")


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_and_fsync(path: Path) -> str:
    """Hex sha256 of a file written by someone else (FAISS), after flushing it to disk."""
    digest = hashlib.sha256()
    with path.open("r+b") as handle:
        while chunk := handle.read(_READ_CHUNK):
            digest.update(chunk)
        os.fsync(handle.fileno())
    return digest.hexdigest()


def write_and_fsync(descriptor: int, data: bytes) -> None:
    """Write all of `data` to an open descriptor, fsync and close it (closed even on error)."""
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def fsync_directory(directory: Path) -> None:
    """Make renames and unlinks in `directory` durable where the platform allows it (best effort).

    Windows cannot open directories, and some file systems refuse to fsync one (EINVAL); on those the
    renames are as durable as the file system makes them, which is all that can be had.
    """
    if os.name != "posix":
        return
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


@contextlib.contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    """Exclusive lock (`.<name>.lock`, never deleted) serialising saves of the index `path` across processes.

    Without it, one save's cleanup could delete the data file another save is about to commit. Advisory
    (flock), POSIX only; on Windows saves are not serialised between processes.
    """
    # read-only suffices for flock, so a writer running as another user can lock a file it does not own
    flags = os.O_RDONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path.parent / f".{path.name}.lock", flags, FILE_MODE)
    try:
        if sys.platform != "win32":
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def remove_stale(path: Path, keep: str) -> list[str]:
    """Delete this index's files that no sidecar names any more; returns the names removed.

    Matches only files of the index `path` (say `candidates.faiss`): data files `candidates.faiss.<16 hex>`
    other than `keep`, temporaries `.candidates.faiss.<16 hex>.tmp` and `.candidates.faiss.json.<16 hex>.tmp`
    left by crashed saves (callers hold `writer_lock`, so no save is running), and `candidates.faiss` itself,
    where format 1 kept the data. Never the sidecar, the lock, or files of other indexes such as
    `candidates.faiss.bak` or `candidates.faiss.0123abcd.json`. Errors are ignored: whatever is left is
    removed by the next save.
    """
    name = re.escape(path.name)
    stale = re.compile(
        rf"{name}(?:\.[0-9a-f]{{{DATA_NAME_HEX}}})?|\.{name}(?:\.json)?\.[0-9a-f]{{{2 * _TOKEN_BYTES}}}\.tmp"
    )
    removed: list[str] = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        if entry.name == keep or not stale.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(entry.name)
    return removed
