"""Console sessions, the use case called directly (on SQLite and PostgreSQL): a key starts a session whose token is
stored hashed; it ends at its absolute expiry, after the idle timeout, when revoked, with its key or account; the
last page seen is written at most once a minute, held for after a read unit of work when asked; sign-in deletes
sessions past their expiry."""

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matcher.config import Settings
from matcher.people import accounts, console_sessions
from matcher.people.console_sessions import Lifetimes, hash_token
from matcher.platform import Platform
from matcher.store.models import Account, ConsoleSession, utcnow
from tests import factories

LIFETIMES = Lifetimes(absolute=timedelta(hours=12), idle=timedelta(hours=2))


def stored(session: Session, token: str) -> ConsoleSession:
    row = session.scalars(select(ConsoleSession).where(ConsoleSession.token_hash == hash_token(token))).one()
    session.refresh(row)  # bulk updates do not refresh rows this session holds
    return row


def test_lifetimes_come_from_the_settings() -> None:
    settings = Settings(console_session_hours=8, console_idle_minutes=30)
    assert Lifetimes.of(settings) == Lifetimes(absolute=timedelta(hours=8), idle=timedelta(minutes=30))
    assert Lifetimes.of(Settings()) == LIFETIMES


def test_a_key_starts_a_session_stored_hashed(session: Session) -> None:
    member = factories.partner(session)
    now = utcnow()
    started = console_sessions.start(session, f"  {member.key} ", LIFETIMES, now=now)
    assert started is not None and started.caller == member.caller
    assert member.key not in started.token and len(started.token) >= 43 and len(started.csrf_token) == 32
    row = stored(session, started.token)
    assert row.token_hash == hash_token(started.token) and row.csrf_token == started.csrf_token
    assert (row.created_at, row.last_seen_at, row.expires_at, row.revoked_at) == (
        now,
        now,
        now + LIFETIMES.absolute,
        None,
    )
    assert console_sessions.start(session, "tb_p_not-a-key", LIFETIMES) is None
    assert console_sessions.start(session, "", LIFETIMES) is None
    again = console_sessions.start(session, member.key, LIFETIMES)
    assert again is not None and again.token != started.token and again.csrf_token != started.csrf_token


def test_a_session_ends_at_its_expiry_and_after_the_idle_timeout(session: Session) -> None:
    member = factories.enterprise_account(session)
    began = utcnow()
    started = console_sessions.start(session, member.key, LIFETIMES, now=began)
    assert started is not None

    def resumed(at: datetime) -> bool:
        return console_sessions.resume(session, started.token, LIFETIMES, now=at) is not None

    assert resumed(began + timedelta(minutes=119))  # within the idle timeout: seen now
    assert not resumed(began + timedelta(minutes=119) + LIFETIMES.idle)  # idle two hours since
    at = began + timedelta(minutes=119)
    while at < began + timedelta(hours=12) - timedelta(minutes=90):  # a page every 90 minutes keeps it alive...
        at += timedelta(minutes=90)
        assert resumed(at)
    assert not resumed(began + LIFETIMES.absolute)  # ...until its absolute expiry
    assert not resumed(began + LIFETIMES.absolute + timedelta(minutes=1))
    assert console_sessions.resume(session, "x" * 101, LIFETIMES) is None
    assert console_sessions.resume(session, "not-a-token", LIFETIMES) is None


def test_the_last_page_seen_is_written_at_most_once_a_minute(session: Session) -> None:
    member = factories.admin(session)
    began = utcnow()
    started = console_sessions.start(session, member.key, LIFETIMES, now=began)
    assert started is not None
    for seconds in (10, 59):
        assert console_sessions.resume(session, started.token, LIFETIMES, now=began + timedelta(seconds=seconds))
        assert stored(session, started.token).last_seen_at == began
    later = began + timedelta(seconds=61)
    assert console_sessions.resume(session, started.token, LIFETIMES, now=later)
    assert stored(session, started.token).last_seen_at == later


def test_a_read_holds_its_touch_for_a_writer_after_it(platform: Platform) -> None:
    with platform.session() as session:
        member = factories.candidate_account(session)
        began = utcnow() - timedelta(minutes=5)
        started = console_sessions.start(session, member.key, LIFETIMES, now=began)
        assert started is not None
    with platform.session() as read:
        console_sessions.hold(read)
        assert console_sessions.resume(read, started.token, LIFETIMES) is not None
        assert stored(read, started.token).last_seen_at == began  # not written by the read
    assert console_sessions.write_held(read, platform.session) == 1
    assert console_sessions.write_held(read, platform.session) == 0  # written once
    with platform.session() as session:
        assert stored(session, started.token).last_seen_at > began


def test_revoked_sessions_and_the_browsers_session_before_sign_in_end(session: Session) -> None:
    member = factories.partner(session)
    first = console_sessions.start(session, member.key, LIFETIMES)
    assert first is not None
    second = console_sessions.start(session, member.key, LIFETIMES, replacing=first.token)
    assert second is not None
    assert console_sessions.resume(session, first.token, LIFETIMES) is None
    assert stored(session, first.token).revoked_at is not None
    assert console_sessions.revoke(session, second.token) and not console_sessions.revoke(session, second.token)
    assert console_sessions.resume(session, second.token, LIFETIMES) is None
    assert not console_sessions.revoke(session, "")


def test_revoking_the_key_revokes_its_sessions_and_a_disabled_account_signs_no_one_in(session: Session) -> None:
    office = factories.admin(session)
    member, colleague = factories.partner(session), factories.enterprise_account(session)
    mine = console_sessions.start(session, member.key, LIFETIMES)
    theirs = console_sessions.start(session, colleague.key, LIFETIMES)
    assert mine is not None and theirs is not None
    accounts.revoke_key(session, office.caller, member.key[: accounts.SHOWN_CHARS])
    assert stored(session, mine.token).revoked_at is not None
    assert console_sessions.resume(session, mine.token, LIFETIMES) is None
    assert console_sessions.start(session, member.key, LIFETIMES) is None  # nor can it start another
    assert console_sessions.resume(session, theirs.token, LIFETIMES) is not None
    session.get_one(Account, colleague.caller.account_id).disabled_at = utcnow()
    assert console_sessions.resume(session, theirs.token, LIFETIMES) is None


def test_sign_in_deletes_the_sessions_past_their_expiry(session: Session) -> None:
    member = factories.candidate_account(session)
    long_ago = utcnow() - LIFETIMES.absolute - timedelta(minutes=1)
    old = console_sessions.start(session, member.key, LIFETIMES, now=long_ago)
    recent = console_sessions.start(session, member.key, LIFETIMES, now=utcnow() - timedelta(hours=3))
    assert old is not None and recent is not None
    assert console_sessions.revoke(session, recent.token)
    assert console_sessions.start(session, member.key, LIFETIMES) is not None
    hashes = set(session.scalars(select(ConsoleSession.token_hash)))
    assert hash_token(old.token) not in hashes and hash_token(recent.token) in hashes  # kept until it would expire
    assert session.scalar(select(func.count()).select_from(ConsoleSession)) == len(hashes)
