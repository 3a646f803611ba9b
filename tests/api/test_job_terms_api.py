"""A job's terms through the API: openings, years of experience, job type and the last day to apply."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.platform import Platform
from tests.api.conftest import Keys, bearer


@pytest.fixture
def client(loaded: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform=loaded)) as client:
        yield client


def test_terms_are_posted_read_patched_and_cleared(client: TestClient, keys: Keys) -> None:
    hr = bearer(keys.enterprise)
    body = {
        "title": "北斗导航算法实习生",
        "openings": 2,
        "experience_years": 0,
        "employment_type": "internship",
        "valid_through": "2099-03-31",
    }
    made = client.post("/jobs", headers=hr, json=body)
    assert made.status_code == 201, made.text
    job = made.json()
    assert (job["openings"], job["experience_years"], job["employment_type"], job["valid_through"]) == (
        2,
        0.0,
        "internship",
        "2099-03-31",
    )
    patched = client.patch(f"/jobs/{job['id']}", headers=hr, json={"openings": None, "employment_type": "full_time"})
    assert patched.status_code == 200, patched.text
    assert (patched.json()["openings"], patched.json()["employment_type"]) == (None, "full_time")
    assert patched.json()["valid_through"] == "2099-03-31"
    assert client.get(f"/jobs/{job['id']}", headers=hr).json()["employment_type"] == "full_time"


@pytest.mark.parametrize(
    "bad",
    [
        {"openings": 0},
        {"experience_years": 51},
        {"employment_type": "forever"},
        {"valid_through": "next week"},
        {"posted_at": "2026-11-02", "valid_through": "2026-11-01"},
    ],
)
def test_bad_terms_are_refused_with_a_message(client: TestClient, keys: Keys, bad: dict[str, object]) -> None:
    refused = client.post("/jobs", headers=bearer(keys.enterprise), json={"title": "GNSS engineer", **bad})
    assert refused.status_code == 422 and refused.json()["error"]["message"]
