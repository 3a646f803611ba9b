"""The enterprise's pages over plain HTTP: its jobs, posting (searchable at once), editing and closing one, the
candidates ranked for a job (masked until they consent), contact requests, and what other roles and forged forms
get."""

import re
from datetime import date
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.web.auth import PREFIX
from matcher.partners import contact_requests
from matcher.people import accounts
from matcher.platform import Platform
from matcher.store.models import AuditEvent, Candidate, ContactRequest, Job
from tests.api.conftest import ENTERPRISE, Keys, bearer
from tests.web.conftest import SQLITE_ONLY, form_token, sign_in_client

pytestmark = SQLITE_ONLY

HOME = f"{PREFIX}/enterprise"
NEW = f"{HOME}/jobs/new"
GNSS_JOB = {
    "title": "北斗卫星导航算法工程师",
    "industry": "北斗导航与卫星应用",
    "description": "负责北斗/GNSS 高精度定位算法研发，包括 RTK、PPP 与组合导航。",
    "requirements": "导航、测绘或通信相关专业硕士及以上，熟悉卫星导航定位原理",
    "majors": "导航工程、测绘工程,通信工程",
    "min_degree": "master",
    "location": "郑州市高新区",
    "salary_min": "20000",
    "salary_max": "40000",
    "currency": "CNY",
    "salary_period": "month",
}


def personal_data(platform: Platform) -> list[str]:
    """Every sample candidate's real name, and an e-mail given to each (the samples have none)."""
    secrets = []
    with platform.session() as session:
        for row in session.scalars(select(Candidate)):
            row.email = f"{row.external_id}.person@example.invalid"
            secrets += [row.name, row.email]
    return secrets


def job_id(platform: Platform, enterprise: str = ENTERPRISE) -> int:
    with platform.session() as session:
        found = session.scalars(select(Job.id).where(Job.enterprise_name == enterprise)).first()
        assert found is not None
        return found


def job_count(platform: Platform) -> int:
    with platform.session() as session:
        return session.scalar(select(func.count()).select_from(Job)) or 0


def flash(response) -> str:  # type: ignore[no-untyped-def]
    """The message a redirect leaves for the next page."""
    return unquote(response.cookies.get("tb_flash", ""))


def post_form(console: TestClient, path: str, data: dict[str, str], page: str | None = None):  # type: ignore[no-untyped-def]
    """Post a form as the page `page` (default: `path`) would, with its token and as its Referer."""
    page = page or path
    token = form_token(console, page)
    return console.post(path, data={**data, "csrf": token}, headers={"referer": f"http://testserver{page}"})


