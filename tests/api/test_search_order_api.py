"""GET /search/candidates and /search/jobs in another order than best fit."""

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


def test_newest_first_among_the_best_and_an_unknown_order_refused(client: TestClient, keys: Keys) -> None:
    staff = bearer(keys.partner)
    params = {"q": "卫星导航 GNSS", "limit": 100}
    fit = [m["id"] for m in client.get("/search/candidates", headers=staff, params=params).json()["items"]]
    newest = client.get("/search/candidates", headers=staff, params={**params, "order": "newest"}).json()["items"]
    assert [m["id"] for m in newest] == sorted(fit, reverse=True) and fit != sorted(fit, reverse=True)
    jobs = client.get("/search/jobs", headers=staff, params={**params, "order": "newest"}).json()["items"]
    assert [m["id"] for m in jobs] == sorted((m["id"] for m in jobs), reverse=True)
    refused = client.get("/search/candidates", headers=staff, params={**params, "order": "salary"})
    assert refused.status_code == 422 and "order" in refused.text
