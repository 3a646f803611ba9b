"""Candidates entering through the use cases, called directly: signing up gives a profile mapped like an imported
one and an account whose key works once shown; a partner's registration records the candidate's consent to that
firm; an edit changes only what it names. Whoever may not, a bad value or an unknown field is refused, and a
refusal changes nothing."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from matcher.errors import Forbidden, Invalid, NotFound
from matcher.ingest import registration
from matcher.people import accounts, audit
from matcher.people.accounts import Role
from matcher.platform import Platform
from matcher.store.models import Account, Candidate, Consent, utcnow
from tests import factories

PROFILE: dict[str, Any] = {
    "name": "王芳 Wang Fang",
    "headline": "GNSS 算法工程师",
    "skills": ["RTK", "卡尔曼滤波"],
    "education": [
        {"school": "University College London", "degree": "MSc", "major": "遥感科学与技术", "end_year": 2021}
    ],
    "experience": [{"title": "Positioning Engineer", "organization": "Northbridge Navigation", "start": "2021-09"}],
    "location": "London, UK",
    "email": "wang.fang@example.org",
}
OBTAINED = datetime(2026, 3, 1, 10, 30, tzinfo=UTC)


def test_signing_up_makes_a_mapped_profile_and_an_account_whose_key_works(platform: Platform) -> None:
    with platform.session() as session:
        # where a profile comes from, and whether they let anyone contact them, are not the caller's to say
        fields = {**PROFILE, "source": "orcid", "external_id": "0000-0001", "consent_to_contact": True}
        candidate_id, key = registration.sign_up(session, platform.importer(session, "candidates"), fields, 1996)
    with platform.session() as session:
        row = session.get(Candidate, candidate_id)
        assert row is not None
        assert (row.source, row.name, row.birth_year, row.consent_to_contact) == (
            "self-signup",
            "王芳 Wang Fang",
            1996,
            False,
        )
        assert row.external_id != "0000-0001"
        assert [(e.major, e.major_code) for e in row.education] == [("遥感科学与技术", "081202")]
        assert [x.organization for x in row.experience] == ["Northbridge Navigation"]
        caller = accounts.authenticate(session, key)
        assert caller is not None and (caller.role, caller.candidate_id) == (Role.candidate, candidate_id)
        [entry] = audit.entries(session, action="candidate.signup")
        assert (entry.subject, entry.actor_role, entry.detail) == (
            f"candidate:{candidate_id}",
            "system",
            {"account": caller.account_id},
        )


@pytest.mark.parametrize(
    ("fields", "birth_year", "message"),
    [
        ({**PROFILE, "birth_year": 1996}, None, "birth_year"),  # not a profile field: given apart
        ({"name": "Only A Name"}, None, "a candidate needs at least one of"),
        (PROFILE, 1900, "birth_year 1900 is not plausible"),
        (PROFILE, utcnow().year - 10, "is not plausible"),
    ],
    ids=["unknown-field", "empty-profile", "born-1900", "aged-10"],
)
def test_a_bad_sign_up_is_refused_and_nothing_is_stored(
    platform: Platform,
    table_counts: Callable[[], dict[str, int]],
    fields: dict[str, Any],
    birth_year: int | None,
    message: str,
) -> None:
    before = table_counts()
    with platform.session() as session, pytest.raises(Invalid, match=message):
        registration.sign_up(session, platform.importer(session, "candidates"), fields, birth_year)
    assert table_counts() == before


def test_a_partner_registers_a_found_candidate_with_their_consent_on_record(platform: Platform) -> None:
    with platform.session() as session:
        firm = factories.partner(session, "甲猎头公司 Firm A").caller
    with platform.session() as session:
        importer = platform.importer(session, "candidates")
        candidate_id = registration.register_found(session, importer, firm, PROFILE, None, "recorded-call", OBTAINED).id
    with platform.session() as session:
        row = session.get(Candidate, candidate_id)
        assert row is not None
        assert (row.source, row.birth_year, row.education[0].major_code) == (
            f"partner-{firm.organization_id}",
            None,
            "081202",
        )
        [consent] = session.scalars(select(Consent).where(Consent.candidate_id == candidate_id)).all()
        assert (consent.organization_id, consent.purpose, consent.granted_at, consent.withdrawn_at) == (
            firm.organization_id,
            "registration",
            OBTAINED,
            None,
        )
        [entry] = audit.entries(session, action="candidate.register")
        assert (entry.subject, entry.actor_account_id, entry.detail) == (
            f"candidate:{candidate_id}",
            firm.account_id,
            {"consent_method": "recorded-call", "consent_obtained_at": OBTAINED.isoformat()},
        )
        assert session.scalars(select(Account).where(Account.candidate_id == candidate_id)).all() == []


def test_a_registration_that_may_not_be_made_is_refused_and_nothing_is_stored(
    platform: Platform, table_counts: Callable[[], dict[str, int]]
) -> None:
    with platform.session() as session:
        firm = factories.partner(session).caller
        hr = factories.enterprise_account(session).caller
        office = factories.admin(session).caller
    before = table_counts()
    refused: list[tuple[Any, str, datetime, int | None, type[Exception], str]] = [
        (hr, "written", OBTAINED, None, Forbidden, "only talent partners register"),
        (office, "written", OBTAINED, None, Forbidden, "only talent partners register"),
        (firm, "a nod", OBTAINED, None, Invalid, "consent.method must be one of written, electronic, recorded-call"),
        (firm, "written", utcnow() + timedelta(days=1), None, Invalid, "consent.obtained_at is in the future"),
        (firm, "written", OBTAINED, 1930, Invalid, "birth_year 1930 is not plausible"),
    ]
    for caller, method, obtained, birth_year, error, message in refused:
        with platform.session() as session, pytest.raises(error, match=message):
            importer = platform.importer(session, "candidates")
            registration.register_found(session, importer, caller, PROFILE, birth_year, method, obtained)
    assert table_counts() == before


def test_an_edit_changes_only_what_it_names(platform: Platform) -> None:
    with platform.session() as session:
        person = factories.candidate(session, name="李明 Li Ming", birth_year=None)
        own = factories.candidate_account(session, person).caller
        candidate_id = person.id
    with platform.session() as session:
        changes = {"headline": "高精度定位 GNSS engineer", "skills": ["RTK", "PPP"]}
        edited = registration.edit_profile(session, platform.importer(session, "candidates"), own, changes, 1995)
        assert edited.id == candidate_id
    with platform.session() as session:
        row = session.get(Candidate, candidate_id)
        assert row is not None
        assert (row.headline, row.skills, row.birth_year) == ("高精度定位 GNSS engineer", ["RTK", "PPP"], 1995)
        assert (row.name, row.source, row.email) == ("李明 Li Ming", "test", "li.ming@example.org")
        assert [(e.school, e.major_code) for e in row.education] == [("University College London", "081202")]
        assert [x.title for x in row.experience] == ["GNSS Positioning Engineer"]
        [entry] = audit.entries(session, action="profile.edit")
        assert (entry.subject, entry.detail) == (f"candidate:{candidate_id}", {"fields": ["headline", "skills"]})


def test_an_edit_that_cannot_be_made_is_refused_and_changes_nothing(
    platform: Platform, table_counts: Callable[[], dict[str, int]]
) -> None:
    with platform.session() as session:
        own = factories.candidate_account(session).caller
        firm = factories.partner(session).caller  # no profile of its own
    before = table_counts()
    refused: list[tuple[Any, dict[str, Any], int | None, type[Exception], str]] = [
        (own, {"source": "orcid"}, None, Invalid, "cannot change source"),
        (own, {"visible": False, "headline": "x"}, None, Invalid, "cannot change visible"),
        (own, {"headline": "x"}, 2099, Invalid, "birth_year 2099 is not plausible"),
        (own, {"headline": "", "skills": [], "education": [], "experience": [], "summary": ""}, None, Invalid, "needs"),
        (firm, {"headline": "x"}, None, NotFound, "your profile no longer exists"),
    ]
    for caller, changes, birth_year, error, message in refused:
        with platform.session() as session, pytest.raises(error, match=message):
            registration.edit_profile(session, platform.importer(session, "candidates"), caller, changes, birth_year)
    assert table_counts() == before
