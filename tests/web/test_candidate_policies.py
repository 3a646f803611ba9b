"""The candidate's policies page over plain HTTP: the certification tier with every rule checked, the policies
refused and why, in both languages, and feedback on a policy (bad feedback refused)."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from matcher.store.models import Feedback
from tests.api.conftest import Keys
from tests.web.candidate_portal import ME, flash_of, post
from tests.web.conftest import SQLITE_ONLY, sign_in_client

pytestmark = SQLITE_ONLY


@pytest.fixture
def signed_in(console: TestClient, keys: Keys) -> TestClient:
    sign_in_client(console, keys.candidate)
    return console


def test_the_policies_page_shows_the_tier_the_rules_and_takes_feedback(
    signed_in: TestClient, loaded, keys: Keys
) -> None:  # type: ignore[no-untyped-def]
    html = signed_in.get(f"{ME}/policies").text
    assert 'class="tier"' in html and "B类 优秀青年人才" in html  # a doctorate from abroad, aged 30
    assert "年龄30岁，未超过博士40岁的年龄上限" in html and "青年人才生活补贴" in html
    assert 'data-test="refused"' in html and "仅限创业人才" in html  # start-up funding: founders only
    signed_in.cookies.set("tb_lang", "en")
    english = signed_in.get(f"{ME}/policies").text
    assert "Tier B, excellent young talent" in english and "age 30 is within the limit 40" in english
    filed = post(
        signed_in,
        f"{ME}/policies/feedback",
        f"{ME}/policies",
        data={"policy_key": "living_subsidy", "message": "何时发放？"},
    )
    assert filed.headers["location"] == f"{ME}/policies#feedback" and "Feedback sent" in flash_of(filed)
    assert "何时发放？" in signed_in.get(f"{ME}/policies").text
    for data, reason in [
        ({"policy_key": "free_lunch", "message": "?"}, "There is no policy “free_lunch”"),
        ({"policy_key": "living_subsidy", "message": "   "}, "The text must be 1 to 5000"),
    ]:
        assert reason in flash_of(post(signed_in, f"{ME}/policies/feedback", f"{ME}/policies", data=data))
    with loaded.session() as session:
        assert [f.message for f in session.scalars(select(Feedback))] == ["何时发放？"]
