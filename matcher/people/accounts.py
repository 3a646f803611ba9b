"""Accounts, organizations and API keys: who may call the platform, as which role.

A key is shown once, when it is made; the store keeps its SHA-256 (a key is 32 random bytes, so a fast hash is
as safe as a slow one) and its first characters, so people can tell keys apart in lists and revoke one.
"""

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from matcher.errors import Conflict, Invalid, NotFound
from matcher.people.audit import record
from matcher.store import console_sessions
from matcher.store.models import Account, ApiKey, Candidate, Enterprise, Job, Organization, utcnow

KEY_PREFIX = "tb"
SHOWN_CHARS = 12  # "tb_p_AbCdEfG" — enough to tell keys apart, far too little to guess the rest


class Role(StrEnum):
    admin = "admin"  # the talent office
    partner = "partner"  # a headhunting firm (引才合伙人), one organization with several users
    enterprise = "enterprise"  # an employer posting jobs
    candidate = "candidate"  # an overseas student or graduate


ORGANIZATION_ROLES = {Role.partner: "partner", Role.enterprise: "enterprise"}


@dataclass(frozen=True)
class Caller:
    """Who is calling: the account, its role, and the organization or candidate it acts for."""

    account_id: int
    role: Role
    name: str
    organization_id: int | None = None
    candidate_id: int | None = None
    enterprise_id: int | None = None  # an enterprise account's row in `enterprises`, whose jobs it may edit
    key_prefix: str = ""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key(role: Role) -> str:
    return f"{KEY_PREFIX}_{role.value[0]}_{secrets.token_urlsafe(32)}"


def _organization(session: Session, role: Role, name: str) -> Organization:
    """The partner firm or enterprise called `name`, made on first use (an enterprise also gets its row)."""
    kind = ORGANIZATION_ROLES[role]
    found = session.scalars(select(Organization).where(Organization.kind == kind, Organization.name == name)).first()
    if found is not None:
        return found
    organization = Organization(kind=kind, name=name)
    if role is Role.enterprise:
        enterprise = session.scalars(select(Enterprise).where(Enterprise.name == name).order_by(Enterprise.id)).first()
        if enterprise is None:
            enterprise = Enterprise(source="accounts", external_id=secrets.token_hex(8), name=name, record_hash="")
            session.add(enterprise)
            session.flush()
        organization.enterprise_id = enterprise.id
        # Its postings that were crawled or imported under the same name, with no enterprise row, become its own.
        session.execute(
            update(Job)
            .where(Job.enterprise_id.is_(None), Job.enterprise_name == name)
            .values(enterprise_id=enterprise.id)
            .execution_options(synchronize_session=False)
        )
    session.add(organization)
    session.flush()
    return organization


def create_account(
    session: Session,
    role: Role,
    name: str,
    *,
    organization: str | None = None,
    candidate_id: int | None = None,
) -> tuple[Account, str]:
    """A new account and its first key (returned once, never stored in clear)."""
    name = name.strip()
    if not name or len(name) > 300:
        raise Invalid("an account needs a name of 1 to 300 characters")
    account = Account(role=role.value, name=name)
    if role in ORGANIZATION_ROLES:
        if not organization or not organization.strip():
            raise Invalid(f"{role.value} accounts belong to an organization: give its name (--org)")
        account.organization = _organization(session, role, organization.strip())
    elif organization:
        raise Invalid(f"a {role.value} account does not belong to an organization")
    if role is Role.candidate:
        if candidate_id is None:
            raise Invalid("a candidate account needs the candidate profile it owns")
        if session.get(Candidate, candidate_id) is None:
            raise NotFound(f"no candidate profile {candidate_id}: a candidate account needs the profile it owns")
        if session.scalars(select(Account).where(Account.candidate_id == candidate_id)).first():
            raise Conflict(f"candidate {candidate_id} already has an account")
        account.candidate_id = candidate_id
    session.add(account)
    session.flush()
    return account, issue_key(session, account)


