"""Keep the FAISS indexes in step with the database: full rebuilds and incremental updates.

One index per kind ("candidates", "jobs") under settings.index_dir, named <kind>.faiss with a JSON sidecar.
Vectors come through the embedding cache, so a rebuild re-encodes only texts it has never seen.
"""

from collections.abc import Sequence
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


def entity_text(row: Candidate | Job) -> str:
    return candidate_text(row) if isinstance(row, Candidate) else job_text(row)


def model_for(kind: Kind) -> type[Candidate] | type[Job]:
    return Candidate if kind == "candidates" else Job


def _vectors_for(
    session: Session,
    encoder: Encoder,
    rows: Sequence[Candidate | Job],
    settings: Settings,
    progress: Progress,
) -> tuple[np.ndarray, np.ndarray, int]:
    texts = [entity_text(row) for row in rows]
    vectors, encoded = embed_texts(session, encoder, texts, batch_size=settings.encode_batch_size, progress=progress)
    ids = np.array([row.id for row in rows], dtype=np.int64)
    return vectors, ids, encoded


def build_index(
    session: Session, encoder: Encoder, settings: Settings, kind: Kind, progress: Progress = no_progress
) -> IndexReport:
    """Rebuild the `kind` index from every row in the database and save it atomically."""
    rows = list(queries.iterate(model_for(kind), session=session))
    vectors, ids, encoded = _vectors_for(session, encoder, rows, settings, progress)
    if len(rows) == 0:
        vectors = np.zeros((0, encoder.dimension), dtype=np.float32)
    built = VectorIndex.build(
        vectors,
        ids,
        encoder=encoder.name,
        exact_threshold=settings.index_exact_threshold,
        target_recall=settings.index_target_recall,
    )
    path = index_path(settings, kind)
    built.save(path)
    return IndexReport(kind, built.count, encoded, built.kind, path)


def load_index(settings: Settings, encoder: Encoder, kind: Kind) -> VectorIndex:
    """The saved `kind` index, checked against the configured encoder."""
    path = index_path(settings, kind)
    try:
        return VectorIndex.load(path, expected_encoder=encoder.name, expected_dimension=encoder.dimension)
    except FileNotFoundError as exc:
        raise IndexUnavailable(f"no {kind} index at {path}; build it with `talent index build`") from exc
    except IndexMismatchError as exc:
        raise IndexUnavailable(str(exc)) from exc
    except VectorIndexError as exc:
        raise IndexUnavailable(f"the {kind} index at {path} cannot be used: {exc}") from exc


def update_index(
    session: Session,
    encoder: Encoder,
    settings: Settings,
    kind: Kind,
    ids: list[int],
    index: VectorIndex | None = None,
    progress: Progress = no_progress,
) -> tuple[VectorIndex, int]:
    """Re-embed rows `ids` (deleted ones drop out) into the saved index, or a full build when there is none.

    Returns the updated index and how many texts were encoded.
    """
    if index is None:
        if not index_path(settings, kind).exists():
            report = build_index(session, encoder, settings, kind, progress)
            return load_index(settings, encoder, kind), report.encoded
        index = load_index(settings, encoder, kind)
    rows = list(queries.get_many(model_for(kind), session=session, ids=ids).values())
    index.remove(np.array(ids, dtype=np.int64))
    encoded = 0
    if rows:
        vectors, row_ids, encoded = _vectors_for(session, encoder, rows, settings, progress)
        index.add(vectors, row_ids)
    index.save(index_path(settings, kind))
    return index, encoded
