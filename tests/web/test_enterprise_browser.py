"""An employer's HR in a real browser: post a job through the form, read the ranked candidates and why they fit,
ask the best one for their contact details, follow the request, edit the job and close another — in Chinese,
in English and on a phone, with no candidate's name or e-mail anywhere in the pages."""

import re

from api.web.auth import PREFIX
from matcher.platform import Platform
from tests.api.conftest import Keys
from tests.web.conftest import SQLITE_ONLY, assert_not_shown, shot, sign_in, visit
from tests.web.test_enterprise_pages import personal_data

pytestmark = SQLITE_ONLY

HOME = f"{PREFIX}/enterprise"


def test_post_a_job_see_candidates_request_contact_edit_and_close(  # type: ignore[no-untyped-def]
    page, phone, live_server: str, loaded: Platform, keys: Keys
) -> None:
    secrets = personal_data(loaded)  # no sample candidate consented to this enterprise
    page.on("dialog", lambda dialog: dialog.accept())  # "close this job?"
    sign_in(page, live_server, keys.enterprise)
    assert page.url.endswith(HOME)
    assert page.locator("h1").inner_text() == "我的职位"
    assert page.locator("[data-test=job]").count() == 1  # the crawled job it employs
    shot(page, "enterprise-jobs-zh")

    # Post a job through the form.
    page.click("[data-test=new-job]")
    page.wait_for_url(f"**{HOME}/jobs/new")
    page.fill("input[name=title]", "北斗卫星导航算法工程师")
    page.fill("input[name=industry]", "北斗导航与卫星应用")
    page.fill("input[name=location]", "郑州市高新区")
    page.select_option("select[name=min_degree]", "master")
    page.fill("input[name=majors]", "导航工程、测绘工程")
    page.fill("input[name=salary_min]", "20000")
    page.fill("input[name=salary_max]", "40000")
    page.fill("textarea[name=description]", "负责北斗/GNSS 高精度定位算法研发，包括 RTK、PPP 与多传感器组合导航。")
    page.fill("textarea[name=requirements]", "导航、测绘或通信相关专业硕士及以上，熟悉卫星导航定位原理与卡尔曼滤波")
    shot(page, "enterprise-post-job-zh")
    with page.expect_navigation(url=re.compile(rf".*{HOME}/jobs/\d+$")):
        page.click("[data-test=save]")
    assert "已发布「北斗卫星导航算法工程师」" in page.locator(".flash.ok").inner_text()
    job_url = page.url

    # The ranked candidates, the best one's explanation opened: the GNSS candidate, masked.
    top = page.locator("[data-test=candidate]").first
    assert top.get_attribute("id") == f"candidate-{keys.candidate_id}"
    assert "卫星导航" in top.locator(".headline").inner_text() and "*" in top.locator("[data-test=name]").inner_text()
    top.locator("[data-test=why] summary").click()
    assert top.locator("[data-test=why] .parts").is_visible()
    shot(page, "enterprise-candidates-zh")
    assert_not_shown(page, *secrets)

    # Ask the best candidate for their contact details.
    top.locator("input[name=message]").fill("您好，欢迎来郑州面谈北斗算法岗位。")
    with page.expect_navigation():
        top.locator("[data-test=request-contact]").click()
    assert "已向候选人" in page.locator(".flash.ok").inner_text()
    top = page.locator(f"#candidate-{keys.candidate_id}")
    assert "待回复" in top.locator("[data-test=asked]").inner_text()
    assert top.locator("[data-test=request-contact]").count() == 0

    # The request, on the requests page.
    page.click(f"nav a[href='{HOME}/requests']")
    page.wait_for_url(f"**{HOME}/requests")
    row = page.locator("[data-test=request]")
    assert row.count() == 1 and "待回复" in row.inner_text() and "北斗卫星导航算法工程师" in row.inner_text()
    shot(page, "enterprise-requests-zh")
    assert_not_shown(page, *secrets)

    # Edit the job from its page.
    row.locator("a", has_text="北斗卫星导航算法工程师").click()
    page.wait_for_url(f"**{job_url.split('://', 1)[1]}*")
    page.click("[data-test=job-head] [data-test=edit]")
    page.wait_for_url("**/edit")
    assert page.input_value("input[name=title]") == "北斗卫星导航算法工程师"
    page.fill("input[name=salary_max]", "45000")
    page.fill("input[name=title]", "北斗卫星导航高精度定位算法工程师")
    shot(page, "enterprise-edit-job-zh")
    with page.expect_navigation(url=job_url):
        page.click("[data-test=save]")
    assert "已保存「北斗卫星导航高精度定位算法工程师」" in page.locator(".flash.ok").inner_text()
    assert "45,000" in page.locator("[data-test=job-head]").inner_text()

    # Close the crawled job; the new one stays open.
    visit(page, f"{live_server}{HOME}")
    crawled = page.locator("[data-test=job]", has_text="渗透测试工程师")
    with page.expect_navigation(url=f"**{HOME}"):
        crawled.locator("[data-test=close]").click()
    assert "已关闭「渗透测试工程师」" in page.locator(".flash.ok").inner_text()
    assert page.locator("[data-test=job]", has_text="渗透测试工程师").locator("[data-test=closed]").count() == 1
    assert page.locator("[data-test=job]").first.inner_text().startswith("北斗卫星导航高精度定位算法工程师")
    shot(page, "enterprise-jobs-after-close-zh")
    assert_not_shown(page, *secrets)

    # The candidates page in English.
    visit(page, job_url)
    with page.expect_navigation():
        page.click("text=English")
    assert page.locator("[data-test=results] h2").inner_text() == "Matching candidates"
    page.locator("[data-test=candidate]").first.locator("[data-test=why] summary").click()
    assert "Pending" in page.locator(f"#candidate-{keys.candidate_id} [data-test=asked]").inner_text()
    shot(page, "enterprise-candidates-en")
    assert_not_shown(page, *secrets)

    # The job list on a phone.
    sign_in(phone, live_server, keys.enterprise)
    assert phone.locator("[data-test=job]").count() == 2
    assert phone.locator("[data-test=job] [data-test=candidates]").first.is_visible()
    shot(phone, "enterprise-jobs-phone")
    assert_not_shown(phone, *secrets)


