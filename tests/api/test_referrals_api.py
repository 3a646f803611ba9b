"""The referral workflow and erasure through the API, as partners, enterprises, candidates and the office use it."""

import io
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from matcher.ingest.export import export_jsonl
from matcher.platform import Platform
from matcher.store import queries
from matcher.store.models import AuditEvent, Candidate, Job
from tests.api.conftest import Keys, bearer


@pytest.fixture
def client(loaded: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform=loaded)) as client:
        yield client


def job_id(platform: Platform, external_id: str) -> int:
    with platform.session() as session:
        row = queries.get_by_ref(Job, session=session, source="test", external_id=external_id)
        assert row is not None
        return row.id


def test_a_referral_moves_through_its_stages_and_owns_the_placement(
    client: TestClient, loaded: Platform, keys: Keys
) -> None:
    own_job = client.post("/jobs", headers=bearer(keys.enterprise), json={"title": "北斗导航算法工程师"}).json()["id"]
    second_job = client.post("/jobs", headers=bearer(keys.enterprise), json={"title": "GNSS 软件工程师"}).json()["id"]
    body = {"candidate_id": keys.candidate_id, "job_id": own_job, "note": "strong GNSS background"}
    made = client.post("/referrals", headers=bearer(keys.partner), json=body)
    assert made.status_code == 201, made.text
    referral = made.json()
    assert referral["stage"] == "referred" and [e["stage"] for e in referral["events"]] == ["referred"]
    # Another firm, same candidate, same employer (another of its jobs): refused, saying since when only.
    rival = client.post(
        "/referrals", headers=bearer(keys.other_partner), json={"candidate_id": keys.candidate_id, "job_id": second_job}
    )
    assert rival.status_code == 409
    message = rival.json()["error"]["message"]
    assert "already referred to this employer on" in message and "Partner A" not in message and "甲" not in message
    # The same firm may refer the candidate to the employer's other job; a repeat of the same one is refused.
    again = client.post(
        "/referrals",
        headers=bearer(keys.partner_colleague),
        json={"candidate_id": keys.candidate_id, "job_id": second_job},
    )
    assert again.status_code == 201
    assert client.post("/referrals", headers=bearer(keys.partner), json=body).status_code == 409
    # Stages: in order, by the right roles.
    rid = referral["id"]

    def move(key: str, stage: str) -> int:
        return client.post(f"/referrals/{rid}/stage", headers=bearer(key), json={"stage": stage}).status_code

    assert move(keys.partner, "interviewing") == 409  # contacted comes first
    assert move(keys.partner, "contacted") == 200
    assert move(keys.enterprise, "interviewing") == 200
    assert move(keys.enterprise, "offered") == 200
    assert move(keys.other_partner, "hired") == 404  # not theirs to see
    assert move(keys.partner, "hired") == 200
    assert move(keys.enterprise, "certified") == 403  # the office certifies
    assert move(keys.partner, "declined") == 409  # too late: hired
    assert move(keys.admin, "certified") == 200 and move(keys.admin, "rewarded") == 200
    history = client.get(f"/referrals/{rid}", headers=bearer(keys.enterprise)).json()["events"]
    assert [e["stage"] for e in history] == [
        "referred",
        "contacted",
        "interviewing",
        "offered",
        "hired",
        "certified",
        "rewarded",
    ]
    assert [e["at"] for e in history] == sorted(e["at"] for e in history)
    with loaded.session() as session:
        moves = session.scalars(select(AuditEvent).where(AuditEvent.subject == f"referral:{rid}")).all()
        assert [m.action for m in moves].count("referral.move") == 6
    # Who sees which referrals.
    assert {r["id"] for r in client.get("/referrals", headers=bearer(keys.partner)).json()} >= {rid}
    assert client.get("/referrals", headers=bearer(keys.other_partner)).json() == []
    assert len(client.get("/referrals?stage=rewarded", headers=bearer(keys.admin)).json()) == 1
    mine = client.get("/referrals", headers=bearer(keys.candidate)).json()
    assert {r["candidate_id"] for r in mine} == {keys.candidate_id}


