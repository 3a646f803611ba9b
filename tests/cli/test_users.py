"""`talent users create|list|revoke`: keys made on the server, shown once, revocable, errors in one line."""

import json

from matcher.people import accounts
from matcher.platform import Platform
from tests.cli.conftest import Talent


def test_create_list_revoke(talent: Talent, platform: Platform) -> None:
    made = talent("users", "create", "--role", "partner", "--name", "Li", "--org", "Firm One", "--json")
    assert made.exit_code == 0, made.output
    key = json.loads(made.stdout)["key"]
    with platform.session() as session:
        caller = accounts.authenticate(session, key)
        assert caller is not None and caller.role.value == "partner"
    listed = json.loads(talent("users", "list", "--json").stdout)
    assert [(row["role"], row["organization"], row["revoked"]) for row in listed] == [("partner", "Firm One", False)]
    assert key not in talent("users", "list").stdout
    prefix = listed[0]["key"].rstrip("…")
    assert talent("users", "revoke", prefix).exit_code == 0
    with platform.session() as session:
        assert accounts.authenticate(session, key) is None
    assert json.loads(talent("users", "list", "--json").stdout)[0]["revoked"] is True


def test_bad_input_is_one_readable_line(talent: Talent) -> None:
    no_org = talent("users", "create", "--role", "enterprise", "--name", "HR")
    assert no_org.exit_code != 0 and no_org.stderr.strip() == (
        "error: enterprise accounts belong to an organization: give its name (--org)"
    )
    unknown = talent("users", "revoke", "tb_p_nothing")
    assert unknown.exit_code != 0 and "no key starts with" in unknown.stderr
    no_profile = talent("users", "create", "--role", "candidate", "--name", "X", "--candidate", "999999")
    assert no_profile.exit_code != 0 and "candidate profile" in no_profile.stderr
