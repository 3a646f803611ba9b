"""The change feed: every candidate or job written or deleted is logged, in the same transaction as the row, under a
sequence number that only grows; every process applies the log to its in-memory indexes.

So the database is the one source of truth: API workers of one server, servers on other machines and the CLI all
see the same rows, and each process's indexes follow within about a second (docs/operations.md, "Deployment").

A reader keeps a `FeedPosition`: the highest sequence it has read, and the numbers below it it has not seen yet.
On PostgreSQL a sequence number is taken when a row is inserted, not when its transaction commits, so a
transaction that began earlier can commit a lower number after a higher one was read. Those numbers are gaps; the
reader asks for them again until they arrive or GAP_PATIENCE has passed (a rolled-back transaction never fills its
number). Entries are logged just before the commit (Platform.session), so such windows are milliseconds. On SQLite
writers are serialised and there are no gaps.

PostgreSQL's NOTIFY on CHANNEL, sent in the same transaction, wakes listeners as soon as it commits (`Wakeup`);
polling is the fallback, and the only way on SQLite.
"""

import contextlib
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from matcher.store import meta
from matcher.store.models import ChangeLogEntry

CHANNEL = "talent_changes"
GAP_QUERY = 900  # gaps asked for per query (SQLite allows 999 parameters a statement)
GAP_PATIENCE = 30.0  # seconds a reader waits for a sequence number below ones it has read
GAP_WINDOW = 1_000  # a new reader treats missing numbers among the last this many as gaps (in-flight writers)
MAX_GAPS = 10_000  # gaps tracked at most (a reader behind by more than this rebuilds instead)
PRUNED_KEY = "change_log_pruned_through"
log = logging.getLogger(__name__)


@dataclass
class FeedPosition:
    """How far a reader has applied the feed: every sequence number up to `sequence` but the `gaps`, each with the
    (monotonic) time it was first missed."""

    sequence: int = 0
    gaps: dict[int, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"sequence": self.sequence, "gaps": sorted(self.gaps)}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "FeedPosition | None":
        """A position saved with `to_dict` (in a snapshot); None when there is none or it is malformed."""
        if not isinstance(data, dict) or not isinstance(data.get("sequence"), int):
            return None
        now = time.monotonic()
        return cls(data["sequence"], {int(gap): now for gap in data.get("gaps", []) if isinstance(gap, int)})

    def earliest(self, other: "FeedPosition") -> "FeedPosition":
        """The position that has applied no more than either (reading on from it again is harmless)."""
        first, second = (self, other) if self.sequence <= other.sequence else (other, self)
        gaps = dict(first.gaps)
        gaps.update({gap: at for gap, at in second.gaps.items() if gap <= first.sequence})
        return FeedPosition(first.sequence, gaps)


@dataclass(frozen=True)
class FeedBatch:
    """What a read found: the ids changed per kind, the entries read, and the position after them."""

    changes: dict[str, set[int]]
    entries: int
    position: FeedPosition
    more: bool  # the read stopped at its limit: read again


def publish(session: Session, changes: dict[str, list[int]]) -> None:
    """Log `changes` (kind → ids written or deleted) in the session's transaction; on PostgreSQL also notify the
    listeners, which hear it when the transaction commits."""
    entries = [ChangeLogEntry(kind=kind, row_id=row_id) for kind, ids in changes.items() for row_id in ids]
    if not entries:
        return
    session.add_all(entries)
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


def head(session: Session) -> int:
    """The highest sequence number logged so far (0 for none)."""
    return int(session.scalar(select(func.max(ChangeLogEntry.sequence))) or 0)


def version(session: Session) -> tuple[int, int]:
    """The highest sequence number and how many entries there are: together they change with every committed write
    (a late commit of a lower number changes the count, a prune the count too)."""
    top, entries = session.execute(select(func.max(ChangeLogEntry.sequence), func.count())).one()
    return int(top or 0), int(entries)


def position_now(session: Session) -> FeedPosition:
    """The position of a reader that has just read every row: the head, with the numbers missing among the last
    GAP_WINDOW as gaps (writers that had taken a number but not committed yet)."""
    top = head(session)
    seen = set(session.scalars(select(ChangeLogEntry.sequence).where(ChangeLogEntry.sequence > top - GAP_WINDOW)))
    now = time.monotonic()
    floor = max(pruned_through(session), top - GAP_WINDOW)
    return FeedPosition(top, {number: now for number in range(floor + 1, top + 1) if number not in seen})