def test_a_refused_job_form_keeps_what_was_typed_on_a_laptop_and_a_phone(  # type: ignore[no-untyped-def]
    page, phone, live_server: str, loaded: Platform, keys: Keys
) -> None:
    """Issue 16: salary min above max, the browser's own checks bypassed (as any server-side rule is): the form comes
    back with the title and description typed, the salaries marked and the reason in Chinese."""
    for screen, name in ((page, "laptop"), (phone, "phone")):
        sign_in(screen, live_server, keys.enterprise)
        visit(screen, f"{live_server}{HOME}/jobs/new")
        screen.fill("input[name=title]", "电池管理系统（BMS）工程师")
        screen.fill("input[name=salary_min]", "50000")
        screen.fill("input[name=salary_max]", "20000")
        screen.fill("textarea[name=description]", "负责动力电池 BMS 软件与 SOC 估算算法。")
        screen.evaluate("() => { document.querySelector('[data-test=job-form]').noValidate = true; }")
        with screen.expect_navigation():
            screen.click("[data-test=save]")
        assert "最低薪资（50000）高于最高薪资（20000）" in screen.locator(".flash.error").inner_text()
        assert screen.input_value("input[name=title]") == "电池管理系统（BMS）工程师"
        assert screen.input_value("textarea[name=description]") == "负责动力电池 BMS 软件与 SOC 估算算法。"
        assert screen.locator("[aria-invalid=true]").count() == 2
        shot(screen, f"enterprise-job-refused-zh-{name}")
