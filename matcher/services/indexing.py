"""Keep the FAISS indexes in step with the database: full rebuilds and self-healing incremental updates.

One index per kind ("candidates", "jobs") under settings.index_dir, named <kind>.faiss with a JSON sidecar,
stamped with the database's dataset id so an index is never used against another database. Vectors come
through the embedding cache, so a rebuild re-encodes only texts it has never seen. Writers take a lock file,
so an import and a rebuild running at once cannot lose each other's changes.
"""

import fcntl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from sqlalchemy.orm import Session

from index import IndexMismatchError, VectorIndex, VectorIndexError
from matcher.config import Settings
from matcher.encoders import Encoder
from matcher.errors import IndexUnavailable, Invalid
from matcher.progress import Progress, no_progress
from matcher.services.embedding import embed_texts
from matcher.store import queries
from matcher.store.meta import dataset_id
from matcher.store.models import Candidate, Job
from matcher.text import candidate_text, job_text

Kind = Literal["candidates", "jobs"]
KINDS: tuple[Kind, ...] = ("candidates", "jobs")


@dataclass(frozen=True)
class IndexReport:
    kind: Kind
    count: int
    encoded: int
    index_kind: str
    path: Path


def check_index_kind(kind: str) -> Kind:
    if kind == "candidates":
        return "candidates"
    if kind == "jobs":
        return "jobs"
    raise Invalid(f"unknown index {kind!r}; use 'candidates' or 'jobs'")


def index_path(settings: Settings, kind: Kind) -> Path:
    return settings.index_dir / f"{kind}.faiss"


def index_stamp(settings: Settings) -> tuple[tuple[int, int] | None, ...]:
    """What the saved indexes look like on disk now (sidecar mtime and size): a change means reload."""
    stamps: list[tuple[int, int] | None] = []
    for kind in KINDS:
        sidecar = index_path(settings, kind).with_name(f"{kind}.faiss.json")
        try:
            info = sidecar.stat()
            stamps.append((info.st_mtime_ns, info.st_size))
        except FileNotFoundError:
            stamps.append(None)
    return tuple(stamps)


def entity_text(row: Candidate | Job) -> str:
    return candidate_text(row) if isinstance(row, Candidate) else job_text(row)


def model_for(kind: Kind) -> type[Candidate] | type[Job]:
    return Candidate if kind == "candidates" else Job


@contextmanager
def writing(settings: Settings, kind: Kind) -> Iterator[None]:
    """Hold the `kind` index's write lock (a lock file next to it) for the duration."""
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    with (settings.index_dir / f"{kind}.lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _vectors_for(
    session: Session, encoder: Encoder, rows: Sequence[Candidate | Job], settings: Settings, progress: Progress
) -> tuple[np.ndarray, np.ndarray, int]:
    texts = [entity_text(row) for row in rows]
    vectors, encoded = embed_texts(session, encoder, texts, batch_size=settings.encode_batch_size, progress=progress)
    ids = np.array([row.id for row in rows], dtype=np.int64)
    return vectors, ids, encoded


def build_index(
    session: Session, encoder: Encoder, settings: Settings, kind: Kind, progress: Progress = no_progress
) -> IndexReport:
    """Rebuild the `kind` index from every row in the database and save it atomically."""
    with writing(settings, kind):
        return _build(session, encoder, settings, kind, progress)


def _build(session: Session, encoder: Encoder, settings: Settings, kind: Kind, progress: Progress) -> IndexReport:
    rows = list(queries.iterate(model_for(kind), session=session))
    vectors, ids, encoded = _vectors_for(session, encoder, rows, settings, progress)
    built = VectorIndex.build(
        vectors if rows else np.zeros((0, encoder.dimension), dtype=np.float32),
        ids,
        encoder=encoder.name,
        exact_threshold=settings.index_exact_threshold,
        target_recall=settings.index_target_recall,
        dataset=dataset_id(session=session),
    )
    path = index_path(settings, kind)
    built.save(path)
    return IndexReport(kind, built.count, encoded, built.kind, path)


def load_index(session: Session, settings: Settings, encoder: Encoder, kind: Kind) -> VectorIndex:
    """The saved `kind` index, checked against the configured encoder and this database."""
    path = index_path(settings, kind)
    try:
        return VectorIndex.load(
            path,
            expected_encoder=encoder.name,
            expected_dimension=encoder.dimension,
            expected_dataset=dataset_id(session=session),
        )
    except FileNotFoundError as exc:
        raise IndexUnavailable(f"no {kind} index at {path}; build it with `talent index build`") from exc
    except IndexMismatchError as exc:
        raise IndexUnavailable(f"the {kind} index cannot be used: {exc}") from exc
    except VectorIndexError as exc:
        raise IndexUnavailable(f"the {kind} index at {path} cannot be used: {exc}") from exc


def update_index(
    session: Session,
    encoder: Encoder,
    settings: Settings,
    kind: Kind,
    ids: list[int],
    progress: Progress = no_progress,
) -> tuple[VectorIndex, int]:
    """Bring the saved index up to date: rows `ids` re-embedded, and any drift from the table repaired.

    Drift — rows the index lacks (an update that was interrupted) or holds but the table no longer has —
    is found by comparing id sets, so every update heals what an earlier failure left. With no saved index
    this is a full build. Returns the index and how many texts were encoded.
    """
    with writing(settings, kind):
        path = index_path(settings, kind)
        if not VectorIndex.exists(path):
            report = _build(session, encoder, settings, kind, progress)
            return load_index(session, settings, encoder, kind), report.encoded
        index = load_index(session, settings, encoder, kind)
        stored = queries.all_ids(model_for(kind), session=session)
        present = set(index.ids().tolist())
        to_add = (set(ids) & stored) | (stored - present)
        to_remove = (set(ids) | (present - stored)) & present
        index.remove(np.array(sorted(to_remove), dtype=np.int64))
        encoded = 0
        rows = list(queries.get_many(model_for(kind), session=session, ids=to_add).values())
        if rows:
            vectors, row_ids, encoded = _vectors_for(session, encoder, rows, settings, progress)
            index.add(vectors, row_ids)
        index.save(path)
        return index, encoded
