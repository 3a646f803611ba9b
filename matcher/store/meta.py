"""Facts about this database kept in the database itself.

Several processes may start together on one database (replicas, crawlers): writes here are upserts, so the
second to write a key neither fails on the first one's row nor needs a lock."""

import uuid

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from matcher.store.models import PlatformMeta

DATASET_KEY = "dataset_id"


def _insert(session: Session) -> sqlite.Insert | postgresql.Insert:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(PlatformMeta)


def _forget(session: Session, key: str) -> None:
    """Drop the session's copy of a row written behind its back, so that the next read sees the database."""
    row = session.identity_map.get(session.identity_key(PlatformMeta, key))
    if row is not None:
        session.expire(row)


def dataset_id(*, session: Session) -> str:
    """This database's random, permanent id (made on first use; the first process to make it wins): indexes built
    from it carry it."""
    value = get(session=session, key=DATASET_KEY)
    if value is None:
        statement = _insert(session).values(key=DATASET_KEY, value=uuid.uuid4().hex)
        session.execute(statement.on_conflict_do_nothing(index_elements=[PlatformMeta.key]))
        _forget(session, DATASET_KEY)
        value = get(session=session, key=DATASET_KEY)
        assert value is not None
    return value


def get(*, session: Session, key: str) -> str | None:
    row = session.get(PlatformMeta, key)
    return row.value if row is not None else None


def put(*, session: Session, key: str, value: str) -> None:
    statement = _insert(session).values(key=key, value=value)
    session.execute(
        statement.on_conflict_do_update(index_elements=[PlatformMeta.key], set_={PlatformMeta.value: value})
    )
    _forget(session, key)
