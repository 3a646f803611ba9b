"""A student in Chromium: from the openings to a job's page, "I'm interested" with the consent box ticked, the
employer seeing them on the job's page, the student withdrawing; then replacing and deleting the résumé, each asked
first — with screenshots on a laptop (Chinese and English) and a phone."""

from api.web.auth import PREFIX
from tests.api.conftest import ENTERPRISE, Keys
from tests.web.candidate_portal import RESUME, docx_resume, job_id, profile
from tests.web.conftest import SQLITE_ONLY, shot, sign_in, visit

pytestmark = SQLITE_ONLY

ME = f"{PREFIX}/me"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def flash(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator(".flash").inner_text())


def go(page, target) -> None:  # type: ignore[no-untyped-def]
    """Click a form's button or a link (a selector or a locator) and wait for the page it leads to."""
    with page.expect_navigation():
        (page.locator(target) if isinstance(target, str) else target).click()


def test_a_student_says_they_are_interested_the_employer_sees_them_and_they_withdraw(  # type: ignore[no-untyped-def]
    page, phone, browser, live_server: str, keys: Keys, loaded
) -> None:
    sec = job_id(loaded, "j-sec")
    name = profile(loaded, keys.candidate_id).name
    questions: list[str] = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))

    # Openings → the job's page.
    sign_in(page, live_server, keys.candidate)
    visit(page, f"{live_server}{ME}/openings")
    go(page, page.locator(f"[data-test=openings] a[href='{ME}/jobs/{sec}']"))
    assert page.url.endswith(f"{ME}/jobs/{sec}")
    assert page.locator("[data-test=job-title]").inner_text() == "渗透测试工程师"
    assert "红队攻防演练" in page.locator("[data-test=description]").inner_text()
    page.locator("[data-test=fit] details.why summary").click()
    assert page.locator("[data-test=fit] details.why .parts").is_visible()
    shot(page, "candidate-job-zh")

    # I'm interested: the browser will not send the form without the consent box; ticked, the employer is told.
    page.click("[data-test=express-interest]")
    assert page.url.endswith(f"{ME}/jobs/{sec}")  # still here: the box is required
    assert page.locator("[data-test=consent]:invalid").count() == 1
    page.check("[data-test=consent]")
    go(page, "[data-test=express-interest]")
    assert f"已告知「{ENTERPRISE}」" in flash(page)
    assert page.locator("[data-test=interested]").is_visible()
    shot(page, "candidate-job-interested-zh")
    go(page, "text=English")
    assert "You said you are interested" in page.locator("[data-test=interest]").inner_text()
    assert "Cybersecurity" in page.locator("[data-test=industry]").inner_text()
    shot(page, "candidate-job-interested-en")
    go(page, "text=中文")

    # The same page on a phone.
    sign_in(phone, live_server, keys.candidate)
    visit(phone, f"{live_server}{ME}/jobs/{sec}")
    assert phone.locator("[data-test=interested]").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # nothing wider than the screen
    shot(phone, "candidate-job-phone")

    # The employer sees the student on the job's page, unmasked.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    hr = context.new_page()
    try:
        sign_in(hr, live_server, keys.enterprise)
        visit(hr, f"{live_server}{PREFIX}/enterprise/jobs/{sec}")
        listed = hr.locator("[data-test=interested] [data-test=interested-candidate]")
        assert listed.count() == 1 and name in listed.first.inner_text()
        shot(hr, "candidate-job-employer-sees-interest-zh")

        # The student withdraws (asked first); the employer no longer sees them.
        go(page, "[data-test=withdraw-interest] button")
        assert questions and "撤回对这个职位的意向" in questions[-1]
        assert "已撤回意向" in flash(page) and page.locator("[data-test=interest-form]").is_visible()
        shot(page, "candidate-job-withdrawn-zh")
        visit(hr, f"{live_server}{PREFIX}/enterprise/jobs/{sec}")
        assert hr.locator("[data-test=interested] [data-test=interested-candidate]").count() == 0
        assert name not in hr.content()
    finally:
        context.close()

    # The résumé: upload, replace (asked first, told what changed), delete (asked first).
    visit(page, f"{live_server}{ME}")
    page.set_input_files("input[name=file]", files=[{"name": "cv.docx", "mimeType": DOCX, "buffer": RESUME}])
    go(page, "[data-test=upload-resume]")
    assert "已读取简历（DOCX" in flash(page)
    newer = docx_resume("新简历", "研究方向：低轨卫星增强定位与星基增强系统（SBAS），多源融合导航。" * 3)
    page.set_input_files("input[name=file]", files=[{"name": "new.docx", "mimeType": DOCX, "buffer": newer}])
    go(page, "[data-test=upload-resume]")
    assert "替换现有简历" in questions[-1]
    assert "简历已替换" in flash(page)
    page.click("#resume summary")
    assert "SBAS" in page.locator("[data-test=resume-text]").inner_text()
    shot(page, "candidate-resume-replaced-zh")
    go(page, "[data-test=delete-resume] button")
    assert "删除简历？" in questions[-1]
    assert "简历已删除" in flash(page)
    assert page.locator("[data-test=resume-text]").count() == 0
    shot(page, "candidate-resume-deleted-zh")
    assert profile(loaded, keys.candidate_id).resume_text == ""
