"""Contact requests through the API: an enterprise asks a masked candidate for their details, the candidate
answers, and only an accepted request unmasks them — on both databases."""

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from matcher.partners import contact_requests
from matcher.platform import Platform
from matcher.store.models import AuditEvent, Candidate, ContactRequest, Job, Organization
from tests.api.conftest import ENTERPRISE, PARTNER_A, Keys, bearer


@pytest.fixture
def client(loaded: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform=loaded)) as client:
        yield client


def own_job(platform: Platform) -> int:
    with platform.session() as session:
        job = session.scalars(select(Job).where(Job.enterprise_name == ENTERPRISE)).first()
        assert job is not None
        return job.id


def personal(platform: Platform, candidate_id: int) -> tuple[str, str]:
    with platform.session() as session:
        row = session.get(Candidate, candidate_id)
        assert row is not None
        row.email = "gnss.person@example.invalid"
        return row.name, row.email


def test_an_accepted_request_unmasks_the_candidate_for_that_organization_only(
    client: TestClient, loaded: Platform, keys: Keys
) -> None:
    name, email = personal(loaded, keys.candidate_id)
    job = own_job(loaded)
    body = {"candidate_id": keys.candidate_id, "job_id": job, "message": "我们想邀请您面谈 GNSS 岗位"}
    made = client.post("/contact-requests", headers=bearer(keys.enterprise), json=body)
    assert made.status_code == 201, made.text
    request = made.json()
    assert request["status"] == "pending" and request["organization"] == ENTERPRISE and request["job_id"] == job
    again = client.post("/contact-requests", headers=bearer(keys.enterprise), json=body)
    assert again.status_code == 409 and "not answered yet" in again.json()["error"]["message"]
    # The candidate sees who asks and why; the enterprise still sees them masked.
    mine = client.get("/contact-requests", headers=bearer(keys.candidate)).json()
    assert [r["message"] for r in mine] == [body["message"]] and mine[0]["job_title"]
    assert name not in client.get(f"/candidates/{keys.candidate_id}", headers=bearer(keys.enterprise)).text
    accepted = client.post(f"/contact-requests/{request['id']}/accept", headers=bearer(keys.candidate))
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert client.post(f"/contact-requests/{request['id']}/decline", headers=bearer(keys.candidate)).status_code == 409
    shown = client.get(f"/candidates/{keys.candidate_id}", headers=bearer(keys.enterprise)).json()
    assert shown["name"] == name and shown["contact"] == email
    partner_view = client.get(f"/candidates/{keys.candidate_id}", headers=bearer(keys.partner)).text
    assert name not in partner_view and email not in partner_view  # consent went to the enterprise only
    assert client.post("/contact-requests", headers=bearer(keys.enterprise), json=body).status_code == 409
    # Exported with the candidate's data, named in the audit trail by id only.
    exported = client.get("/me/export", headers=bearer(keys.candidate)).json()
    assert exported["contact_requests"][0]["organization"] == ENTERPRISE
    with loaded.session() as session:
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.action.startswith("contact."))).all()
        assert sorted(actions) == ["contact.accepted", "contact.request"]
        details = session.scalars(select(AuditEvent.detail).where(AuditEvent.action.startswith("contact."))).all()
        assert name not in json.dumps(details, ensure_ascii=False)


def test_a_declined_request_can_be_made_again_only_after_the_cooling_off(
    client: TestClient, loaded: Platform, keys: Keys
) -> None:
    name, _ = personal(loaded, keys.candidate_id)
    made = client.post("/contact-requests", headers=bearer(keys.partner), json={"candidate_id": keys.candidate_id})
    assert made.status_code == 201 and made.json()["organization_kind"] == "partner"
    declined = client.post(f"/contact-requests/{made.json()['id']}/decline", headers=bearer(keys.candidate))
    assert declined.json()["status"] == "declined"
    assert name not in client.get(f"/candidates/{keys.candidate_id}", headers=bearer(keys.partner)).text
    refused = client.post("/contact-requests", headers=bearer(keys.partner), json={"candidate_id": keys.candidate_id})
    assert refused.status_code == 409 and "ask again after" in refused.json()["error"]["message"]
    with loaded.session() as session:
        row = session.get(ContactRequest, made.json()["id"])
        assert row is not None and row.answered_at is not None
        row.answered_at -= contact_requests.ASK_AGAIN_AFTER + timedelta(days=1)
    later = client.post("/contact-requests", headers=bearer(keys.partner), json={"candidate_id": keys.candidate_id})
    assert later.status_code == 201
    assert [r["status"] for r in client.get("/contact-requests", headers=bearer(keys.partner)).json()] == [
        "pending",
        "declined",
    ]


