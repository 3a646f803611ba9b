"""The office's account use cases, called directly: opening an account and revoking a key are written in the audit
log as the actor's; a caller is described as stored now; the key list comes with each account's organization."""

import pytest
from sqlalchemy.orm import Session

from matcher.errors import Invalid
from matcher.people import accounts, audit
from matcher.people.accounts import Role
from matcher.store.models import Account
from tests import factories


def test_opening_an_account_and_revoking_its_key_are_audited(session: Session) -> None:
    office = factories.admin(session).caller

    account, key = accounts.open_account(session, office, Role.partner, " Zhang Wei ", organization="丙猎头 Firm C")
    assert accounts.authenticate(session, key) is not None and account.name == "Zhang Wei"
    revoked = accounts.revoke_key(session, office, key[: accounts.SHOWN_CHARS])
    assert revoked.revoked_at is not None and accounts.authenticate(session, key) is None
    accounts.open_account(session, None, Role.admin, "ops", via="cli")
    session.flush()

    subject = f"account:{account.id}"
    assert [(e.action, e.actor_account_id, e.detail) for e in audit.entries(session, subject=subject)] == [
        ("key.revoke", office.account_id, {"prefix": revoked.prefix}),
        ("account.create", office.account_id, {"role": "partner"}),
    ]
    [system] = audit.entries(session, action="account.create", limit=1)
    assert (system.actor_role, system.detail) == ("system", {"role": "admin", "via": "cli"})


def test_a_refused_account_is_not_audited(session: Session) -> None:
    office = factories.admin(session).caller
    before = audit.entries(session, action="account.create")
    with pytest.raises(Invalid, match="organization"):
        accounts.open_account(session, office, Role.partner, "no firm")
    assert audit.entries(session, action="account.create") == before


def test_a_caller_is_described_as_stored_now(session: Session) -> None:
    member = factories.partner(session, "丁人才 Firm D")
    assert accounts.describe(session, member.caller) == accounts.CallerDetails(member.caller.name, "丁人才 Firm D")

    session.get_one(Account, member.caller.account_id).name = "Renamed"
    assert accounts.describe(session, member.caller).name == "Renamed"

    office = factories.admin(session).caller
    assert accounts.describe(session, office) == accounts.CallerDetails(office.name, None)
    session.delete(session.get_one(Account, office.account_id))
    session.flush()
    assert accounts.describe(session, office).name == office.name  # the account is gone: the key's name


def test_the_key_list_comes_with_each_accounts_organization(session: Session) -> None:
    factories.partner(session, "戊猎头 Firm E")
    factories.admin(session)
    session.expire_all()
    listed = accounts.list_keys(session)
    loaded = [account for account, _ in listed if "organization" in account.__dict__]
    assert len(loaded) == len(listed)  # no query per account when the list is shown
    assert {a.organization.name for a, _ in listed if a.organization} >= {"戊猎头 Firm E"}
