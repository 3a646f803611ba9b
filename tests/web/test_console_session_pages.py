"""Console sessions over plain HTTP: the cookie holds a session token (never the key) that the server can end —
at sign-out, at the next sign-in, when its key is revoked or its account disabled, past its lifetime or idle
timeout — and whose form token is its own; two apps on one database (two replicas) agree on every session."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.web.auth import PREFIX, SESSION_COOKIE
from matcher.people import accounts
from matcher.people.accounts import Role
from matcher.people.console_sessions import hash_token
from matcher.platform import Platform
from matcher.store.models import Account, ConsoleSession, utcnow
from tests.api.conftest import Keys, bearer
from tests.web.conftest import SQLITE_ONLY, form_token, sign_in_client

LOGIN = f"{PREFIX}/login"


def sign_in(client: TestClient, key: str) -> str:
    """Sign in through the form; the session token the browser now holds."""
    sign_in_client(client, key)
    token = client.cookies.get(SESSION_COOKIE)
    assert token
    return token


def holding(client: TestClient, token: str) -> TestClient:
    """The browser holding `token` as its session cookie (and nothing else)."""
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, token, domain="testserver.local", path=PREFIX)  # as the server sets it
    return client


def landing(client: TestClient) -> str:
    """Where /console sends this browser: its role's home when signed in, else the sign-in page."""
    return client.get(PREFIX).headers["location"]


def row(platform: Platform, token: str) -> ConsoleSession:
    with platform.session() as session:
        return session.scalars(select(ConsoleSession).where(ConsoleSession.token_hash == hash_token(token))).one()


def live(platform: Platform) -> list[ConsoleSession]:
    with platform.session() as session:
        return list(session.scalars(select(ConsoleSession).where(ConsoleSession.revoked_at.is_(None))))


@SQLITE_ONLY
def test_the_cookie_holds_a_session_token_never_the_key(console: TestClient, keys: Keys, loaded: Platform) -> None:
    response = console.post(LOGIN, data={"key": keys.partner})
    [cookie] = [c for c in response.headers.get_list("set-cookie") if c.startswith(f"{SESSION_COOKIE}=")]
    token = console.cookies[SESSION_COOKIE]
    assert keys.partner not in cookie and keys.partner[:12] not in cookie and len(token) >= 43
    assert all(keys.partner not in c for c in response.headers.get_list("set-cookie"))
    assert "HttpOnly" in cookie and "Path=/console" in cookie and "SameSite=lax" in cookie
    assert f"Max-Age={12 * 3600}" in cookie and "Secure" not in cookie  # plain http here; https adds Secure
    stored = row(loaded, token)
    assert stored.token_hash == hash_token(token) and token not in (stored.token_hash, stored.csrf_token)
    assert stored.expires_at - stored.created_at == timedelta(hours=12)
    assert landing(console) == f"{PREFIX}/partner"
    over_https = TestClient(console.app, base_url="https://testserver", follow_redirects=False)
    cookies = over_https.post(LOGIN, data={"key": keys.partner}).headers.get_list("set-cookie")
    assert [c for c in cookies if c.startswith(f"{SESSION_COOKIE}=") and "; Secure" in c]


@SQLITE_ONLY
def test_a_browser_holding_the_old_key_cookie_is_not_signed_in_and_loses_it(console: TestClient, keys: Keys) -> None:
    console.cookies.set("tb_console_key", keys.admin)  # what the console kept before sessions
    assert landing(console) == LOGIN
    response = console.post(LOGIN, data={"key": keys.admin})
    forgotten = [c for c in response.headers.get_list("set-cookie") if c.startswith("tb_console_key=")]
    assert forgotten and "Max-Age=0" in forgotten[0]


