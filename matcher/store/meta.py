"""Facts about this database kept in the database itself."""

import uuid

from sqlalchemy.orm import Session

from matcher.store.models import PlatformMeta

DATASET_KEY = "dataset_id"


def dataset_id(*, session: Session) -> str:
    """This database's random, permanent id (made on first use): indexes built from it carry it."""
    row = session.get(PlatformMeta, DATASET_KEY)
    if row is None:
        row = PlatformMeta(key=DATASET_KEY, value=uuid.uuid4().hex)
        session.add(row)
        session.flush()
    return row.value


def get(*, session: Session, key: str) -> str | None:
    row = session.get(PlatformMeta, key)
    return row.value if row is not None else None


def put(*, session: Session, key: str, value: str) -> None:
    row = session.get(PlatformMeta, key)
    if row is None:
        session.add(PlatformMeta(key=key, value=value))
    else:
        row.value = value
    session.flush()
