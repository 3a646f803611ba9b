"""The OpenAPI spec says exactly what the API takes: what it refuses, the spec refuses too (enums, id ranges, the
days it decides as of, consent that must be given), and what the spec allows is not refused as malformed.
tests/api/test_openapi_fuzz.py checks the same for generated requests; these are the cases it found, named."""

from collections.abc import Iterator
from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes import feedback as feedback_routes
from api.routes import referrals as referral_routes
from api.routes import signup as signup_routes
from api.schemas import MAX_ID, DegreeName, EducationIn, ExperienceIn
from matcher.degrees import DegreeLevel, parse_degree
from matcher.ingest import registration
from matcher.office import feedback
from matcher.partners import referrals
from matcher.platform import Platform
from matcher.records import Education, Experience
from matcher.search.matching import ORDERS
from tests.api.conftest import Keys, bearer
from tests.api.test_registration_api import PROFILE


@pytest.fixture
def client(loaded: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform=loaded)) as client:
        yield client


@pytest.fixture
def spec(client: TestClient) -> dict[str, Any]:
    spec: dict[str, Any] = client.get("/openapi.json").json()
    return spec


def parameter(spec: dict[str, Any], method: str, path: str, name: str) -> dict[str, Any]:
    """The schema of one query or path parameter, without the null FastAPI adds to an optional one."""
    found = next(p for p in spec["paths"][path][method]["parameters"] if p["name"] == name)
    schema: dict[str, Any] = found["schema"]
    return next((s for s in schema.get("anyOf", []) if s.get("type") != "null"), schema)


def body_field(spec: dict[str, Any], model: str, name: str) -> dict[str, Any]:
    schema: dict[str, Any] = spec["components"]["schemas"][model]["properties"][name]
    return next((s for s in schema.get("anyOf", []) if s.get("type") != "null"), schema)


