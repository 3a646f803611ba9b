"""The talent office's reports through the API: referrals built, moved and certified through the real routes, and
every figure checked exactly — in JSON and in the CSV a spreadsheet opens."""

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from matcher.office.decisions import priority_stars
from matcher.partners.referrals import CLOSED, STAGES
from matcher.platform import Platform
from matcher.store import queries
from matcher.store.models import Candidate, Job, Organization, ReferralEvent, utcnow
from tests.api.conftest import PARTNER_A, PARTNER_B, Keys, bearer
from tests.api.test_feedback_api import app_with_reports_and_feedback

BOARD = (*STAGES, CLOSED)
REPORTS = ("/reports/referrals", "/reports/placements", "/reports/rewards")


@pytest.fixture
def client(loaded: Platform, keys: Keys) -> Iterator[TestClient]:
    with TestClient(app_with_reports_and_feedback(loaded)) as client:
        yield client


def _row_id(platform: Platform, model: type[Candidate] | type[Job], external_id: str) -> int:
    with platform.session() as session:
        row = queries.get_by_ref(model, session=session, source="test", external_id=external_id)
        assert row is not None
        if isinstance(row, Candidate):
            row.birth_year = 1998  # young enough for the young-talent tiers
        return row.id


def _csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=") and disposition.endswith('.csv"')
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def board(client: TestClient, loaded: Platform, keys: Keys) -> dict[str, Any]:
    """Five referrals by two firms: two certified hires (one paid), one hire, one declined, one just referred;
    from referral to hire took 10, 20 and 4 days."""
    gnss = client.post(
        "/jobs", headers=bearer(keys.enterprise), json={"title": "北斗导航算法工程师", "industry": "卫星导航"}
    ).json()["id"]
    chips = client.post(
        "/jobs", headers=bearer(keys.enterprise), json={"title": "模拟芯片设计工程师", "industry": "集成电路"}
    ).json()["id"]
    ic, alloy, nurse = (_row_id(loaded, Candidate, ref) for ref in ("c-ic", "c-alloy", "c-nurse"))
    elsewhere = _row_id(loaded, Job, "j-gnss")  # another employer's job

    def refer(key: str, candidate: int, job: int) -> int:
        made = client.post("/referrals", headers=bearer(key), json={"candidate_id": candidate, "job_id": job})
        assert made.status_code == 201, made.text
        return int(made.json()["id"])

    def move(rid: int, *steps: tuple[str, str]) -> dict[str, Any]:
        body: dict[str, Any] = {}
        for key, stage in steps:
            response = client.post(f"/referrals/{rid}/stage", headers=bearer(key), json={"stage": stage})
            assert response.status_code == 200, response.text
            body = response.json()
        return body

    hiring = [(keys.partner, "contacted"), (keys.partner, "interviewing"), (keys.enterprise, "offered")]
    hired = (keys.enterprise, "hired")
    paid = refer(keys.partner, keys.candidate_id, gnss)
    owed = refer(keys.other_partner, ic, chips)
    hire = refer(keys.partner, alloy, chips)
    declined = refer(keys.partner, nurse, gnss)
    refer(keys.other_partner, nurse, elsewhere)
    hiring_b = [(keys.other_partner, stage) for _, stage in hiring[:2]] + [hiring[2]]
    certified_paid = move(paid, *hiring, hired, (keys.admin, "certified"))
    move(paid, (keys.admin, "rewarded"))
    certified_owed = move(owed, *hiring_b, hired, (keys.admin, "certified"))
    move(hire, *hiring, hired)
    move(declined, (keys.partner, "contacted"), (keys.partner, CLOSED))
    with loaded.session() as session:
        for rid, days in ((paid, 10), (owed, 20), (hire, 4)):
            events = {
                e.stage: e for e in session.scalars(select(ReferralEvent).where(ReferralEvent.referral_id == rid))
            }
            events["referred"].at = events["hired"].at - timedelta(days=days)
        partners = {name: oid for name, oid in session.execute(select(Organization.name, Organization.id))}
        stars = priority_stars(session, loaded.settings, utcnow().date())
    majors = {
        cid: [e["major_code"] for e in client.get(f"/candidates/{cid}", headers=bearer(keys.admin)).json()["education"]]
        for cid in (keys.candidate_id, ic)
    }
    return {
        "a": partners[PARTNER_A],
        "b": partners[PARTNER_B],
        "paid": certified_paid,
        "owed": certified_owed,
        "majors": majors,
        "stars": stars,
    }


