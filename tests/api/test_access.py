"""Who may call what: every route declares its roles, and a walk over the whole route × role matrix shows each
role let in or kept out as declared — and that personal data reaches only those who may see it."""

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import MODULES, create_app
from api.auth import Allow
from matcher.ingest.importer import ImportReport
from matcher.people.accounts import Role
from matcher.platform import Platform
from matcher.store import queries
from matcher.store.models import AuditEvent, Candidate, Job, Organization
from tests.api.conftest import ENTERPRISE, PARTNER_A, Keys, bearer, in_one_minute
from tests.conftest import platform_like

PUBLIC = "public"
SIGNED = frozenset(Role)
STAFF = frozenset({Role.admin, Role.partner, Role.enterprise})
ADVISERS = frozenset({Role.admin, Role.partner, Role.candidate})
A, P, E, C = Role.admin, Role.partner, Role.enterprise, Role.candidate

# Every route of the API and who may call it. DELETE /me (erasure) goes last: it removes the candidate's account.
MATRIX: dict[tuple[str, str], frozenset[Role] | str] = {
    ("GET", "/health"): PUBLIC,
    ("GET", "/jobs/{job_id}"): PUBLIC,
    ("GET", "/search/jobs"): PUBLIC,
    ("GET", "/majors/map"): PUBLIC,
    ("GET", "/occupations/map"): PUBLIC,
    ("GET", "/majors/priority"): PUBLIC,
    ("POST", "/signup"): PUBLIC,
    ("POST", "/candidates"): frozenset({P}),
    ("PATCH", "/me/profile"): frozenset({C}),
    ("POST", "/saved-searches"): frozenset({P}),
    ("GET", "/saved-searches"): frozenset({P}),
    ("GET", "/saved-searches/{search_id}/results"): frozenset({P}),
    ("DELETE", "/saved-searches/{search_id}"): frozenset({P}),
    ("POST", "/jobs/{job_id}/shortlist"): frozenset({P}),
    ("GET", "/jobs/{job_id}/shortlist"): frozenset({P}),
    ("DELETE", "/jobs/{job_id}/shortlist/{candidate_id}"): frozenset({P}),
    ("POST", "/accounts"): frozenset({A}),
    ("GET", "/accounts/keys"): frozenset({A}),
    ("DELETE", "/accounts/keys/{prefix}"): frozenset({A}),
    ("GET", "/me"): SIGNED,
    ("GET", "/candidates/{candidate_id}"): SIGNED,
    ("GET", "/candidates/{candidate_id}/matches"): ADVISERS,
    ("GET", "/candidates/{candidate_id}/industries"): ADVISERS,
    ("GET", "/jobs/{job_id}/matches"): STAFF,
    ("GET", "/search/candidates"): STAFF,
    ("POST", "/jobs"): frozenset({E}),
    ("PATCH", "/jobs/{job_id}"): frozenset({E}),
    ("POST", "/jobs/{job_id}/close"): frozenset({E}),
    ("POST", "/referrals"): frozenset({P}),
    ("GET", "/referrals"): SIGNED,
    ("GET", "/referrals/{referral_id}"): SIGNED,
    ("POST", "/referrals/{referral_id}/stage"): STAFF,
    ("POST", "/referrals/{referral_id}/correct"): STAFF,
    ("POST", "/referrals/{referral_id}/accept"): frozenset({C}),
    ("POST", "/contact-requests"): frozenset({E, P}),
    ("GET", "/contact-requests"): frozenset({C, E, P}),
    ("POST", "/contact-requests/{request_id}/accept"): frozenset({C}),
    ("POST", "/contact-requests/{request_id}/decline"): frozenset({C}),
    ("GET", "/candidates/{candidate_id}/certification"): ADVISERS,
    ("GET", "/candidates/{candidate_id}/policies"): ADVISERS,
    ("POST", "/candidates/{candidate_id}/certification/override"): frozenset({A}),
    ("DELETE", "/candidates/{candidate_id}/certification/override"): frozenset({A}),
    ("GET", "/rewards"): frozenset({A, P}),
    ("GET", "/office/people/duplicates"): frozenset({A}),
    ("GET", "/office/people/{candidate_id}"): frozenset({A}),
    ("POST", "/office/people/links"): frozenset({A}),
    ("POST", "/office/people/{candidate_id}/unlink"): frozenset({A}),
    ("POST", "/feedback"): frozenset({C, E, P}),
    ("GET", "/feedback"): SIGNED,
    ("GET", "/feedback/{feedback_id}"): SIGNED,
    ("POST", "/feedback/{feedback_id}/answer"): frozenset({A}),
    ("POST", "/feedback/{feedback_id}/close"): frozenset({A}),
    ("GET", "/reports/referrals"): frozenset({A}),
    ("GET", "/reports/placements"): frozenset({A}),
    ("GET", "/reports/rewards"): frozenset({A}),
    ("PUT", "/me/consents/{organization_id}"): frozenset({C}),
    ("DELETE", "/me/consents/{organization_id}"): frozenset({C}),
    ("PUT", "/me/visibility"): frozenset({C}),
    ("POST", "/me/resume"): frozenset({C}),
    ("DELETE", "/me/resume"): frozenset({C}),
    ("POST", "/me/interests"): frozenset({C}),
    ("GET", "/me/interests"): frozenset({C}),
    ("DELETE", "/me/interests/{job_id}"): frozenset({C}),
    ("GET", "/jobs/{job_id}/interests"): frozenset({E}),
    ("GET", "/me/export"): frozenset({C}),
    ("DELETE", "/me"): frozenset({C}),
}


