"""The candidate portal over plain HTTP: each page for the candidate (and refused to every other role), the profile
form changing the profile and the matches, résumé upload, referrals, policies, consent, contact requests, export and
erasure — and bad input refused with a readable message and nothing changed."""

import io
import json
from urllib.parse import unquote

import docx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.web.auth import KEY_COOKIE, PREFIX
from matcher.partners import contact_requests, referrals
from matcher.people import accounts, privacy
from matcher.people.accounts import Caller
from matcher.platform import Platform
from matcher.search.indexing import load_index
from matcher.store import queries
from matcher.store.models import Account, Candidate, Consent, ContactRequest, Feedback, Job, Organization, Referral
from tests.api.conftest import ENTERPRISE, PARTNER_A, Keys
from tests.web.conftest import SQLITE_ONLY, form_token, sign_in_client

pytestmark = SQLITE_ONLY

ME = f"{PREFIX}/me"
PAGES = [ME, f"{ME}/openings", f"{ME}/policies", f"{ME}/privacy"]


# --- helpers shared with the browser test ----------------------------------------------------------------------------


def docx_resume(*lines: str) -> bytes:
    """A small real Word document with these paragraphs."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


RESUME = docx_resume(
    "测试人员乙 · 简历",
    "邮箱：gnss.person@example.invalid",
    "研究方向：北斗/GPS 精密单点定位（PPP）、RTK 与惯性组合导航，多频多系统 GNSS 数据处理。",
    "Experience: developed a real-time PPP-RTK engine in C++ for autonomous driving at a Calgary start-up.",
)


def caller_of(platform: Platform, key: str) -> Caller:
    with platform.session() as session:
        caller = accounts.authenticate(session, key)
        assert caller is not None
        return caller


def job_id(platform: Platform, external_id: str) -> int:
    with platform.session() as session:
        row = queries.get_by_ref(Job, session=session, source="test", external_id=external_id)
        assert row is not None
        return row.id


def refer(platform: Platform, keys: Keys, external_id: str = "j-gnss") -> int:
    """The test partner refers the test candidate to a job; the referral's id."""
    with platform.session() as session:
        made = referrals.refer(
            session, caller_of(platform, keys.partner), keys.candidate_id, job_id(platform, external_id), window_days=90
        )
        session.flush()
        return made.id


def ask(platform: Platform, key: str, candidate_id: int, message: str, job: int | None = None) -> int:
    """An enterprise or partner firm asks the candidate for their contact details; the request's id."""
    with platform.session() as session:
        return contact_requests.request_contact(session, caller_of(platform, key), candidate_id, job, message).id


def other_candidates(platform: Platform, candidate_id: int) -> list[str]:
    """The names of every other candidate (what the candidate must never see)."""
    with platform.session() as session:
        return [c.name for c in session.scalars(select(Candidate).where(Candidate.id != candidate_id)) if c.name]


# --- helpers of this module ------------------------------------------------------------------------------------------


def flash_of(response) -> str:  # type: ignore[no-untyped-def]
    """The one-time message a redirect leaves for the next page."""
    raw = response.cookies.get("tb_flash")
    assert raw, f"no message on {response.status_code} {response.headers.get('location')}"
    return str(json.loads(unquote(raw))["text"])


def post(client: TestClient, path: str, back: str, **kwargs) -> object:  # type: ignore[no-untyped-def]
    """A form posted from the page `back`, with that page's token."""
    data = {"csrf": form_token(client, back), **kwargs.pop("data", {})}
    return client.post(path, data=data, headers={"referer": f"http://testserver{back}"}, **kwargs)


def profile(platform: Platform, candidate_id: int) -> Candidate:
    with platform.session() as session:
        row = session.get(Candidate, candidate_id)
        assert row is not None
        _ = row.education, row.experience
        session.expunge(row)
        return row