def test_referrals_by_stage_and_partner(client: TestClient, keys: Keys, board: dict[str, Any]) -> None:
    report = client.get("/reports/referrals", headers=bearer(keys.admin))
    assert report.status_code == 200, report.text
    zero = dict.fromkeys(BOARD, 0)
    body = report.json()
    assert (body.pop("start"), body.pop("end")) == (None, None)
    funnel = body.pop("funnel")
    assert [(c["stage"], c["reached"]) for c in funnel] == list(zip(STAGES, [5, 4, 3, 3, 3, 2, 1], strict=True))
    assert funnel[5]["from_previous"] == round(2 / 3, 4) and funnel[6]["from_referred"] == 0.2
    assert body == {
        "total": 5,
        "by_stage": zero | {"referred": 1, "hired": 1, "certified": 1, "rewarded": 1, "declined": 1},
        "by_partner": [
            {
                "partner_id": board["a"],
                "partner": PARTNER_A,
                "total": 3,
                "stages": zero | {"hired": 1, "rewarded": 1, "declined": 1},
            },
            {
                "partner_id": board["b"],
                "partner": PARTNER_B,
                "total": 2,
                "stages": zero | {"referred": 1, "certified": 1},
            },
        ],
    }
    rows = _csv(client.get("/reports/referrals?format=csv", headers=bearer(keys.admin)))
    assert [(r["partner_id"], r["partner"], r["total"]) for r in rows] == [
        (str(board["a"]), PARTNER_A, "3"),
        (str(board["b"]), PARTNER_B, "2"),
        ("all", "all partners", "5"),
    ]
    assert [int(rows[-1][stage]) for stage in BOARD] == [report.json()["by_stage"][stage] for stage in BOARD]
    assert [int(rows[0][stage]) for stage in BOARD] == [report.json()["by_partner"][0]["stages"][s] for s in BOARD]


def test_placements_time_to_hire_and_certified_talent(client: TestClient, keys: Keys, board: dict[str, Any]) -> None:
    report = client.get("/reports/placements", headers=bearer(keys.admin))
    assert report.status_code == 200, report.text
    found = report.json()
    assert found["time_to_hire"] == {
        "partner_id": None,
        "partner": "all partners",
        "hires": 3,
        "median_days": 10.0,
        "mean_days": 11.3,
    }
    assert found["time_to_hire_by_partner"] == [
        {"partner_id": board["a"], "partner": PARTNER_A, "hires": 2, "median_days": 7.0, "mean_days": 7.0},
        {"partner_id": board["b"], "partner": PARTNER_B, "hires": 1, "median_days": 20.0, "mean_days": 20.0},
    ]
    tiers = [board["paid"]["tier"], board["owed"]["tier"]]
    assert all(tiers) and found["certified"] == 2
    assert found["by_tier"] == {tier: tiers.count(tier) for tier in sorted(set(tiers))}
    assert found["by_industry"] == {"卫星导航": 1, "集成电路": 1}
    codes = [code for cid in sorted(board["majors"]) for code in board["majors"][cid] if code]
    assert len(codes) == 2  # each certified hire has one mapped major
    stars = board["stars"]
    assert sorted((m["code"], m["stars"], m["certified"]) for m in found["by_major"]) == sorted(
        (code, stars.get(code), 1) for code in codes
    )
    assert all(m["name"] for m in found["by_major"])
    assert [m["code"] for m in found["by_major"]] == sorted(codes, key=lambda c: (-(stars.get(c) or 0), c))
    assert found["priority_major_hires"] == sum(1 for code in codes if code in stars)

    rows = _csv(client.get("/reports/placements", params={"format": "csv"}, headers=bearer(keys.admin)))
    hire_rows = {
        r["key"]: (int(r["count"]), float(r["median_days"]), float(r["mean_days"]))
        for r in rows
        if r["breakdown"] == "time_to_hire"
    }
    assert hire_rows == {str(board["a"]): (2, 7.0, 7.0), str(board["b"]): (1, 20.0, 20.0), "all": (3, 10.0, 11.3)}
    assert {r["key"]: int(r["count"]) for r in rows if r["breakdown"] == "tier"} == found["by_tier"]
    assert {r["key"]: int(r["count"]) for r in rows if r["breakdown"] == "industry"} == found["by_industry"]
    assert sorted(
        (r["key"], int(r["stars"]) if r["stars"] else None, int(r["count"])) for r in rows if r["breakdown"] == "major"
    ) == sorted((m["code"], m["stars"], m["certified"]) for m in found["by_major"])
    totals = {r["breakdown"]: int(r["count"]) for r in rows if r["key"] == "all" and r["breakdown"] != "time_to_hire"}
    assert totals == {"certified": 2, "priority_major": found["priority_major_hires"]}


