"""Candidates signing up, partners registering the candidates they found (consent on record), profile edits, and
partners' saved searches and shortlists."""

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from matcher.platform import Platform
from matcher.store.models import AuditEvent, Candidate, Consent
from tests.api.conftest import Keys, bearer

PROFILE = {
    "name": "Synthetic Signup 测试",
    "headline": "MSc Cyber Security graduate, penetration testing",
    "skills": ["penetration testing", "Burp Suite"],
    "education": [{"school": "University of Oxford", "degree": "MSc", "major": "Cyber Security", "end_year": 2025}],
    "email": "signup@example.invalid",
    "birth_year": 1999,
}


@pytest.fixture
def client(loaded: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform=loaded)) as client:
        yield client


def test_sign_up_gives_a_key_once_and_a_matchable_profile(client: TestClient, keys: Keys) -> None:
    refused = client.post("/signup", json={**PROFILE, "accept_terms": False})
    assert refused.status_code == 422 and "consent" in refused.json()["error"]["message"]
    made = client.post("/signup", json={**PROFILE, "accept_terms": True})
    assert made.status_code == 201, made.text
    key, candidate_id = made.json()["key"], made.json()["candidate_id"]
    me = client.get("/me", headers=bearer(key)).json()
    assert me["role"] == "candidate" and me["candidate_id"] == candidate_id
    profile = client.get(f"/candidates/{candidate_id}", headers=bearer(key)).json()
    assert profile["education"][0]["major_code"] == "080911TK"  # MSc Cyber Security -> 网络空间安全
    assert profile["contact"] == PROFILE["email"]
    found = client.get("/search/candidates", headers=bearer(keys.admin), params={"q": "渗透测试 网络安全"}).json()
    assert candidate_id in [item["id"] for item in found["items"]]  # searchable at once
    edited = client.patch(
        "/me/profile", headers=bearer(key), json={"headline": "Red-team engineer", "birth_year": 1998}
    )
    assert edited.status_code == 200 and edited.json()["headline"] == "Red-team engineer"
    assert edited.json()["skills"] == PROFILE["skills"]  # untouched fields stay
    bad = client.patch("/me/profile", headers=bearer(key), json={"education": [{"degree": "MSc", "end_year": 1800}]})
    assert bad.status_code == 422
    assert client.get(f"/candidates/{candidate_id}", headers=bearer(key)).json()["headline"] == "Red-team engineer"
    for start, end in [("2021-09", "2020-06"), ("2021", "2020-12"), ("2021-09", "2021-03")]:
        backwards = {"experience": [{"title": "Analyst", "start": start, "end": end}]}
        refused = client.patch("/me/profile", headers=bearer(key), json=backwards)
        assert refused.status_code == 422 and refused.headers["content-type"] == "application/json"
        assert "before start" in refused.text, refused.text
    for start, end in [("2021-09", "2021"), ("2021", "2021-01"), ("2020-06", "2021-01"), ("2020", "")]:
        fine = client.patch("/me/profile", headers=bearer(key), json={"experience": [{"start": start, "end": end}]})
        assert fine.status_code == 200, (start, end, fine.text)
    assert client.get(f"/candidates/{candidate_id}", headers=bearer(key)).json()["experience"][0]["end"] == ""


def test_after_an_erasure_the_next_sign_up_gets_a_new_id_and_none_of_the_old_log(
    client: TestClient, keys: Keys
) -> None:
    first = client.post("/signup", json={**PROFILE, "accept_terms": True}).json()
    viewed = client.get(f"/candidates/{first['candidate_id']}", headers=bearer(keys.admin))
    assert viewed.status_code == 200  # an office view, in the first person's access log
    assert client.delete("/me", headers=bearer(first["key"])).status_code == 204
    second = client.post("/signup", json={**PROFILE, "name": "Another Signup", "accept_terms": True}).json()
    assert second["candidate_id"] > first["candidate_id"]  # the newest id was erased: it does not come back
    export = client.get("/me/export", headers=bearer(second["key"])).json()
    assert export["profile"]["id"] == second["candidate_id"] and export["profile"]["name"] == "Another Signup"
    # only what happened to this person: their own sign-up, none of the erased person's views
    assert [entry["action"] for entry in export["access_log"]] == ["candidate.signup"]


def test_a_partner_registers_a_found_candidate_with_the_consent_on_record(
    client: TestClient, loaded: Platform, keys: Keys
) -> None:
    body = {**PROFILE, "consent": {"method": "written", "obtained_at": "2026-11-20T09:00:00Z"}}
    made = client.post("/candidates", headers=bearer(keys.partner), json=body)
    assert made.status_code == 201, made.text
    candidate_id = made.json()["id"]
    assert made.json()["source"].startswith("partner-")
    # The firm sees them unmasked (their consent), another firm does not.
    assert client.get(f"/candidates/{candidate_id}", headers=bearer(keys.partner_colleague)).json()["masked"] is False
    assert PROFILE["name"] not in client.get(f"/candidates/{candidate_id}", headers=bearer(keys.other_partner)).text
    with loaded.session() as session:
        consent = session.scalars(select(Consent).where(Consent.candidate_id == candidate_id)).one()
        assert consent.purpose == "registration" and consent.granted_at.isoformat().startswith("2026-11-20T09:00")
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "candidate.register")).one()
        assert event.detail["consent_method"] == "written"
    wrong = client.post(
        "/candidates",
        headers=bearer(keys.partner),
        json={**body, "consent": {"method": "guess", "obtained_at": "2026-11-20T09:00:00Z"}},
    )
    assert wrong.status_code == 422 and "consent.method" in wrong.json()["error"]["message"]


