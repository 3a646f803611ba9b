"""The read API against a real database, real indexes and the real model."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.platform import Platform
from matcher.store import queries
from matcher.store.models import Candidate, Job
from tests.api.conftest import Keys, bearer
from tests.api.test_access import MATRIX
from tests.conftest import platform_like

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"


@pytest.fixture
def client(loaded: Platform, keys: Keys) -> Iterator[TestClient]:
    """A client of the talent office (admin), which may call every read route."""
    with TestClient(create_app(platform=loaded), headers=bearer(keys.admin)) as client:
        yield client


def ref(platform: Platform, model: type[Candidate] | type[Job], external_id: str) -> int:
    with platform.session() as session:
        row = queries.get_by_ref(model, session=session, source="test", external_id=external_id)
        assert row is not None
        return row.id


def test_health(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["indexes"] == {"candidates": 10, "jobs": 10}


def test_get_candidate_and_job(client: TestClient, loaded: Platform) -> None:
    candidate = client.get(f"/candidates/{ref(loaded, Candidate, 'c-gnss')}").json()
    assert candidate["headline"] == "卫星导航定位算法工程师" and candidate["highest_degree"] == "doctorate"
    assert candidate["education"][0]["major_code"] == "081201" and candidate["source"] == "test"
    assert "email" not in candidate  # contact details are not part of the read API
    job = client.get(f"/jobs/{ref(loaded, Job, 'j-ic')}").json()
    assert job["title"] == "Analog IC Design Engineer" and job["min_degree"] == "master"
    assert job["external_id"] == "j-ic" and job["synthetic"] is False


def test_matches_both_ways(client: TestClient, loaded: Platform) -> None:
    page = client.get(f"/jobs/{ref(loaded, Job, 'j-sec')}/matches", params={"limit": 3}).json()
    assert page["limit"] == 3 and page["offset"] == 0
    assert "c-sec" in [item["external_id"] for item in page["items"]]
    item = page["items"][0]
    assert {"id", "source", "external_id", "score", "explanation", "summary"} <= set(item)
    page = client.get(f"/candidates/{ref(loaded, Candidate, 'c-pharma')}/matches", params={"limit": 3}).json()
    assert "j-pharma" in [item["external_id"] for item in page["items"]]


def test_search_with_filters_and_paging(client: TestClient) -> None:
    found = client.get("/search/jobs", params={"q": "satellite navigation 北斗", "limit": 2}).json()["items"]
    assert found[0]["external_id"] == "j-gnss"
    doctors = client.get("/search/candidates", params={"q": "engineer", "min_degree": "博士"}).json()["items"]
    assert [item["external_id"] for item in doctors] == ["c-gnss"]
    second = client.get("/search/jobs", params={"q": "工程师 engineer", "limit": 2, "offset": 2}).json()["items"]
    both = client.get("/search/jobs", params={"q": "工程师 engineer", "limit": 4}).json()["items"]
    assert [i["id"] for i in second] == [i["id"] for i in both[2:4]]


@pytest.mark.parametrize(
    "path",
    [
        "/candidates/999999",
        "/jobs/999999",
        "/jobs/999999/matches",
        "/candidates/999999/matches",
        "/candidates/3000000000",
        "/jobs/9223372036854775807",  # beyond 32 bits: still a 404 on PostgreSQL
    ],
)
def test_unknown_ids_are_404_json(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found" and path.split("/")[2] in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("path", "params", "mentions"),
    [
        ("/search/jobs", {}, "q"),
        ("/search/jobs", {"q": ""}, "q"),
        ("/search/jobs", {"q": "   "}, "empty"),
        ("/search/jobs", {"q": "x", "limit": 0}, "limit"),
        ("/search/jobs", {"q": "x", "limit": 1000}, "limit"),
        ("/search/jobs", {"q": "x", "offset": -1}, "offset"),
        ("/search/candidates", {"q": "x", "min_degree": "wizard"}, "min_degree"),
        ("/jobs/abc", {}, "job_id"),
        ("/candidates/0", {}, "candidate_id"),
        ("/jobs/9223372036854775808", {}, "job_id"),
    ],
)
def test_bad_parameters_are_422_with_a_message(
    client: TestClient, path: str, params: dict[str, object], mentions: str
) -> None:
    response = client.get(path, params=params)  # type: ignore[arg-type]
    assert response.status_code == 422
    assert mentions in response.json()["error"]["message"]


def test_unknown_route_is_json_404(client: TestClient) -> None:
    response = client.get("/nothing-here")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_without_a_snapshot_the_api_builds_its_indexes_from_the_database(loaded: Platform, keys: Keys) -> None:
    sidecar = loaded.settings.index_dir / "jobs.faiss.json"
    sidecar.unlink()
    with TestClient(create_app(platform=loaded), headers=bearer(keys.admin)) as client:
        health = client.get("/health").json()
        assert health["status"] == "ok" and health["indexes"] == {"candidates": 10, "jobs": 10}
        assert client.get("/search/jobs", params={"q": "engineer"}).status_code == 200
    assert sidecar.exists()  # saved as the next process's snapshot


def test_the_api_serves_what_another_process_imported_while_it_ran(
    client: TestClient, loaded: Platform, tmp_path: Path
) -> None:
    path = tmp_path / "live.jsonl"
    path.write_text(
        '{"source": "test", "external_id": "j-live", "title": "量子退火算法工程师 QUBO"}\n', encoding="utf-8"
    )
    other = platform_like(loaded, loaded.settings)  # `talent import` in another process: the change feed carries it
    with other.session(write=True) as session, path.open(encoding="utf-8") as lines:
        other.importer(session, "jobs").run(lines)
    found = client.get("/search/jobs", params={"q": "quantum annealing QUBO", "limit": 1}).json()["items"]
    assert found[0]["external_id"] == "j-live"
    assert client.get("/health").json()["indexes"]["jobs"] == 11


def test_openapi_lists_every_route_and_docs_describe_them(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    listed = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    assert listed == set(MATRIX)
    assert client.get("/docs").status_code == 200
    api_doc = (DOCS / "api.md").read_text(encoding="utf-8")
    for method, path in MATRIX:
        assert f"{method} {path}" in api_doc, f"{method} {path} is not in docs/api.md"


def test_majors_map_gives_catalogue_majors_best_first(client: TestClient) -> None:
    found = client.get("/majors/map", params={"q": "MSc Cyber Security", "limit": 3}).json()
    assert found["text"] == "MSc Cyber Security"
    assert [r["code"] for r in found["results"]][:1] == ["080911TK"] and len(found["results"]) == 3
    assert found["results"][0] == {
        "code": "080911TK",
        "name": "网络空间安全",
        "class_name": "计算机类",
        "category_name": "工学",
        "score": 1.0,
    }
    assert client.get("/occupations/map", params={"q": "   "}).status_code == 422
    assert client.get("/majors/map", params={"q": "  "}).status_code == 422
    chinese = client.get("/majors/map", params={"q": "网络安全硕士"}).json()["results"]
    assert "080911TK" in [r["code"] for r in chinese[:3]]
    for params in ({"q": ""}, {"q": "x" * 301}, {"q": "x", "limit": 0}, {}):
        response = client.get("/majors/map", params=params)
        assert response.status_code == 422 and response.json()["error"]["message"]


def test_occupations_map_cleans_the_title_and_ranks_detailed_occupations(client: TestClient) -> None:
    found = client.get("/occupations/map", params={"q": "急招叉车司机 五险一金 6000-8000元", "limit": 5}).json()
    assert found["cleaned"] == "叉车司机"
    assert len(found["results"]) == 5
    assert {"code", "name", "group_code", "group_name", "score"} == set(found["results"][0])
    assert all(r["code"].count("-") == 3 and r["code"].startswith(r["group_code"]) for r in found["results"])
    assert 0 < found["results"][0]["score"] <= 1 and sum(r["score"] for r in found["results"]) <= 1.0001
    guess = found["guess"]  # what a job titled so shows, and how sure
    assert guess["detailed_code"] == found["results"][0]["code"] and 0 <= guess["confidence"] <= 1
    assert guess["uncertain"] == (guess["code"] is None) and guess["level"] in (0, 2, 3, 4)
    for params in ({"q": ""}, {"q": "x" * 301}, {"q": "x", "limit": 51}):
        response = client.get("/occupations/map", params=params)
        assert response.status_code == 422 and response.json()["error"]["message"]


def test_job_shows_its_occupation(client: TestClient, loaded: Platform) -> None:
    job = client.get(f"/jobs/{ref(loaded, Job, 'j-pharma')}").json()
    assert "occupation_code" in job
    assert job["occupation_confidence"] is not None and 0 <= job["occupation_confidence"] <= 1


def test_priority_list_route(client: TestClient) -> None:
    found = client.get("/majors/priority", params={"as_of": "2026-11-30", "limit": 3})
    assert found.status_code == 200
    body = found.json()
    assert {"as_of", "window_start", "config", "jobs_counted", "entries"} <= set(body) and len(body["entries"]) <= 3
    for params in ({"limit": 0}, {"as_of": "soon"}):
        response = client.get("/majors/priority", params=params)
        assert response.status_code == 422 and response.json()["error"]["message"]


def test_a_day_at_the_end_of_the_calendar_is_a_422_not_an_overflow(client: TestClient) -> None:
    """Found by the OpenAPI fuzz run: the window before 0001-01-01 (or the day after 9999-12-31) overflowed. Days
    are now those of 2000 to 2099, and the spec says so."""
    for as_of in ("0001-01-01", "9999-12-31"):
        response = client.get("/majors/priority", params={"as_of": as_of})
        assert response.status_code == 422 and "2000-01-01 to 2099-12-31" in response.json()["error"]["message"]


def test_nul_characters_in_account_fields_and_key_prefixes_are_a_422(client: TestClient) -> None:
    """Found by the OpenAPI fuzz run: PostgreSQL refused the NUL with a 500; every database now answers 422."""
    for body in ({"role": "admin", "name": "a\u0000b"}, {"role": "partner", "name": "x", "organization": "甲\u0000"}):
        response = client.post("/accounts", json=body)
        assert response.status_code == 422 and "NUL" in response.json()["error"]["message"]
    assert client.delete("/accounts/keys/tb_p_%00%00%00%00").status_code == 422
    assert client.post("/accounts", json={"role": "admin", "name": "ok"}).status_code == 201  # nothing left broken


PAIR_INDUSTRY = {
    "c-sec": "网络安全",
    "c-bms": "新能源汽车",
    "c-quant": "现代金融",
    "c-food": "现代食品",
    "c-nlp": "人工智能",
    "c-pharma": "生物医药",
    "c-gnss": "北斗导航与卫星应用",
    "c-ic": "电子信息",
    "c-alloy": "新材料",
    "c-nurse": "生物医药",
}


def test_candidates_find_their_industry_across_languages(client: TestClient, loaded: Platform) -> None:
    """Each sample candidate's industry profile (built from jobs in the other language) comes out on top."""
    first = 0
    for external_id, industry in PAIR_INDUSTRY.items():
        fits = client.get(f"/candidates/{ref(loaded, Candidate, external_id)}/industries").json()
        names = [fit["industry"] for fit in fits]
        assert industry in names[:2], (external_id, names)
        first += names[0] == industry
        assert [fit["score"] for fit in fits] == sorted((fit["score"] for fit in fits), reverse=True)
        assert all(fit["example_jobs"] and fit["jobs"] >= 1 for fit in fits)
    assert first >= 8
    bms = client.get(f"/candidates/{ref(loaded, Candidate, 'c-bms')}/industries").json()[0]
    assert bms["example_jobs"][0]["id"] == ref(loaded, Job, "j-bms")  # the industry's one opening
    response = client.get("/candidates/999999/industries")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