def profile_form(row: Candidate, **changes: object) -> dict[str, object]:
    """What the profile page's form posts for `row`, with `changes`."""
    data: dict[str, object] = {
        "name": row.name,
        "headline": row.headline,
        "summary": row.summary,
        "skills": "、".join(row.skills),
        "location": row.location,
        "preferred_locations": ", ".join(row.preferred_locations),
        "industries": "",
        "languages": "",
        "email": row.email or "",
        "birth_year": str(row.birth_year or ""),
        "edu_school": [e.school for e in row.education] + [""],
        "edu_degree": [e.degree for e in row.education] + [""],
        "edu_major": [e.major for e in row.education] + [""],
        "edu_country": [e.country for e in row.education] + [""],
        "edu_end_year": [str(e.end_year or "") for e in row.education] + [""],
        "exp_title": [""],
        "exp_organization": [""],
        "exp_start": [""],
        "exp_end": [""],
        "exp_description": [""],
    }
    return {**data, **changes}


def openings(html: str) -> str:
    """The list of openings of the openings page (without the side card and the referrals)."""
    start = html.index('data-test="openings"')
    return html[start : html.index("</section>", start)]


def top_opening(client: TestClient) -> str:
    html = openings(client.get(f"{ME}/openings").text)
    marker = '<span class="job-title">'
    start = html.index(marker) + len(marker)
    return html[start : html.index("<", start)]


@pytest.fixture
def signed_in(console: TestClient, keys: Keys) -> TestClient:
    sign_in_client(console, keys.candidate)
    return console


# --- pages and roles -------------------------------------------------------------------------------------------------


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
        assert response.status_code == 403 and "this page is not for" in response.text, path
    token = form_token(console, f"{PREFIX}/login")
    refused = console.post(f"{ME}/erase", data={"csrf": token, "confirm": "DELETE"})
    assert refused.status_code == 303 and "this page is not for" in flash_of(refused)


def test_a_stranger_is_sent_to_sign_in(console: TestClient) -> None:
    assert console.get(f"{ME}/policies").headers["location"] == f"{PREFIX}/login?next=/console/me/policies"


