"""The platform's shared, heavy objects — engine, sessions, encoder, matching engine — made once per process."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

from sqlalchemy.orm import Session

from matcher.config import Settings
from matcher.encoders import Encoder, load_encoder
from matcher.services.indexing import index_stamp
from matcher.services.majors import MajorMapper, load_catalogue
from matcher.services.matching import MatchingEngine
from matcher.store.db import make_engine, make_sessionmaker, session_scope
from matcher.store.migrate import upgrade


class Platform:
    """Entry points (CLI, API) hold one of these; services receive its parts."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = make_engine(settings.resolved_database_url)
        self.sessions = make_sessionmaker(self.engine)
        self.writer_sessions = make_sessionmaker(self.engine, writer=True)
        self._matching: MatchingEngine | None = None
        self._major_mapper: MajorMapper | None = None
        self._stamp: tuple[tuple[int, int] | None, ...] = ()
        self._lock = threading.Lock()

    @cached_property
    def encoder(self) -> Encoder:
        return load_encoder(self.settings.encoder, self.settings.encoder_threads)

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A unit of work that commits on success; `write=True` for imports and index builds, which write a lot
        (on SQLite it waits for other processes' writers instead of failing)."""
        with session_scope(self.writer_sessions if write else self.sessions) as session:
            yield session

    def init(self) -> int:
        """Create or migrate the schema and load the major catalogue; returns the number of majors."""
        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        upgrade(self.engine)
        with self.session(write=True) as session:
            count = load_catalogue(session)
        self._major_mapper = None
        return count

    def major_mapper(self, session: Session) -> MajorMapper:
        """The catalogue mapper, built once per process (and again after `init` reloads the catalogue)."""
        with self._lock:
            if self._major_mapper is None:
                self._major_mapper = MajorMapper(session, self.encoder)
            return self._major_mapper

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

    def close(self) -> None:
        self.engine.dispose()