def test_a_note_with_a_nul_character_is_a_422_and_leaves_no_referral(
    client: TestClient, loaded: Platform, keys: Keys
) -> None:
    """Found by the OpenAPI fuzz run: PostgreSQL refused the NUL with a 500; every database now answers 422."""
    body = {"candidate_id": keys.candidate_id, "job_id": job_id(loaded, "j-gnss"), "note": "call\u0000me"}
    response = client.post("/referrals", headers=bearer(keys.partner), json=body)
    assert response.status_code == 422 and "NUL" in response.json()["error"]["message"]
    assert client.get("/referrals", headers=bearer(keys.partner)).json() == []
    body["note"] = "call me"
    assert client.post("/referrals", headers=bearer(keys.partner), json=body).status_code == 201


def test_accepting_a_referral_unmasks_the_candidate_for_that_partner(
    client: TestClient, loaded: Platform, keys: Keys
) -> None:
    with loaded.session() as session:
        name = session.get(Candidate, keys.candidate_id).name  # type: ignore[union-attr]
    target = job_id(loaded, "j-gnss")
    rid = client.post(
        "/referrals", headers=bearer(keys.partner), json={"candidate_id": keys.candidate_id, "job_id": target}
    ).json()["id"]
    assert name not in client.get(f"/candidates/{keys.candidate_id}", headers=bearer(keys.partner)).text
    assert client.post(f"/referrals/{rid}/accept", headers=bearer(keys.candidate)).json()["accepted"] is True
    assert client.get(f"/candidates/{keys.candidate_id}", headers=bearer(keys.partner)).json()["name"] == name
    assert name not in client.get(f"/candidates/{keys.candidate_id}", headers=bearer(keys.other_partner)).text
    # Consenting and then withdrawing masks them again, the accepted referral notwithstanding.
    firm = client.get("/me", headers=bearer(keys.partner)).json()["organization_id"]
    client.put(f"/me/consents/{firm}", headers=bearer(keys.candidate))
    assert client.delete(f"/me/consents/{firm}", headers=bearer(keys.candidate)).status_code == 204
    assert name not in client.get(f"/candidates/{keys.candidate_id}", headers=bearer(keys.partner)).text
    closed = client.post(f"/jobs/{target}/close", headers=bearer(keys.enterprise))
    assert closed.status_code == 404  # not the enterprise's job


def test_erasure_removes_the_candidate_everywhere(client: TestClient, loaded: Platform, keys: Keys) -> None:
    target = job_id(loaded, "j-gnss")
    client.post("/referrals", headers=bearer(keys.partner), json={"candidate_id": keys.candidate_id, "job_id": target})
    filed = client.post(
        "/feedback",
        headers=bearer(keys.candidate),
        json={"policy_key": "living_subsidy", "message": "When is it paid?"},
    )
    assert filed.status_code == 201, filed.text
    exported = client.get("/me/export", headers=bearer(keys.candidate)).json()
    assert exported["profile"]["id"] == keys.candidate_id and exported["referrals"]
    assert [f["message"] for f in exported["feedback"]] == ["When is it paid?"]
    with loaded.session() as session:
        name = session.get(Candidate, keys.candidate_id).name  # type: ignore[union-attr]
    found = client.get("/search/candidates", headers=bearer(keys.admin), params={"q": "satellite navigation GNSS"})
    assert keys.candidate_id in [item["id"] for item in found.json()["items"]]

    assert client.delete("/me", headers=bearer(keys.candidate)).status_code == 204

    assert client.get("/me", headers=bearer(keys.candidate)).status_code == 401  # the account went too
    assert client.get(f"/candidates/{keys.candidate_id}", headers=bearer(keys.admin)).status_code == 404
    found = client.get("/search/candidates", headers=bearer(keys.admin), params={"q": "satellite navigation GNSS"})
    assert keys.candidate_id not in [item["id"] for item in found.json()["items"]]
    matches = client.get(f"/jobs/{target}/matches", headers=bearer(keys.admin), params={"limit": 100}).json()
    assert keys.candidate_id not in [item["id"] for item in matches["items"]]
    assert client.get("/referrals", headers=bearer(keys.partner)).json() == []
    assert client.get("/feedback", headers=bearer(keys.admin)).json() == []  # their feedback went with them
    with loaded.session() as session:
        assert not loaded.matching(session).index("candidates").contains(keys.candidate_id)
        out = io.StringIO()
        export_jsonl(session, "candidates", out)
        assert name not in out.getvalue() and out.getvalue().count("\n") == 9
        trail = session.scalars(select(AuditEvent).where(AuditEvent.subject == f"candidate:{keys.candidate_id}")).all()
        assert "candidate.erase" in [e.action for e in trail]
        assert name not in json.dumps([e.detail for e in trail], ensure_ascii=False)