def open_account(
    session: Session,
    actor: Caller | None,
    role: Role,
    name: str,
    *,
    organization: str | None = None,
    candidate_id: int | None = None,
    via: str | None = None,
) -> tuple[Account, str]:
    """The office (`actor`; None for the system) opens an account: create_account, written in the audit log (with
    `via`, e.g. "cli", when given)."""
    account, key = create_account(session, role, name, organization=organization, candidate_id=candidate_id)
    detail = {"role": role.value} | ({"via": via} if via else {})
    record(session, actor, "account.create", f"account:{account.id}", detail)
    return account, key


def issue_key(session: Session, account: Account) -> str:
    """A new key for `account` (it may hold several, e.g. while rotating)."""
    key = _new_key(Role(account.role))
    session.add(ApiKey(account_id=account.id, prefix=key[:SHOWN_CHARS], key_hash=hash_key(key)))
    session.flush()
    return key


def revoke(session: Session, prefix: str) -> ApiKey:
    """Revoke the key whose first characters are `prefix` (as `talent users list` shows them): it stops working at
    once, and the console sessions signed in with it end with it."""
    prefix = prefix.strip()
    if len(prefix) < 8:
        raise Invalid("give at least the first 8 characters of the key")
    found = session.scalars(select(ApiKey).where(ApiKey.prefix.startswith(prefix[:SHOWN_CHARS], autoescape=True))).all()
    matching = [key for key in found if key.prefix.startswith(prefix) or prefix.startswith(key.prefix)]
    if not matching:
        raise NotFound(f"no key starts with {prefix!r}")
    if len(matching) > 1:
        raise Invalid(f"{len(matching)} keys start with {prefix!r}: give more characters")
    key = matching[0]
    if key.revoked_at is None:
        now = utcnow()
        key.revoked_at = now
        console_sessions.revoke_for_key(session=session, api_key_id=key.id, at=now)
    return key


def revoke_key(session: Session, actor: Caller | None, prefix: str, *, via: str | None = None) -> ApiKey:
    """The office (`actor`; None for the system) revokes a key by its first characters: revoke, written in the audit
    log (with `via`, e.g. "cli", when given)."""
    key = revoke(session, prefix)
    detail = {"prefix": key.prefix} | ({"via": via} if via else {})
    record(session, actor, "key.revoke", f"account:{key.account_id}", detail)
    return key


def find_key(session: Session, key: str) -> ApiKey | None:
    """The stored key `key` is (revoked or not), or None."""
    if not key.startswith(f"{KEY_PREFIX}_") or len(key) > 200:
        return None
    return session.scalars(select(ApiKey).where(ApiKey.key_hash == hash_key(key))).first()


def authenticate(session: Session, key: str) -> Caller | None:
    """The caller a key belongs to, or None for an unknown or revoked key (or a disabled account)."""
    row = find_key(session, key)
    return caller_of(row) if row is not None else None


def caller_of(row: ApiKey) -> Caller | None:
    """The caller a stored key acts as now, or None when the key is revoked or its account disabled (a console
    session checks its key this way on every page)."""
    if row.revoked_at is not None:
        return None
    account = row.account
    if account.disabled_at is not None:
        return None
    organization = account.organization
    return Caller(
        account_id=account.id,
        role=Role(account.role),
        name=account.name,
        organization_id=account.organization_id,
        candidate_id=account.candidate_id,
        enterprise_id=organization.enterprise_id if organization else None,
        key_prefix=row.prefix,
    )


def list_keys(session: Session) -> list[tuple[Account, ApiKey]]:
    """Every key with its account (and the account's organization), newest account first."""
    statement = (
        select(Account, ApiKey)
        .join(ApiKey, ApiKey.account_id == Account.id)
        .options(selectinload(Account.organization))
        .order_by(Account.id, ApiKey.id)
    )
    return [(account, key) for account, key in session.execute(statement)]


@dataclass(frozen=True)
class CallerDetails:
    """Who a caller is, as stored now: the account's name and its organization's."""

    name: str
    organization: str | None


def describe(session: Session, caller: Caller) -> CallerDetails:
    """The caller's account name as stored now (the name the key was checked with, if the account is gone) and the
    name of the organization it acts for."""
    account = session.get(Account, caller.account_id)
    organization = None
    if caller.organization_id is not None:
        organization = session.scalar(select(Organization.name).where(Organization.id == caller.organization_id))
    return CallerDetails(name=account.name if account else caller.name, organization=organization)
