"""Keep the FAISS indexes in step with the database: full rebuilds and self-healing incremental updates.

One index per kind ("candidates", "jobs") under settings.index_dir, named <kind>.faiss with a JSON sidecar,
stamped with the database's dataset id so an index is never used against another database. Vectors come
through the embedding cache, so a rebuild re-encodes only texts it has never seen. Writers take a lock file,
so an import and a rebuild running at once cannot lose each other's changes.

Every index carries its language correction (settings.dense_correction, see docs/architecture.md): fitted on
the index's own rows at each full build, saved in the sidecar, applied to every vector added and every query.
An index built with another correction method is refused on load and rebuilt by the next update; an index
whose rows, or the other kind's rows (which fit its cross-language factors), have doubled since its correction
was fitted is rebuilt (and refitted) by the next update.
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
from index.transform import Correction, fit_cross_group_scales, fit_group_centring
from matcher.config import Settings
from matcher.embedding import embed_texts
from matcher.encoders import Encoder
from matcher.errors import IndexUnavailable, Invalid
from matcher.progress import Progress, no_progress
from matcher.store import queries
from matcher.store.meta import dataset_id
from matcher.store.models import Candidate, Job
from matcher.text import candidate_text, job_text
from matcher.tokenize import writing_group

LANGUAGE_CENTRING = "language-centring-v1"
REFIT_GROWTH = 2  # refit the correction when the rows have grown this many times since it was fitted
SCALE_QUERIES = 500  # rows of the other kind that fit the cross-language factors
MIN_SCALE_QUERIES = 40  # below this many rows of the other kind, no refit for their sake
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


def correction_name(settings: Settings) -> str:
    """The name of the correction indexes are built with under `settings` ("none" for none)."""
    return LANGUAGE_CENTRING if settings.dense_correction == "language-centring" else "none"


def languages_of(rows: Sequence[Candidate | Job]) -> np.ndarray:
    """How each row is written ("zh", "en" or "mixed", by its words)."""
    return np.array([writing_group(row.lexical_tokens) for row in rows])


def fit_correction(settings: Settings, vectors: np.ndarray, rows: Sequence[Candidate | Job]) -> Correction | None:
    """The configured correction fitted on `rows`: centred on their mean, without the directions that separate
    the Chinese-, English- and mixed-written rows (how each row's words are written)."""
    if correction_name(settings) == "none":
        return None
    return fit_group_centring(vectors, languages_of(rows), name=LANGUAGE_CENTRING)


def _with_scales(
    session: Session,
    encoder: Encoder,
    settings: Settings,
    kind: Kind,
    correction: Correction,
    vectors: np.ndarray,
    rows: Sequence[Candidate | Job],
) -> Correction:
    """`correction` with the cross-language score factors, fitted with the other kind's rows as queries (as the
    matching engine asks: a job's candidates, a candidate's jobs), each corrected by its own kind's correction."""
    other = list(queries.iterate(model_for("jobs" if kind == "candidates" else "candidates"), session=session))
    if not other:
        return correction
    other_vectors, _ = embed_texts(
        session, encoder, [entity_text(row) for row in other], batch_size=settings.encode_batch_size
    )
    own_correction = fit_correction(settings, other_vectors, other)
    if own_correction is None:
        return correction
    sample = np.random.default_rng(0).permutation(len(other))[:SCALE_QUERIES]
    query_rows = [other[i] for i in sample]
    scales = fit_cross_group_scales(
        own_correction.apply(other_vectors[sample]),
        languages_of(query_rows),
        correction.apply(vectors),
        languages_of(rows),
    )
    return correction.with_scales(scales, len(other))


def _build(session: Session, encoder: Encoder, settings: Settings, kind: Kind, progress: Progress) -> IndexReport:
    rows = list(queries.iterate(model_for(kind), session=session))
    vectors, ids, encoded = _vectors_for(session, encoder, rows, settings, progress)
    if not rows:
        vectors = np.zeros((0, encoder.dimension), dtype=np.float32)
    correction = fit_correction(settings, vectors, rows) if rows else None
    if correction is not None:
        correction = _with_scales(session, encoder, settings, kind, correction, vectors, rows)
    built = VectorIndex.build(
        vectors,
        ids,
        encoder=encoder.name,
        exact_threshold=settings.index_exact_threshold,
        target_recall=settings.index_target_recall,
        dataset=dataset_id(session=session),
        correction=correction,
    )
    path = index_path(settings, kind)
    built.save(path)
    return IndexReport(kind, built.count, encoded, built.kind, path)


def _stale_correction(session: Session, index: VectorIndex, settings: Settings, kind: Kind, rows: int) -> bool:
    """Whether the index must be rebuilt for its correction: another method, or fitted on far fewer rows of its
    own kind or of the other (whose rows fitted the cross-language factors)."""
    correction = index.correction
    name = correction.name if correction is not None else "none"
    if name != correction_name(settings):
        return True
    if correction is None:
        return False
    others = queries.count(model_for("jobs" if kind == "candidates" else "candidates"), session=session)
    return rows >= REFIT_GROWTH * max(correction.fitted_on, 1) or (
        others >= REFIT_GROWTH * max(correction.queries_fitted_on, 1) and others >= MIN_SCALE_QUERIES
    )


def load_index(
    session: Session, settings: Settings, encoder: Encoder, kind: Kind, *, any_correction: bool = False
) -> VectorIndex:
    """The saved `kind` index, checked against the configured encoder, correction and this database (with
    `any_correction`, whatever correction it was built with: an updater rebuilds a stale one)."""
    path = index_path(settings, kind)
    try:
        return VectorIndex.load(
            path,
            expected_encoder=encoder.name,
            expected_dimension=encoder.dimension,
            expected_dataset=dataset_id(session=session),
            expected_correction=None if any_correction else correction_name(settings),
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
    is found by comparing id sets, so every update heals what an earlier failure left. With no saved index, or
    one whose correction is stale (another method, or the rows have doubled since it was fitted), this is a full
    build. Returns the index and how many texts were encoded.
    """
    with writing(settings, kind):
        path = index_path(settings, kind)
        stored = queries.all_ids(model_for(kind), session=session)
        index = load_index(session, settings, encoder, kind, any_correction=True) if VectorIndex.exists(path) else None
        if index is None or _stale_correction(session, index, settings, kind, len(stored)):
            report = _build(session, encoder, settings, kind, progress)
            return load_index(session, settings, encoder, kind), report.encoded
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
