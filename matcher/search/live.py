"""The indexes one process searches — dense (FAISS), lexical (BM25) and the filters' facets, per kind — kept
current from the database's change feed.

Start-up: each kind's newest usable snapshot (matcher.search.indexing), else a build from the database (saved as
the next snapshot); the lexical index and facets from the stored rows; then the feed from the earliest position
the snapshots include. After that every change costs what its rows cost: `apply` reads the changed rows and upserts
or removes them in all three. Applying is idempotent and reads rows as they are now, so replaying a change twice,
or out of order, leaves the same state.

Searches read under a shared lock; `apply` takes the exclusive lock only for the in-memory update, after it has
read the rows (appliers take turns, so a later one always reads later rows).
"""

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session

from index import VectorIndex, VectorIndexError
from index.selection import IdBitmap
from matcher.config import Settings
from matcher.encoders import Encoder
from matcher.errors import IndexUnavailable, TalentError
from matcher.search.facets import Facets, RowFacets
from matcher.search.indexing import (
    KINDS,
    Kind,
    build_vectors,
    drift,
    load_index,
    model_for,
    row_vectors,
    save_snapshot,
    snapshot_position,
)
from matcher.search.lexical_index import LexicalIndex
from matcher.search.rwlock import ReadWriteLock
from matcher.store import feed, queries
from matcher.store.models import Candidate, Education, Job

log = logging.getLogger(__name__)

BITMAPS_KEPT = 64  # filter bitmaps kept per process (a bitmap of 1M ids is 125 kB)


@dataclass(frozen=True)
class Opened:
    """How a kind's dense index was obtained at start-up."""

    kind: Kind
    source: str  # "snapshot" or "built"
    count: int


class LiveIndexes:
    """Dense, lexical and facet indexes of both kinds, and how far they have followed the change feed."""

    def __init__(self, settings: Settings, encoder: Encoder) -> None:
        self.settings = settings
        self.encoder = encoder
        self.dense: dict[Kind, VectorIndex] = {}
        self.problems: dict[Kind, str] = {}
        self.lexical: dict[Kind, LexicalIndex] = {kind: LexicalIndex() for kind in KINDS}
        self.facets: dict[Kind, Facets] = {kind: Facets() for kind in KINDS}
        self.position = feed.FeedPosition()
        self.lock = ReadWriteLock()
        self.opened: list[Opened] = []
        self.applied = 0  # changes applied since start-up or the last snapshot
        self._appliers = threading.Lock()
        self._readers = threading.Lock()
        self._bitmaps: OrderedDict[tuple[Kind, tuple[object, ...]], tuple[int, IdBitmap]] = OrderedDict()

    # -- start-up ---------------------------------------------------------------------------------------

    @classmethod
    def open(cls, session: Session, settings: Settings, encoder: Encoder) -> "LiveIndexes":
        live = cls(settings, encoder)
        pruned = feed.pruned_through(session)
        positions: list[feed.FeedPosition] = []
        for kind in KINDS:
            index, position, source = None, None, "snapshot"
            try:
                index = load_index(session, settings, encoder, kind)
                position = snapshot_position(index)
            except IndexUnavailable as exc:
                log.info("%s; building the %s index from the database", exc.message, kind)
            if index is None or position is None or position.sequence < pruned:
                try:
                    index, _ = build_vectors(session, encoder, settings, kind)
                    save_snapshot(index, settings, kind)
                except (TalentError, VectorIndexError, OSError) as exc:
                    live.problems[kind] = f"the {kind} index cannot be built: {exc}"
                    continue
                position, source = snapshot_position(index), "built"
            live.dense[kind] = index
            live.opened.append(Opened(kind, source, index.count))
            positions.append(position or feed.FeedPosition())
        if positions:
            live.position = positions[0] if len(positions) == 1 else positions[0].earliest(positions[1])
        live._load_rows(session)
        live.catch_up(session)
        return live

    def _load_rows(self, session: Session) -> None:
        """The lexical index and facets of every stored row (their columns only, never whole rows)."""
        for kind in KINDS:
            facets = self.facets[kind]

            def documents(kind: Kind = kind, facets: Facets = facets) -> Iterable[tuple[int, tuple[str, ...]]]:
                for row in stored_facets(session, kind):
                    facets.put(row.facets)
                    yield row.row_id, row.tokens

            self.lexical[kind].add_many(documents())

    # -- following the feed -----------------------------------------------------------------------------

    def catch_up(self, session: Session) -> int:
        """Apply what the feed holds after this process's position; returns how many entries were read."""
        read = 0
        with self._readers:
            if self.position.sequence < feed.pruned_through(session):
                raise IndexUnavailable(
                    "this process fell behind the change log's retention; restart it to rebuild its indexes"
                )
            while True:
                batch = feed.read(session, self.position)
                if batch.changes:
                    self.apply(session, batch.changes)
                self.position = batch.position
                read += batch.entries
                if not batch.more:
                    return read

    def apply(self, session: Session, changes: dict[str, set[int]] | dict[str, list[int]]) -> int:
        """Bring every index up to date for the changed rows (kind → ids): rows that exist are upserted, the rest
        removed. Returns how many texts had to be encoded (normally none: the writer cached them)."""
        encoded = 0
        with self._appliers:
            for kind_name, ids in changes.items():
                if kind_name not in KINDS:
                    continue
                kind: Kind = "candidates" if kind_name == "candidates" else "jobs"
                rows = list(queries.get_many(model_for(kind), session=session, ids=ids).values())
                encoded += self.put_rows(session, kind, rows)
                self.remove_rows(kind, set(ids) - {row.id for row in rows})
                self.applied += len(set(ids))
        return encoded

    def put_rows(self, session: Session, kind: Kind, rows: Sequence[Candidate | Job]) -> int:
        """Upsert `rows` into every index of `kind`; returns how many texts were encoded."""
        if not rows:
            return 0
        encoded = 0
        vectors = None
        kept: list[int] = []
        if kind in self.dense:
            vectors, kept, encoded = row_vectors(session, self.encoder, self.settings, kind, rows)
        with self.lock.writing():
            if vectors is not None and kept:
                self.dense[kind].add(vectors, np.array([rows[i].id for i in kept], dtype=np.int64))
            self.lexical[kind].add_many((row.id, row.lexical_tokens) for row in rows)
            for row in rows:
                self.facets[kind].put(RowFacets.of(row))
        return encoded

    def remove_rows(self, kind: Kind, ids: Iterable[int]) -> None:
        gone = sorted(set(ids))
        if not gone:
            return
        with self.lock.writing():
            if kind in self.dense:
                self.dense[kind].remove(np.array(gone, dtype=np.int64))
            self.lexical[kind].remove_many(gone)
            for row_id in gone:
                self.facets[kind].remove(row_id)

    # -- maintenance ------------------------------------------------------------------------------------

    def save_snapshots(self) -> None:
        """Save each kind's dense index stamped with the feed position it includes (searches go on meanwhile)."""
        with self.lock.reading():
            stamp = self.position.to_dict()
            for kind, index in self.dense.items():
                index.stamp_feed(stamp)
                save_snapshot(index, self.settings, kind)
            self.applied = 0

    def drifted(self) -> dict[Kind, str]:
        """The kinds whose dense index should be rebuilt, and why (matcher.search.indexing.drift)."""
        counts = {kind: self.facets[kind].count for kind in KINDS}
        found: dict[Kind, str] = {}
        for kind, index in self.dense.items():
            other: Kind = "jobs" if kind == "candidates" else "candidates"
            reason = drift(index, self.settings, counts[kind], counts[other])
            if reason is not None:
                found[kind] = reason
        return found

    def rebuild(self, session: Session, kind: Kind) -> VectorIndex:
        """Build the `kind` index again from the database while searches use the current one, then swap it in;
        the feed is read again from where the build started (`catch_up`, next), so nothing written meanwhile is
        lost."""
        built, _ = build_vectors(session, self.encoder, self.settings, kind)
        position = snapshot_position(built) or feed.FeedPosition()
        with self._readers, self._appliers, self.lock.writing():
            self.dense[kind] = built
            self.problems.pop(kind, None)
            self.position = self.position.earliest(position)
        return built

    # -- what searches read -----------------------------------------------------------------------------

    def language_bitmap(self, kind: Kind, language: str) -> IdBitmap:
        """The rows of `kind` written in `language`, as a bitmap (kept until the rows change)."""
        return self.bitmap(kind, ("language", language), lambda facets: facets.language_mask(language))

    def bitmap(self, kind: Kind, key: tuple[object, ...], mask: Callable[[Facets], npt.NDArray[np.bool_]]) -> IdBitmap:
        """The rows of `kind` that `mask` admits, as a bitmap, kept under `key` until the rows change: a filter
        people use again and again (a partner's every search admits visible profiles only) is worked out once
        between writes. At most BITMAPS_KEPT are kept; the least recently used goes first."""
        facets = self.facets[kind]
        cached = self._bitmaps.get((kind, key))
        if cached is not None and cached[0] == facets.version:
            self._bitmaps.move_to_end((kind, key))
            return cached[1]
        version = facets.version
        bitmap = IdBitmap(mask(facets), facets.count)
        self._bitmaps[(kind, key)] = (version, bitmap)
        while len(self._bitmaps) > BITMAPS_KEPT:
            self._bitmaps.popitem(last=False)
        return bitmap


