"""One person's records through the API: the office reads the review queue and a person's records, gives its
verdict (audited), unlinks; bad input is a 4xx with a JSON message and changes nothing."""

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from matcher.platform import Platform
from matcher.store.models import AuditEvent, Candidate
from tests.api.conftest import Keys, bearer

ORCID = "0000-0002-1825-0097"
RECORDS = [
    {"source": "orcid", "external_id": ORCID, "name": "Wenjing Li", "headline": "Hyperspectral remote sensing",
     "extras": {"orcid": ORCID}},
    {"source": "partner", "external_id": "p-1", "name": "李文静", "headline": "高光谱遥感",
     "summary": f"ORCID {ORCID}"},
    {"source": "crawl", "external_id": "z-1", "name": "Zhang Haoran", "headline": "Bridge structural design engineer",
     "education": [{"school": "Imperial College London", "degree": "MSc", "end_year": 2024}]},
    {"source": "partner", "external_id": "z-2", "name": "张浩然", "headline": "土木工程施工管理",
     "education": [{"school": "帝国理工学院", "degree": "硕士"}]},
]  # fmt: skip


@pytest.fixture
def client(loaded: Platform, keys: Keys) -> Iterator[TestClient]:
    with TestClient(create_app(platform=loaded)) as client:
        yield client


@pytest.fixture
def ids(loaded: Platform) -> list[int]:
    with loaded.session() as session:
        assert loaded.importer(session, "candidates").run([json.dumps(r, ensure_ascii=False) for r in RECORDS]).ok
    with loaded.session() as session:
        found = dict(session.execute(select(Candidate.external_id, Candidate.id)).all())
    return [found[r["external_id"]] for r in RECORDS]


def test_the_office_reviews_decides_and_unlinks(client: TestClient, keys: Keys, ids: list[int]) -> None:
    orcid, upload, first, second = ids
    office = bearer(keys.admin)
    person = client.get(f"/office/people/{upload}", headers=office).json()
    assert [r["id"] for r in person["records"]] == [orcid, upload] and person["person_id"] == orcid
    assert person["links"][0]["decided_by"] == "identifier"
    queue = client.get("/office/people/duplicates", headers=office).json()
    assert queue["total"] == 1 and (queue["pairs"][0]["first"]["id"], queue["pairs"][0]["second"]["id"]) == (
        first,
        second,
    )
    decided = client.post("/office/people/links", headers=office, json={"first": second, "second": first,
                                                                        "decision": "linked"})  # fmt: skip
    assert decided.status_code == 200 and {r["id"] for r in decided.json()["records"]} == {first, second}
    assert client.get("/office/people/duplicates", headers=office).json()["total"] == 0
    unlinked = client.post(f"/office/people/{upload}/unlink", headers=office)
    assert unlinked.json() == {"candidate_id": upload, "unlinked_from": [orcid]}
    assert client.get(f"/office/people/{upload}", headers=office).json()["person_id"] is None


def test_bad_verdicts_are_4xx_with_a_message_and_audited_verdicts_stay(
    client: TestClient, loaded: Platform, keys: Keys, ids: list[int]
) -> None:
    orcid, upload, first, _ = ids
    office = bearer(keys.admin)
    cases = [
        ({"first": first, "second": first, "decision": "linked"}, 422, "same record"),
        ({"first": first, "second": 99_999_999, "decision": "linked"}, 404, "not found"),
        ({"first": first, "second": orcid, "decision": "merge"}, 422, "decision"),
        ({"first": first, "second": orcid}, 422, "decision"),
    ]
    for body, status, words in cases:
        response = client.post("/office/people/links", headers=office, json=body)
        assert response.status_code == status and words in response.json()["error"]["message"], response.text
    assert client.post(f"/office/people/{first}/unlink", headers=office).status_code == 409
    stale = {"first": orcid, "second": upload, "decision": "apart", "expected": "review"}  # linked meanwhile
    refused = client.post("/office/people/links", headers=office, json=stale)
    assert refused.status_code == 409 and "decided meanwhile (linked)" in refused.json()["error"]["message"]
    apart = client.post("/office/people/links", headers=office, json={"first": orcid, "second": upload,
                                                                     "decision": "apart"})  # fmt: skip
    assert apart.status_code == 200 and apart.json()["person_id"] is None
    assert client.get("/office/people/0", headers=office).status_code == 422
    with loaded.session() as session:
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("people.%"))).all()
    assert actions == ["people.apart", "people.apart"]  # one entry per record