def test_a_forged_form_changes_nothing(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    before = profile(loaded, keys.candidate_id)
    data = profile_form(before, headline="Forged", csrf="forged")
    refused = signed_in.post(f"{ME}/profile", data=data)
    assert refused.status_code == 303 and "did not come from TalentBridge" in flash_of(refused)
    erase = signed_in.post(f"{ME}/erase", data={"csrf": "forged", "confirm": "DELETE"})
    assert "did not come from TalentBridge" in flash_of(erase)
    assert profile(loaded, keys.candidate_id).headline == before.headline


# --- profile, résumé, visibility -------------------------------------------------------------------------------------


def test_editing_the_profile_changes_it_and_the_openings(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    assert top_opening(signed_in) == "GNSS Positioning Algorithm Engineer"
    before = profile(loaded, keys.candidate_id)
    data = profile_form(
        before,
        headline="儿科护士 Paediatric nurse",
        summary="我在儿童医院做了五年儿科护理：新生儿护理、静脉输液和儿童用药管理。",
        skills="儿科护理、新生儿护理, 静脉输液；儿童用药",
        languages="中文, English",
        email="gnss.person@example.invalid",
        exp_title=["儿科护士", ""],
        exp_organization=["Alberta Children's Hospital", ""],
        exp_start=["2020-01", ""],
        exp_end=["", ""],
        exp_description=["儿科病房护理", ""],
    )
    saved = post(signed_in, f"{ME}/profile", ME, data=data)
    assert saved.status_code == 303 and saved.headers["location"] == ME and "档案已保存" in flash_of(saved)
    page = signed_in.get(ME).text
    assert "档案已保存" in page and "Alberta Children&#39;s Hospital" in page
    after = profile(loaded, keys.candidate_id)
    assert after.skills == ["儿科护理", "新生儿护理", "静脉输液", "儿童用药"]
    assert after.languages == ["中文", "English"] and after.email == "gnss.person@example.invalid"
    assert [x.organization for x in after.experience] == ["Alberta Children's Hospital"]
    assert [e.school for e in after.education] == ["University of Calgary"]  # the blank row added nothing
    assert after.birth_year == 1996 and after.name == before.name
    assert top_opening(signed_in) == "Paediatric Nurse"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"birth_year": "abc"}, "出生年份须为四位数年份"),
        ({"birth_year": "1800"}, "birth_year 1800 is not plausible"),
        ({"edu_end_year": ["twenty", ""]}, "毕业年份须为四位数年份"),
        ({"name": ""}, "name: Field required"),
        ({"edu_school": ["University of Calgary"]}, "表单不完整"),
        (
            {
                "headline": "",
                "summary": "",
                "skills": "",
                "edu_school": ["", ""],
                "edu_degree": ["", ""],
                "edu_major": ["", ""],
                "edu_country": ["", ""],
                "edu_end_year": ["", ""],
            },
            "a candidate needs at least one",
        ),
    ],
)
def test_a_bad_profile_is_refused_with_the_reason_and_nothing_changes(
    signed_in: TestClient,
    keys: Keys,
    loaded,
    changes: dict[str, object],
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    before = profile(loaded, keys.candidate_id)
    refused = post(signed_in, f"{ME}/profile", ME, data=profile_form(before, **{"headline": "Changed", **changes}))
    assert refused.status_code == 303 and refused.headers["location"] == ME
    assert message in flash_of(refused)
    after = profile(loaded, keys.candidate_id)
    assert (after.headline, after.birth_year, len(after.education)) == (before.headline, 1996, 1)


def test_a_docx_resume_is_read_and_a_bad_file_explained(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    uploaded = post(signed_in, f"{ME}/resume", ME, files={"file": ("cv.docx", RESUME, docx_type)})
    assert uploaded.status_code == 303 and "已读取简历（DOCX" in flash_of(uploaded)
    text = profile(loaded, keys.candidate_id).resume_text
    assert "PPP-RTK" in text and "gnss.person@example.invalid" not in text  # contacts are kept out
    assert "PPP-RTK" in signed_in.get(ME).text
    for name, data, reason in [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "is a PNG image; upload the résumé as a PDF or a Word"),
        ("cv.txt", "我的简历 plain text".encode(), "is a plain text file"),
        ("empty.pdf", b"", "is empty"),
    ]:
        refused = post(signed_in, f"{ME}/resume", ME, files={"file": (name, data, "application/octet-stream")})
        assert refused.status_code == 303 and refused.headers["location"] == ME
        assert reason in flash_of(refused), name
    assert profile(loaded, keys.candidate_id).resume_text == text


def test_hiding_and_showing_the_profile(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    hidden = post(signed_in, f"{ME}/visibility", ME, data={"visible": "false"})
    assert "已在搜索中隐藏" in flash_of(hidden) and profile(loaded, keys.candidate_id).visible is False
    assert "已从搜索中隐藏" in signed_in.get(ME).text
    post(signed_in, f"{ME}/visibility", ME, data={"visible": "true"})
    assert profile(loaded, keys.candidate_id).visible is True


# --- referrals and policies ------------------------------------------------------------------------------------------


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
    assert f"referral {made + 1000} not found" in flash_of(missing)


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
        ({"policy_key": "free_lunch", "message": "?"}, "unknown policy 'free_lunch'"),
        ({"policy_key": "living_subsidy", "message": "   "}, "a message must be 1 to"),
    ]:
        assert reason in flash_of(post(signed_in, f"{ME}/policies/feedback", f"{ME}/policies", data=data))
    with loaded.session() as session:
        assert [f.message for f in session.scalars(select(Feedback))] == ["何时发放？"]


# --- privacy: consent, contact requests, export, erasure -------------------------------------------------------------


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
    assert again.headers["location"] == f"{ME}/privacy" and "no consent given" in flash_of(again)


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
    assert "was accepted already" in flash_of(twice)
    bogus = post(signed_in, f"{ME}/contact-requests/{wanted}/maybe", f"{ME}/privacy")
    assert bogus.status_code == 303 and "answer" in flash_of(bogus)


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
    cookie = [c for c in erased.headers.get_list("set-cookie") if c.startswith(KEY_COOKIE)]
    assert cookie and "Max-Age=0" in cookie[0] and "Path=/console" in cookie[0]
    assert KEY_COOKIE not in signed_in.cookies
    assert signed_in.get(ME).headers["location"] == f"{PREFIX}/login?next=/console/me"
    with loaded.session() as session:
        assert session.get(Candidate, keys.candidate_id) is None
        assert session.scalars(select(Account).where(Account.candidate_id == keys.candidate_id)).first() is None
        assert session.scalars(select(Referral)).all() == []
        assert keys.candidate_id not in set(load_index(session, loaded.settings, loaded.encoder, "candidates").ids())