@dataclass(frozen=True)
class StoredFacets:
    row_id: int
    tokens: tuple[str, ...]
    facets: RowFacets


def stored_facets(session: Session, kind: Kind) -> Iterable[StoredFacets]:
    """Tokens, filterable and ranked values of every row of `kind`, read column by column (no whole rows); a
    candidate's major codes come from a second query over education, merged in id order."""
    if kind == "candidates":
        statement = select(
            Candidate.id,
            Candidate.lexical_tokens,
            Candidate.location,
            Candidate.preferred_locations,
            Candidate.industries,
            Candidate.highest_degree,
            Candidate.visible,
            Candidate.person_id,
        ).order_by(Candidate.id)
        majors = iter(
            session.execute(
                select(Education.candidate_id, Education.major_code)
                .where(Education.major_code.is_not(None), Education.major_code != "")
                .order_by(Education.candidate_id, Education.position, Education.id)
            )
        )
        pending = next(majors, None)
        for row_id, tokens, location, preferred, industries, degree, visible, person in session.execute(statement):
            codes: list[str] = []
            while pending is not None and pending[0] <= row_id:
                if pending[0] == row_id:
                    codes.append(str(pending[1]))
                pending = next(majors, None)
            words = tuple(tokens or [])
            facets = RowFacets.candidate(
                row_id, words, [location, *(preferred or [])], industries or [], degree, visible, codes, person
            )
            yield StoredFacets(row_id, words, facets)
        return
    jobs = select(
        Job.id, Job.lexical_tokens, Job.location, Job.industry, Job.min_degree, Job.closed_at, Job.major_codes
    )
    for row_id, tokens, location, industry, degree, closed_at, job_codes in session.execute(jobs):
        words = tuple(tokens or [])
        facets = RowFacets.job(row_id, words, location, industry, degree, closed_at is not None, job_codes or [])
        yield StoredFacets(row_id, words, facets)
