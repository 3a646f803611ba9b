"""The platform's shared, heavy objects — engine, sessions, encoder, matching engine — made once per process."""

import fcntl
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from index import VectorIndexError
from matcher.config import Settings
from matcher.embedding import embed_texts
from matcher.encoders import Encoder, load_encoder
from matcher.errors import TalentError
from matcher.identity.linking import PeopleLinker
from matcher.ingest.importer import Importer, rederive_text_fields, retokenize
from matcher.ingest.registration import SELF_SOURCE
from matcher.people.ratelimit import RateLimiter, make_rate_limiter
from matcher.reference.job_majors import JobMajors
from matcher.reference.job_normalization import NORMALIZATION_VERSION, renormalize_jobs
from matcher.reference.leading_industries import load_config
from matcher.reference.majors import MajorMapper, load_catalogue
from matcher.reference.occupation_ranker import OccupationRanker
from matcher.reference.occupations import OccupationMapper, embedded_texts, load_occupations
from matcher.search.indexing import model_for, row_vectors
from matcher.search.industries import IndustryProfiles, build_profiles, jobs_stamp
from matcher.search.matching import MatchingEngine
from matcher.store import derived, feed, meta, queries
from matcher.store.changes import IndexedKind, take_changes
from matcher.store.db import busy, make_engine, make_sessionmaker, session_scope
from matcher.store.migrate import upgrade
from matcher.store.models import Job
from matcher.text import TEXT_VERSION
from matcher.tokenize import TOKENIZER_VERSION, tokenize

NORMALIZATION_KEY = "job_normalization"
INDEX_UPDATES = "talent_index_updates"
CACHE_STEP = 512
WARM_UP_ATTEMPTS = 4  # a replica starting beside another waits out its warm-up (each try waits TALENT_DB_LOCK_TIMEOUT)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexUpdate:
    """What the post-write hook did for one kind: rows logged to the change feed and texts encoded for them, or the
    problem that stopped the encoding (the rows and their log entries are stored all the same: every process's
    indexes follow the feed, and encode what the writer could not)."""

    kind: IndexedKind
    rows: int
    encoded: int | None
    problem: str | None


def index_updates(session: Session) -> dict[IndexedKind, IndexUpdate]:
    """What the post-write hook did after `session` committed (empty when nothing indexed had changed)."""
    updates: dict[IndexedKind, IndexUpdate] = session.info.get(INDEX_UPDATES, {})
    return updates


TOKENIZER_KEY = "tokenizer"
TEXT_KEY = "entity_text"


_REFERENCE: dict[tuple[str, str], Any] = {}
_REFERENCE_LOCK = threading.RLock()  # re-entrant: one mapper may be built from another
T = TypeVar("T")


def _reference(key: tuple[str, str], build: Callable[[], T]) -> T:
    """A mapper over reference data, shared by every Platform of the process. The catalogue and the classification
    come from the package's files, so they are the same in every database `init` has run on; only the encoder
    changes what a mapper holds."""
    with _REFERENCE_LOCK:
        if key not in _REFERENCE:
            _REFERENCE[key] = build()
        mapper: T = _REFERENCE[key]
        return mapper


