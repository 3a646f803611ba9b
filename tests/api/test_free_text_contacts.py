"""Contact details a candidate typed into their free text (issue 15, point 1): masked views show none of them,
wherever the profile appears (profile, search results, a job's matches, shortlists); the candidate and those they
consented to see the text as written; and no search finds the candidate by them, whoever searches — on both
databases."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from matcher.contact_details import MARKER, strip
from matcher.platform import Platform
from matcher.search.matching import Filters
from matcher.store import queries
from matcher.store.models import Candidate, Job, Organization
from matcher.tokenize import tokenize
from tests.api.conftest import PARTNER_A, Keys, bearer
from tests.conftest import SAMPLES

EMAIL = "wang.secret@example.com"
PHONE = "+86 138 0013 8000"
WECHAT = "wang_123"
SECRETS = (EMAIL, PHONE, "13800138000", WECHAT, "lucky_star88", "010-62781234", "linkedin.com/in/wang-gnss")
PROFILE = {
    "headline": f"卫星导航定位算法工程师 | WeChat: {WECHAT}",
    "summary": "我研究北斗和GPS卫星导航的高精度定位算法，包括实时动态差分定位、组合导航和卡尔曼滤波。"
    f"Contact me: {EMAIL}, {PHONE}; linkedin.com/in/wang-gnss",
    "experience": [
        {
            "title": "GNSS 算法工程师",
            "organization": "北斗导航研究院",
            "description": "RTK 与组合导航算法研发，2019–2023。微信号：lucky_star88，电话 010-62781234",
            "start": "2019-07",
            "end": "2023-06",
        }
    ],
}


@pytest.fixture
def client(loaded: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform=loaded)) as client:
        yield client


@pytest.fixture
def person(client: TestClient, keys: Keys) -> dict[str, Any]:
    """The GNSS candidate's profile with contact details in its headline, summary and experience, as they saved it
    themselves: they see it as written."""
    saved = client.patch("/me/profile", headers=bearer(keys.candidate), json=PROFILE)
    assert saved.status_code == 200, saved.text
    shown: dict[str, Any] = saved.json()
    assert shown["summary"] == PROFILE["summary"] and shown["headline"] == PROFILE["headline"]
    return shown


def leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret in text]


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_masked_views_show_no_contact_details_typed_into_free_text(
    client: TestClient, loaded: Platform, keys: Keys, person: dict[str, Any]
) -> None:
    candidate = keys.candidate_id
    with loaded.session() as session:
        job = queries.get_by_ref(Job, session=session, source="test", external_id="j-gnss")
        assert job is not None
    posted = client.post(
        "/jobs",
        headers=bearer(keys.enterprise),
        json={"title": "卫星导航算法工程师", "description": "北斗 GNSS 定位算法"},
    )
    assert posted.status_code == 201, posted.text
    views = [
        (keys.partner, f"/candidates/{candidate}"),
        (keys.partner, "/search/candidates?q=卫星导航 高精度定位&limit=20"),
        (keys.partner, f"/jobs/{job.id}/matches?limit=20"),
        (keys.enterprise, f"/candidates/{candidate}"),
        (keys.enterprise, "/search/candidates?q=卫星导航 高精度定位&limit=20"),
        (keys.enterprise, f"/jobs/{posted.json()['id']}/matches?limit=20"),
    ]
    for key, path in views:
        response = client.get(path, headers=bearer(key))
        assert response.status_code == 200, (path, response.text)
        if "items" in response.json():  # the candidate is among the results, shown masked
            assert candidate in _ids(response), path
        assert leaks(response.text) == [], path
    profile = client.get(f"/candidates/{candidate}", headers=bearer(keys.partner)).json()
    assert profile["masked"] is True and profile["contact"] is None
    assert profile["headline"] == f"卫星导航定位算法工程师 | WeChat: {MARKER}"
    assert profile["summary"].endswith(f"Contact me: {MARKER}, {MARKER}; {MARKER}")
    assert (
        profile["experience"][0]["description"] == f"RTK 与组合导航算法研发，2019–2023。微信号：{MARKER}，电话 {MARKER}"
    )
    [hit] = [
        item
        for item in client.get(views[1][1], headers=bearer(keys.partner)).json()["items"]
        if item["id"] == candidate
    ]
    assert hit["summary"]["headline"] == profile["headline"]
    # A shortlist shows the headline, always masked.
    listed = client.post(f"/jobs/{job.id}/shortlist", headers=bearer(keys.partner), json={"candidate_id": candidate})
    assert listed.status_code == 201 and leaks(listed.text) == []
    shortlist = client.get(f"/jobs/{job.id}/shortlist", headers=bearer(keys.partner))
    assert shortlist.json()[0]["headline"] == profile["headline"] and leaks(shortlist.text) == []


def test_the_candidate_and_those_they_consented_to_see_the_text_as_written(
    client: TestClient, loaded: Platform, keys: Keys, person: dict[str, Any]
) -> None:
    candidate = keys.candidate_id
    own = client.get(f"/candidates/{candidate}", headers=bearer(keys.candidate)).json()
    assert own["summary"] == PROFILE["summary"] and own["experience"][0]["description"].endswith("010-62781234")
    with loaded.session() as session:
        firm = session.scalar(select(Organization.id).where(Organization.name == PARTNER_A))
    assert client.put(f"/me/consents/{firm}", headers=bearer(keys.candidate)).status_code == 204
    shown = client.get(f"/candidates/{candidate}", headers=bearer(keys.partner)).json()
    assert shown["masked"] is False and shown["summary"] == PROFILE["summary"]
    assert shown["headline"] == PROFILE["headline"]
    found = client.get("/search/candidates?q=卫星导航 高精度定位&limit=20", headers=bearer(keys.partner)).json()
    [hit] = [item for item in found["items"] if item["id"] == candidate]
    assert hit["masked"] is False and hit["summary"]["headline"] == PROFILE["headline"]
    enterprise = client.get(f"/candidates/{candidate}", headers=bearer(keys.enterprise)).text
    assert leaks(enterprise) == []  # the consent was to the partner firm only


def _twin(platform: Platform) -> int:
    """Another candidate with the same profile as the GNSS candidate's, but with no contact details written in it."""
    sample = next(
        json.loads(line)
        for line in (SAMPLES / "crosslingual_candidates.jsonl").read_text(encoding="utf-8").splitlines()
        if '"c-gnss"' in line
    )
    experience = [dict(x, description=strip(x["description"])) for x in PROFILE["experience"]]
    twin = dict(sample, external_id="c-gnss-twin", name="孪生测试", experience=experience)
    twin.update(headline=strip(PROFILE["headline"]), summary=strip(PROFILE["summary"]))
    with platform.session(write=True) as session:
        assert platform.importer(session, "candidates").run([json.dumps(twin, ensure_ascii=False)]).ok
    with platform.session() as session:
        row = queries.get_by_ref(Candidate, session=session, source="test", external_id="c-gnss-twin")
        assert row is not None
        return row.id


