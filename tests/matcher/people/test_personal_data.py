"""A candidate's rights over their data, called directly: the export holds everything stored about them (and is
itself audited); erasure deletes them and all that hangs off them, keeps a non-personal audit trail, and touches no
one else's rows. Asking about a candidate who does not exist is refused and changes nothing."""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.errors import NotFound
from matcher.office import feedback
from matcher.partners import contact_requests, tools
from matcher.people import audit, personal_data
from matcher.people.accounts import Caller
from matcher.platform import Platform
from matcher.store.models import Base, Candidate, Consent, EmbeddingCache, Job, Organization, Referral
from matcher.text import candidate_text, content_hash
from tests import factories


@dataclass
class World:
    person: Candidate
    own: Caller  # the person's own account
    firm: Caller
    job: Job
    referral: Referral
    bystander: Candidate


def _their_world(session: Session) -> World:
    """A candidate with an account, a consent, a referral (and feedback a partner filed about it), a contact request
    and feedback of their own; beside them, another candidate the same firm referred to the same job."""
    person = factories.candidate(session, name="王芳 Wang Fang", email="wang.fang@example.org")
    own = factories.candidate_account(session, person).caller
    firm = factories.partner(session, "甲猎头公司 Firm A").caller
    employer = factories.enterprise(session, name="郑州北斗科技")
    hr = factories.enterprise_account(session, employer).caller
    job = factories.job(session, enterprise=employer)
    assert firm.organization_id is not None
    session.add(Consent(candidate_id=person.id, organization_id=firm.organization_id, purpose="contact"))
    referral = factories.referral(session, firm, person, job, stage="contacted")
    feedback.file_feedback(session, firm, "she asked us to call after 6pm", referral_id=referral.id)
    contact_requests.request_contact(session, hr, person.id, job.id, "Would you talk to us?")
    feedback.file_feedback(session, own, "the subsidy page is unclear", policy_key="living_subsidy")
    bystander = factories.candidate(session, name="Someone Else", headline="Analog IC designer")
    factories.referral(session, firm, bystander, job)
    session.flush()
    return World(person, own, firm, job, referral, bystander)


def test_the_export_holds_everything_stored_about_them(session: Session) -> None:
    world = _their_world(session)
    person, job, office = world.person, world.job, factories.admin(session).caller

    data = personal_data.export(session, office, person.id)

    profile = data["profile"]
    assert (profile["id"], profile["name"], profile["email"]) == (person.id, "王芳 Wang Fang", "wang.fang@example.org")
    assert (profile["headline"], profile["skills"], profile["birth_year"]) == (
        "GNSS algorithm engineer",
        ["GNSS", "Kalman filter"],
        1996,
    )
    assert profile["education"] == [
        {
            "school": "University College London",
            "degree": "MSc",
            "major": "遥感科学与技术",
            "major_code": "081202",
            "country": "GB",
            "end_year": 2021,
        }
    ]
    assert [x["organization"] for x in profile["experience"]] == ["Northbridge Navigation Ltd"]
    assert [(c["organization"], c["kind"], c["purpose"], c["withdrawn_at"]) for c in data["consents"]] == [
        ("甲猎头公司 Firm A", "partner", "contact", None)
    ]
    [referral] = data["referrals"]
    assert (referral["id"], referral["job_id"], referral["job_title"], referral["stage"]) == (
        world.referral.id,
        job.id,
        "北斗导航算法工程师",
        "contacted",
    )
    assert [e["stage"] for e in referral["events"]] == ["referred", "contacted"]
    assert [
        (r["organization"], r["kind"], r["job_id"], r["message"], r["status"]) for r in data["contact_requests"]
    ] == [("郑州北斗科技", "enterprise", job.id, "Would you talk to us?", "pending")]
    assert [(f["topic"], f["message"]) for f in data["feedback"]] == [("policy", "the subsidy page is unclear")]
    assert [(a["action"], a["by_role"]) for a in data["access_log"]][:1] == [("contact.request", "enterprise")]
    json.dumps(data)  # plain JSON

    session.flush()
    [exported] = audit.entries(session, action="personal_data.export")
    assert (exported.subject, exported.actor_account_id) == (f"candidate:{person.id}", office.account_id)
    again = personal_data.export(session, world.own, person.id)
    assert [a["action"] for a in again["access_log"]][:2] == ["contact.request", "personal_data.export"]
    assert [e.actor_role for e in audit.entries(session, action="personal_data.export")] == ["candidate", "admin"]


def test_the_export_holds_the_resume_the_partners_notes_their_claims_and_the_account(session: Session) -> None:
    world = _their_world(session)
    world.person.resume_text = "Résumé: GNSS receiver firmware, RTK positioning"
    world.referral.note = "prefers Zhengzhou East; call after 6pm"
    tools.shortlist(session, world.firm, world.job.id, world.person.id, "strong on RTK, ask about relocation")
    session.flush()

    data = personal_data.export(session, world.own, world.person.id)

    assert data["profile"]["resume_text"] == "Résumé: GNSS receiver firmware, RTK positioning"
    [referral] = data["referrals"]
    assert (referral["partner"], referral["note"]) == ("甲猎头公司 Firm A", "prefers Zhengzhou East; call after 6pm")
    assert [(s["partner"], s["job_id"], s["note"]) for s in data["shortlists"]] == [
        ("甲猎头公司 Firm A", world.job.id, "strong on RTK, ask about relocation")
    ]
    assert [(c["partner"], c["referral_id"]) for c in data["claims"]] == [("甲猎头公司 Firm A", world.referral.id)]
    assert [(f["by_role"], f["message"]) for f in data["feedback_about_your_referrals"]] == [
        ("partner", "she asked us to call after 6pm")
    ]
    account = data["account"]
    assert account["id"] == world.own.account_id and [k["prefix"] for k in account["keys"]] == [world.own.key_prefix]
    json.dumps(data)


