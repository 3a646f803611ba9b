"""Console sessions: a browser signs in once with an API key and from then on holds a session token, never the key.

The token is 32 random bytes; the store keeps its SHA-256 only (as for keys, a fast hash of a random secret is as
safe as a slow one), so a copy of the database signs no one in. A session lives in the database, not in a process,
so every API replica agrees on it: one started through any replica works through all, and one ended through any is
ended everywhere at its next page.

A session ends
- at its absolute expiry (`Lifetimes.absolute` after sign-in: TALENT_CONSOLE_SESSION_HOURS),
- after `Lifetimes.idle` without a page (TALENT_CONSOLE_IDLE_MINUTES; the last page seen is written at most once a
  minute, not once per page),
- when revoked: at sign-out, when the same browser signs in again (the token it held before is revoked, so a token
  planted in a browser before sign-in is worth nothing after it), and when its key is revoked (accounts.revoke),
- with its key: every page checks the key and its account again, so a revoked key or a disabled account ends it.

Each session has its own random form token; a form posted with another session's token is refused.

Writing the last page seen follows the audit log's pattern: a read unit of work on SQLite must not write, so the
request dependency calls `hold` on it, the touch is held on the session, and `write_held` writes it after the read
has committed and given its connection back (one connection per request at a time).
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from matcher.config import Settings
from matcher.people.accounts import Caller, caller_of, find_key
from matcher.store import console_sessions as store
from matcher.store.db import Sessions, busy
from matcher.store.models import ConsoleSession, utcnow

TOUCH_EVERY = timedelta(minutes=1)  # the last page seen is written at most this often
MAX_TOKEN = 100  # longer cookie values are not ours: refused before any hashing or query
HELD = "talent_console_touch_held"  # session.info key: the touches a read unit of work holds for after it
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Lifetimes:
    """How long a console session lasts: at most `absolute` after sign-in, and `idle` without a page."""

    absolute: timedelta = timedelta(hours=12)
    idle: timedelta = timedelta(hours=2)

    @classmethod
    def of(cls, settings: Settings) -> "Lifetimes":
        """The lifetimes the settings give (TALENT_CONSOLE_SESSION_HOURS, TALENT_CONSOLE_IDLE_MINUTES)."""
        return cls(timedelta(hours=settings.console_session_hours), timedelta(minutes=settings.console_idle_minutes))


@dataclass(frozen=True)
class Started:
    """A new session: the token for the browser's cookie (shown this once) and who it signs in."""

    token: str
    caller: Caller
    session_id: int
    csrf_token: str


@dataclass(frozen=True)
class Resumed:
    """A live session found by its token: who it signs in, and the form token its pages carry."""

    caller: Caller
    session_id: int
    csrf_token: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    session: Session,
    key: str,
    lifetimes: Lifetimes,
    *,
    replacing: str | None = None,
    now: datetime | None = None,
) -> Started | None:
    """Sign in with API key `key`: a new session, or None for an unknown or revoked key (or a disabled account).

    The session the browser held before (`replacing`, its old token) is revoked, whoever's it was; sessions past
    their absolute expiry are deleted on the way (a cheap cleanup at each sign-in)."""
    now = now or utcnow()
    row = find_key(session, key.strip())
    caller = caller_of(row) if row is not None else None
    if row is None or caller is None:
        return None
    if replacing:
        revoke(session, replacing, now=now)
    store.delete_expired(session=session, now=now)
    token = secrets.token_urlsafe(32)
    started = ConsoleSession(
        token_hash=hash_token(token),
        api_key_id=row.id,
        csrf_token=secrets.token_hex(16),
        created_at=now,
        expires_at=now + lifetimes.absolute,
        last_seen_at=now,
    )
    session.add(started)
    session.flush()
    return Started(token=token, caller=caller, session_id=started.id, csrf_token=started.csrf_token)


def resume(session: Session, token: str, lifetimes: Lifetimes, *, now: datetime | None = None) -> Resumed | None:
    """The live session `token` opens, or None when it is unknown, revoked, past its absolute expiry, idle too long,
    or its key or account no longer signs anyone in. The last page seen is recorded when a minute has passed since
    it last was (held for after a read unit of work that may not write: see `hold`)."""
    if not token or len(token) > MAX_TOKEN:
        return None
    now = now or utcnow()
    row = store.by_token_hash(session=session, token_hash=hash_token(token))
    if row is None or row.revoked_at is not None or now >= row.expires_at or now - row.last_seen_at >= lifetimes.idle:
        return None
    caller = caller_of(row.api_key)
    if caller is None:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        held: list[tuple[int, datetime]] | None = session.info.get(HELD)
        if held is None:
            store.touch(session=session, session_id=row.id, at=now)
        else:
            held.append((row.id, now))
    return Resumed(caller=caller, session_id=row.id, csrf_token=row.csrf_token)


def revoke(session: Session, token: str, *, now: datetime | None = None) -> bool:
    """End the session `token` opens (sign-out): its token no longer works, through any replica. Whether it was
    live."""
    if not token or len(token) > MAX_TOKEN:
        return False
    return store.revoke_by_token_hash(session=session, token_hash=hash_token(token), at=now or utcnow()) > 0


def hold(session: Session) -> None:
    """Hold the last-page-seen touches `resume` records on `session` from now on instead of writing them in it (a
    read unit of work on SQLite): whoever calls this writes them with `write_held` once the unit of work has
    committed."""
    session.info.setdefault(HELD, [])


def write_held(session: Session, sessions: Sessions) -> int:
    """Write the touches `session` held, in a writer unit of work of `sessions`, after `session`'s own has committed
    and closed. A database too busy to take them now is no reason to fail the page: they are dropped (logged) and
    the next page tries again. Returns how many were written; none held opens nothing."""
    held: list[tuple[int, datetime]] = session.info.pop(HELD, None) or []
    if not held:
        return 0
    try:
        with sessions(write=True) as writer:
            for session_id, at in held:
                store.touch(session=writer, session_id=session_id, at=at)
    except SQLAlchemyError as error:
        if not busy(error):
            raise
        log.info("console session touch skipped: the database is busy")
        return 0
    return len(held)
