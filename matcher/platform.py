"""The platform's shared, heavy objects — engine, sessions, encoder, matching engine — made once per process."""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from index import VectorIndexError
from matcher.config import Settings
from matcher.encoders import Encoder, load_encoder
from matcher.errors import TalentError
from matcher.ingest.importer import Importer, retokenize
from matcher.people.ratelimit import RateLimiter, make_rate_limiter
from matcher.reference.job_majors import JobMajors
from matcher.reference.job_normalization import NORMALIZATION_VERSION, renormalize_jobs
from matcher.reference.leading_industries import load_config
from matcher.reference.majors import MajorMapper, load_catalogue
from matcher.reference.occupations import OccupationMapper, load_occupations
from matcher.search.indexing import index_stamp, update_index
from matcher.search.industries import IndustryProfiles, build_profiles, jobs_stamp
from matcher.search.matching import MatchingEngine
from matcher.store import meta, queries
from matcher.store.changes import IndexedKind, take_changes
from matcher.store.db import make_engine, make_sessionmaker, session_scope
from matcher.store.migrate import upgrade
from matcher.store.models import Job
from matcher.tokenize import TOKENIZER_VERSION, tokenize

NORMALIZATION_KEY = "job_normalization"
INDEX_UPDATES = "talent_index_updates"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IndexUpdate:
    """What the post-write hook did for one kind: rows followed and texts encoded, or the problem that stopped it."""

    kind: IndexedKind
    rows: int
    encoded: int | None
    problem: str | None


def index_updates(session: Session) -> dict[IndexedKind, IndexUpdate]:
    """What the post-write hook did after `session` committed (empty when nothing indexed had changed)."""
    updates: dict[IndexedKind, IndexUpdate] = session.info.get(INDEX_UPDATES, {})
    return updates


TOKENIZER_KEY = "tokenizer"


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
        self.engine = make_engine(settings.resolved_database_url)
        self.sessions = make_sessionmaker(self.engine)
        self.writer_sessions = make_sessionmaker(self.engine, writer=True)
        self._matching: MatchingEngine | None = None
        self._stamp: tuple[tuple[int, int] | None, ...] = ()
        self._lock = threading.Lock()
        self._profiles: tuple[str, IndustryProfiles | None] | None = None

    @cached_property
    def encoder(self) -> Encoder:
        return load_encoder(self.settings.encoder, self.settings.encoder_threads)

    @cached_property
    def rate_limiter(self) -> RateLimiter:
        return make_rate_limiter(self.settings.api_rate_limit, self.settings.redis_url)

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A unit of work that commits on success; `write=True` for imports and index builds, which write a lot
        (on SQLite it waits for other processes' writers instead of failing).

        The post-write hook: once it has committed, the candidates and jobs its use cases noted as changed
        (matcher.store.changes) are brought up to date in the indexes, for whichever entry point holds the platform.
        What happened is left in `index_updates(session)`."""
        with session_scope(self.writer_sessions if write else self.sessions) as session:
            yield session
        changes = take_changes(session)
        if changes:
            session.info[INDEX_UPDATES] = {kind: self._follow(kind, ids) for kind, ids in changes.items()}

    def _follow(self, kind: IndexedKind, ids: list[int]) -> IndexUpdate:
        """Bring the saved `kind` index (and this process's matching engine, when it is loaded) up to date for rows
        `ids`; with no saved index yet, it is built (a first crawl or import leaves a searchable platform). A
        failure is logged and reported, not raised: the rows are stored, and the next update repairs the index from
        the table."""
        try:
            with self.session(write=True) as session:
                if self._matching is not None:
                    encoded = self._matching.refresh(session, kind, ids)
                else:
                    encoded = update_index(session, self.encoder, self.settings, kind, ids)[1]
        except (SQLAlchemyError, TalentError, VectorIndexError) as exc:
            message = getattr(exc, "message", None) or exc.__class__.__name__
            log.error("updating the %s index for %d rows failed: %s", kind, len(ids), message)
            return IndexUpdate(kind, len(ids), None, f"updating the {kind} index failed: {message}")
        return IndexUpdate(kind, len(ids), encoded, None)

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
        return count

    def importer(self, session: Session, kind: str) -> Importer:
        """An importer for `kind` with the mappers it needs (majors; and occupations for jobs)."""
        majors = self.major_mapper(session)
        if kind != "jobs":
            return Importer(session, kind, majors)
        return Importer(session, kind, majors, self.occupation_mapper(session), self.job_majors(session))

    def job_majors(self, session: Session) -> JobMajors:
        """The reader of majors in job requirements (built once per process and encoder: see _reference)."""
        return _reference(("job-majors", self.settings.encoder), lambda: JobMajors(session, self.major_mapper(session)))

    def major_mapper(self, session: Session) -> MajorMapper:
        """The catalogue mapper (built once per process and encoder: see _reference)."""
        return _reference(("majors", self.settings.encoder), lambda: MajorMapper(session, self.encoder))

    def occupation_mapper(self, session: Session) -> OccupationMapper:
        """The occupation mapper (built once per process and encoder: see _reference)."""
        return _reference(("occupations", self.settings.encoder), lambda: OccupationMapper(session, self.encoder))

    def matching(self, session: Session) -> MatchingEngine:
        """The matching engine, loaded on first use and again whenever a saved index has changed on disk.

        So a server picks up what `talent import` or `talent index build` wrote, at the cost of two stat calls a
        request. Kinds whose index is missing or unusable answer IndexUnavailable when used.
        """
        stamp = index_stamp(self.settings)
        with self._lock:
            if self._matching is None or stamp != self._stamp:
                self._matching = MatchingEngine.open(session, self.settings, self.encoder)
                self._stamp = stamp
            return self._matching

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
        """Pay the one-time costs of a first query now (the model's first run, jieba's dictionary: about a second
        together), so a server's first user does not."""
        self.encoder.encode(["郑州 warm-up"])
        tokenize("郑州人才 warm-up")

    def close(self) -> None:
        self.engine.dispose()