@pytest.fixture
def app_client(loaded: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform=loaded)) as client:
        yield client


def declared(route: APIRoute) -> Allow:
    """The one Allow among a route's dependencies (a route with none or two is a mistake)."""
    found: list[Allow] = []
    stack = list(route.dependant.dependencies)
    while stack:
        dependency = stack.pop()
        if isinstance(dependency.call, Allow):
            found.append(dependency.call)
        stack.extend(dependency.dependencies)
    assert len(found) == 1, f"{route.methods} {route.path} declares {len(found)} Allow dependencies"
    return found[0]


def test_every_route_declares_the_roles_the_matrix_expects() -> None:
    routes = [r for module in MODULES for r in module.router.routes if isinstance(r, APIRoute)]
    seen: dict[tuple[str, str], frozenset[Role] | str] = {}
    for route in routes:
        for method in route.methods:
            allow = declared(route)
            seen[(method, route.path)] = PUBLIC if allow.public else allow.roles
    assert seen == MATRIX


def _paths(loaded: Platform, keys: Keys) -> dict[str, Any]:
    with loaded.session() as session:
        job = queries.get_by_ref(Job, session=session, source="test", external_id="j-gnss")
        partner = session.scalar(select(Organization.id).where(Organization.name == PARTNER_A))
        assert job is not None
        return {
            "job_id": job.id,
            "candidate_id": keys.candidate_id,
            "referral_id": 1,
            "organization_id": partner,
            "prefix": "tb_x_00000000",
            "search_id": 1,
            "feedback_id": 1,
            "request_id": 1,
        }


def _call(client: TestClient, method: str, path: str, values: dict[str, Any], key: str | None) -> int:
    url = path.format(**values)
    params = {"q": "engineer"} if method == "GET" and ("map" in path or "search" in path) else None
    body = json.dumps({}) if method in ("POST", "PUT", "PATCH") else None
    headers = {**bearer(key), "content-type": "application/json"} if key else {"content-type": "application/json"}
    return client.request(method, url, params=params, content=body, headers=headers).status_code


def test_the_whole_route_by_role_matrix(app_client: TestClient, loaded: Platform, keys: Keys) -> None:
    values = _paths(loaded, keys)
    # Some routes also need the candidate's consent to the partner's firm (certification shows age and schools):
    # given here, so what the walk sees is the role check alone. Without it: test_office_api.
    consent = app_client.put(f"/me/consents/{values['organization_id']}", headers=bearer(keys.candidate))
    assert consent.status_code == 204
    for (method, path), allowed in MATRIX.items():
        anonymous = _call(app_client, method, path, values, None)
        if allowed == PUBLIC:
            assert anonymous not in (401, 403), (method, path, anonymous)
        else:
            assert anonymous == 401, (method, path, anonymous)
        for role in Role:
            status = _call(app_client, method, path, values, keys.of(role))
            let_in = allowed == PUBLIC or role in allowed
            assert (status not in (401, 403)) if let_in else status == 403, (method, path, role.value, status)


def test_a_bad_or_revoked_key_is_refused(app_client: TestClient, keys: Keys) -> None:
    response = app_client.get("/me", headers=bearer("tb_a_not-a-real-key"))
    assert response.status_code == 401 and "unknown or revoked" in response.json()["error"]["message"]
    assert response.headers["www-authenticate"] == "Bearer"
    assert app_client.get("/me", headers={"X-API-Key": keys.partner}).json()["role"] == "partner"
    prefix = app_client.get("/me", headers=bearer(keys.partner)).json()
    listed = app_client.get("/accounts/keys", headers=bearer(keys.admin)).json()
    mine = next(row["prefix"] for row in listed if row["account_id"] == prefix["account_id"])
    assert keys.partner.startswith(mine) and all(keys.partner != row["prefix"] for row in listed)
    assert app_client.delete(f"/accounts/keys/{mine}", headers=bearer(keys.admin)).status_code == 204
    assert app_client.get("/me", headers=bearer(keys.partner)).status_code == 401
    assert app_client.get("/me", headers=bearer(keys.partner_colleague)).status_code == 200  # the firm's other key


def test_a_new_key_is_shown_once_and_works(app_client: TestClient, keys: Keys) -> None:
    made = app_client.post(
        "/accounts", headers=bearer(keys.admin), json={"role": "enterprise", "name": "HR", "organization": "新企业"}
    )
    assert made.status_code == 201
    key = made.json()["key"]
    assert app_client.get("/me", headers=bearer(key)).json()["organization"] == "新企业"
    assert key not in app_client.get("/accounts/keys", headers=bearer(keys.admin)).text
    wrong = app_client.post("/accounts", headers=bearer(keys.admin), json={"role": "partner", "name": "x"})
    assert wrong.status_code == 422 and "organization" in wrong.json()["error"]["message"]