def post_job(console: TestClient, fields: dict[str, str] = GNSS_JOB) -> int:
    response = post_form(console, NEW, fields)
    assert response.status_code == 303, response.text
    match = re.fullmatch(rf"{HOME}/jobs/(\d+)", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


@pytest.fixture
def signed_in(console: TestClient, keys: Keys) -> TestClient:
    sign_in_client(console, keys.enterprise)
    return console


def test_every_page_is_the_enterprises_and_no_one_elses(console: TestClient, loaded: Platform, keys: Keys) -> None:
    own = job_id(loaded)
    pages = [HOME, NEW, f"{HOME}/requests", f"{HOME}/jobs/{own}", f"{HOME}/jobs/{own}/edit"]
    for key in (keys.partner, keys.candidate, keys.admin):
        sign_in_client(console, key)
        for path in pages:
            response = console.get(path)
            assert response.status_code == 403 and "此页面不对" in response.text, path
    sign_in_client(console, keys.enterprise)
    for path in pages:
        response = console.get(path)
        assert response.status_code == 200 and "text/html" in response.headers["content-type"], path
    home = console.get(HOME).text
    assert "渗透测试工程师" in home and "在招" in home and "导入" in home  # the crawled job it employs
    assert "测试企业二" not in home and "电池管理系统" not in home  # another employer's job
    form = console.get(NEW).text
    assert '<option value="北斗导航与卫星应用">' in form and 'name="title" required' in form
    # A crawled job cannot be edited here: the page says why and the form is disabled.
    assert "请在原招聘网站修改" in console.get(f"{HOME}/jobs/{own}/edit").text
    console.cookies.set("tb_lang", "en")
    assert "My jobs" in console.get(HOME).text and "imported from test" in console.get(f"{HOME}/jobs/{own}/edit").text


def test_posting_a_job_stores_it_for_the_enterprise_and_it_is_searchable_at_once(
    signed_in: TestClient, loaded: Platform, keys: Keys
) -> None:
    posted = post_job(signed_in)
    landing = signed_in.get(f"{HOME}/jobs/{posted}")
    assert "已发布「北斗卫星导航算法工程师」" in landing.text and landing.status_code == 200
    assert "匹配原因" in landing.text and landing.text.count('data-test="candidate"') >= 3
    with loaded.session() as session:
        job = session.get(Job, posted)
        assert job is not None and job.enterprise_row is not None and job.enterprise_row.name == ENTERPRISE
        assert job.majors == ["导航工程", "测绘工程", "通信工程"] and job.min_degree == 3
        assert (job.salary_min, job.salary_max, job.location) == (20000, 40000, "郑州市高新区")
    found = signed_in.get("/search/jobs", params={"q": "北斗卫星导航定位算法"}, headers=bearer(keys.candidate))
    assert found.status_code == 200 and found.json()["items"][0]["id"] == posted
    listed = signed_in.get(HOME).text
    assert "北斗卫星导航算法工程师" in listed and "20,000–40,000" in listed
    # The GNSS candidate ranks first for it.
    first = re.search(r'id="candidate-(\d+)"', landing.text)
    assert first and int(first.group(1)) == keys.candidate_id


@pytest.mark.parametrize(
    ("changes", "zh", "en", "marked"),
    [
        pytest.param(
            {"salary_min": "50000", "salary_max": "20000"},
            "最低薪资（50000）高于最高薪资（20000）",
            "is above the maximum",
            ("salary_min", "salary_max"),
            id="min-above-max",
        ),
        pytest.param(
            {"salary_min": "-1"},
            "最低薪资：不能小于 0",
            "Minimum salary: must be at least 0",
            ("salary_min",),
            id="negative",
        ),
        pytest.param(
            {"salary_max": "abc"},
            "最高薪资：必须是数字",
            "Maximum salary: must be a number",
            ("salary_max",),
            id="not-a-number",
        ),
        pytest.param(
            {"salary_max": "2e10"}, "最高薪资：不能大于 1e+09", "must be at most", ("salary_max",), id="too-large"
        ),
        pytest.param({"title": "   "}, "职位名称：必须填写", "Job title: is required", ("title",), id="no-title"),
        pytest.param(
            {"currency": "yuan"},
            "币种：不是有效的币种代码",
            "Currency: is not a currency code",
            ("currency",),
            id="currency",
        ),
        pytest.param(
            {"currency": "XYZ"},
            "币种：不是有效的币种代码（如 CNY、USD、EUR）",
            "Currency: is not a currency code (such as CNY, USD, EUR)",
            ("currency",),
            id="currency-not-iso-4217",
        ),
        pytest.param(
            {"openings": "0"}, "招聘人数：不能小于 1", "Openings: must be at least 1", ("openings",), id="no-openings"
        ),
        pytest.param(
            {"experience_years": "80"},
            "工作经验（年）：不能大于 50",
            "Years of experience: must be at most 50",
            ("experience_years",),
            id="experience",
        ),
        pytest.param(
            {"valid_through": "2020-01-31"},
            "申请截止日期（2020-01-31）已经过去",
            "The last day to apply (2020-01-31) has passed",
            ("valid_through",),
            id="deadline-passed",
        ),
        pytest.param(
            {"valid_through": "31/01/2027"},
            "申请截止日期：不是有效的日期",
            "Apply by: is not a date",
            ("valid_through",),
            id="deadline-not-a-date",
        ),
        pytest.param(
            {"min_degree": "wizard"},
            "最低学历：请从列表中选择",
            "Minimum degree: choose one of the listed values",
            (),
            id="degree",
        ),
    ],
)
def test_a_bad_job_comes_back_as_typed_with_the_reason_and_stores_nothing(
    signed_in: TestClient, loaded: Platform, changes: dict[str, str], zh: str, en: str, marked: tuple[str, ...]
) -> None:
    """Issue 16: a refused job form keeps what was typed (title and description too), marks the fields to fix and
    says why in the page's language (browser validation bypassed, as any server-side rule is)."""
    before = job_count(loaded)
    typed = {**GNSS_JOB, **changes}
    for lang, words in (("zh", zh), ("en", en)):
        signed_in.cookies.set("tb_lang", lang)
        refused = post_form(signed_in, NEW, typed)
        assert refused.status_code == 422, lang
        assert words in refused.text and 'role="alert"' in refused.text, lang
        if "title" not in changes:
            assert f'value="{GNSS_JOB["title"]}"' in refused.text
        assert GNSS_JOB["description"] in refused.text and GNSS_JOB["requirements"] in refused.text
        for name, value in changes.items():  # the bad value itself is shown, to be corrected
            if name != "min_degree":
                assert f'name="{name}" aria-invalid="true"' in refused.text or name not in marked, name
                assert f'value="{value.strip()}"' in refused.text, name
        assert refused.text.count('aria-invalid="true"') == len(marked), lang
        assert words not in signed_in.get(NEW).text  # said once: a fresh form is empty again
    assert job_count(loaded) == before


def test_a_refused_edit_keeps_the_changes_typed(signed_in: TestClient, loaded: Platform) -> None:
    posted = post_job(signed_in)
    edit = f"{HOME}/jobs/{posted}/edit"
    refused = post_form(signed_in, edit, {**GNSS_JOB, "title": "北斗高精度定位算法专家", "salary_min": "90000"})
    assert refused.status_code == 422 and "最低薪资（90000）高于最高薪资（40000）" in refused.text
    assert 'value="北斗高精度定位算法专家"' in refused.text and 'value="90000"' in refused.text
    with loaded.session() as session:
        assert session.get(Job, posted).title == GNSS_JOB["title"]  # nothing changed


def test_editing_and_closing_a_job(signed_in: TestClient, loaded: Platform, keys: Keys) -> None:
    posted = post_job(signed_in)
    edit = f"{HOME}/jobs/{posted}/edit"
    form = signed_in.get(edit).text
    assert 'value="北斗卫星导航算法工程师"' in form and 'value="导航工程、测绘工程、通信工程"' in form
    assert '<option value="master" selected>' in form
    saved = post_form(signed_in, edit, {**GNSS_JOB, "title": "北斗高精度定位算法专家", "salary_max": "60000"})
    assert saved.status_code == 303 and saved.headers["location"] == f"{HOME}/jobs/{posted}"
    assert "已保存「北斗高精度定位算法专家」" in flash(saved)
    with loaded.session() as session:
        job = session.get(Job, posted)
        assert job is not None and (job.title, job.salary_max) == ("北斗高精度定位算法专家", 60000)
    # A bad edit changes nothing.
    refused = post_form(signed_in, edit, {**GNSS_JOB, "salary_min": "90000"})
    assert refused.status_code == 422 and "高于最高薪资" in refused.text
    with loaded.session() as session:
        assert session.get(Job, posted).title == "北斗高精度定位算法专家"  # type: ignore[union-attr]
    search = {"q": "北斗高精度定位算法专家"}
    assert (
        signed_in.get("/search/jobs", params=search, headers=bearer(keys.candidate)).json()["items"][0]["id"] == posted
    )
    # Closing asks first, marks the job closed in the list and takes it out of search.
    listed = signed_in.get(HOME).text
    assert f'action="{HOME}/jobs/{posted}/close"' in listed and "data-confirm=" in listed
    closed = post_form(signed_in, f"{HOME}/jobs/{posted}/close", {}, page=HOME)
    assert closed.status_code == 303 and closed.headers["location"] == HOME and "已关闭" in flash(closed)
    listed = signed_in.get(HOME).text
    row = listed[listed.index(f'id="job-{posted}"') :]
    row = row[: row.index("</tr>")]
    assert 'data-test="closed"' in row and "/close" not in row and "/edit" not in row
    assert "1 个在招职位，共 2 个" in listed
    hits = signed_in.get("/search/jobs", params=search, headers=bearer(keys.candidate)).json()["items"]
    assert posted not in [hit["id"] for hit in hits]
    # A closed job, and a crawled one, cannot be edited: the service's reason is shown.
    again = post_form(signed_in, edit, GNSS_JOB)
    assert again.headers["location"] == edit and f"职位 {posted} 已关闭" in flash(again)
    crawled = f"{HOME}/jobs/{job_id(loaded)}/edit"
    refused = post_form(signed_in, crawled, GNSS_JOB)
    assert "导入自 test，请在来源处修改" in flash(refused)
    with loaded.session() as session:
        assert session.get(Job, job_id(loaded)).title == "渗透测试工程师"  # type: ignore[union-attr]


def test_another_enterprises_job_is_not_found(signed_in: TestClient, loaded: Platform, keys: Keys) -> None:
    other = job_id(loaded, "测试企业二")
    for path in (f"{HOME}/jobs/{other}", f"{HOME}/jobs/{other}/edit", f"{HOME}/jobs/{2**62}"):
        response = signed_in.get(path)
        assert response.status_code == 404 and "未找到" in response.text, path
    closed = post_form(signed_in, f"{HOME}/jobs/{other}/close", {}, page=HOME)
    assert closed.headers["location"] == HOME and f"找不到编号为 {other} 的职位" in flash(closed)
    asked = post_form(
        signed_in, f"{HOME}/requests", {"candidate_id": str(keys.candidate_id), "job_id": str(other)}, page=HOME
    )
    assert f"找不到编号为 {other} 的职位" in flash(asked)
    with loaded.session() as session:
        assert session.get(Job, other).closed_at is None  # type: ignore[union-attr]
        assert session.scalars(select(ContactRequest)).all() == []


def test_forms_without_the_pages_token_are_refused(signed_in: TestClient, loaded: Platform) -> None:
    before = job_count(loaded)
    own = job_id(loaded)
    for path, data in [
        (NEW, GNSS_JOB),
        (f"{HOME}/jobs/{own}/close", {}),
        (f"{HOME}/requests", {"candidate_id": "1", "job_id": str(own)}),
    ]:
        for token in ("forged", None):
            body = {**data, "csrf": token} if token else data
            refused = signed_in.post(path, data=body, headers={"referer": f"http://testserver{HOME}"})
            assert refused.status_code == 303 and "并非来自 TalentBridge" in flash(refused), path
    assert job_count(loaded) == before
    with loaded.session() as session:
        assert session.get(Job, own).closed_at is None  # type: ignore[union-attr]
        assert session.scalars(select(ContactRequest)).all() == []


def test_requesting_contact_until_the_candidate_accepts(signed_in: TestClient, loaded: Platform, keys: Keys) -> None:
    secrets = personal_data(loaded)
    own = job_id(loaded)
    page = f"{HOME}/jobs/{own}"
    before = signed_in.get(page).text
    assert before.count('data-test="request-contact"') == before.count('data-test="candidate"') >= 5
    for secret in secrets:
        assert secret not in before and secret not in signed_in.get(f"{HOME}/requests").text
    ask = {"candidate_id": str(keys.candidate_id), "job_id": str(own), "message": "欢迎来郑州面谈"}
    asked = post_form(signed_in, f"{HOME}/requests", {**ask, "back": f"{page}#candidate-{keys.candidate_id}"}, page)
    assert asked.status_code == 303 and asked.headers["location"] == f"{page}#candidate-{keys.candidate_id}"
    assert f"已向候选人 #{keys.candidate_id} 发送联系请求" in flash(asked)
    after = signed_in.get(page).text
    card = after[after.index(f'id="candidate-{keys.candidate_id}"') :]
    card = card[: card.index("</article>")]
    assert "待回复" in card and "request-contact" not in card
    assert after.count('data-test="request-contact"') == before.count('data-test="request-contact"') - 1
    twice = post_form(signed_in, f"{HOME}/requests", ask, page)
    assert twice.headers["location"] == page and "候选人尚未答复" in flash(twice)
    listed = signed_in.get(f"{HOME}/requests").text
    assert (
        "待回复" in listed and "欢迎来郑州面谈" in listed and f'href="{page}#candidate-{keys.candidate_id}"' in listed
    )
    for secret in secrets:
        assert secret not in after and secret not in listed
    # The candidate accepts (through the service): the enterprise now sees the name and e-mail, audited.
    with loaded.session() as session:
        candidate = accounts.authenticate(session, keys.candidate)
        assert candidate is not None
        request = contact_requests.for_candidate(session, candidate)[0]
        contact_requests.answer(session, candidate, request.id, accept=True)
        person = session.get(Candidate, keys.candidate_id)
        assert person is not None
        name, email = person.name, person.email
    assert email
    shown = signed_in.get(page).text
    card = shown[shown.index(f'id="candidate-{keys.candidate_id}"') :]
    card = card[: card.index("</article>")]
    assert name in card and f'href="mailto:{email}"' in card and "request-contact" not in card
    listed = signed_in.get(f"{HOME}/requests").text
    assert "已同意" in listed and name in listed and email in listed
    others = [s for s in secrets if s not in (name, email)]
    for secret in others:
        assert secret not in shown and secret not in listed
    with loaded.session() as session:
        places = session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.action == "personal_data.view", AuditEvent.subject == f"candidate:{keys.candidate_id}"
            )
        ).all()
        assert {p["where"] for p in places} == {"console /enterprise/jobs/{id}", "console /enterprise/requests"}
    refused = post_form(signed_in, f"{HOME}/requests", ask, page)
    assert "候选人已向贵机构公开联系方式" in flash(refused)