@SQLITE_ONLY
def test_sign_out_ends_the_session_on_the_server(console: TestClient, keys: Keys, loaded: Platform) -> None:
    token = sign_in(console, keys.candidate)
    out = console.post(f"{PREFIX}/logout", data={"csrf": form_token(console, f"{PREFIX}/me")})
    assert out.headers["location"] == LOGIN and SESSION_COOKIE not in console.cookies
    assert row(loaded, token).revoked_at is not None
    replayed = holding(console, token).get(f"{PREFIX}/me")  # the old cookie, replayed: signed out all the same
    assert replayed.status_code == 303 and replayed.headers["location"] == f"{LOGIN}?next=/console/me"
    assert "登录已失效" in console.get(LOGIN).text
    form = holding(console, token).post(f"{PREFIX}/logout", data={"csrf": row(loaded, token).csrf_token})
    assert form.headers["location"] == PREFIX and "并非来自 TalentBridge" in console.get(LOGIN).text


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("field", "ago"),
    [("expires_at", timedelta(seconds=1)), ("last_seen_at", timedelta(minutes=121))],
    ids=["past-its-lifetime", "idle-too-long"],
)
def test_a_session_that_has_lived_too_long_sends_the_browser_to_sign_in(
    console: TestClient, keys: Keys, loaded: Platform, field: str, ago: timedelta
) -> None:
    token = sign_in(console, keys.enterprise)
    with loaded.session() as session:
        stored = session.scalars(select(ConsoleSession).where(ConsoleSession.token_hash == hash_token(token))).one()
        setattr(stored, field, utcnow() - ago)
    response = console.get(f"{PREFIX}/enterprise")
    assert response.status_code == 303 and response.headers["location"] == f"{LOGIN}?next=/console/enterprise"
    assert SESSION_COOKIE not in console.cookies  # forgotten, with the reason on the sign-in page
    assert "登录已失效" in console.get(LOGIN).text


@SQLITE_ONLY
def test_a_page_keeps_an_idle_session_alive_writing_at_most_once_a_minute(
    console: TestClient, keys: Keys, loaded: Platform
) -> None:
    token = sign_in(console, keys.admin)
    with loaded.session() as session:
        stored = session.scalars(select(ConsoleSession).where(ConsoleSession.token_hash == hash_token(token))).one()
        stored.last_seen_at = utcnow() - timedelta(minutes=119)  # a minute left
    assert console.get(f"{PREFIX}/office/feedback").status_code == 200  # a read: the touch is written after it
    seen = row(loaded, token).last_seen_at
    assert utcnow() - seen < timedelta(seconds=30)
    assert console.get(f"{PREFIX}/office/feedback").status_code == 200
    assert row(loaded, token).last_seen_at == seen  # within the minute: not written again


@SQLITE_ONLY
def test_each_sign_in_is_a_new_session_and_the_one_before_is_revoked(
    console: TestClient, keys: Keys, loaded: Platform
) -> None:
    first = sign_in(console, keys.partner)
    second = sign_in(console, keys.partner)  # the same browser, the same key
    assert first != second and row(loaded, first).id != row(loaded, second).id
    assert row(loaded, first).revoked_at is not None and row(loaded, second).revoked_at is None
    assert row(loaded, first).csrf_token != row(loaded, second).csrf_token
    assert landing(holding(console, first)) == LOGIN
    assert landing(holding(console, second)) == f"{PREFIX}/partner"


@SQLITE_ONLY
def test_a_form_token_from_another_session_is_refused(console: TestClient, keys: Keys, loaded: Platform) -> None:
    a = sign_in(console, keys.partner)
    token_a = form_token(console, f"{PREFIX}/partner/searches")
    console.cookies.clear()
    b = sign_in(console, keys.partner)  # another browser, the same key: its own form token
    token_b = form_token(console, f"{PREFIX}/partner/searches")
    assert token_a != token_b
    refused = console.post(f"{PREFIX}/logout", data={"csrf": token_a})
    assert refused.status_code == 303 and refused.headers["location"] == PREFIX
    assert "并非来自 TalentBridge" in console.get(LOGIN).text
    assert row(loaded, b).revoked_at is None and landing(console) == f"{PREFIX}/partner"
    assert console.post(f"{PREFIX}/logout", data={"csrf": "非ASCII的令牌"}).status_code == 303  # refused, no 500
    assert landing(holding(console, a)) == f"{PREFIX}/partner"  # A is still signed in, with its own token
    assert console.post(f"{PREFIX}/logout", data={"csrf": token_a}).headers["location"] == LOGIN