def test_rate_limit_per_key(loaded: Platform, keys: Keys) -> None:
    settings = loaded.settings.model_copy(update={"api_rate_limit": 3})
    with TestClient(create_app(platform=platform_like(loaded, settings))) as client:
        in_one_minute()
        statuses = [client.get("/me", headers=bearer(keys.partner)).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = client.get("/me", headers=bearer(keys.partner))
        assert int(refused.headers["retry-after"]) >= 1 and "requests a minute" in refused.json()["error"]["message"]
        assert client.get("/me", headers=bearer(keys.admin)).status_code == 200  # another key has its own budget


def _personal(loaded: Platform, candidate_id: int) -> tuple[str, str]:
    """Give the candidate an e-mail, and return their name and e-mail."""
    with loaded.session() as session:
        row = session.get(Candidate, candidate_id)
        assert row is not None
        row.email = "gnss.candidate@example.invalid"
        return row.name, row.email


def test_no_personal_data_reaches_a_role_that_may_not_see_it(
    app_client: TestClient, loaded: Platform, keys: Keys
) -> None:
    name, email = _personal(loaded, keys.candidate_id)
    values = _paths(loaded, keys)
    posted = app_client.post(
        "/jobs",
        headers=bearer(keys.enterprise),
        json={"title": "卫星导航算法工程师", "description": "北斗 GNSS 定位算法"},
    )
    assert posted.status_code == 201, posted.text
    enterprise_job = posted.json()["id"]
    views = {
        "partner": [
            ("/candidates/{candidate_id}", keys.partner),
            ("/search/candidates?q=GNSS satellite navigation", keys.partner),
            ("/jobs/{job_id}/matches", keys.partner),
        ],
        "enterprise": [
            ("/candidates/{candidate_id}", keys.enterprise),
            ("/search/candidates?q=GNSS satellite navigation", keys.enterprise),
            (f"/jobs/{enterprise_job}/matches", keys.enterprise),
        ],
    }
    for role, calls in views.items():
        for path, key in calls:
            response = app_client.get(path.format(**values), headers=bearer(key))
            assert response.status_code == 200, (role, path, response.text)
            assert name not in response.text and email not in response.text, (role, path)
    # The candidate consents to the partner firm: its users see name and contact, and each view is audited.
    organization = values["organization_id"]
    assert app_client.put(f"/me/consents/{organization}", headers=bearer(keys.candidate)).status_code == 204
    shown = app_client.get(f"/candidates/{keys.candidate_id}", headers=bearer(keys.partner_colleague)).json()
    assert shown["name"] == name and shown["contact"] == email and shown["masked"] is False
    enterprise_view = app_client.get(f"/candidates/{keys.candidate_id}", headers=bearer(keys.enterprise)).text
    assert name not in enterprise_view  # the consent was to the partner only
    with loaded.session() as session:
        audited = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "personal_data.view", AuditEvent.subject == f"candidate:{keys.candidate_id}"
            )
        ).all()
        assert [event.actor_role for event in audited] == ["partner"] and name not in json.dumps(audited[0].detail)
    assert app_client.delete(f"/me/consents/{organization}", headers=bearer(keys.candidate)).status_code == 204
    again = app_client.get(f"/candidates/{keys.candidate_id}", headers=bearer(keys.partner)).text
    assert name not in again and email not in again
    # A candidate sees only themselves.
    other = app_client.get(f"/candidates/{keys.candidate_id + 1}", headers=bearer(keys.candidate))
    assert other.status_code == 404


def test_enterprise_sees_only_its_own_jobs_candidates(
    app_client: TestClient,
    loaded: Platform,
    keys: Keys,
    import_file: Callable[[str, Path], ImportReport],
    tmp_path: Path,
) -> None:
    values = _paths(loaded, keys)  # j-gnss belongs to another employer
    response = app_client.get(f"/jobs/{values['job_id']}/matches", headers=bearer(keys.enterprise))
    assert response.status_code == 404
    with loaded.session() as session:
        own = session.scalars(select(Job).where(Job.enterprise_name == ENTERPRISE)).first()
        assert own is not None and own.enterprise_id is not None  # adopted when its account was made
    assert app_client.get(f"/jobs/{own.id}/matches", headers=bearer(keys.enterprise)).status_code == 200
    # The crawl brings the posting again, changed: it stays the enterprise's.
    changed = {"source": "test", "external_id": own.external_id, "title": own.title, "enterprise": ENTERPRISE}
    path = tmp_path / "again.jsonl"
    path.write_text(json.dumps({**changed, "description": "改版后的职位描述"}, ensure_ascii=False) + "\n", "utf-8")
    assert import_file("jobs", path).updated == 1
    assert app_client.get(f"/jobs/{own.id}/matches", headers=bearer(keys.enterprise)).status_code == 200
