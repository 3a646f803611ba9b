"""Engine and sessions. Services flush; the caller's session_scope (or the API dependency) commits."""

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from matcher.errors import Invalid


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets its folder created, foreign keys on, and WAL for concurrent readers."""
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        kwargs["pool_pre_ping"] = True
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
        raise Invalid("text cannot contain NUL (\\x00) characters: remove them and try again")


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
