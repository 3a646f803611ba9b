"""Contact details a candidate typed into their free text, on the console pages partners and enterprises see them
masked on (issue 15, point 1): search results, shortlists, a job's candidates and contact requests show "[…]"
instead, until the candidate consents."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.web.auth import PREFIX
from matcher.contact_details import MARKER
from matcher.platform import Platform
from matcher.store import queries
from matcher.store.models import Job, Organization
from tests.api.conftest import ENTERPRISE, PARTNER_A, Keys, bearer
from tests.api.test_free_text_contacts import PROFILE, leaks
from tests.web.conftest import SQLITE_ONLY, form_token, sign_in_client

pytestmark = SQLITE_ONLY


@pytest.fixture
def saved(console: TestClient, keys: Keys) -> None:
    """The GNSS candidate's profile with contact details in its headline, summary and experience."""
    response = console.patch("/me/profile", headers=bearer(keys.candidate), json=PROFILE)
    assert response.status_code == 200, response.text


def card(page: str, candidate_id: int) -> str:
    """The candidate's result card on a page of candidates."""
    found = page[page.index(f'id="candidate-{candidate_id}"') :]
    return found[: found.index("</article>")]


def test_a_partner_sees_no_contact_details_in_results_or_shortlists(
    console: TestClient, loaded: Platform, keys: Keys, saved: None
) -> None:
    with loaded.session() as session:
        job = queries.get_by_ref(Job, session=session, source="test", external_id="j-gnss")
        firm = session.scalar(select(Organization.id).where(Organization.name == PARTNER_A))
        assert job is not None
    listed = console.post(
        f"/jobs/{job.id}/shortlist", headers=bearer(keys.partner), json={"candidate_id": keys.candidate_id}
    )
    assert listed.status_code == 201
    sign_in_client(console, keys.partner)
    results = console.get(f"{PREFIX}/partner", params={"q": "卫星导航 高精度定位"}).text
    shown = card(results, keys.candidate_id)
    assert f"WeChat: {MARKER}" in shown and leaks(results) == []
    shortlist = console.get(f"{PREFIX}/partner/shortlists", params={"job": job.id}).text
    assert f"WeChat: {MARKER}" in shortlist and leaks(shortlist) == []
    # Once the candidate consents to the firm, its results show the text as written (a shortlist never does).
    assert console.put(f"/me/consents/{firm}", headers=bearer(keys.candidate)).status_code == 204
    results = console.get(f"{PREFIX}/partner", params={"q": "卫星导航 高精度定位"}).text
    assert PROFILE["headline"] in card(results, keys.candidate_id)


def test_an_enterprise_sees_no_contact_details_among_its_jobs_candidates_or_requests(
    console: TestClient, loaded: Platform, keys: Keys, saved: None
) -> None:
    with loaded.session() as session:
        own = session.scalars(select(Job.id).where(Job.enterprise_name == ENTERPRISE)).first()
    sign_in_client(console, keys.enterprise)
    page = f"{PREFIX}/enterprise/jobs/{own}"
    candidates = console.get(page).text
    assert f"WeChat: {MARKER}" in card(candidates, keys.candidate_id) and leaks(candidates) == []
    ask = {"candidate_id": str(keys.candidate_id), "job_id": str(own), "csrf": form_token(console, page)}
    asked = console.post(f"{PREFIX}/enterprise/requests", data=ask, headers={"referer": f"http://testserver{page}"})
    assert asked.status_code == 303, asked.text
    requests = console.get(f"{PREFIX}/enterprise/requests").text
    assert f"WeChat: {MARKER}" in requests and leaks(requests) == []