def read(session: Session, position: FeedPosition, *, limit: int = 5_000) -> FeedBatch:
    """The entries after `position` (and any of its gaps that have arrived), at most `limit`, in sequence order."""
    now = time.monotonic()
    gaps = {gap: at for gap, at in position.gaps.items() if now - at < GAP_PATIENCE}
    entries = select(ChangeLogEntry.sequence, ChangeLogEntry.kind, ChangeLogEntry.row_id)
    after = entries.where(ChangeLogEntry.sequence > position.sequence).order_by(ChangeLogEntry.sequence).limit(limit)
    newer = session.execute(after).all()
    arrived: list[Any] = []
    wanted = sorted(gaps)
    for start in range(0, len(wanted), GAP_QUERY):  # every gap is asked for, however many there are
        arrived += session.execute(entries.where(ChangeLogEntry.sequence.in_(wanted[start : start + GAP_QUERY]))).all()
    rows = sorted([*arrived, *newer])
    changes: dict[str, set[int]] = {}
    top = position.sequence
    fresh: list[int] = []
    for sequence, kind, row_id in rows:
        changes.setdefault(kind, set()).add(row_id)
        gaps.pop(sequence, None)
        if sequence > position.sequence:
            fresh.append(sequence)
            top = max(top, sequence)
    expected = position.sequence + 1
    for sequence in fresh:
        for missing in range(expected, sequence):
            if len(gaps) < MAX_GAPS:
                gaps[missing] = now
        expected = sequence + 1
    return FeedBatch(changes, len(rows), FeedPosition(top, gaps), len(newer) >= limit)


def pruned_through(session: Session) -> int:
    """The highest sequence number pruned from the log (0: nothing pruned): a reader behind it must rebuild."""
    value = meta.get(session=session, key=PRUNED_KEY)
    return int(value) if value else 0


def prune(session: Session, *, older_than: timedelta, keep_after: int) -> int:
    """Delete entries older than `older_than` and not after sequence `keep_after` (what a saved snapshot holds);
    returns how many went."""
    cutoff = datetime.now(UTC) - older_than
    condition = (ChangeLogEntry.at < cutoff) & (ChangeLogEntry.sequence <= keep_after)
    last = session.scalar(select(func.max(ChangeLogEntry.sequence)).where(condition))
    if last is None:
        return 0
    removed = session.execute(delete(ChangeLogEntry).where(ChangeLogEntry.sequence <= last)).rowcount or 0  # type: ignore[attr-defined]
    meta.put(session=session, key=PRUNED_KEY, value=str(max(int(last), pruned_through(session))))
    return int(removed)


class Wakeup:
    """Waits until the feed may have something new: a PostgreSQL notification on CHANNEL, or the timeout (always
    the timeout on SQLite, or when listening fails: then it tries again later)."""

    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        self._conninfo = (
            url.set(drivername="postgresql").render_as_string(hide_password=False)
            if url.get_backend_name() == "postgresql"
            else None
        )
        self._connection: Any = None
        self._stopped = threading.Event()

    def _listen(self) -> None:
        if self._conninfo is None or self._connection is not None:
            return
        try:
            import psycopg

            connection = psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5)
            connection.execute(f"LISTEN {CHANNEL}")
            self._connection = connection
        except Exception as exc:
            log.warning("cannot listen for changes (%s); polling instead", exc)

    def wait(self, timeout: float) -> None:
        """Return after a notification, after `timeout` seconds, or at once once stopped."""
        if self._stopped.is_set():
            return
        self._listen()
        if self._connection is None:
            self._stopped.wait(timeout)
            return
        try:
            for _ in self._connection.notifies(timeout=timeout, stop_after=1):
                pass
        except Exception as exc:
            log.warning("lost the change listener (%s); polling until it is back", exc)
            self.close()
            self._stopped.wait(min(timeout, 1.0))

    def stop(self) -> None:
        self._stopped.set()

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):  # closing a broken connection
                connection.close()