@SQLITE_ONLY
def test_revoking_the_key_ends_its_sessions(console: TestClient, keys: Keys, loaded: Platform) -> None:
    mine = sign_in(console, keys.partner)
    console.cookies.clear()
    colleague = sign_in(console, keys.partner_colleague)
    gone = console.delete(f"/accounts/keys/{keys.partner[:12]}", headers=bearer(keys.admin))  # as the office does
    assert gone.status_code == 204
    assert row(loaded, mine).revoked_at is not None and row(loaded, colleague).revoked_at is None
    response = holding(console, mine).get(f"{PREFIX}/partner")
    assert response.status_code == 303 and response.headers["location"].startswith(LOGIN)
    assert landing(holding(console, colleague)) == f"{PREFIX}/partner"


@SQLITE_ONLY
def test_a_session_checks_its_key_and_account_on_every_page(console: TestClient, keys: Keys, loaded: Platform) -> None:
    token = sign_in(console, keys.candidate)
    with loaded.session() as session:  # revoked behind the session's back: not through accounts.revoke
        key = accounts.find_key(session, keys.candidate)
        assert key is not None
        key.revoked_at = utcnow()
    assert landing(console) == LOGIN
    other = sign_in(holding(console, token), keys.enterprise)
    with loaded.session() as session:
        key = accounts.find_key(session, keys.enterprise)
        assert key is not None
        session.get_one(Account, key.account_id).disabled_at = utcnow()
    assert landing(holding(console, other)) == LOGIN


@SQLITE_ONLY
def test_next_leads_only_to_console_pages_once_normalised(console: TestClient, keys: Keys) -> None:
    attacks = [
        "//evil.com",
        "/\\evil.com",
        "\\\\evil.com",
        "/console/../..//evil",
        "/console/..%2F..%2F%2Fevil.com",
        "/%2F%2Fevil.com",
        "https:evil",
        "https://evil.com/console",
        "javascript:alert(1)",
        "/console\t/../\t//evil.com",
        "/\t/evil.com",
        "/console\n/partner",
        "/console/%0d%0aSet-Cookie:x=y",
        "/console\\..\\..\\evil.com",
        "/consolex",
        "/docs",
    ]
    for bad in attacks:
        response = console.post(LOGIN, data={"key": keys.partner, "next": bad})
        assert response.headers["location"] == f"{PREFIX}/partner", bad
    for good, kept in [
        ("/console/partner?q=x", "/console/partner?q=x"),
        ("/console/partner/referrals", "/console/partner/referrals"),
        ("/console/./partner/../partner/searches", "/console/partner/searches"),
        ("/console/enterprise/jobs/1#candidate-7", "/console/enterprise/jobs/1#candidate-7"),
    ]:
        assert console.post(LOGIN, data={"key": keys.partner, "next": good}).headers["location"] == kept
    assert '<input type="hidden" name="next" value="">' in console.get(LOGIN, params={"next": "//evil.com"}).text


@pytest.fixture
def replicas(platform: Platform, tmp_path: Path) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps with their own platforms (engines, rate limiters, data folders) on the test's committed database:
    two replicas of the API, as far as sessions go."""
    clients = []
    for name in ("a", "b"):
        replica = Platform(platform.settings.model_copy(update={"data_dir": tmp_path / name}))
        replica.__dict__["encoder"] = platform.encoder
        client = TestClient(create_app(platform=replica), follow_redirects=False)
        clients.append((replica, client))
    with clients[0][1] as a, clients[1][1] as b:
        yield a, b
    for replica, _ in clients:
        replica.close()


@pytest.mark.committed
def test_two_replicas_agree_on_sessions(platform: Platform, replicas: tuple[TestClient, TestClient]) -> None:
    with platform.session() as session:
        _, key = accounts.create_account(session, Role.admin, "Replica office")
    a, b = replicas
    token = sign_in(a, key)
    assert landing(holding(b, token)) == f"{PREFIX}/office"  # started on A, works on B
    csrf = form_token(b, f"{PREFIX}/office/feedback")
    assert csrf == form_token(a, f"{PREFIX}/office/feedback")  # one session, one form token, wherever it is read
    assert b.post(f"{PREFIX}/logout", data={"csrf": csrf}).headers["location"] == LOGIN  # signed out on B...
    assert landing(a) == LOGIN  # ...is signed out on A
    again = sign_in(b, key)
    assert landing(holding(a, again)) == f"{PREFIX}/office"
    assert [s.id for s in live(platform)] == [row(platform, again).id]