def test_saved_searches_and_shortlists_belong_to_the_firm(client: TestClient, loaded: Platform, keys: Keys) -> None:
    saved = client.post(
        "/saved-searches",
        headers=bearer(keys.partner),
        json={"name": "GNSS doctors", "q": "satellite navigation", "min_degree": "博士"},
    )
    assert saved.status_code == 201, saved.text
    sid = saved.json()["id"]
    assert [s["id"] for s in client.get("/saved-searches", headers=bearer(keys.partner_colleague)).json()] == [sid]
    assert client.get("/saved-searches", headers=bearer(keys.other_partner)).json() == []
    results = client.get(f"/saved-searches/{sid}/results", headers=bearer(keys.partner)).json()["items"]
    assert keys.candidate_id in [item["id"] for item in results] and all(item["masked"] for item in results)
    assert client.get(f"/saved-searches/{sid}/results", headers=bearer(keys.other_partner)).status_code == 404
    bad = client.post(
        "/saved-searches", headers=bearer(keys.partner), json={"name": "x", "q": "y", "min_degree": "wizard"}
    )
    assert bad.status_code == 422

    job = client.get("/search/jobs", params={"q": "北斗 satellite navigation", "limit": 1}).json()["items"][0]["id"]
    entry = client.post(
        f"/jobs/{job}/shortlist", headers=bearer(keys.partner), json={"candidate_id": keys.candidate_id}
    )
    assert entry.status_code == 201 and "*" in entry.json()["name"]
    again = client.post(
        f"/jobs/{job}/shortlist", headers=bearer(keys.partner_colleague), json={"candidate_id": keys.candidate_id}
    )
    assert again.status_code == 409
    assert len(client.get(f"/jobs/{job}/shortlist", headers=bearer(keys.partner)).json()) == 1
    assert client.get(f"/jobs/{job}/shortlist", headers=bearer(keys.other_partner)).json() == []
    assert client.delete(f"/jobs/{job}/shortlist/{keys.candidate_id}", headers=bearer(keys.partner)).status_code == 204
    assert client.get(f"/jobs/{job}/shortlist", headers=bearer(keys.partner)).json() == []
    assert client.delete(f"/saved-searches/{sid}", headers=bearer(keys.partner)).status_code == 204


def test_a_hidden_profile_leaves_the_shortlists_it_is_on(client: TestClient, keys: Keys) -> None:
    job = client.get("/search/jobs", params={"q": "北斗 satellite navigation", "limit": 1}).json()["items"][0]["id"]
    listed = client.post(
        f"/jobs/{job}/shortlist", headers=bearer(keys.partner), json={"candidate_id": keys.candidate_id}
    )
    assert listed.status_code == 201
    hide = client.put("/me/visibility", headers=bearer(keys.candidate), json={"visible": False})
    assert hide.status_code == 204
    assert client.get(f"/jobs/{job}/shortlist", headers=bearer(keys.partner)).json() == []
    show = client.put("/me/visibility", headers=bearer(keys.candidate), json={"visible": True})
    assert show.status_code == 204
    shown = client.get(f"/jobs/{job}/shortlist", headers=bearer(keys.partner)).json()
    assert [entry["candidate_id"] for entry in shown] == [keys.candidate_id]
    assert client.delete(f"/jobs/{job}/shortlist/{keys.candidate_id}", headers=bearer(keys.partner)).status_code == 204


def _docx(text: str) -> bytes:
    import docx  # python-docx

    document = docx.Document()
    document.add_heading("简历 Résumé", level=1)
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_resume_upload_joins_the_profile_and_a_scan_is_refused(
    client: TestClient, loaded: Platform, keys: Keys
) -> None:
    text = (
        "研究方向：量子退火与 QUBO 组合优化，D-Wave 量子计算机上的调度算法。Quantum annealing research. "
        "联系 Contact: qubo.person@example.invalid, +86 138-1234-5678"
    )
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    uploaded = client.post(
        "/me/resume", headers=bearer(keys.candidate), files={"file": ("cv.docx", _docx(text), docx_type)}
    )
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json()["format"] == "docx"
    with loaded.session() as session:
        stored = session.get(Candidate, keys.candidate_id)
        assert stored is not None and "QUBO" in stored.resume_text
        assert uploaded.json()["chars"] == len(stored.resume_text)  # what was read is counted as it is stored
    found = client.get("/search/candidates", headers=bearer(keys.admin), params={"q": "QUBO 量子退火", "limit": 1})
    assert found.json()["items"][0]["id"] == keys.candidate_id  # matched on the résumé at once
    scan = client.post(
        "/me/resume", headers=bearer(keys.candidate), files={"file": ("scan.pdf", _blank_pdf(), "application/pdf")}
    )
    assert scan.status_code == 422 and "scanned" in scan.json()["error"]["message"]
    with loaded.session() as session:
        row = session.get(Candidate, keys.candidate_id)
        assert row is not None and "QUBO" in row.resume_text  # the refused file changed nothing
        assert "qubo.person@" not in row.resume_text and "1234" not in row.resume_text  # contacts are not indexed
    masked = client.get(
        "/search/candidates", headers=bearer(keys.enterprise), params={"q": "qubo.person@example.invalid"}
    )
    assert "qubo.person" not in masked.text and "matched_terms" not in masked.text