def error(response: Any, status: int) -> str:
    """The message of an error answer, after checking its status and its shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return str(body["error"]["message"])


def test_the_degree_names_are_those_matcher_degrees_reads_exactly() -> None:
    names = get_args(DegreeName)
    assert set(names) == {name for level in DegreeLevel for name in (level.label, level.label_zh)}
    assert all(parse_degree(name) is not None for name in names)


@pytest.mark.parametrize("path", ["/search/jobs", "/search/candidates", "/jobs/{job_id}/matches"])
def test_min_degree_is_an_enum_of_the_accepted_names(spec: dict[str, Any], path: str) -> None:
    assert parameter(spec, "get", path, "min_degree")["enum"] == list(get_args(DegreeName))


def test_an_unknown_min_degree_is_a_422_naming_the_accepted_values(client: TestClient) -> None:
    message = error(client.get("/search/jobs", params={"q": "engineer", "min_degree": "bogus"}), 422)
    assert "min_degree" in message and all(f"'{name}'" in message for name in ("master", "硕士", "doctorate"))
    assert client.get("/search/jobs", params={"q": "engineer", "min_degree": "硕士"}).status_code == 200


def test_a_posting_and_a_saved_search_take_the_same_degree_names(spec: dict[str, Any]) -> None:
    for model in ("JobIn", "JobPatch", "SavedSearchIn"):
        assert body_field(spec, model, "min_degree")["enum"] == list(get_args(DegreeName)), model


def test_statuses_stages_and_consent_methods_are_enums_of_the_domains_names(spec: dict[str, Any]) -> None:
    assert get_args(feedback_routes.Status) == feedback.STATUSES
    assert parameter(spec, "get", "/feedback", "status")["enum"] == list(feedback.STATUSES)
    every_stage = [*referrals.STAGES, referrals.CLOSED]
    assert list(get_args(referral_routes.Stage)) == every_stage
    assert list(get_args(referral_routes.NextStage)) == every_stage[1:]
    assert parameter(spec, "get", "/referrals", "stage")["enum"] == every_stage
    assert body_field(spec, "StageIn", "stage")["enum"] == every_stage[1:]  # a referral starts at `referred`
    assert parameter(spec, "get", "/search/candidates", "order")["enum"] == list(ORDERS)
    assert body_field(spec, "CorrectionIn", "stage")["enum"] == every_stage[: every_stage.index("hired") + 1]
    assert get_args(signup_routes.ConsentMethod) == registration.CONSENT_METHODS
    assert body_field(spec, "ConsentRecordIn", "method")["enum"] == list(registration.CONSENT_METHODS)


def test_unknown_statuses_and_stages_are_422s(client: TestClient, keys: Keys) -> None:
    admin = bearer(keys.admin)
    assert "status" in error(client.get("/feedback", headers=admin, params={"status": "pending"}), 422)
    assert "stage" in error(client.get("/referrals", headers=admin, params={"stage": "lost"}), 422)


def test_every_id_is_a_positive_int64_in_paths_and_bodies(spec: dict[str, Any]) -> None:
    path_ids = [
        (path, p["schema"])
        for path, operations in spec["paths"].items()
        for operation in operations.values()
        for p in operation.get("parameters", [])
        if p["in"] == "path" and p["name"].endswith("_id")
    ]
    assert len(path_ids) > 20
    for path, schema in path_ids:
        assert (schema["format"], schema["minimum"], schema["maximum"]) == ("int64", 1, MAX_ID), path
    body_ids = [("ReferralIn", "candidate_id"), ("ContactRequestIn", "job_id"), ("ShortlistIn", "candidate_id")]
    for model, name in body_ids:  # their bounds are written as floats: int64 is what says the range exactly
        field = body_field(spec, model, name)
        assert (field["format"], field["minimum"]) == ("int64", 1), (model, name)


def test_the_largest_id_is_a_404_and_the_next_a_422(client: TestClient, keys: Keys) -> None:
    assert "not found" in error(client.get(f"/jobs/{MAX_ID}"), 404)
    assert "job_id" in error(client.get(f"/jobs/{MAX_ID + 1}"), 422)
    assert "job_id" in error(client.get("/jobs/0"), 422)
    referral = {"candidate_id": MAX_ID, "job_id": MAX_ID, "note": ""}
    assert "not found" in error(client.post("/referrals", headers=bearer(keys.partner), json=referral), 404)
    too_large = {**referral, "candidate_id": MAX_ID + 1}
    assert "candidate_id" in error(client.post("/referrals", headers=bearer(keys.partner), json=too_large), 422)


def test_accept_terms_is_the_constant_true(client: TestClient, spec: dict[str, Any]) -> None:
    assert body_field(spec, "SignUpIn", "accept_terms")["const"] is True
    for refused in (False, 1, "true", None):
        message = error(client.post("/signup", json={**PROFILE, "accept_terms": refused}), 422)
        assert "accept_terms" in message and "terms must be accepted" in message, refused
    assert client.post("/signup", json={**PROFILE, "accept_terms": True}).status_code == 201


def test_a_profile_with_nothing_to_match_is_refused_by_the_schema_too(client: TestClient, spec: dict[str, Any]) -> None:
    assert len(spec["components"]["schemas"]["SignUpIn"]["anyOf"]) == 5  # headline, summary, skills, ...
    message = error(client.post("/signup", json={"name": "Nobody", "headline": "  ", "accept_terms": True}), 422)
    assert "at least one of headline" in message


@pytest.mark.parametrize("as_of", ["0", "1700000000", "1999-12-31", "2100-01-01", "2026-01-01T00:00:00"])
def test_as_of_is_a_day_of_2000_to_2099(client: TestClient, keys: Keys, as_of: str) -> None:
    assert "2000-01-01" in error(client.get("/majors/priority", params={"as_of": as_of}), 422)
    certification = f"/candidates/{keys.candidate_id}/certification"
    assert "as_of" in error(client.get(certification, headers=bearer(keys.admin), params={"as_of": as_of}), 422)


def test_as_of_declares_its_range(client: TestClient, keys: Keys, spec: dict[str, Any]) -> None:
    for path in ("/majors/priority", "/candidates/{candidate_id}/certification", "/candidates/{candidate_id}/policies"):
        schema = parameter(spec, "get", path, "as_of")
        assert (schema["format"], schema["pattern"]) == ("date", "^20[0-9]{2}-[0-9]{2}-[0-9]{2}$"), path
    assert client.get("/majors/priority", params={"as_of": "2000-01-01"}).status_code == 200
    certification = f"/candidates/{keys.candidate_id}/certification"
    assert client.get(certification, headers=bearer(keys.admin), params={"as_of": "2099-12-31"}).status_code == 200


def test_an_account_takes_what_its_role_needs_and_nothing_else(client: TestClient, keys: Keys) -> None:
    admin = bearer(keys.admin)
    for body, says in [
        ({"role": "partner", "name": "x"}, "organization"),
        ({"role": "admin", "name": "x", "organization": "甲"}, "organization"),
        ({"role": "candidate", "name": "x"}, "candidate_id"),
        ({"role": "admin", "name": "   "}, "name"),
    ]:
        assert says in error(client.post("/accounts", headers=admin, json=body), 422), body
    missing = {"role": "candidate", "name": "x", "candidate_id": MAX_ID}
    assert "no candidate profile" in error(client.post("/accounts", headers=admin, json=missing), 404)


def test_feedback_is_on_a_referral_or_on_a_policy(client: TestClient, keys: Keys, spec: dict[str, Any]) -> None:
    assert len(spec["paths"]["/feedback"]["post"]["requestBody"]["content"]["application/json"]["schema"]["oneOf"]) == 2
    candidate = bearer(keys.candidate)
    for body in ({"message": "about nothing"}, {"policy_key": "living_subsidy", "referral_id": 1, "message": "both"}):
        assert "policy_key" in error(client.post("/feedback", headers=candidate, json=body), 422), body
    unknown = {"policy_key": "no_such_policy", "message": "?"}
    assert "unknown policy 'no_such_policy'" in error(client.post("/feedback", headers=candidate, json=unknown), 404)
    with_null = {"policy_key": "living_subsidy", "referral_id": None, "message": "何时发放？"}
    assert client.post("/feedback", headers=candidate, json=with_null).status_code == 201


def test_null_leaves_a_profile_field_as_it_is(client: TestClient, keys: Keys) -> None:
    candidate = bearer(keys.candidate)
    before = client.get(f"/candidates/{keys.candidate_id}", headers=candidate).json()
    changed = client.patch("/me/profile", headers=candidate, json={"headline": None, "education": None, "email": None})
    assert changed.status_code == 200, changed.text
    after = changed.json()
    assert (after["headline"], after["education"]) == (before["headline"], before["education"])
    assert after["contact"] is None  # null empties the e-mail, the one field it can


def test_a_query_parameter_given_twice_is_a_422(client: TestClient) -> None:
    message = error(client.get("/search/jobs?q=engineer&location=郑州&location=上海"), 422)
    assert "location" in message and "once" in message
    assert client.get("/search/jobs?q=engineer&location=郑州").status_code == 200


@pytest.mark.parametrize("blank", ["   ", "\u0085", "\u001f", "\u3000\t"])
def test_a_blank_query_is_refused_by_the_schema_in_words(client: TestClient, spec: dict[str, Any], blank: str) -> None:
    assert parameter(spec, "get", "/search/jobs", "q")["pattern"] == "[^\\s\\x00\\x1c-\\x1f]"
    assert "q: Value error, it is empty" in error(client.get("/search/jobs", params={"q": blank}), 422)


def test_education_and_experience_count_lengths_as_sent(client: TestClient) -> None:
    """The records strip the spaces around a text before they count its length; the API counts it as sent, as the
    spec's maxLength does."""
    assert EducationIn.model_fields.keys() == Education.model_fields.keys()
    assert ExperienceIn.model_fields.keys() == Experience.model_fields.keys()
    padded = {**PROFILE, "experience": [{"title": "Engineer", "start": " " * 10 + "2020-01" * 2}], "accept_terms": True}
    assert "experience.0.start" in error(client.post("/signup", json=padded), 422)


def test_a_salary_currency_is_an_iso_4217_code(client: TestClient, keys: Keys, spec: dict[str, Any]) -> None:
    """Issue 16, point 7: any three letters were accepted (XYZ); the spec lists the codes and the API keeps to it."""
    job = {"title": "BMS engineer", "salary_min": 20000, "salary_max": 40000}
    for schema in ("JobIn", "JobPatch"):
        declared = spec["components"]["schemas"][schema]["properties"]["currency"]
        enum = declared.get("enum") or next(s["enum"] for s in declared["anyOf"] if "enum" in s)
        assert "CNY" in enum and "USD" in enum and "XYZ" not in enum and len(enum) == 155
    enterprise = bearer(keys.enterprise)
    assert "ISO 4217" in error(client.post("/jobs", headers=enterprise, json={**job, "currency": "XYZ"}), 422)
    posted = client.post("/jobs", headers=enterprise, json={**job, "currency": "HKD"})
    assert posted.status_code == 201 and posted.json()["currency"] == "HKD"
    patch = client.patch(f"/jobs/{posted.json()['id']}", headers=enterprise, json={"currency": "XYZ"})
    assert "ISO 4217" in error(patch, 422)
