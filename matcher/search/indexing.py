"""The FAISS indexes of candidates and jobs: built from the database, saved as snapshots, checked on load.

A process holds one index per kind ("candidates", "jobs") in memory and keeps it current by applying the change
feed (matcher.store.feed; MatchingEngine.apply): a write costs what the written rows cost, never a rebuild. The
files under settings.index_dir are snapshots: `<kind>.faiss` with a JSON sidecar, stamped with the database's
dataset id and the feed position they include, so a process starts from the newest one and catches up from the
feed. Vectors come through the embedding cache (keyed by each row's `text_hash`), so a build re-encodes only texts
it has never seen.

Every index carries its language correction (settings.dense_correction, see docs/architecture.md): fitted on the
index's own rows at each build, saved in the sidecar, applied to every vector added and every query. An index has
drifted, and is rebuilt in the background without stopping search (`drift`), when it was built with another
correction method; when its rows, or the other kind's rows (which fit its cross-language factors), have grown
REFIT_GROWTH times since its correction was fitted; when it outgrew the exact index (settings.
index_exact_threshold); or when its rows would now be given IVF_REFIT_CELLS times the IVF cells it was trained
with (cells grow with the square root of the rows: about four times the rows).
"""

import fcntl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from index import IndexMismatchError, VectorIndex, VectorIndexError
from index.ivf import nlist_for
from index.transform import Correction, fit_cross_group_scales, fit_group_centring
from matcher.config import Settings
from matcher.embedding import embed_texts
from matcher.encoders import Encoder
from matcher.errors import IndexUnavailable, Invalid
from matcher.progress import Progress, no_progress
from matcher.store import embeddings as cache
from matcher.store import feed, queries
from matcher.store.meta import dataset_id
from matcher.store.models import Candidate, Job
from matcher.text import candidate_text, content_hash, job_text
from matcher.tokenize import writing_group

LANGUAGE_CENTRING = "language-centring-v1"
REFIT_GROWTH = 2  # refit the correction when the rows have grown this many times since it was fitted
SCALE_QUERIES = 500  # rows of the other kind that fit the cross-language factors
MIN_SCALE_QUERIES = 40  # below this many rows of the other kind, no refit for their sake
SCALE_ITEMS = 50_000  # rows of the index's own kind the factors are fitted over (a sample above: the fit is a share of
# each query's top 10 per language, which a uniform sample of 50,000 estimates well, and the full 500 x n score matrix
# was most of a build at 200,000 rows)
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


@dataclass(frozen=True)
class StoredRow:
    """What an index build reads of a row: its id, the hash its embedding is cached under, and its tokens (which
    say what language it is written in)."""

    id: int
    text_hash: str
    lexical_tokens: list[str]


def stored_rows(session: Session, kind: Kind) -> list[StoredRow]:
    """Every row of `kind`, without loading whole rows."""
    model = model_for(kind)
    statement = select(model.id, model.text_hash, model.lexical_tokens).order_by(model.id)
    return [StoredRow(row_id, text_hash, tokens or []) for row_id, text_hash, tokens in session.execute(statement)]


def row_vectors(
    session: Session,
    encoder: Encoder,
    settings: Settings,
    kind: Kind,
    rows: Sequence[StoredRow | Candidate | Job],
    progress: Progress = no_progress,
) -> tuple[np.ndarray, list[int], int]:
    """The embeddings of `rows` in order, from the cache; rows whose text was never encoded (or that carry no text
    hash) are loaded whole and encoded. Returns the vectors, the positions in `rows` they belong to (a row deleted
    meanwhile has none: the feed removes it next) and how many texts were encoded."""
    found = cache.get_many(session=session, encoder=encoder.name, hashes=[r.text_hash for r in rows if r.text_hash])
    keys = {row.id: row.text_hash for row in rows}
    missing = [row.id for row in rows if row.text_hash not in found]
    encoded = 0
    if missing:
        whole = queries.get_many(model_for(kind), session=session, ids=missing)
        texts = {row_id: entity_text(whole[row_id]) for row_id in missing if row_id in whole}
        vectors, encoded = embed_texts(
            session, encoder, list(texts.values()), batch_size=settings.encode_batch_size, progress=progress
        )
        for row_id, vector in zip(texts, vectors, strict=True):
            keys[row_id] = content_hash(texts[row_id])
            found[keys[row_id]] = vector
    kept = [i for i, row in enumerate(rows) if keys[row.id] in found]
    if not kept:
        return np.zeros((0, encoder.dimension), dtype=np.float32), kept, encoded
    return np.stack([found[keys[rows[i].id]] for i in kept]).astype(np.float32), kept, encoded


def build_index(
    session: Session, encoder: Encoder, settings: Settings, kind: Kind, progress: Progress = no_progress
) -> IndexReport:
    """Rebuild the `kind` index from every row in the database and save it as the newest snapshot."""
    built, encoded = build_vectors(session, encoder, settings, kind, progress)
    path = save_snapshot(built, settings, kind)
    return IndexReport(kind, built.count, encoded, built.kind, path)