class Platform:
    """Entry points (CLI, API) hold one of these; services receive its parts."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(
            settings.resolved_database_url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_timeout=settings.db_pool_timeout,
            lock_timeout=settings.db_lock_timeout,
        )
        self.sessions = make_sessionmaker(self.engine)
        self.writer_sessions = make_sessionmaker(self.engine, writer=True)
        self._matching: MatchingEngine | None = None
        self._lock = threading.Lock()
        self._profiles: tuple[str, IndustryProfiles | None] | None = None
        self._follower: threading.Thread | None = None
        self._wakeup: feed.Wakeup | None = None
        self._snapshot_at = time.monotonic()
        self.derived = derived.Derived()  # values derived from the database, kept while it has not changed

    @cached_property
    def encoder(self) -> Encoder:
        return load_encoder(self.settings.encoder, self.settings.encoder_threads)

    @cached_property
    def rate_limiter(self) -> RateLimiter:
        settings = self.settings
        return make_rate_limiter(settings.api_rate_limit, settings.redis_url, settings.api_anonymous_rate_limit)

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A unit of work that commits on success; `write=True` for imports and index builds, which write a lot
        (on SQLite it waits for other processes' writers instead of failing).

        The post-write hook: the candidates and jobs its use cases noted as changed (matcher.store.changes) are
        encoded (into the embedding cache) and logged to the change feed just before the commit, in the same
        transaction as the rows; every process's indexes follow the feed (matcher.store.feed). Once committed,
        this process's own matching engine, when loaded, applies them at once, so a writer finds what it wrote.
        What happened is left in `index_updates(session)`."""
        updates: dict[IndexedKind, IndexUpdate] = {}
        changes: dict[IndexedKind, list[int]] = {}
        unit: Session | None = None
        try:
            with session_scope(self.writer_sessions if write else self.sessions) as session:
                unit = session
                derived.attach(session, self.derived)
                yield session
                changes = take_changes(session)
                if changes:
                    updates = self._publish(session, changes)
        finally:
            if unit is not None:  # after the commit or the rollback
                derived.finished(unit)
        if changes:
            session.info[INDEX_UPDATES] = self._apply_own(changes, updates)

    def _publish(self, session: Session, changes: dict[IndexedKind, list[int]]) -> dict[IndexedKind, IndexUpdate]:
        """Encode the changed rows' texts (a failure is reported, not raised) and log the changes to the feed."""
        updates = {}
        for kind, ids in changes.items():
            rows = list(queries.get_many(model_for(kind), session=session, ids=ids).values())
            try:
                with session.begin_nested():
                    encoded = row_vectors(session, self.encoder, self.settings, kind, rows)[2] if rows else 0
            except (SQLAlchemyError, TalentError, ValueError, RuntimeError) as exc:
                message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
                log.error("encoding %d changed %s failed: %s", len(rows), kind, message)
                updates[kind] = IndexUpdate(kind, len(ids), None, f"encoding the {kind} failed: {message}")
                continue
            updates[kind] = IndexUpdate(kind, len(ids), encoded, None)
        feed.publish(session, {kind: ids for kind, ids in changes.items()})
        return updates

    def _apply_own(
        self, changes: dict[IndexedKind, list[int]], updates: dict[IndexedKind, IndexUpdate]
    ) -> dict[IndexedKind, IndexUpdate]:
        """Apply this unit of work's changes to this process's matching engine, when loaded (read-your-writes);
        a failure is logged and reported, not raised: the rows are stored, and the feed brings them again."""
        if self._matching is None:
            return updates
        try:
            with self.session() as session:
                self._matching.apply(session, {kind: ids for kind, ids in changes.items()})
        except (SQLAlchemyError, TalentError, VectorIndexError) as exc:
            message = getattr(exc, "message", None) or exc.__class__.__name__
            log.error("applying %s to this process's indexes failed: %s", ", ".join(changes), message)
            return {
                kind: IndexUpdate(kind, update.rows, update.encoded, f"updating the {kind} index failed: {message}")
                for kind, update in updates.items()
            }
        return updates

    def init(self) -> int:
        """Create or migrate the schema, load the major catalogue and the occupation classification; returns the
        number of majors."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        upgrade(self.engine)
        with self.session(write=True) as session:
            count = load_catalogue(session)
            load_occupations(session)
        with self.session(write=True) as session:
            if meta.get(session=session, key=NORMALIZATION_KEY) != NORMALIZATION_VERSION:
                if queries.count(Job, session=session):
                    renormalize_jobs(session, self.occupation_mapper(session), self.job_majors(session))
                meta.put(session=session, key=NORMALIZATION_KEY, value=NORMALIZATION_VERSION)
        with self.session(write=True) as session:
            if meta.get(session=session, key=TOKENIZER_KEY) != TOKENIZER_VERSION:
                retokenize(session)
                meta.put(session=session, key=TOKENIZER_KEY, value=TOKENIZER_VERSION)
        with self.session(write=True) as session:
            if meta.get(session=session, key=TEXT_KEY) != TEXT_VERSION:
                rederive_text_fields(session)  # the rows it changes are encoded and logged to the feed by the hook
                meta.put(session=session, key=TEXT_KEY, value=TEXT_VERSION)
        return count

    def importer(self, session: Session, kind: str, *, link_people: bool = True) -> Importer:
        """An importer for `kind` with the mappers it needs (majors; and occupations for jobs). Imported candidate
        records are linked into people (when the settings say so and `link_people`: the parity measurement keeps
        its twins, one person written twice, as separate records on purpose)."""
        majors = self.major_mapper(session)
        if kind == "candidates" and self.settings.link_people and link_people:
            return Importer(session, kind, majors, link_people=self.people_linker().link)
        if kind != "jobs":
            return Importer(session, kind, majors)
        return Importer(session, kind, majors, self.occupation_mapper(session), self.job_majors(session))

    def people_linker(self) -> PeopleLinker:
        """Links candidate records into people, comparing profiles with this platform's encoder (cached vectors)."""
        return PeopleLinker(
            lambda session, texts: embed_texts(session, self.encoder, texts)[0],
            unverified_sources=frozenset({SELF_SOURCE}),
        )

    def job_majors(self, session: Session) -> JobMajors:
        """The reader of majors in job requirements (built once per process and encoder: see _reference)."""
        return _reference(("job-majors", self.settings.encoder), lambda: JobMajors(session, self.major_mapper(session)))

    def major_mapper(self, session: Session) -> MajorMapper:
        """The catalogue mapper (built once per process and encoder: see _reference)."""
        return _reference(("majors", self.settings.encoder), lambda: MajorMapper(session, self.encoder))

    def occupation_mapper(self, session: Session) -> OccupationMapper:
        """The occupation mapper (built once per process and encoder: see _reference)."""
        return _reference(("occupations", self.settings.encoder), lambda: OccupationMapper(session, self.encoder))

    def _cache_in_steps(self, texts: list[str]) -> None:
        """Encode what the embedding cache lacks of `texts`, committing every CACHE_STEP texts: building a mapper
        for the first time (some 13,000 occupation texts) then never holds the database's write lock for long,
        and a replica starting beside this one reads what is committed instead of waiting or encoding it all.
        (`warm_up` runs it, outside any request: a request keeps to its one connection.)"""
        for start in range(0, len(texts), CACHE_STEP):
            with self.session(write=True) as step:
                embed_texts(step, self.encoder, texts[start : start + CACHE_STEP])

    def train_occupation_ranker(self, session: Session) -> OccupationRanker:
        """A ranker fitted afresh on the known titles (`talent occupations train`): the coder built without the
        packaged ranker, so that a changed feature set or title table can be trained."""
        return OccupationMapper(session, self.encoder, OccupationRanker.untrained()).train_ranker(session)

    def matching(self, session: Session) -> MatchingEngine:
        """The matching engine, opened on first use (from the newest snapshots, else built) and kept current by the
        change feed: by the follower thread when one runs (`follow`), else by catching up on each call, so a CLI
        command or a test sees every committed change."""
        with self._lock:
            if self._matching is None:
                self._matching = MatchingEngine.open(session, self.settings, self.encoder)
            matching = self._matching
        if self._follower is None:
            matching.catch_up(session)
        return matching

    def follow(self) -> None:
        """Follow the change feed in a background thread: wake on a PostgreSQL notification or every
        settings.feed_poll_interval seconds, apply what is new, save snapshots and rebuild drifted indexes."""
        with self._lock:
            if self._follower is not None:
                return
            self._wakeup = feed.Wakeup(self.settings.resolved_database_url)
            self._follower = threading.Thread(target=self._follow_feed, name="talent-feed", daemon=True)
            self._follower.start()

    def _follow_feed(self) -> None:
        wakeup = self._wakeup
        assert wakeup is not None
        while self._follower is not None:
            wakeup.wait(self.settings.feed_poll_interval)
            if self._follower is None or self._matching is None:
                continue
            try:
                with self.session() as session:
                    self._matching.catch_up(session)
                self._maintain(self._matching)
            except Exception:
                log.exception("following the change feed failed; retrying")
                time.sleep(min(5.0, self.settings.feed_poll_interval * 5))

    def _maintain(self, matching: MatchingEngine) -> None:
        """Rebuild drifted indexes (searches go on), then save snapshots when enough has changed or time passed."""
        live = matching.live
        for kind, reason in live.drifted().items():
            log.info("rebuilding the %s index: %s", kind, reason)
            with self.session() as session:
                live.rebuild(session, kind)
                matching.catch_up(session)
            live.applied = max(live.applied, self.settings.snapshot_every)
        due = time.monotonic() - self._snapshot_at >= self.settings.snapshot_interval
        if live.applied >= self.settings.snapshot_every or (due and live.applied):
            if claim_snapshot(self.settings):
                live.save_snapshots()
                with self.session(write=True) as session:
                    feed.prune(
                        session,
                        older_than=timedelta(days=self.settings.change_log_days),
                        keep_after=live.position.sequence,
                    )
            self._snapshot_at = time.monotonic()
            live.applied = 0

    def industry_profiles(self, session: Session) -> IndustryProfiles | None:
        """The leading industries' profiles (None when no job is in one), rebuilt only when the jobs or the priority
        configuration have changed since the last call."""
        config, config_hash = load_config(self.settings.priority_config)
        stamp = f"{config_hash}:{self.settings.encoder}:{jobs_stamp(session)}"
        with self._lock:
            if self._profiles is None or self._profiles[0] != stamp:
                self._profiles = (stamp, build_profiles(session, self.encoder, config))
            return self._profiles[1]

    def warm_up(self) -> None:
        """Pay the one-time costs of a first query and a first posting now (the model's first run, jieba's
        dictionary, the major and occupation mappers an import or a posted job needs: a second or two together),
        so a server's first user does not."""
        self.encoder.encode(["郑州 warm-up"])
        tokenize("郑州人才 warm-up")
        for _ in range(WARM_UP_ATTEMPTS):
            try:
                with self.session() as session:
                    texts = embedded_texts(session)
                self._cache_in_steps(texts)
                with self.session() as session:
                    self.importer(session, "jobs")
                return
            except SQLAlchemyError as error:
                # Another process (a replica starting beside this one on SQLite) holds the write lock while it
                # caches the same mappers' vectors: once it commits, they are read here instead of encoded.
                if not busy(error):
                    raise
        log.warning("warm-up skipped, the database stayed busy: the mappers are built on first use")

    def close(self) -> None:
        follower, self._follower = self._follower, None
        if self._wakeup is not None:
            self._wakeup.stop()
        if follower is not None:
            follower.join(timeout=10)
        if self._wakeup is not None:
            self._wakeup.close()
        self.engine.dispose()


def claim_snapshot(settings: Settings) -> bool:
    """Whether this process may write the snapshots of its data folder: the one that holds its lock file (taken
    without waiting, kept until the process ends); the others skip, since any one snapshot serves them all."""
    path = settings.index_dir / "snapshot.lock"
    if path in _CLAIMS:
        return True
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    handle = path.open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    _CLAIMS[path] = handle
    return True


_CLAIMS: dict[Path, Any] = {}
