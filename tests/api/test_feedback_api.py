"""The feedback channel (监督反馈) through the API: authors file on referrals they may see or on policies, see only
their own; the office lists, answers and closes, and every step is audited."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import MODULES, create_app
from api.routes import feedback, reports
from matcher.platform import Platform
from matcher.store.models import AuditEvent
from tests.api.conftest import Keys, bearer


def app_with_reports_and_feedback(platform: Platform) -> FastAPI:
    """The app, with the feedback and report routers added if api.app does not include them yet."""
    app = create_app(platform=platform)
    for module in (feedback, reports):
        if module not in MODULES:
            app.include_router(module.router)
    return app


@pytest.fixture
def client(loaded: Platform, keys: Keys) -> Iterator[TestClient]:
    with TestClient(app_with_reports_and_feedback(loaded)) as client:
        yield client


def _referral(client: TestClient, keys: Keys) -> int:
    """A referral of the keyed candidate, by partner A, to a job the keyed enterprise posts."""
    job = client.post("/jobs", headers=bearer(keys.enterprise), json={"title": "北斗导航算法工程师"}).json()["id"]
    made = client.post(
        "/referrals", headers=bearer(keys.partner), json={"candidate_id": keys.candidate_id, "job_id": job}
    )
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_authors_file_feedback_on_what_they_may_see(client: TestClient, keys: Keys) -> None:
    rid = _referral(client, keys)
    for key in (keys.candidate, keys.partner, keys.enterprise):
        filed = client.post("/feedback", headers=bearer(key), json={"referral_id": rid, "message": "进展太慢"})
        assert filed.status_code == 201, filed.text
        assert filed.json()["topic"] == "referral" and filed.json()["status"] == "open"
    policy = client.post(
        "/feedback", headers=bearer(keys.candidate), json={"policy_key": "living_subsidy", "message": "何时发放？"}
    )
    assert policy.status_code == 201
    assert policy.json() | {"id": 0, "created_at": ""} == {
        "id": 0,
        "account_id": policy.json()["account_id"],
        "author_role": "candidate",
        "topic": "policy",
        "referral_id": None,
        "policy_key": "living_subsidy",
        "message": "何时发放？",
        "status": "open",
        "answer": "",
        "created_at": "",
        "answered_at": None,
        "closed_at": None,
    }
    # Another firm cannot see the referral, so it cannot file on it: 404, as for any record it may not see.
    hidden = client.post("/feedback", headers=bearer(keys.other_partner), json={"referral_id": rid, "message": "x"})
    assert hidden.status_code == 404
    assert (
        client.post(
            "/feedback", headers=bearer(keys.admin), json={"policy_key": "living_subsidy", "message": "x"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"policy_key": "no_such_policy", "message": "?"}, 404, "unknown policy 'no_such_policy'"),
        ({"message": "about nothing"}, 422, "policy_key: Field required"),
        ({"policy_key": "living_subsidy", "referral_id": 1, "message": "both"}, 422, "should be None"),
        ({"policy_key": "living_subsidy", "message": ""}, 422, "message"),
        ({"policy_key": "living_subsidy", "message": "   "}, 422, "message"),
        ({"policy_key": "living_subsidy", "message": "长" * 5001}, 422, "message"),
    ],
)
def test_bad_feedback_is_refused_with_a_reason(
    client: TestClient, keys: Keys, body: dict[str, object], status: int, says: str
) -> None:
    refused = client.post("/feedback", headers=bearer(keys.candidate), json=body)
    assert refused.status_code == status and says in refused.text, refused.text
    assert client.get("/feedback", headers=bearer(keys.admin)).json() == []


def test_a_message_of_5000_characters_is_accepted(client: TestClient, keys: Keys) -> None:
    body = {"policy_key": "talent_apartment", "message": "长" * 5000}
    assert client.post("/feedback", headers=bearer(keys.partner), json=body).status_code == 201


def test_the_office_answers_and_closes_and_authors_see_only_their_own(
    client: TestClient, loaded: Platform, keys: Keys
) -> None:
    rid = _referral(client, keys)

    def file(key: str, body: dict[str, object]) -> int:
        response = client.post("/feedback", headers=bearer(key), json=body)
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    mine = file(keys.candidate, {"referral_id": rid, "message": "合伙人没有联系我"})
    theirs = file(keys.partner, {"policy_key": "settling_subsidy", "message": "安家补贴的发放节奏？"})
    colleague = file(keys.partner_colleague, {"policy_key": "children_school", "message": "子女入学怎么申请？"})

    def listed(key: str, status: str | None = None) -> list[int]:
        response = client.get("/feedback", headers=bearer(key), params={"status": status} if status else None)
        assert response.status_code == 200, response.text
        return [row["id"] for row in response.json()]

    assert listed(keys.admin) == [colleague, theirs, mine]  # newest first
    assert listed(keys.candidate) == [mine] and listed(keys.partner) == [theirs]
    assert listed(keys.enterprise) == [] and listed(keys.other_partner) == []
    assert client.get(f"/feedback/{theirs}", headers=bearer(keys.candidate)).status_code == 404
    assert client.get(f"/feedback/{theirs}", headers=bearer(keys.partner_colleague)).status_code == 404

    # Only the office answers and closes.
    for key in (keys.candidate, keys.partner, keys.enterprise):
        assert client.post(f"/feedback/{mine}/answer", headers=bearer(key), json={"answer": "x"}).status_code == 403
        assert client.post(f"/feedback/{mine}/close", headers=bearer(key)).status_code == 403
    assert client.post(f"/feedback/{mine}/answer", headers=bearer(keys.admin), json={"answer": ""}).status_code == 422
    answered = client.post(f"/feedback/{mine}/answer", headers=bearer(keys.admin), json={"answer": "已督促合伙人联系"})
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "answered" and answered.json()["answered_at"] is not None
    seen = client.get(f"/feedback/{mine}", headers=bearer(keys.candidate)).json()
    assert (seen["status"], seen["answer"], seen["closed_at"]) == ("answered", "已督促合伙人联系", None)
    again = client.post(f"/feedback/{mine}/answer", headers=bearer(keys.admin), json={"answer": "再答"})
    assert again.status_code == 409 and "already answered" in again.json()["error"]["message"]

    assert listed(keys.admin, "open") == [colleague, theirs] and listed(keys.admin, "answered") == [mine]
    assert listed(keys.candidate, "open") == []
    bad = client.get("/feedback", headers=bearer(keys.admin), params={"status": "pending"})
    assert bad.status_code == 422 and "'open', 'answered' or 'closed'" in bad.json()["error"]["message"]

    # Closing: from answered, and straight from open; never twice, and a closed one cannot be answered.
    for fid in (mine, theirs):
        closed = client.post(f"/feedback/{fid}/close", headers=bearer(keys.admin))
        assert closed.status_code == 200 and closed.json()["status"] == "closed" and closed.json()["closed_at"]
    assert client.get(f"/feedback/{theirs}", headers=bearer(keys.partner)).json()["answer"] == ""
    assert client.post(f"/feedback/{mine}/close", headers=bearer(keys.admin)).status_code == 409
    late = client.post(f"/feedback/{theirs}/answer", headers=bearer(keys.admin), json={"answer": "晚了"})
    assert late.status_code == 409 and "already closed" in late.json()["error"]["message"]
    assert listed(keys.admin, "closed") == [theirs, mine]
    assert client.post("/feedback/999999/close", headers=bearer(keys.admin)).status_code == 404

    with loaded.session() as session:
        trail = session.execute(
            select(AuditEvent.action, AuditEvent.subject, AuditEvent.actor_role)
            .where(AuditEvent.action.startswith("feedback."))
            .order_by(AuditEvent.id)
        ).all()
    assert [tuple(row) for row in trail] == [
        ("feedback.create", f"feedback:{mine}", "candidate"),
        ("feedback.create", f"feedback:{theirs}", "partner"),
        ("feedback.create", f"feedback:{colleague}", "partner"),
        ("feedback.answer", f"feedback:{mine}", "admin"),
        ("feedback.close", f"feedback:{mine}", "admin"),
        ("feedback.close", f"feedback:{theirs}", "admin"),
    ]


def test_feedback_needs_a_key(client: TestClient) -> None:
    assert client.get("/feedback").status_code == 401
    assert client.post("/feedback", json={"policy_key": "living_subsidy", "message": "x"}).status_code == 401