def test_rewards_owed_and_paid_per_partner(client: TestClient, keys: Keys, board: dict[str, Any]) -> None:
    paid, owed = board["paid"]["reward"], board["owed"]["reward"]
    assert paid > 0 and owed > 0
    report = client.get("/reports/rewards", headers=bearer(keys.admin))
    assert report.status_code == 200, report.text
    assert report.json() == {
        "currency": "CNY",
        "owed": owed,
        "owed_hires": 1,
        "paid": paid,
        "paid_hires": 1,
        "by_partner": [
            {"partner_id": board["a"], "partner": PARTNER_A, "owed": 0, "owed_hires": 0, "paid": paid, "paid_hires": 1},
            {"partner_id": board["b"], "partner": PARTNER_B, "owed": owed, "owed_hires": 1, "paid": 0, "paid_hires": 0},
        ],
    }
    rows = _csv(client.get("/reports/rewards?format=csv", headers=bearer(keys.admin)))
    assert [[r[c] for c in ("partner_id", "owed", "owed_hires", "paid", "paid_hires")] for r in rows] == [
        [str(board["a"]), "0", "0", str(paid), "1"],
        [str(board["b"]), str(owed), "1", "0", "0"],
        ["all", str(owed), "1", str(paid), "1"],
    ]


def test_reports_on_an_empty_board_and_who_may_read_them(client: TestClient, keys: Keys) -> None:
    referrals = client.get("/reports/referrals", headers=bearer(keys.admin)).json()
    nothing = [{"stage": s, "reached": 0, "from_previous": None, "from_referred": None} for s in STAGES]
    assert referrals == {
        "total": 0,
        "by_stage": dict.fromkeys(BOARD, 0),
        "by_partner": [],
        "funnel": nothing,
        "start": None,
        "end": None,
    }
    placements = client.get("/reports/placements", headers=bearer(keys.admin)).json()
    assert placements["time_to_hire"]["hires"] == 0 and placements["time_to_hire"]["median_days"] is None
    assert placements["certified"] == 0 and placements["by_major"] == [] and placements["by_tier"] == {}
    assert _csv(client.get("/reports/rewards?format=csv", headers=bearer(keys.admin))) == [
        {"partner_id": "all", "partner": "all partners", "owed": "0", "owed_hires": "0", "paid": "0", "paid_hires": "0"}
    ]
    for path in REPORTS:
        assert client.get(path).status_code == 401
        for key in (keys.partner, keys.enterprise, keys.candidate):
            refused = client.get(path, headers=bearer(key))
            assert refused.status_code == 403 and "cannot call this route" in refused.json()["error"]["message"]
        assert client.get(path, params={"format": "xlsx"}, headers=bearer(keys.admin)).status_code == 422
    spec = client.get("/openapi.json").json()["paths"]["/reports/rewards"]["get"]["responses"]["200"]["content"]
    assert set(spec) == {"application/json", "text/csv"}


def test_reports_of_a_period(client: TestClient, loaded: Platform, keys: Keys, board: dict[str, Any]) -> None:
    """`from` and `to` choose the referrals made on those days in the platform's zone; `from` after `to` is a 422."""
    today = datetime.now(ZoneInfo(loaded.settings.time_zone)).date().isoformat()
    admin = bearer(keys.admin)
    for name in ("referrals", "placements", "rewards"):
        assert client.get(f"/reports/{name}", params={"from": today, "to": today}, headers=admin).status_code == 200
    assert client.get("/reports/referrals", params={"from": today}, headers=admin).json()["total"] == 5
    long_ago = client.get("/reports/referrals", params={"from": "2000-01-01", "to": "2000-01-02"}, headers=admin)
    assert long_ago.json()["total"] == 0 and long_ago.json()["start"] == "2000-01-01"
    assert client.get("/reports/rewards", params={"to": "2000-01-02"}, headers=admin).json()["paid"] == 0
    rows = _csv(client.get("/reports/referrals", params={"format": "csv", "to": "2000-01-02"}, headers=admin))
    assert rows == [{**{"partner_id": "all", "partner": "all partners", "total": "0"}, **dict.fromkeys(BOARD, "0")}]
    backwards = client.get("/reports/placements", params={"from": "2026-03-02", "to": "2026-03-01"}, headers=admin)
    assert backwards.status_code == 422 and "after it ends" in backwards.json()["error"]["message"]
    for bad in ("0", "2026-3-1", "1999-12-31", "2026-02-30"):
        assert client.get("/reports/referrals", params={"from": bad}, headers=admin).status_code == 422, bad
