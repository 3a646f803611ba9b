"""Rows whose derived data must follow a write: the vector and lexical indexes of candidates and jobs.

A use case that inserts, updates or deletes candidates or jobs notes their ids on its session; when the unit of work
has committed, the platform's post-write hook (`Platform.session`) brings the indexes up to date for them. So the
API, the crawlers and the CLI keep the indexes current the same way, and a use case never has to know who called it.
"""

from collections.abc import Iterable
from typing import Literal

from sqlalchemy.orm import Session

IndexedKind = Literal["candidates", "jobs"]
INDEXED: tuple[IndexedKind, ...] = ("candidates", "jobs")
_KEY = "talent_changed_rows"


def note_changed(session: Session, kind: str, ids: Iterable[int]) -> None:
    """Remember that rows `ids` of `kind` were written or deleted in this unit of work (other kinds: nothing to
    follow)."""
    if kind in INDEXED:
        session.info.setdefault(_KEY, {}).setdefault(kind, set()).update(ids)


def take_changes(session: Session) -> dict[IndexedKind, list[int]]:
    """The ids noted so far, per kind, forgotten once taken (the hook runs once per commit)."""
    noted: dict[IndexedKind, set[int]] = session.info.pop(_KEY, {})
    return {kind: sorted(ids) for kind, ids in noted.items() if ids}