def test_bad_requests_are_refused_and_store_nothing(client: TestClient, loaded: Platform, keys: Keys) -> None:
    with loaded.session() as session:
        others = session.scalars(select(Job.id).where(Job.enterprise_name != ENTERPRISE)).first()
    cases = [
        (keys.enterprise, {"candidate_id": 2**62}, 404),  # no such candidate
        (keys.enterprise, {"candidate_id": keys.candidate_id, "job_id": others}, 404),  # another employer's job
        (keys.enterprise, {"candidate_id": keys.candidate_id, "message": "x" * 2001}, 422),
        (keys.enterprise, {"job_id": others}, 422),
    ]
    for key, body, status in cases:
        response = client.post("/contact-requests", headers=bearer(key), json=body)
        assert response.status_code == status, (body, response.text)
        assert response.json()["error"]["message"]
    with loaded.session() as session:
        assert session.scalars(select(ContactRequest)).all() == []
    # Someone else's request cannot be answered.
    made = client.post("/contact-requests", headers=bearer(keys.partner), json={"candidate_id": keys.candidate_id})
    other_candidate = client.post(f"/contact-requests/{made.json()['id'] + 1}/accept", headers=bearer(keys.candidate))
    assert other_candidate.status_code == 404


def test_erasure_deletes_the_requests(client: TestClient, loaded: Platform, keys: Keys) -> None:
    made = client.post("/contact-requests", headers=bearer(keys.enterprise), json={"candidate_id": keys.candidate_id})
    assert made.status_code == 201
    assert client.delete("/me", headers=bearer(keys.candidate)).status_code == 204
    with loaded.session() as session:
        assert session.scalars(select(ContactRequest)).all() == []
    assert client.get("/contact-requests", headers=bearer(keys.enterprise)).json() == []


def test_access_through_an_accepted_referral_can_be_withdrawn(client: TestClient, loaded: Platform, keys: Keys) -> None:
    name, email = personal(loaded, keys.candidate_id)
    body = {"candidate_id": keys.candidate_id, "job_id": own_job(loaded)}
    referral = client.post("/referrals", headers=bearer(keys.partner), json=body).json()
    assert client.post(f"/referrals/{referral['id']}/accept", headers=bearer(keys.candidate)).status_code == 200
    for key in (keys.partner, keys.enterprise):
        assert name in client.get(f"/candidates/{keys.candidate_id}", headers=bearer(key)).text
    with loaded.session() as session:
        firms = session.scalars(select(Organization.id).where(Organization.name.in_((PARTNER_A, ENTERPRISE)))).all()
    for organization in firms:
        assert client.delete(f"/me/consents/{organization}", headers=bearer(keys.candidate)).status_code == 204
        assert client.delete(f"/me/consents/{organization}", headers=bearer(keys.candidate)).status_code == 404
    for key in (keys.partner, keys.enterprise):
        shown = client.get(f"/candidates/{keys.candidate_id}", headers=bearer(key)).text
        assert name not in shown and email not in shown
    # A hidden profile cannot be referred (as it cannot be found).
    assert client.put("/me/visibility", headers=bearer(keys.candidate), json={"visible": False}).status_code == 204
    hidden = client.post("/referrals", headers=bearer(keys.partner), json=body)
    assert hidden.status_code == 404  # not the 409 of a repeated referral: the profile is not there for partners
