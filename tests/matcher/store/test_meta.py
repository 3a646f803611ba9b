"""Facts about the database are written by whichever process starts first: two processes opening one database
together (replicas, two crawlers) may both write a key that neither saw, and neither fails (found by the two-crawler
test on PostgreSQL: the second insert of `entity_text` was a UniqueViolation). On SQLite writers take turns (one
write lock), so the race is PostgreSQL's; the reads and writes are checked on both."""

import threading

import pytest
from sqlalchemy import delete
from sqlalchemy.orm import Session

from matcher.platform import Platform
from matcher.store import meta
from matcher.store.db import make_engine
from matcher.store.models import PlatformMeta

pytestmark = pytest.mark.committed


def test_two_writers_of_a_key_neither_saw_both_succeed_and_the_last_one_wins(platform: Platform) -> None:
    engine = make_engine(platform.settings.resolved_database_url)
    try:
        with Session(engine) as first, Session(engine) as second:
            first.execute(delete(PlatformMeta).where(PlatformMeta.key == "probe"))
            first.commit()
            meta.put(session=first, key="probe", value="1")  # written, not committed: the second cannot see it
            if engine.dialect.name == "postgresql":
                failures: list[BaseException] = []

                def write_second() -> None:
                    try:
                        meta.put(session=second, key="probe", value="2")  # waits on the first's row
                        second.commit()
                    except BaseException as error:
                        failures.append(error)

                writer = threading.Thread(target=write_second)
                writer.start()
                writer.join(timeout=1)
                assert writer.is_alive()  # it waits for the first's transaction
                first.commit()
                writer.join(timeout=30)
                assert failures == []
            else:
                first.commit()
                meta.put(session=second, key="probe", value="2")
                second.commit()
            assert meta.get(session=first, key="probe") == "2"
            meta.put(session=first, key="probe", value="3")  # the session's own copy follows its writes
            assert meta.get(session=first, key="probe") == "3"
            first.commit()
    finally:
        engine.dispose()


def test_the_dataset_id_is_made_once_whoever_asks_first(platform: Platform) -> None:
    engine = make_engine(platform.settings.resolved_database_url)
    try:
        with Session(engine) as first, Session(engine) as second:
            first.execute(delete(PlatformMeta).where(PlatformMeta.key == meta.DATASET_KEY))
            first.commit()
            assert meta.get(session=second, key=meta.DATASET_KEY) is None
            second.commit()
            made = meta.dataset_id(session=first)
            first.commit()
            assert meta.dataset_id(session=second) == made  # not a second id over the first
            second.commit()
    finally:
        engine.dispose()
