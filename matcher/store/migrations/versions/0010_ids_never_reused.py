"""ids never reused: every SQLite table keyed by an integer id becomes AUTOINCREMENT

Without AUTOINCREMENT SQLite hands out max(id) + 1, so after an erasure removed the newest candidate the next sign-up
got the erased person's id (and, with it, every audit entry naming that id). With it, SQLite remembers the largest
id ever given (sqlite_sequence) and never goes back. PostgreSQL's ids come from sequences, which never go back
either: nothing changes there.

SQLite cannot add AUTOINCREMENT to a table, so each is rebuilt (SQLite's documented procedure, with foreign keys
off: matcher.store.migrate runs every migration so): a copy made from the table's own CREATE statement with the id
column declared `PRIMARY KEY AUTOINCREMENT` under the same constraint name, the rows copied with their ids, the old
table dropped, the copy renamed, its indexes made again from their own statements. The sequence starts past the
largest id present and the largest the audit log names for that kind of record ("candidate:12"), so an id erased
before this migration does not come back either.

Revision ID: 0010_ids_never_reused
Revises: 0009_console_sessions
Create Date: 2026-12-03 22:00:00
"""

import re
from collections.abc import Sequence

from alembic import op

revision: str = "0010_ids_never_reused"
down_revision: str | None = "0009_console_sessions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID_COLUMN = re.compile(r"^(\s*)id INTEGER NOT NULL,", re.MULTILINE)
# The audit log's subjects ("candidate:12") and the tables whose ids they name.
AUDITED = {
    "candidates": "candidate",
    "accounts": "account",
    "jobs": "job",
    "referrals": "referral",
    "feedback": "feedback",
}
PRIMARY_KEY = re.compile(r"\s*CONSTRAINT (\w+) PRIMARY KEY \(id\)(,?)")


def autoincrement_ddl(table: str, create: str, name: str) -> str:
    """The CREATE statement of `table` under `name`, its id column AUTOINCREMENT under its own constraint name."""
    key = PRIMARY_KEY.search(create)
    if key is None or not ID_COLUMN.search(create):
        raise RuntimeError(f"{table}: unexpected schema, cannot make its id AUTOINCREMENT:\n{create}")
    constraint = key.group(1)
    body = PRIMARY_KEY.sub("", create, count=1)
    body = re.sub(r",(\s*)\)\s*$", r"\1)", body)  # the key was the last clause: no comma before the parenthesis
    body = ID_COLUMN.sub(rf"\1id INTEGER NOT NULL CONSTRAINT {constraint} PRIMARY KEY AUTOINCREMENT,", body, count=1)
    head = re.match(r'\s*CREATE TABLE\s+("?)(\w+)\1', body)
    assert head is not None
    return f'CREATE TABLE "{name}"{body[head.end() :]}'


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    tables = bind.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%CONSTRAINT %PRIMARY KEY (id)%' "
        "AND sql NOT LIKE '%AUTOINCREMENT%' ORDER BY name"
    ).all()
    for table, create in tables:
        indexes = bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,)
        ).all()
        copy = f"_autoincrement_{table}"
        bind.exec_driver_sql(autoincrement_ddl(table, create, copy))
        bind.exec_driver_sql(f'INSERT INTO "{copy}" SELECT * FROM "{table}"')
        bind.exec_driver_sql(f'DROP TABLE "{table}"')
        bind.exec_driver_sql(f'ALTER TABLE "{copy}" RENAME TO "{table}"')
        for (index,) in indexes:
            bind.exec_driver_sql(index)
        bind.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
        bind.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, _largest(table)))


def _largest(table: str) -> int:
    """The largest id `table` has held, as far as the rows and the audit log tell."""
    bind = op.get_bind()
    largest = bind.exec_driver_sql(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').scalar() or 0
    kind = AUDITED.get(table)
    if kind is not None:
        named = bind.exec_driver_sql(
            "SELECT MAX(CAST(SUBSTR(subject, ?) AS INTEGER)) FROM audit_log WHERE subject LIKE ?",
            (len(kind) + 2, f"{kind}:%"),
        ).scalar()
        largest = max(largest, named or 0)
    return int(largest)


def downgrade() -> None:
    """Nothing to undo that matters: an AUTOINCREMENT table works as before, ids simply never come back."""
