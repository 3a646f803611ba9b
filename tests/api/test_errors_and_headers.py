"""One JSON error shape everywhere, documented in the spec; the security headers on every answer."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.app import create_app
from matcher.platform import Platform
from tests.api.conftest import Keys, bearer
from tests.conftest import platform_like

API_POLICY = "default-src 'none'"


@pytest.fixture
def client(loaded: Platform) -> Iterator[TestClient]:
    app = create_app(platform=platform_like(loaded, loaded.settings.model_copy(update={"api_rate_limit": 10_000})))

    @app.get("/boom", include_in_schema=False)
    def boom() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _error(response: Response, status: int, code: str) -> dict[str, str]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"} and body["error"]["code"] == code
    return dict(body["error"])


def test_a_server_error_is_json_with_the_security_headers(client: TestClient) -> None:
    response = client.get("/boom")
    error = _error(response, 500, "internal_error")
    assert "a bug" not in error["message"]  # the log has the error; the client gets no internals
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"].startswith(API_POLICY)


def test_trace_and_other_methods_a_route_does_not_take_answer_405_with_allow(client: TestClient) -> None:
    response = client.request("TRACE", "/health")
    _error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == "GET"
    assert client.request("TRACE", "/me/export").headers["allow"] == "GET"
    assert set(client.request("DELETE", "/console/login").headers["allow"].split(", ")) == {"GET", "POST"}
    static = client.request("TRACE", "/console/static/console.css")
    assert static.status_code == 405 and set(static.headers["allow"].split(", ")) == {"GET", "HEAD"}


def test_bodies_that_cannot_be_parsed_are_told_so_in_the_error_shape(client: TestClient, keys: Keys) -> None:
    not_json = client.post("/signup", content=b'{"name": ', headers={"content-type": "application/json"})
    assert "the body is not valid JSON" in _error(not_json, 422, "invalid")["message"]
    broken = client.post(
        "/me/resume", content=b"garbage", headers={**bearer(keys.candidate), "content-type": "multipart/form-data"}
    )
    assert "could not be parsed" in _error(broken, 400, "bad_request")["message"]


def test_the_spec_documents_the_error_shape_for_every_status_and_the_key(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer", "description": schemes["bearer"]["description"]}
    assert schemes["apiKey"]["in"] == "header" and schemes["apiKey"]["name"] == "X-API-Key"
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            expected = {"401", "404", "422", "429", "500", "503"} | (
                {"400", "413"} if "requestBody" in operation else set()
            )
            errors = {status for status in operation["responses"] if status >= "400"}
            assert expected <= errors, where
            assert all(operation["responses"][status]["content"] == error for status in errors), where
            assert {"bearer": []} in operation["security"], where
    assert {} in spec["paths"]["/health"]["get"]["security"]  # public: the key is optional
    assert {} not in spec["paths"]["/me/export"]["get"]["security"]


def test_every_answer_has_the_security_headers_and_personal_ones_are_not_stored(client: TestClient, keys: Keys) -> None:
    health = client.get("/health")
    assert health.headers["x-frame-options"] == "DENY" and health.headers["x-content-type-options"] == "nosniff"
    assert health.headers["content-security-policy"].startswith(API_POLICY) and "no-store" not in health.headers.get(
        "cache-control", ""
    )
    me = client.get("/me/export", headers=bearer(keys.candidate))
    candidate = client.get(f"/candidates/{keys.candidate_id}", headers=bearer(keys.admin))
    for response in (me, candidate):
        assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    docs = client.get("/docs")
    assert (
        docs.headers["x-frame-options"] == "DENY"
        and "frame-ancestors 'none'" in docs.headers["content-security-policy"]
    )
    page = client.get("/console/login")
    policy = page.headers["content-security-policy"]
    assert (
        "script-src 'self'" in policy
        and "frame-ancestors 'none'" in policy
        and "'unsafe-inline'" not in policy.split("style-src-attr")[0]
    )
    static = client.get("/console/static/console.css")
    assert static.status_code == 200 and "no-store" not in static.headers.get("cache-control", "")
