"""Engine and sessions. Services flush; the caller's session_scope (or the API dependency) commits."""

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from matcher.errors import Invalid

SQLITE_BUSY, SQLITE_LOCKED = 5, 6  # primary result codes (extended ones, e.g. BUSY_SNAPSHOT = 517, share the low byte)
POSTGRES_BUSY = {"55P03", "53300"}  # lock_not_available, too_many_connections


def make_engine(
    url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 10,
    pool_timeout: float = 5,
    lock_timeout: float = 10,
) -> Engine:
    """An engine for `url`; SQLite gets its folder created, foreign keys on, and WAL for concurrent readers.

    A pool of `pool_size` connections (plus `max_overflow` at busy times) serves a database file or server; a caller
    that finds them all in use waits `pool_timeout` seconds for one, then gets sqlalchemy's TimeoutError. A SQLite
    writer waits `lock_timeout` seconds for another connection's write lock ("database is locked" after). `busy`
    tells both apart from real failures."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"future": True}
    pooled = True
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        pooled = bool(database) and database != ":memory:" and parsed.query.get("mode") != "memory"
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": lock_timeout}
    else:
        kwargs["pool_pre_ping"] = True
    if pooled:  # an in-memory SQLite database lives in one connection: no pool to size
        kwargs.update(poolclass=QueuePool, pool_size=pool_size, max_overflow=max_overflow, pool_timeout=pool_timeout)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "before_cursor_execute", _refuse_nul)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _has_nul(value: Any) -> bool:
    """A str with a NUL character in `value`, or in the parameter rows, lists and dicts it holds."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(item) for item in value.values())
    if isinstance(value, list | tuple):
        return any(_has_nul(item) for item in value)
    return False


def _refuse_nul(
    _connection: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, _executemany: bool
) -> None:
    """PostgreSQL text cannot hold NUL characters: refuse them on every backend, before the driver fails."""
    if _has_nul(parameters):
        raise Invalid("text cannot contain NUL (\\x00) characters: remove them and try again", "nul_character")


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN itself (SQLAlchemy docs,
    # "Serializable isolation / Savepoints / Transactional DDL").
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


WRITER = "talent_writer"


def _sqlite_begin(connection: Any) -> None:
    # A writer takes the write lock up front (BEGIN IMMEDIATE), waiting up to the busy timeout for another
    # process's writer; a deferred transaction that read first would fail at once when it tries to write.
    immediate = connection.get_execution_options().get(WRITER)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_sessionmaker(engine: Engine, *, writer: bool = False) -> sessionmaker[Session]:
    """Sessions on `engine`; writer sessions take SQLite's write lock when they begin (no effect elsewhere)."""
    bind = engine.execution_options(**{WRITER: True}) if writer else engine
    return sessionmaker(bind=bind, expire_on_commit=False)


class Sessions(Protocol):
    """What opens a unit of work of its own (Platform.session): committed when the block ends, rolled back when it
    raises; `write=True` for one that writes (on SQLite it takes the write lock when it begins)."""

    def __call__(self, *, write: bool = ...) -> AbstractContextManager[Session]: ...


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def ping(session: Session) -> None:
    """Make one round trip to the database (raises when it cannot be reached)."""
    session.execute(text("SELECT 1"))


def busy(error: BaseException) -> bool:
    """Whether `error` says the database is busy rather than broken: no pooled connection came free within the pool
    timeout, SQLite's write lock stayed taken past the lock timeout (SQLITE_BUSY, "database is locked"), or PostgreSQL
    refused a lock or a connection for the same reason. Such a request can simply be tried again."""
    if isinstance(error, sa_exc.TimeoutError):
        return True
    if not isinstance(error, sa_exc.OperationalError):
        return False
    code = getattr(error.orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
    return getattr(error.orig, "sqlstate", None) in POSTGRES_BUSY


def reads_must_not_write(session: Session) -> bool:
    """Whether a read unit of work on `session` must leave writing to a writer of its own: SQLite begins it deferred,
    and its first write fails (SQLITE_BUSY_SNAPSHOT) once another connection has committed since it read. On
    PostgreSQL any transaction may write."""
    return session.get_bind().dialect.name == "sqlite"


def pool_exhausted(engine: Engine, limit: int) -> bool:
    """Whether `engine`'s pool has `limit` connections (its size plus overflow) checked out already, so that one more
    would wait for a free one. Pools that never make a caller wait (in-memory SQLite) are never exhausted."""
    pool = engine.pool
    return isinstance(pool, QueuePool) and pool.checkedout() >= limit
