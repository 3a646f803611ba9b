"""The candidate portal over plain HTTP, page by page: each page for the candidate in both languages (and refused to
every other role and to strangers), the openings they may see, and forged forms refused with nothing changed."""

import pytest
from fastapi.testclient import TestClient

from api.web.auth import PREFIX
from tests.api.conftest import Keys
from tests.web.candidate_portal import ME, PAGES, flash_of, openings, other_candidates, profile, profile_form
from tests.web.conftest import SQLITE_ONLY, form_token, sign_in_client

pytestmark = SQLITE_ONLY


@pytest.fixture
def signed_in(console: TestClient, keys: Keys) -> TestClient:
    sign_in_client(console, keys.candidate)
    return console


def test_every_page_renders_for_the_candidate_in_both_languages(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    me = profile(loaded, keys.candidate_id)
    zh = {path: signed_in.get(path) for path in PAGES}
    assert all(r.status_code == 200 and 'lang="zh-CN"' in r.text for r in zh.values())
    assert me.name in zh[ME].text and "编辑档案" in zh[ME].text and 'value="1996"' in zh[ME].text
    assert "University of Calgary" in zh[ME].text and "卫星导航、高精度定位" in zh[ME].text
    assert (
        "GNSS Positioning Algorithm Engineer" in zh[f"{ME}/openings"].text and "匹配原因" in zh[f"{ME}/openings"].text
    )
    assert "北斗导航与卫星应用" in zh[f"{ME}/openings"].text  # the leading industry that fits, in the side card
    assert "逐项核对" in zh[f"{ME}/policies"].text and "联系请求" in zh[f"{ME}/privacy"].text
    signed_in.cookies.set("tb_lang", "en")
    en = {path: signed_in.get(path).text for path in PAGES}
    assert "Edit profile" in en[ME] and "Why it matches" in en[f"{ME}/openings"]
    assert "Every criterion" in en[f"{ME}/policies"] and "Erase my account" in en[f"{ME}/privacy"]
    assert "编辑档案" not in en[ME]


def test_the_openings_show_jobs_and_no_other_candidate(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    html = signed_in.get(f"{ME}/openings").text
    for name in other_candidates(loaded, keys.candidate_id):
        assert name not in html
    assert "30,000–50,000" in html  # the salary of the GNSS opening
    filtered = openings(signed_in.get(f"{ME}/openings", params={"industry": "生物医药"}).text)
    assert "Paediatric Nurse" in filtered and "GNSS Positioning Algorithm Engineer" not in filtered
    nowhere = signed_in.get(f"{ME}/openings", params={"location": "拉萨"}).text
    assert "没有符合筛选条件的职位" in nowhere
    assert signed_in.get(f"{ME}/openings", params={"location": "x" * 101}).status_code == 422


@pytest.mark.parametrize("role", ["admin", "partner", "enterprise"])
def test_other_roles_may_not_open_or_post_the_candidates_pages(console: TestClient, keys: Keys, role: str) -> None:
    sign_in_client(console, getattr(keys, role))
    for path in [*PAGES, f"{ME}/export"]:
        response = console.get(path)
        assert response.status_code == 403 and "此页面不对" in response.text, path
    token = form_token(console, f"{PREFIX}/login")
    refused = console.post(f"{ME}/erase", data={"csrf": token, "confirm": "DELETE"})
    assert refused.status_code == 303 and "此页面不对" in flash_of(refused)


def test_a_stranger_is_sent_to_sign_in(console: TestClient) -> None:
    assert console.get(f"{ME}/policies").headers["location"] == f"{PREFIX}/login?next=/console/me/policies"


def test_a_forged_form_changes_nothing(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    before = profile(loaded, keys.candidate_id)
    data = profile_form(before, headline="Forged", csrf="forged")
    refused = signed_in.post(f"{ME}/profile", data=data)
    assert refused.status_code == 303 and "并非来自 TalentBridge" in flash_of(refused)
    erase = signed_in.post(f"{ME}/erase", data={"csrf": "forged", "confirm": "DELETE"})
    assert "并非来自 TalentBridge" in flash_of(erase)
    assert profile(loaded, keys.candidate_id).headline == before.headline
