"""Certification, policies and the partners' reward ledger through the API: reasons on every decision, and a
changed rule in the YAML changing the decision."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from matcher.platform import Platform
from matcher.store.models import AuditEvent
from tests.api.conftest import Keys, bearer
from tests.conftest import platform_like

CERTIFICATION_YAML = Path(__file__).resolve().parents[2] / "matcher" / "data" / "certification.yaml"


@pytest.fixture
def client(loaded: Platform, keys: Keys) -> Iterator[TestClient]:
    with TestClient(create_app(platform=loaded)) as client:
        yield client


def test_certification_gives_a_tier_with_a_reason_for_every_criterion(client: TestClient, keys: Keys) -> None:
    response = client.get(f"/candidates/{keys.candidate_id}/certification", headers=bearer(keys.candidate))
    assert response.status_code == 200, response.text
    decision = response.json()
    assert decision["eligible"] and decision["tier"] in "ABCD"
    assert decision["criteria"] and all(c["reason"] and c["reason_zh"] for c in decision["criteria"])
    assert decision["age"] == 30
    policies = client.get(f"/candidates/{keys.candidate_id}/policies", headers=bearer(keys.candidate)).json()
    assert policies["tier"] == decision["tier"] and policies["policies"]
    assert all(p["eligible"] and p["rule"] for p in policies["policies"])
    everything = client.get(f"/candidates/{keys.candidate_id}/policies?all=true", headers=bearer(keys.admin)).json()
    assert len(everything["policies"]) >= len(policies["policies"])
    assert (
        client.get(f"/candidates/{keys.candidate_id + 1}/policies", headers=bearer(keys.candidate)).status_code == 404
    )


def test_a_decision_on_a_day_at_the_end_of_the_calendar_is_a_422(client: TestClient, keys: Keys) -> None:
    """Found by the OpenAPI fuzz run: the priority list behind the decision overflowed at 0001-01-01 or 9999-12-31.
    Days are now those of 2000 to 2099, and the spec says so."""
    for route in ("certification", "policies"):
        for as_of in ("0001-01-01", "9999-12-31"):
            url = f"/candidates/{keys.candidate_id}/{route}?as_of={as_of}"
            response = client.get(url, headers=bearer(keys.admin))
            assert response.status_code == 422 and "2000-01-01 to 2099-12-31" in response.json()["error"]["message"]


def test_a_changed_yaml_rule_changes_the_decision(
    client: TestClient, loaded: Platform, keys: Keys, tmp_path: Path
) -> None:
    before = client.get(f"/candidates/{keys.candidate_id}/certification", headers=bearer(keys.admin)).json()
    stricter = tmp_path / "certification.yaml"
    config = yaml.safe_load(CERTIFICATION_YAML.read_text(encoding="utf-8"))
    config["age_limits"] = {level: 25 for level in config["age_limits"]}  # the office lowers the age limit
    for tier in config["tiers"]:
        for rule in tier["rules"]:
            if "max_age" in rule:
                rule["max_age"] = 25
    stricter.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    settings = loaded.settings.model_copy(update={"certification_config": stricter})
    with TestClient(create_app(platform=platform_like(loaded, settings))) as strict:
        after = strict.get(f"/candidates/{keys.candidate_id}/certification", headers=bearer(keys.admin)).json()
    assert after["criteria_version"] != before["criteria_version"]
    assert (after["tier"], after["rule"]) != (before["tier"], before["rule"])
    age = [c for c in after["criteria"] if c["key"] == "age"]
    assert age and not age[0]["passed"] and "25" in age[0]["reason"]


def test_a_certified_hire_puts_the_partners_reward_in_the_ledger(client: TestClient, keys: Keys) -> None:
    job = client.post("/jobs", headers=bearer(keys.enterprise), json={"title": "北斗导航算法工程师"}).json()["id"]
    rid = client.post(
        "/referrals", headers=bearer(keys.partner), json={"candidate_id": keys.candidate_id, "job_id": job}
    ).json()["id"]
    for key, stage in [
        (keys.partner, "contacted"),
        (keys.partner, "interviewing"),
        (keys.enterprise, "offered"),
        (keys.enterprise, "hired"),
    ]:
        assert client.post(f"/referrals/{rid}/stage", headers=bearer(key), json={"stage": stage}).status_code == 200
    assert client.get("/rewards", headers=bearer(keys.partner)).json() == []
    certified = client.post(f"/referrals/{rid}/stage", headers=bearer(keys.admin), json={"stage": "certified"}).json()
    assert certified["tier"] in "ABCD" and certified["reward"] > 0
    ledger = client.get("/rewards", headers=bearer(keys.partner)).json()
    assert [(r["referral_id"], r["status"], r["reward"]) for r in ledger] == [(rid, "owed", certified["reward"])]
    assert client.get("/rewards", headers=bearer(keys.other_partner)).json() == []
    client.post(f"/referrals/{rid}/stage", headers=bearer(keys.admin), json={"stage": "rewarded"})
    paid = client.get("/rewards", headers=bearer(keys.admin)).json()
    assert paid[0]["status"] == "paid" and paid[0]["paid_at"] >= paid[0]["certified_at"]


def test_a_partner_sees_a_decision_only_with_the_candidates_consent(
    client: TestClient, loaded: Platform, keys: Keys
) -> None:
    path = f"/candidates/{keys.candidate_id}/certification"
    refused = client.get(path, headers=bearer(keys.partner))
    assert refused.status_code == 403 and "consented" in refused.json()["error"]["message"]
    partner = client.get("/me", headers=bearer(keys.partner)).json()["organization_id"]
    assert client.put(f"/me/consents/{partner}", headers=bearer(keys.candidate)).status_code == 204
    assert client.get(path, headers=bearer(keys.partner)).status_code == 200
    assert client.get(path, headers=bearer(keys.other_partner)).status_code == 403
    with loaded.session() as session:
        views = session.scalars(select(AuditEvent).where(AuditEvent.detail["where"].as_string() == "certification"))
        assert [v.actor_role for v in views] == ["partner"]


def test_the_office_overrides_a_tier_through_the_api(client: TestClient, loaded: Platform, keys: Keys) -> None:
    path = f"/candidates/{keys.candidate_id}/certification"
    computed = client.get(path, headers=bearer(keys.admin)).json()
    assert computed["tier"] and computed["override"] is None
    chosen = "D" if computed["tier"] != "D" else "C"
    for key in (keys.partner, keys.candidate, keys.enterprise):
        body = {"tier": chosen, "reason": "mine"}
        assert client.post(f"{path}/override", headers=bearer(key), json=body).status_code == 403
    for body, status in (
        ({"tier": chosen, "reason": " "}, 422),
        ({"tier": chosen, "reason": "x" * 501}, 422),
        ({"tier": "DD", "reason": "x"}, 422),
        ({"tier": "Z", "reason": "x"}, 404),  # a letter the criteria do not name
        ({"tier": computed["tier"], "reason": "x"}, 409),  # no override: what the criteria give
    ):
        response = client.post(f"{path}/override", headers=bearer(keys.admin), json=body)
        assert response.status_code == status, (body, response.text)
    assert (
        client.post(f"{path}/override", headers=bearer(keys.admin), json={"reason": "no tier given"}).status_code == 422
    )

    set_ = client.post(f"{path}/override", headers=bearer(keys.admin), json={"tier": chosen, "reason": "专家评审"})
    assert set_.status_code == 200, set_.text
    body = set_.json()
    assert body["tier"] == chosen and body["override"]["computed_tier"] == computed["tier"]
    assert body["override"]["reason"] == "专家评审" and body["criteria"] == computed["criteria"]
    assert client.get(path, headers=bearer(keys.candidate)).json()["tier"] == chosen  # the candidate sees it too
    assert client.get(f"/candidates/{keys.candidate_id}/policies", headers=bearer(keys.admin)).json()["tier"] == chosen
    with loaded.session() as session:
        entry = session.scalars(select(AuditEvent).where(AuditEvent.action == "certification.override")).one()
        assert entry.subject == f"candidate:{keys.candidate_id}"
        assert (entry.detail["computed"], entry.detail["tier"], entry.detail["reason"]) == (
            computed["tier"],
            chosen,
            "专家评审",
        )

    none = client.post(f"{path}/override", headers=bearer(keys.admin), json={"tier": None, "reason": "撤回认定"})
    assert none.json()["tier"] is None and none.json()["eligible"] is False
    removed = client.delete(f"{path}/override", headers=bearer(keys.admin))
    assert (
        removed.status_code == 200 and removed.json()["tier"] == computed["tier"] and removed.json()["override"] is None
    )
    assert client.delete(f"{path}/override", headers=bearer(keys.admin)).status_code == 404