def save_snapshot(index: VectorIndex, settings: Settings, kind: Kind) -> Path:
    """Save `index` atomically as the `kind` snapshot (writers of one data folder take turns)."""
    path = index_path(settings, kind)
    with writing(settings, kind):
        index.save(path)
    return path


def correction_name(settings: Settings) -> str:
    """The name of the correction indexes are built with under `settings` ("none" for none)."""
    return LANGUAGE_CENTRING if settings.dense_correction == "language-centring" else "none"


def languages_of(rows: Sequence[StoredRow | Candidate | Job]) -> np.ndarray:
    """How each row is written ("zh", "en" or "mixed", by its words)."""
    return np.array([writing_group(row.lexical_tokens) for row in rows])


def fit_correction(
    settings: Settings, vectors: np.ndarray, rows: Sequence[StoredRow | Candidate | Job]
) -> Correction | None:
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
    rows: Sequence[StoredRow],
) -> Correction:
    """`correction` with the cross-language score factors, fitted with the other kind's rows as queries (as the
    matching engine asks: a job's candidates, a candidate's jobs), each corrected by its own kind's correction."""
    other_kind: Kind = "jobs" if kind == "candidates" else "candidates"
    other = stored_rows(session, other_kind)
    if not other:
        return correction
    other_vectors, kept, _ = row_vectors(session, encoder, settings, other_kind, other)
    other = [other[i] for i in kept]
    own_correction = fit_correction(settings, other_vectors, other)
    if own_correction is None:
        return correction
    sample = np.random.default_rng(0).permutation(len(other))[:SCALE_QUERIES]
    query_rows = [other[i] for i in sample]
    items = np.sort(np.random.default_rng(1).permutation(len(rows))[:SCALE_ITEMS])  # all of them up to SCALE_ITEMS
    scales = fit_cross_group_scales(
        own_correction.apply(other_vectors[sample]),
        languages_of(query_rows),
        correction.apply(vectors[items]),
        languages_of([rows[i] for i in items]),
    )
    return correction.with_scales(scales, len(other))


def build_vectors(
    session: Session, encoder: Encoder, settings: Settings, kind: Kind, progress: Progress = no_progress
) -> tuple[VectorIndex, int]:
    """A new `kind` index of every row (not saved), stamped with the feed position it includes: read before the
    rows, so whatever was written meanwhile is applied again from the feed (applying is idempotent). Returns it and
    how many texts had to be encoded."""
    position = feed.position_now(session)
    rows = stored_rows(session, kind)
    vectors, kept, encoded = row_vectors(session, encoder, settings, kind, rows, progress)
    rows = [rows[i] for i in kept]
    ids = np.array([row.id for row in rows], dtype=np.int64)
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
    built.stamp_feed(position.to_dict())
    return built, encoded


def drift(index: VectorIndex, settings: Settings, rows: int, other_rows: int) -> str | None:
    """Why `index` should be rebuilt now that it holds `rows` (and the other kind `other_rows`), or None."""
    correction = index.correction
    name = correction.name if correction is not None else "none"
    if name != correction_name(settings) and (rows or index.count):
        return f"it was built with the correction {name!r}, not {correction_name(settings)!r}"
    if correction is not None:
        if rows >= REFIT_GROWTH * max(correction.fitted_on, 1) and rows >= MIN_SCALE_QUERIES:
            return f"its rows grew from {correction.fitted_on} to {rows} since its correction was fitted"
        if other_rows >= REFIT_GROWTH * max(correction.queries_fitted_on, 1) and other_rows >= MIN_SCALE_QUERIES:
            return f"the other kind grew from {correction.queries_fitted_on} to {other_rows} rows"
    if index.kind == "flat" and rows > settings.index_exact_threshold:
        return f"{rows} rows outgrew the exact index (up to {settings.index_exact_threshold})"
    cells = index.metadata.nlist
    if index.kind == "ivf" and cells and nlist_for(rows) >= IVF_REFIT_CELLS * cells:
        return f"its {cells} IVF cells hold {rows} vectors: a build would give it {nlist_for(rows)}"
    return None


IVF_REFIT_CELLS = 2  # rebuild an IVF index once its rows would be given this many times its cells (about 4x rows)


def load_index(
    session: Session, settings: Settings, encoder: Encoder, kind: Kind, *, any_correction: bool = False
) -> VectorIndex:
    """The saved `kind` snapshot, checked against the configured encoder, correction and this database (with
    `any_correction`, whatever correction it was built with)."""
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


def snapshot_position(index: VectorIndex) -> feed.FeedPosition | None:
    """The feed position a loaded snapshot includes (None: saved before the feed existed)."""
    data: Any = index.feed
    return feed.FeedPosition.from_dict(data)
