"""The audit log: who did what to which record, and every view of unmasked personal data.

Entries name records by kind and id ("candidate:12") and carry no personal data themselves, so they survive a
candidate's erasure as a non-personal trail.

An entry belongs to the unit of work of what it records, so a request needs no connection but its own. A read unit of
work on SQLite must not write, though (its deferred transaction fails to write once another connection has committed
since it read): its entries are held on the session (`hold`) and written by `write_held` right after it has committed
and given its connection back, in a short writer unit of work; the API does so before it sends the response, so no
view is shown unrecorded.
"""

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.store.db import Sessions
from matcher.store.models import AuditEvent, utcnow

if TYPE_CHECKING:  # accounts records what the office does to accounts: it imports this module
    from matcher.people.accounts import Caller

HELD = "talent_audit_held"  # session.info key: the entries a read unit of work holds for after it


def record(
    session: Session, caller: "Caller | None", action: str, subject: str, detail: dict[str, Any] | None = None
) -> None:
    """Add one entry (committed with the caller's unit of work; held for after it, when `session` holds entries)."""
    entry = AuditEvent(
        at=utcnow(),
        actor_account_id=caller.account_id if caller else None,
        actor_role=caller.role.value if caller else "system",
        action=action,
        subject=subject,
        detail=detail or {},
    )
    held: list[AuditEvent] | None = session.info.get(HELD)
    if held is None:
        session.add(entry)
    else:
        held.append(entry)


def hold(session: Session) -> None:
    """Hold the entries recorded on `session` from now on instead of adding them to it (a read unit of work on
    SQLite): whoever calls this writes them with `write_held` once the unit of work has committed."""
    session.info.setdefault(HELD, [])


def write_held(session: Session, sessions: Sessions) -> int:
    """Write the entries `session` held, in a writer unit of work of `sessions` (Platform.session); call it after
    `session`'s own unit of work has committed and closed, so that one connection is in use at a time. Returns how
    many entries were written; none held opens nothing."""
    held: list[AuditEvent] = session.info.pop(HELD, None) or []
    if held:
        with sessions(write=True) as writer:
            writer.add_all(held)
    return len(held)


def entries(
    session: Session, *, subject: str | None = None, action: str | None = None, limit: int = 100
) -> list[AuditEvent]:
    """The newest entries first, optionally for one subject or action."""
    statement = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if subject is not None:
        statement = statement.where(AuditEvent.subject == subject)
    if action is not None:
        statement = statement.where(AuditEvent.action == action)
    return list(session.scalars(statement))
