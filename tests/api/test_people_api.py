"""One person's records through the API: the office reads the review queue and a person's records, gives its
verdict (audited), unlinks; bad input is a 4xx with a JSON message and changes nothing."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from matcher.platform import Platform
from matcher.store.models import AuditEvent
from tests.api.conftest import Keys, bearer
from tests.people_records import import_records


@pytest.fixture
def client(loaded: Platform, keys: Keys) -> Iterator[TestClient]:
    with TestClient(create_app(platform=loaded)) as client:
        yield client


@pytest.fixture
def ids(loaded: Platform) -> list[int]:
    return import_records(loaded)


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
