"""Values derived from the database that pages need often and take long to compute (the priority-major list): kept
by the process while the rows they are read from have not changed.

No process-local truth: a kept value is only a shortcut to what computing it afresh would give, so every replica
serves the same. A value is kept under what it was computed from —

- the change feed's version (matcher.store.feed): every candidate or job written by any process is logged in the
  same transaction, so a write anywhere changes it once committed;
- whatever else the caller names (the day, the configuration's hash, the catalogue as read);

and a write of a tracked table by this process's own units of work (including rows a caller wrote without noting
them for the feed) drops everything kept, when flushed and again when its unit of work ends. A unit of work that has
written tracked rows itself, committed or not yet, computes afresh and keeps nothing: what it sees may never commit.

Values derived this way may read only TRACKED tables (and the caller's named inputs).
"""

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from matcher.store import feed
from matcher.store.models import Candidate, Education, Enterprise, Experience, Job, Major

TRACKED: tuple[type[Any], ...] = (Candidate, Education, Experience, Job, Enterprise, Major)
KEPT = 16  # values kept per process (a few days and configurations of the list)
_STORE = "talent_derived"
_WROTE = "talent_wrote_tracked"
Value = TypeVar("Value")


class Derived:
    """One process's kept values (the Platform owns one and hands it to its units of work)."""

    def __init__(self, kept: int = KEPT) -> None:
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._kept = kept
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._values[key] = value
            while len(self._values) > self._kept:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


def attach(session: Session, derived: Derived) -> None:
    """Let `session`'s use cases use and fill `derived`."""
    session.info[_STORE] = derived


def wrote_tracked(session: Session) -> bool:
    """Whether `session` has written (or is about to write) rows of a TRACKED table."""
    return bool(session.info.get(_WROTE)) or _touches_tracked(session)


def _touches_tracked(session: Session) -> bool:
    return any(isinstance(row, TRACKED) for row in (*session.new, *session.dirty, *session.deleted))


def remembered(session: Session, inputs: Hashable, compute: Callable[[], Value]) -> Value:
    """`compute()`, or a copy of what it gave before with the same `inputs` while nothing tracked has changed."""
    derived: Derived | None = session.info.get(_STORE)
    if derived is None or wrote_tracked(session):
        return compute()
    key = (inputs, feed.version(session))
    found = derived.get(key)
    if found is None:
        found = compute()
        derived.put(key, found)
    return copy.deepcopy(found)


@event.listens_for(Session, "after_flush")
def _note_tracked_writes(session: Session, _context: object) -> None:
    """Remember that this unit of work wrote tracked rows, and drop what its process kept (the flushed rows are
    still in new/dirty/deleted here)."""
    if _touches_tracked(session):
        session.info[_WROTE] = True
        derived: Derived | None = session.info.get(_STORE)
        if derived is not None:
            derived.clear()


def finished(session: Session) -> None:
    """The unit of work has ended: if it wrote tracked rows, drop what its process kept (values computed meanwhile
    by others may have seen them before they committed, or they may not be in the feed)."""
    derived: Derived | None = session.info.get(_STORE)
    if derived is not None and session.info.get(_WROTE):
        derived.clear()
