"""A job's page for the student and "I'm interested", over plain HTTP: the whole posting in both languages with why
it fits (the same score the openings page gives it), a 404 page for a closed or unknown job in the page's language,
telling the employer only with the consent box ticked (and not twice), the employer seeing the student, and
withdrawing; then replacing and deleting the résumé, each saying what changed."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.web.auth import PREFIX
from api.web.i18n import LANG_COOKIE
from matcher.ingest import postings
from matcher.platform import Platform
from matcher.reference.english_names import job_occupation
from matcher.store.models import AuditEvent, Consent, Job
from tests.api.conftest import ENTERPRISE, Keys
from tests.web.candidate_portal import (
    ME,
    RESUME,
    caller_of,
    docx_resume,
    flash_of,
    job_id,
    openings,
    post,
    profile,
)
from tests.web.conftest import SQLITE_ONLY, sign_in_client

pytestmark = SQLITE_ONLY
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def signed_in(console: TestClient, keys: Keys) -> TestClient:
    sign_in_client(console, keys.candidate)
    return console


@pytest.fixture
def employer(loaded: Platform, keys: Keys) -> Iterator[TestClient]:
    """The console of 测试企业一's HR (the employer of j-sec), signed in."""
    with TestClient(create_app(platform=loaded), follow_redirects=False) as client:
        sign_in_client(client, keys.enterprise)
        yield client


def test_the_job_page_shows_the_posting_and_why_it_fits_in_both_languages(signed_in: TestClient, loaded) -> None:  # type: ignore[no-untyped-def]
    sec = job_id(loaded, "j-sec")
    listed = openings(signed_in.get(f"{ME}/openings").text)
    assert f'href="{ME}/jobs/{sec}"' in listed  # the openings page links each job to its page
    zh = signed_in.get(f"{ME}/jobs/{sec}")
    assert zh.status_code == 200
    for shown in ("渗透测试工程师", ENTERPRISE, "郑州市高新区", "网络安全", "15,000–30,000", "硕士", "网络空间安全"):
        assert shown in zh.text, shown
    assert "红队攻防演练" in zh.text and "信息安全相关专业硕士" in zh.text  # the description and requirements in full
    with loaded.session() as session:  # its occupation as coded, or the group, or "occupation uncertain"
        job = session.get(Job, sec)
        assert job is not None and job.occupation_confidence is not None
        occupation = {
            lang: job_occupation(job.occupation_code, job.occupation_confidence, lang) for lang in ("zh", "en")
        }
    assert f'<dd data-test="occupation">{occupation["zh"]}</dd>' in zh.text
    assert "匹配原因" in zh.text and "为什么适合我" in zh.text
    assert "我同意「测试企业一」为此职位查看我的姓名和联系方式" in zh.text
    # The same score as on the openings page: one ranking, drawn from this job alone.
    start = listed.index(f'href="{ME}/jobs/{sec}"')
    listed_score = listed[listed.index('class="score">', start) :].split(">", 1)[1].split("<", 1)[0]
    shown_score = zh.text[zh.text.index('class="score">') :].split(">", 1)[1].split("<", 1)[0]
    assert shown_score == listed_score
    signed_in.cookies.set(LANG_COOKIE, "en")
    en = signed_in.get(f"{ME}/jobs/{sec}").text
    assert "Cybersecurity" in en and "Why it fits me" in en and "Degree asked" in en
    assert f'<dd data-test="occupation">{occupation["en"]}</dd>' in en and occupation["en"].isascii()
    assert "I agree that 测试企业一 may see my name and contact details for this job." in en


def test_a_closed_or_unknown_job_is_a_404_page_in_the_page_language(signed_in: TestClient, loaded, keys) -> None:  # type: ignore[no-untyped-def]
    unknown = signed_in.get(f"{ME}/jobs/999999")
    assert unknown.status_code == 404 and "找不到编号为 999999 的职位" in unknown.text
    sec = job_id(loaded, "j-sec")
    with loaded.session() as session:
        postings.close_job(session, caller_of(loaded, keys.enterprise), sec)
    closed = signed_in.get(f"{ME}/jobs/{sec}")
    assert closed.status_code == 404 and f"职位 {sec} 已关闭" in closed.text
    signed_in.cookies.set(LANG_COOKIE, "en")
    assert f"Job {sec} is closed." in signed_in.get(f"{ME}/jobs/{sec}").text
    refused = post(signed_in, f"{ME}/jobs/{sec}/interest", f"{ME}/openings", data={"consent": "yes"})
    assert f"Job {sec} is closed." in flash_of(refused)
    assert signed_in.get(f"{ME}/jobs/0").status_code == 422


