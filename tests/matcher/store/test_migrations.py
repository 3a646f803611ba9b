"""Migrations keep what is stored: 0010 rebuilds every SQLite table keyed by an id as AUTOINCREMENT (ids never come
back after an erasure) without losing a row, an index or a reference."""

from pathlib import Path

from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session

from matcher.people import personal_data
from matcher.store.db import make_engine
from matcher.store.migrate import upgrade
from matcher.store.models import Base, Education, Referral
from tests import factories


def _schema(engine: Engine) -> dict[str, set[str]]:
    """Each table's indexes (by name, with their statements) and foreign keys."""
    with engine.connect() as connection:
        tables = [row[0] for row in connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")]
        shape = {}
        for table in tables:
            indexes = connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name=?", (table,)
            ).all()
            keys = connection.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")').all()
            shape[table] = {f"{name}: {sql}" for name, sql in indexes} | {repr(key[2:]) for key in keys}
        return shape


def _counts(session: Session) -> dict[str, int]:
    """Rows per table, for the tables the database has at its revision (later migrations add some)."""
    present = set(inspect(session.connection()).get_table_names())
    return {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
        if table.name in present
    }


# Columns added to existing tables after 0010: (table, column, SQL type).
LATER_COLUMNS = [("jobs", "occupation_confidence", "FLOAT"), ("candidates", "person_id", "BIGINT")]
# Indexes later migrations add to existing tables.
LATER_INDEXES = {"ix_candidates_person_id: CREATE INDEX ix_candidates_person_id ON candidates (person_id)"}


def test_ids_are_never_reused_after_the_migration_and_nothing_is_lost(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'talent.db'}")
    upgrade(engine, "0009_console_sessions")
    with engine.begin() as connection:  # columns later migrations add, for the models of today to write rows
        for table, column, kind in LATER_COLUMNS:
            connection.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
    with Session(engine) as session, session.begin():
        firm = factories.partner(session)
        kept, erased = factories.candidate(session), factories.candidate(session)
        job = factories.job(session)
        factories.referral(session, firm.caller, kept, job, stage="interviewing")
        factories.candidate_account(session, kept)
        session.flush()
        kept_id, erased_id = kept.id, erased.id
        personal_data.erase(session, factories.admin(session).caller, erased_id)  # the newest id, as in the review
    with engine.begin() as connection:
        for table, column, _ in LATER_COLUMNS:
            connection.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
    with Session(engine) as session:
        before = _counts(session)
    shape = _schema(engine)

    upgrade(engine)

    with engine.connect() as connection:
        created = dict(connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type='table'").all())
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on for the pool's connection
    keyed = [table.name for table in Base.metadata.sorted_tables if [c.name for c in table.primary_key] == ["id"]]
    assert keyed and all("PRIMARY KEY AUTOINCREMENT" in created[name] for name in keyed)
    after = _schema(engine)
    assert {name: after[name] - LATER_INDEXES for name in shape} == shape  # the same indexes and references
    with Session(engine) as session, session.begin():
        counted = _counts(session)
        assert {name: counted[name] for name in before} == before  # nothing dropped, nothing cascaded
        assert not any(counted[name] for name in set(counted) - set(before))  # tables added later start empty
        assert session.scalar(select(func.count()).select_from(Education).where(Education.candidate_id == kept_id))
        assert session.scalar(select(Referral.candidate_id)) == kept_id
        newcomer = factories.candidate(session)
        session.flush()
        assert newcomer.id > erased_id  # before: max(id) + 1, the erased person's id (the audit log names it)
