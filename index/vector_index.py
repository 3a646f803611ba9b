"""VectorIndex: cosine top-k over unit vectors keyed by database ids, exact or IVF, saved atomically."""

from __future__ import annotations

import operator
from pathlib import Path
from typing import Any

import numpy as np

from index.arrays import FloatArray, IdArray, as_ids, unique_ids, unit_queries, unit_rows
from index.backend import (
    FLAT_FACTORY,
    ivf_factory,
    new_flat,
    search_among,
    search_within,
    set_nprobe,
    stored_ids,
    use_hashed_direct_map,
)
from index.errors import REBUILD_HINT, IndexCorruptError, IndexMismatchError
from index.ivf import build_ivf
from index.metadata import FORMAT_VERSION, KINDS, METRIC, IndexMetadata, utc_now_iso
from index.storage import index_exists, load_pair, save_pair
from index.transform import Correction


class VectorIndex:
    """Inner-product (= cosine, all vectors are normalised) top-k search over vectors keyed by int64 ids.

    Searches may run concurrently with each other; `add`, `remove` and `save` must not overlap with any
    other call on the same instance (the caller serialises writers).
    """

    def __init__(self, index: Any, metadata: IndexMetadata, ids: IdArray, correction: Correction | None = None) -> None:
        """Wrap an existing FAISS index; use `build` or `load` rather than calling this directly."""
        self._index = index
        self._metadata = metadata
        self._ids: set[int] = set(ids.tolist())
        self._correction = correction
        use_hashed_direct_map(index)

    # ----------------------------------------------------------------------------------------- creation

    @classmethod
    def build(
        cls,
        vectors: Any,
        ids: Any,
        *,
        encoder: str,
        exact_threshold: int = 20_000,
        target_recall: float = 0.95,
        kind: str | None = None,
        seed: int = 0,
        dataset: str | None = None,
        correction: Correction | None = None,
    ) -> VectorIndex:
        """Index `vectors` (n, d) under `ids` (n,); exact up to `exact_threshold` vectors, IVF above.

        `dataset` names the database the vectors come from; it is saved, and `load(expected_dataset=...)`
        refuses an index built from another one. `correction` (index.transform) is applied to every vector
        added and every query, and saved with the index.
        """
        if not isinstance(encoder, str) or not encoder:
            raise ValueError("encoder must be a non-empty string naming the model that made the vectors")
        if dataset is not None and (not isinstance(dataset, str) or not dataset):
            raise ValueError(f"dataset must be a non-empty string or None, got {dataset!r}")
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)} or None, got {kind!r}")
        if exact_threshold < 0:
            raise ValueError(f"exact_threshold must be >= 0, got {exact_threshold}")
        if not 0 < target_recall <= 1:
            raise ValueError(f"target_recall must be in (0, 1], got {target_recall}")
        rows = unit_rows(vectors)
        if correction is not None:
            rows = correction.apply(rows)
        count, dimension = rows.shape
        keys = unique_ids(ids, count)
        chosen = kind or ("flat" if count <= exact_threshold else "ivf")
        nlist: int | None = None
        nprobe: int | None = None
        recall: float | None = None
        if chosen == "flat":
            index = new_flat(dimension)
            if count:
                index.add_with_ids(rows, keys)
            factory = FLAT_FACTORY
        else:
            if count == 0:
                raise ValueError("an IVF index needs at least one vector to train on; use kind='flat'")
            built = build_ivf(rows, keys, target_recall=target_recall, seed=seed)
            index, nlist, nprobe, recall = built.index, built.nlist, built.nprobe, built.recall
            factory = ivf_factory(nlist)
        metadata = IndexMetadata(
            format_version=FORMAT_VERSION,
            encoder=encoder,
            dimension=dimension,
            metric=METRIC,
            kind=chosen,
            factory=factory,
            count=count,
            nlist=nlist,
            nprobe=nprobe,
            built_at=utc_now_iso(),
            checksum=None,
            calibrated_recall=recall,
            dataset=dataset,
            correction=None if correction is None else correction.to_dict(),
        )
        return cls(index, metadata, keys, correction)

    @classmethod
    def load(
        cls,
        path: Path,
        *,
        expected_encoder: str | None = None,
        expected_dimension: int | None = None,
        expected_dataset: str | None = None,
        expected_correction: str | None = None,
    ) -> VectorIndex:
        """Load an index written by `save`; refuses one made for another encoder, dimension, dataset or correction
        method (`expected_correction`: the correction's name, "none" for an index saved without one), or damaged.

        The dataset is compared only when both `expected_dataset` and the stored one are set. Raises
        FileNotFoundError when nothing was saved at `path`, else IndexMismatchError or IndexCorruptError.
        """
        index, metadata = load_pair(
            Path(path),
            expected_encoder=expected_encoder,
            expected_dimension=expected_dimension,
            expected_dataset=expected_dataset,
        )
        ids = stored_ids(index)
        if ids.size and np.any(ids[1:] == ids[:-1]):
            raise IndexCorruptError(f"the vector index at {path} holds duplicate ids; {REBUILD_HINT}")
        if metadata.nprobe is not None:
            set_nprobe(index, metadata.nprobe)
        correction = None
        if metadata.correction is not None:
            try:
                correction = Correction.from_dict(metadata.correction, metadata.dimension)
            except ValueError as exc:
                raise IndexCorruptError(f"the vector index at {path}: {exc}; {REBUILD_HINT}") from exc
        stored = correction.name if correction is not None else "none"
        if expected_correction is not None and stored != expected_correction:
            raise IndexMismatchError(
                f"the vector index at {path} was built with the correction {stored!r}, not {expected_correction!r}; "
                f"{REBUILD_HINT}"
            )
        return cls(index, metadata, ids, correction)

    # ----------------------------------------------------------------------------------------- properties

    @property
    def count(self) -> int:
        """Number of vectors stored."""
        return len(self._ids)

    def __len__(self) -> int:
        return self.count

    @property
    def dimension(self) -> int:
        return self._metadata.dimension

    @property
    def correction(self) -> Correction | None:
        """The correction applied to every vector and query (None: vectors are only normalised)."""
        return self._correction

    @property
    def feed(self) -> dict[str, Any] | None:
        """Where in its source's change feed this index was (opaque to this package; saved with the index)."""
        return self._metadata.feed

    def stamp_feed(self, position: dict[str, Any] | None) -> None:
        """Record the change-feed position the index includes (saved by the next `save`)."""
        self._metadata = self._metadata.with_changes(feed=position)

    def correct(self, vectors: Any) -> FloatArray:
        """`vectors` (n, d) or (d,) as the index compares them: normalised, then corrected."""
        rows = unit_queries(vectors, self.dimension)
        return rows if self._correction is None else self._correction.apply(rows)

    @property
    def kind(self) -> str:
        """Either 'flat' (exact) or 'ivf' (approximate)."""
        return self._metadata.kind

    @property
    def metadata(self) -> IndexMetadata:
        """Current description; `checksum` and `data_file` are those of the last save or load, None once changed."""
        return self._metadata.with_changes(count=self.count)

    def ids(self) -> IdArray:
        """All database ids present, sorted ascending (a copy)."""
        return np.array(sorted(self._ids), dtype=np.int64)

    def stored(self, ids: Any) -> tuple[FloatArray, IdArray]:
        """The vectors stored under those of `ids` that are present (as searched: normalised and corrected), and
        those ids, in the order given."""
        keys = np.array([key for key in as_ids(ids).tolist() if key in self._ids], dtype=np.int64)
        if keys.size == 0:
            return np.zeros((0, self.dimension), dtype=np.float32), keys
        return np.asarray(self._index.reconstruct_batch(keys), dtype=np.float32), keys

    def contains(self, id: int) -> bool:
        """Whether database id `id` is present."""
        return operator.index(id) in self._ids

    def __repr__(self) -> str:
        meta = self._metadata
        return (
            f"VectorIndex(kind={meta.kind!r}, factory={meta.factory!r}, count={self.count}, encoder={meta.encoder!r})"
        )

    # ----------------------------------------------------------------------------------------- mutation

    def add(self, vectors: Any, ids: Any) -> None:
        """Insert or replace (upsert) `vectors` (n, d) under unique `ids` (n,); vectors are normalised."""
        rows = unit_rows(vectors, dimension=self.dimension)
        if self._correction is not None:
            rows = self._correction.apply(rows)
        keys = unique_ids(ids, rows.shape[0])
        if keys.size == 0:
            return
        present = np.array([key for key in keys.tolist() if key in self._ids], dtype=np.int64)
        if present.size:
            self._index.remove_ids(present)
        self._index.add_with_ids(rows, keys)
        self._ids.update(keys.tolist())
        self._changed()

    def remove(self, ids: Any) -> int:
        """Remove ids (a scalar or 1-D collection); returns how many were present, unknown ids are ignored."""
        keys = np.unique(as_ids(ids))
        present = np.array([key for key in keys.tolist() if key in self._ids], dtype=np.int64)
        if present.size == 0:
            return 0
        removed = int(self._index.remove_ids(present))
        self._ids.difference_update(present.tolist())
        self._changed()
        if removed != present.size or int(self._index.ntotal) != len(self._ids):
            raise RuntimeError(f"FAISS removed {removed} of {present.size} ids; the index is out of step")
        return removed

    def _changed(self) -> None:
        if self._metadata.checksum is not None or self._metadata.data_file is not None:
            self._metadata = self._metadata.with_changes(checksum=None, data_file=None)

    # ----------------------------------------------------------------------------------------- search

    def search(
        self, queries: Any, k: int, *, corrected: bool = False, among: Any = None, within: Any = None
    ) -> tuple[FloatArray, IdArray]:
        """Top-`k` by cosine for one query (d,) or a batch (m, d): scores float32 (m, k) and ids int64 (m, k).

        Best first. When fewer than k vectors are found, the rest is padded with id -1 and score -inf. Queries are
        corrected like the stored vectors, unless `corrected` says the caller did that already (a correction of
        its own kind's: see matcher.search.matching). `among` (ids) limits the search to those vectors; so does
        `within`, a bitmap over ids (index.selection.IdBitmap), which costs nothing to pass however many it admits.
        """
        if isinstance(k, bool) or not isinstance(k, int | np.integer):
            raise ValueError(f"k must be a positive integer, got {k!r}")
        if k <= 0:
            raise ValueError(f"k must be a positive integer, got {k}")
        rows = unit_queries(queries, self.dimension) if corrected else self.correct(queries)
        scores = np.full((rows.shape[0], k), -np.inf, dtype=np.float32)
        found = np.full((rows.shape[0], k), -1, dtype=np.int64)
        if self.count == 0 or rows.shape[0] == 0:
            return scores, found
        depth = min(int(k), self.count)
        if within is not None:
            top_scores, top_ids = self._index.search(rows, depth, params=search_within(self._index, within))
        elif among is None:
            top_scores, top_ids = self._index.search(rows, depth)
        else:
            top_scores, top_ids = self._index.search(rows, depth, params=search_among(self._index, as_ids(among)))
        top_scores[top_ids < 0] = -np.inf
        scores[:, :depth] = top_scores
        found[:, :depth] = top_ids
        return scores, found

    # ----------------------------------------------------------------------------------------- persistence

    @staticmethod
    def exists(path: Path) -> bool:
        """Whether an index has been saved at `path` (its sidecar exists); `path` itself is never a file."""
        return index_exists(Path(path))

    def save(self, path: Path) -> None:
        """Atomically save to `path` (parents created); a failed or interrupted save leaves the previous one.

        Writes the data file `path` + ".<16 hex of its sha256>", then commits by renaming the sidecar
        `path` + ".json" that names it into place; `path` itself is never written.
        """
        self._metadata = save_pair(self._index, self.metadata, Path(path))