def test_filters_and_paging_of_a_jobs_candidates(signed_in: TestClient, loaded: Platform, keys: Keys) -> None:
    own = job_id(loaded)
    page = f"{HOME}/jobs/{own}"
    first = signed_in.get(page).text
    everyone = first.count('data-test="candidate"')
    assert everyone == 10 and 'rel="next"' not in first  # the ten sample candidates fill exactly one page
    doctors = signed_in.get(page, params={"min_degree": "doctorate"}).text
    assert 0 < doctors.count('data-test="candidate"') < everyone
    assert '<option value="doctorate" selected>' in doctors and "清除" in doctors
    located = signed_in.get(page, params={"location": "卡尔加里"}).text
    assert f'id="candidate-{keys.candidate_id}"' in located and located.count('data-test="candidate"') < everyone
    beyond = signed_in.get(page, params={"offset": 100}).text
    assert 'data-test="candidate"' not in beyond and 'rel="prev"' in beyond
    second = signed_in.get(page, params={"offset": 5}).text
    assert second.count('data-test="candidate"') == 5 and ">6.</span>" in second and 'rel="prev"' in second
    bad = signed_in.get(page, params={"min_degree": "wizard", "location": "卡尔加里"})
    assert bad.status_code == 422 and "没有「wizard」这个学历层次。" in bad.text
    assert 'value="卡尔加里"' in bad.text  # what was typed stays, and still filters
    assert f'id="candidate-{keys.candidate_id}"' in bad.text and bad.text.count('data-test="candidate"') < everyone