def test_interest_is_told_only_with_consent_once_and_the_employer_sees_the_student(  # type: ignore[no-untyped-def]
    signed_in: TestClient, employer: TestClient, loaded, keys: Keys
) -> None:
    sec = job_id(loaded, "j-sec")
    page = f"{ME}/jobs/{sec}"
    name = profile(loaded, keys.candidate_id).name
    assert name not in employer.get(f"{PREFIX}/enterprise/jobs/{sec}").text  # masked before

    refused = post(signed_in, f"{page}/interest", page)
    assert refused.status_code == 303 and refused.headers["location"] == page
    assert "请勾选同意「测试企业一」查看您的姓名和联系方式" in flash_of(refused)
    with loaded.session() as session:
        assert session.query(Consent).filter_by(candidate_id=keys.candidate_id).count() == 0

    told = post(signed_in, f"{page}/interest", page, data={"consent": "yes"})
    assert told.headers["location"] == f"{page}#interest" and "已告知「测试企业一」" in flash_of(told)
    assert "已表达意向" in signed_in.get(page).text
    assert "随“我感兴趣”给予" in signed_in.get(f"{ME}/privacy").text  # the consent, where consents are listed
    assert "我感兴趣的职位" in signed_in.get(f"{ME}/openings").text
    twice = post(signed_in, f"{page}/interest", page, data={"consent": "yes"})
    assert "表达过对职位" in flash_of(twice) and "无需重复提交" in flash_of(twice)

    seen = employer.get(f"{PREFIX}/enterprise/jobs/{sec}").text
    interested = seen[seen.index('data-test="interested"') : seen.index('data-test="filters"')]
    assert name in interested and "对此职位感兴趣的候选人" in interested

    withdrawn = post(signed_in, f"{page}/interest/withdraw", page)
    assert "已撤回意向" in flash_of(withdrawn) and "不再能看到您的姓名和联系方式" in flash_of(withdrawn)
    after = employer.get(f"{PREFIX}/enterprise/jobs/{sec}").text
    assert name not in after
    with loaded.session() as session:
        actions = [e.action for e in session.query(AuditEvent).filter_by(subject=f"candidate:{keys.candidate_id}")]
        assert {"interest.express", "interest.withdraw", "consent.grant", "consent.withdraw"} <= set(actions)
    again = post(signed_in, f"{page}/interest/withdraw", page)
    assert "您尚未表达对职位" in flash_of(again)


def test_an_employer_not_on_the_platform_cannot_be_told(signed_in: TestClient, loaded) -> None:  # type: ignore[no-untyped-def]
    gnss = job_id(loaded, "j-gnss")  # Test Enterprise Seven has no account
    html = signed_in.get(f"{ME}/jobs/{gnss}").text
    assert "尚未入驻人才桥" in html and 'data-test="interest-form"' not in html
    refused = post(signed_in, f"{ME}/jobs/{gnss}/interest", f"{ME}/jobs/{gnss}", data={"consent": "yes"})
    assert "尚未入驻人才桥" in flash_of(refused)


def test_replacing_then_deleting_the_resume_says_what_changed(signed_in: TestClient, loaded, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    before = profile(loaded, keys.candidate_id)
    assert "替换简历" not in signed_in.get(ME).text and 'data-test="delete-resume"' not in signed_in.get(ME).text
    first = post(signed_in, f"{ME}/resume", ME, files={"file": ("cv.docx", RESUME, DOCX)})
    assert "已读取简历（DOCX" in flash_of(first)
    old = profile(loaded, keys.candidate_id).resume_text
    html = signed_in.get(ME).text
    assert "替换简历" in html and "用新文件替换现有简历？" in html and "删除简历？" in html  # each asks first

    newer = docx_resume("新简历", "研究方向：低轨卫星增强定位与星基增强系统（SBAS），多源融合导航。" * 3)
    replaced = post(signed_in, f"{ME}/resume", ME, files={"file": ("new.docx", newer, DOCX)})
    message = flash_of(replaced)
    assert replaced.headers["location"] == f"{ME}#resume"
    assert "简历已替换" in message and f"原简历（{len(old)} 字）" in message and "档案内容不变" in message
    now = profile(loaded, keys.candidate_id)
    assert "SBAS" in now.resume_text and "PPP-RTK" not in now.resume_text  # the old text is gone, not appended
    assert (now.headline, now.skills, len(now.education)) == (before.headline, before.skills, len(before.education))

    signed_in.cookies.set(LANG_COOKIE, "en")
    deleted = post(signed_in, f"{ME}/resume/delete", ME)
    assert deleted.headers["location"] == f"{ME}#resume"
    assert f"Résumé deleted ({len(now.resume_text)} characters)" in flash_of(deleted)
    gone = profile(loaded, keys.candidate_id)
    assert gone.resume_text == "" and gone.headline == before.headline and gone.skills == before.skills
    assert "No résumé yet" in signed_in.get(ME).text
    nothing = post(signed_in, f"{ME}/resume/delete", ME)
    assert "You have no résumé on file." in flash_of(nothing)
    with loaded.session() as session:
        actions = [e.action for e in session.query(AuditEvent).filter_by(subject=f"candidate:{keys.candidate_id}")]
        assert {"resume.upload", "resume.replace", "resume.delete"} <= set(actions)
