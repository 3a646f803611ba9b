"""Interests and résumé deletion through the API, on both databases: a candidate tells a job's employer they are
interested (consent must be `true`), the employer lists them unmasked, the candidate lists and withdraws it (the
consent goes with it); a closed job, a second telling and a missing interest are refused; DELETE /me/resume
removes the résumé's text and keeps what was typed."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from matcher.platform import Platform
from matcher.store.models import Candidate, Job
from tests.api.conftest import ENTERPRISE, Keys, bearer
from tests.web.candidate_portal import RESUME

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def client(loaded: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform=loaded)) as client:
        yield client


def job_of(platform: Platform, external_id: str) -> int:
    with platform.session() as session:
        job = session.scalars(select(Job).where(Job.external_id == external_id)).first()
        assert job is not None
        return job.id


def test_an_interest_is_told_listed_seen_by_the_employer_and_withdrawn(
    client: TestClient, loaded: Platform, keys: Keys
) -> None:
    sec, me, hr = job_of(loaded, "j-sec"), bearer(keys.candidate), bearer(keys.enterprise)
    with loaded.session() as session:
        person = session.get(Candidate, keys.candidate_id)
        assert person is not None
        person.email = "gnss.person@example.invalid"
        name = person.name
    unconsented = client.post("/me/interests", headers=me, json={"job_id": sec, "consent": False})
    assert unconsented.status_code == 422 and "consent" in unconsented.json()["error"]["message"]
    assert client.get(f"/jobs/{sec}/interests", headers=hr).json() == []

    told = client.post("/me/interests", headers=me, json={"job_id": sec, "consent": True})
    assert told.status_code == 201, told.text
    body = told.json()
    assert (body["job_id"], body["employer"], body["withdrawn_at"]) == (sec, ENTERPRISE, None)
    twice = client.post("/me/interests", headers=me, json={"job_id": sec, "consent": True})
    assert twice.status_code == 409 and f"on {body['created_at'][:10]} that you are interested" in twice.text
    assert [i["job_id"] for i in client.get("/me/interests", headers=me).json()] == [sec]

    [seen] = client.get(f"/jobs/{sec}/interests", headers=hr).json()
    assert (seen["name"], seen["contact"], seen["masked"]) == (name, "gnss.person@example.invalid", False)
    matches = client.get(f"/jobs/{sec}/matches", headers=hr, params={"limit": 100}).json()["items"]
    assert any(m["id"] == keys.candidate_id and not m["masked"] for m in matches)  # the consent is the one store's

    other = job_of(loaded, "j-bms")  # 测试企业二: not this enterprise's job
    assert client.get(f"/jobs/{other}/interests", headers=hr).status_code == 404

    withdrawn = client.delete(f"/me/interests/{sec}", headers=me)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["consent_withdrawn"] is True and withdrawn.json()["consent_kept"] is None
    assert client.get(f"/jobs/{sec}/interests", headers=hr).json() == []
    matches = client.get(f"/jobs/{sec}/matches", headers=hr, params={"limit": 100}).json()["items"]
    assert all(m["masked"] for m in matches if m["id"] == keys.candidate_id)
    assert client.delete(f"/me/interests/{sec}", headers=me).status_code == 404
    assert client.get("/me/interests", headers=me).json()[0]["withdrawn_at"] is not None


def test_a_closed_job_or_one_off_the_platform_cannot_be_told(client: TestClient, loaded: Platform, keys: Keys) -> None:
    sec, me = job_of(loaded, "j-sec"), bearer(keys.candidate)
    assert client.post(f"/jobs/{sec}/close", headers=bearer(keys.enterprise)).status_code == 200
    closed = client.post("/me/interests", headers=me, json={"job_id": sec, "consent": True})
    assert closed.status_code == 404 and closed.json()["error"]["message"] == f"job {sec} is closed"
    nobody = client.post("/me/interests", headers=me, json={"job_id": job_of(loaded, "j-gnss"), "consent": True})
    assert nobody.status_code == 409 and "not on TalentBridge" in nobody.json()["error"]["message"]


def test_deleting_the_resume_keeps_the_profile(client: TestClient, loaded: Platform, keys: Keys) -> None:
    me = bearer(keys.candidate)
    assert client.delete("/me/resume", headers=me).status_code == 404  # none on file
    first = client.post("/me/resume", headers=me, files={"file": ("cv.docx", RESUME, DOCX)}).json()
    assert first["replaced_chars"] == 0
    again = client.post("/me/resume", headers=me, files={"file": ("cv.docx", RESUME, DOCX)}).json()
    with loaded.session() as session:
        person = session.get(Candidate, keys.candidate_id)
        assert person is not None
        stored, headline = len(person.resume_text), person.headline
    assert again["replaced_chars"] == stored > 0
    assert client.delete("/me/resume", headers=me).status_code == 204
    with loaded.session() as session:
        person = session.get(Candidate, keys.candidate_id)
        assert person is not None and person.resume_text == "" and person.headline == headline