def test_an_enterprise_edits_and_closes_its_job(client: TestClient, keys: Keys) -> None:
    posted = client.post(
        "/jobs",
        headers=bearer(keys.enterprise),
        json={"title": "会计", "description": "负责总账与报表", "location": "郑州"},
    ).json()
    assert posted["occupation_code"] == "2-06-03-00"
    edited = client.patch(
        f"/jobs/{posted['id']}",
        headers=bearer(keys.enterprise),
        json={"title": "Java开发工程师（高新区）15-25K", "requirements": "计算机类相关专业本科及以上"},
    )
    assert edited.status_code == 200, edited.text
    job = edited.json()
    assert job["occupation_code"] == "2-02-10-03" and job["location"] == "郑州"  # re-normalized; the rest kept
    assert job["major_source"] == "text" and job["min_degree"] == "none"
    found = client.get("/search/jobs", params={"q": "Java 开发工程师", "limit": 3}).json()["items"]
    assert posted["id"] in [item["id"] for item in found]
    other = client.patch(
        f"/jobs/{posted['id']}", headers=bearer(keys.enterprise), json={"salary_min": 9, "salary_max": 1}
    )
    assert other.status_code == 422 and "salary_min" in other.json()["error"]["message"]
    assert client.post(f"/jobs/{posted['id']}/close", headers=bearer(keys.enterprise)).json()["closed_at"]
    found = client.get("/search/jobs", params={"q": "Java 开发工程师", "limit": 10}).json()["items"]
    assert posted["id"] not in [item["id"] for item in found]
    refused = client.post(
        "/referrals", headers=bearer(keys.partner), json={"candidate_id": keys.candidate_id, "job_id": posted["id"]}
    )
    assert refused.status_code == 422 and "closed" in refused.json()["error"]["message"]
    assert (
        client.patch(f"/jobs/{posted['id']}", headers=bearer(keys.enterprise), json={"title": "x"}).status_code == 409
    )


def test_a_mistaken_move_is_corrected_through_the_api_with_a_reason(
    client: TestClient, loaded: Platform, keys: Keys
) -> None:
    own_job = client.post("/jobs", headers=bearer(keys.enterprise), json={"title": "北斗导航算法工程师"}).json()["id"]
    body = {"candidate_id": keys.candidate_id, "job_id": own_job}
    rid = client.post("/referrals", headers=bearer(keys.partner), json=body).json()["id"]
    for stage in ("contacted", "interviewing"):
        assert client.post(f"/referrals/{rid}/stage", headers=bearer(keys.partner), json={"stage": stage}).is_success
    path = f"/referrals/{rid}/correct"
    no_reason = client.post(path, headers=bearer(keys.partner), json={"stage": "contacted", "reason": " "})
    assert no_reason.status_code == 422 and "reason" in no_reason.text
    forward = client.post(path, headers=bearer(keys.partner), json={"stage": "offered", "reason": "typo"})
    assert forward.status_code == 409
    assert (
        client.post(path, headers=bearer(keys.candidate), json={"stage": "referred", "reason": "x"}).status_code == 403
    )
    corrected = client.post(
        path, headers=bearer(keys.partner), json={"stage": "contacted", "reason": "interview not set"}
    )
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["stage"] == "contacted"
    assert [e["stage"] for e in corrected.json()["events"]] == ["referred", "contacted", "interviewing", "contacted"]
    with loaded.session() as session:
        audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.correct")).one()
        assert audit.detail["reason"] == "interview not set"