def test_every_table_about_a_candidate_and_every_column_of_theirs_has_its_place_in_the_export(
    session: Session,
) -> None:
    """Held to the schema: a table added later that refers to candidates (or to their accounts, keys) must be given
    a section, and a column added to candidates must be exported, or this fails."""
    about = {"candidates"}
    grown = True
    while grown:  # tables referring to a candidate, to their account, to those rows...
        found = {
            table.name
            for table in Base.metadata.sorted_tables
            if any(key.column.table.name in about for key in table.foreign_keys)
            and table.name not in ("jobs", "organizations", "enterprises", "saved_searches")  # staff accounts' own
        }
        grown = not found <= about
        about |= found
    assert about - {"candidates"} == set(personal_data.SECTIONS)
    data = personal_data.export(session, factories.admin(session).caller, factories.candidate(session).id)
    assert set(personal_data.SECTIONS.values()) <= set(data)
    internal = {"record_hash", "text_hash", "lexical_tokens", "highest_degree"}  # derived from what is exported
    columns = {column.name for column in Candidate.__table__.columns} - internal
    assert columns <= set(data["profile"])


def test_the_access_log_of_an_export_lists_the_accesses_before_it(session: Session) -> None:
    """The same on every backend: the log is read before the export's own entry is written (it once was read lazily,
    and SQLite then showed the export in its own log)."""
    person, office = factories.candidate(session), factories.admin(session).caller
    factories.referral(session, factories.partner(session).caller, person, factories.job(session))
    first = personal_data.export(session, office, person.id)
    second = personal_data.export(session, office, person.id)
    assert [a["action"] for a in first["access_log"]] == []
    assert [a["action"] for a in second["access_log"]] == ["personal_data.export"]


def test_the_export_of_someone_else_holds_nothing_of_theirs(session: Session) -> None:
    world = _their_world(session)
    data = personal_data.export(session, world.firm, world.bystander.id)
    assert data["profile"]["name"] == "Someone Else"
    assert data["consents"] == data["contact_requests"] == data["feedback"] == data["access_log"] == []
    assert [r["stage"] for r in data["referrals"]] == ["referred"]


def test_erasure_deletes_them_and_all_that_is_theirs_and_nothing_else(
    platform: Platform, table_counts: Callable[[], dict[str, int]]
) -> None:
    with platform.session() as session:
        world = _their_world(session)
        person_id, bystander_id = world.person.id, world.bystander.id
        own_text_hash = content_hash(candidate_text(world.person))
        session.add(EmbeddingCache(encoder="test-encoder", content_hash=own_text_hash, dimension=2, vector=bytes(8)))
        audit_before = [(e.action, e.subject) for e in audit.entries(session)]
        office = factories.admin(session).caller
    before = table_counts()

    with platform.session() as session:
        personal_data.erase(session, office, person_id)

    after = table_counts()
    # (the post-write hook, which follows the erasure into the candidates index, writes the cache and platform_meta)
    gone = {table: before[table] - after[table] for table in before if before[table] != after[table]}
    gone = {table: n for table, n in gone.items() if table not in ("embedding_cache", "platform_meta")}
    assert gone.pop("change_log") == -1  # one more: the erasure, logged for every process's indexes (an id only)
    assert gone == {
        "candidates": 1,
        "education": 1,
        "experience": 1,
        "accounts": 1,  # their own; the firm's, the employer's and the office's stay
        "api_keys": 1,
        "consents": 1,
        "referrals": 1,
        "referral_events": 2,
        "attributions": 1,
        "contact_requests": 1,
        "feedback": 2,  # their own, and the partner's about their referral
        "audit_log": -1,  # one more: the erasure
    }
    with platform.session() as session:
        entries = audit.entries(session)
        assert [(e.action, e.subject) for e in entries] == [
            ("candidate.erase", f"candidate:{person_id}"),
            *audit_before,
        ]
        assert entries[0].actor_account_id == office.account_id
        trail = json.dumps([[e.subject, e.detail] for e in entries], ensure_ascii=False)
        assert "Wang Fang" not in trail and "wang.fang@example.org" not in trail
        assert session.scalar(select(EmbeddingCache).where(EmbeddingCache.content_hash == own_text_hash)) is None
        assert personal_data.export(session, office, bystander_id)["profile"]["name"] == "Someone Else"
        assert session.scalars(select(Organization.name).order_by(Organization.name)).all() == [
            "甲猎头公司 Firm A",
            "郑州北斗科技",
        ]
        with pytest.raises(NotFound):
            personal_data.export(session, office, person_id)


def test_a_candidate_who_does_not_exist_is_refused_and_nothing_changes(
    platform: Platform, table_counts: Callable[[], dict[str, int]]
) -> None:
    """Even caught by a caller that carries on and commits, a refused export or erasure has written nothing, not
    even an audit entry."""
    with platform.session() as session:
        office = factories.admin(session).caller
        missing = factories.candidate(session).id + 1000
    before = table_counts()
    with platform.session() as session:
        for use_case in (personal_data.export, personal_data.erase):
            with pytest.raises(NotFound, match=f"candidate {missing} not found"):
                use_case(session, office, missing)
    assert table_counts() == before