@pytest.mark.parametrize("query", [EMAIL, PHONE, "13800138000", WECHAT, "lucky_star88", "010-62781234"])
def test_no_search_finds_a_candidate_by_their_contact_details(
    client: TestClient, loaded: Platform, keys: Keys, person: dict[str, Any], query: str
) -> None:
    candidate, twin = keys.candidate_id, _twin(loaded)
    # A partner searches the contact detail: the candidate ranks exactly as their twin without it does (before,
    # the embedding of their text, which held it, put them first).
    found = client.get("/search/candidates", params={"q": query, "limit": 20}, headers=bearer(keys.partner))
    scores = {item["id"]: item["score"] for item in found.json()["items"]}
    assert candidate in scores and scores[candidate] == scores[twin]
    words = set(tokenize(query))
    with loaded.session() as session:
        row, copy = session.get(Candidate, candidate), session.get(Candidate, twin)
        assert row is not None and copy is not None and PHONE in row.summary  # stored as written
        assert words.isdisjoint(row.lexical_tokens) and row.text_hash == copy.text_hash  # indexed without them
        engine = loaded.matching(session)
        assert candidate not in {hit.doc_id for hit in engine.lexical["candidates"].search(query)}
        [match] = [m for m in engine.search(session, "candidates", query, Filters(), limit=20) if m.id == candidate]
        assert match.explanation["components"]["lexical"] in (None, 0.0)
        assert words.isdisjoint(match.explanation["matched_terms"])
