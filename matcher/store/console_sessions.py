"""Console session rows (matcher.people.console_sessions has the rules): found by token hash, revoked, touched,
deleted once past their absolute expiry."""

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Delete, Update, delete, select, update
from sqlalchemy.orm import Session, joinedload

from matcher.store.models import Account, ApiKey, ConsoleSession


def by_token_hash(*, session: Session, token_hash: str) -> ConsoleSession | None:
    """The session whose token hashes to `token_hash`, with its key, account and organization (one round trip)."""
    statement = (
        select(ConsoleSession)
        .where(ConsoleSession.token_hash == token_hash)
        .options(joinedload(ConsoleSession.api_key).joinedload(ApiKey.account).joinedload(Account.organization))
    )
    return session.scalars(statement).first()


def revoke_by_token_hash(*, session: Session, token_hash: str, at: datetime) -> int:
    """Mark the session whose token hashes to `token_hash` revoked at `at` (unless it already is); how many were."""
    live = (ConsoleSession.token_hash == token_hash, ConsoleSession.revoked_at.is_(None))
    return _changed(session, update(ConsoleSession).where(*live).values(revoked_at=at))


def revoke_for_key(*, session: Session, api_key_id: int, at: datetime) -> int:
    """Mark every live session of key `api_key_id` revoked at `at`; how many were."""
    live = (ConsoleSession.api_key_id == api_key_id, ConsoleSession.revoked_at.is_(None))
    return _changed(session, update(ConsoleSession).where(*live).values(revoked_at=at))


def touch(*, session: Session, session_id: int, at: datetime) -> None:
    """Record that session `session_id` was seen at `at` (never moving it back)."""
    later = (ConsoleSession.id == session_id, ConsoleSession.last_seen_at < at)
    _changed(session, update(ConsoleSession).where(*later).values(last_seen_at=at))


def delete_expired(*, session: Session, now: datetime) -> int:
    """Delete the sessions past their absolute expiry (revoked and idle ones among them: none can come back); how
    many."""
    return _changed(session, delete(ConsoleSession).where(ConsoleSession.expires_at <= now))


def _changed(session: Session, statement: Update | Delete) -> int:
    """Run a bulk UPDATE or DELETE (rows this session holds are not synchronized); how many rows it changed."""
    result = session.execute(statement.execution_options(synchronize_session=False))
    return cast("CursorResult[Any]", result).rowcount or 0
