"""Who sees the candidate, over plain HTTP: accepting a partner's referral, withdrawing a consent, answering contact
requests; and their own data downloaded as JSON and the account erased."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.web.auth import PREFIX, SESSION_COOKIE
from matcher.people import privacy
from matcher.store.models import Account, Candidate, Consent, ContactRequest, Organization, Referral
from tests.api.conftest import ENTERPRISE, PARTNER_A, Keys
from tests.web.candidate_portal import ME, ask, caller_of, flash_of, job_id, post, profile, refer
from tests.web.conftest import SQLITE_ONLY, sign_in_client

pytestmark = SQLITE_ONLY


@pytest.fixture
def signed_in(console: TestClient, keys: Keys) -> TestClient:
    sign_in_client(console, keys.candidate)
    return console


def test_accepting_a_referral(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    made = refer(loaded, keys)
    page = signed_in.get(f"{ME}/openings").text
    assert PARTNER_A in page and "同意推荐" in page and "已推荐" in page
    accepted = post(signed_in, f"{ME}/referrals/{made}/accept", f"{ME}/openings")
    assert accepted.headers["location"] == f"{ME}/openings#referrals" and "已同意推荐" in flash_of(accepted)
    with loaded.session() as session:
        assert session.get(Referral, made).accepted_at is not None  # type: ignore[union-attr]
    assert 'data-test="accepted"' in signed_in.get(f"{ME}/openings").text
    missing = post(signed_in, f"{ME}/referrals/{made + 1000}/accept", f"{ME}/openings")
    assert f"找不到编号为 {made + 1000} 的推荐记录" in flash_of(missing)


def test_withdrawing_a_consent(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    with loaded.session() as session:
        firm = session.scalars(select(Organization.id).where(Organization.name == PARTNER_A)).one()
        privacy.grant(session, caller_of(loaded, keys.candidate), firm)
    page = signed_in.get(f"{ME}/privacy").text
    assert PARTNER_A in page and "可查看我的姓名和联系方式" in page
    withdrawn = post(signed_in, f"{ME}/consents/{firm}/withdraw", f"{ME}/privacy")
    assert withdrawn.headers["location"] == f"{ME}/privacy#consents" and PARTNER_A in flash_of(withdrawn)
    with loaded.session() as session:
        consent = session.scalars(select(Consent).where(Consent.organization_id == firm)).one()
        assert consent.withdrawn_at is not None
    assert "已撤回" in signed_in.get(f"{ME}/privacy").text
    again = post(signed_in, f"{ME}/consents/{firm}/withdraw", f"{ME}/privacy")
    assert again.headers["location"] == f"{ME}/privacy" and "您尚未向该机构" in flash_of(again)


def test_accepting_and_declining_contact_requests(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    wanted = ask(loaded, keys.enterprise, keys.candidate_id, "我们想邀请您面谈", job_id(loaded, "j-sec"))
    pestering = ask(loaded, keys.other_partner, keys.candidate_id, "Call us")
    page = signed_in.get(f"{ME}/privacy").text
    assert ENTERPRISE in page and "我们想邀请您面谈" in page and "渗透测试工程师" in page and page.count("待回复") == 2
    accepted = post(signed_in, f"{ME}/contact-requests/{wanted}/accept", f"{ME}/privacy")
    assert "已同意「测试企业一」的联系请求" in flash_of(accepted)
    declined = post(signed_in, f"{ME}/contact-requests/{pestering}/decline", f"{ME}/privacy")
    assert "已拒绝" in flash_of(declined)
    with loaded.session() as session:
        statuses = {r.id: r.status for r in session.scalars(select(ContactRequest))}
        assert statuses == {wanted: "accepted", pestering: "declined"}
        enterprise = caller_of(loaded, keys.enterprise)
        assert privacy.unmasked_ids(session, enterprise, [keys.candidate_id]) == {keys.candidate_id}
        assert privacy.unmasked_ids(session, caller_of(loaded, keys.other_partner), [keys.candidate_id]) == set()
    twice = post(signed_in, f"{ME}/contact-requests/{wanted}/decline", f"{ME}/privacy")
    assert "已处理（已同意）" in flash_of(twice)
    bogus = post(signed_in, f"{ME}/contact-requests/{wanted}/maybe", f"{ME}/privacy")
    assert bogus.status_code == 303 and "答复：请从列表中选择" in flash_of(bogus)


def test_my_data_downloads_as_json(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    refer(loaded, keys)
    response = signed_in.get(f"{ME}/export")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert response.headers["content-disposition"] == 'attachment; filename="talentbridge-my-data.json"'
    data = response.json()
    assert data["profile"]["id"] == keys.candidate_id and data["profile"]["birth_year"] == 1996
    assert data["profile"]["education"][0]["school"] == "University of Calgary"
    assert [r["job_title"] for r in data["referrals"]] == ["GNSS Positioning Algorithm Engineer"]
    assert "卫星导航" in response.text  # Chinese as it is, not \\u escapes


def test_erasure_needs_the_word_then_removes_everything_and_signs_out(
    signed_in: TestClient, keys: Keys, loaded
) -> None:  # type: ignore[no-untyped-def]
    refer(loaded, keys)
    kept = post(signed_in, f"{ME}/erase", f"{ME}/privacy", data={"confirm": "yes"})
    assert kept.headers["location"] == f"{ME}/privacy" and "未删除" in flash_of(kept)
    assert profile(loaded, keys.candidate_id).id == keys.candidate_id
    erased = post(signed_in, f"{ME}/erase", f"{ME}/privacy", data={"confirm": " delete "})
    assert erased.status_code == 303 and erased.headers["location"] == f"{PREFIX}/login"
    assert "账户与档案已全部删除" in flash_of(erased)
    cookie = [c for c in erased.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)]
    assert cookie and "Max-Age=0" in cookie[0] and "Path=/console" in cookie[0]
    assert SESSION_COOKIE not in signed_in.cookies
    assert signed_in.get(ME).headers["location"] == f"{PREFIX}/login?next=/console/me"
    with loaded.session() as session:
        assert session.get(Candidate, keys.candidate_id) is None
        assert session.scalars(select(Account).where(Account.candidate_id == keys.candidate_id)).first() is None
        assert session.scalars(select(Referral)).all() == []
        assert not loaded.matching(session).index("candidates").contains(keys.candidate_id)
