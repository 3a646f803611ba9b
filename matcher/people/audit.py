"""The audit log: who did what to which record, and every view of unmasked personal data.

Entries name records by kind and id ("candidate:12") and carry no personal data themselves, so they survive a
candidate's erasure as a non-personal trail.
"""

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.store.models import AuditEvent, utcnow

if TYPE_CHECKING:  # accounts records what the office does to accounts: it imports this module
    from matcher.people.accounts import Caller


def record(
    session: Session, caller: "Caller | None", action: str, subject: str, detail: dict[str, Any] | None = None
) -> None:
    """Add one entry (committed with the caller's unit of work)."""
    session.add(
        AuditEvent(
            at=utcnow(),
            actor_account_id=caller.account_id if caller else None,
            actor_role=caller.role.value if caller else "system",
            action=action,
            subject=subject,
            detail=detail or {},
        )
    )


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