def test_a_salary_with_one_bound_reads_as_a_floor_or_a_ceiling(signed_in: TestClient, loaded: Platform) -> None:
    """Issue 16, point 7: no maximum read "1–… XYZ / 月"."""
    post_job(signed_in, {**GNSS_JOB, "title": "只有底薪的职位", "salary_max": ""})
    post_job(signed_in, {**GNSS_JOB, "title": "只有上限的职位", "salary_min": ""})
    listed = signed_in.get(HOME).text
    assert "20,000 起" in listed and "最高 40,000" in listed and "–…" not in listed and "…–" not in listed
    signed_in.cookies.set("tb_lang", "en")
    listed = signed_in.get(HOME).text
    assert "from 20,000" in listed and "up to 40,000" in listed


def test_a_jobs_terms_are_posted_shown_and_edited(signed_in: TestClient, loaded: Platform) -> None:
    """Headcount, years of experience, job type and the last day to apply (issue 16, "Missing")."""
    terms = {"openings": "3", "experience_years": "2", "employment_type": "full_time", "valid_through": "2099-06-30"}
    posted = post_job(signed_in, {**GNSS_JOB, **terms})
    with loaded.session() as session:
        job = session.get(Job, posted)
        assert job is not None
        assert (job.openings, job.experience_years, job.employment_type) == (3, 2.0, "full_time")
        assert job.valid_through is not None and job.valid_through.isoformat() == "2099-06-30"
    listed = re.sub(r"<[^>]+>", "", signed_in.get(HOME).text)  # the words a reader sees
    assert "招聘 3 人 · 2 年以上经验 · 全职 · 申请截止 2099-06-30" in listed
    signed_in.cookies.set("tb_lang", "en")
    english = re.sub(r"<[^>]+>", "", signed_in.get(HOME).text)
    assert "3 openings · 2+ years&#39; experience · Full-time · apply by 2099-06-30" in english
    form = signed_in.get(f"{HOME}/jobs/{posted}/edit").text
    assert 'value="3"' in form and 'value="2099-06-30"' in form and '<option value="full_time" selected>' in form
    changed = post_form(
        signed_in, f"{HOME}/jobs/{posted}/edit", {**GNSS_JOB, "openings": "", "employment_type": "internship"}
    )
    assert changed.status_code == 303
    with loaded.session() as session:
        job = session.get(Job, posted)
        assert job is not None and job.openings is None and job.employment_type == "internship"
        assert job.valid_through is None  # left empty on the form: no deadline


def test_a_job_with_a_posting_day_shows_on_every_page(signed_in: TestClient, loaded: Platform) -> None:
    """Crawled and demo jobs carry a posting day (a date, not a time): the pages once failed on it (a user's report)."""
    own = job_id(loaded)
    with loaded.session() as session:
        job = session.get(Job, own)
        assert job is not None
        job.posted_at = date(2026, 11, 30)
    for path in (HOME, f"{HOME}/jobs/{own}"):
        page = signed_in.get(path)
        assert page.status_code == 200 and "2026-11-30" in page.text, path
