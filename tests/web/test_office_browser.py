"""The talent office in a real browser: the priority list with its chart and evidence (in Chinese and English), the
catalogue, certifying a hired referral, the funnel that counts it, answering feedback; and the dashboard on a
phone."""

import re

from playwright.sync_api import expect

from api.web.auth import PREFIX
from matcher.platform import Platform
from tests.api.conftest import Keys
from tests.web.conftest import SQLITE_ONLY, assert_not_shown, shot, sign_in, visit
from tests.web.test_office_pages import filed, hired_referral, referral

pytestmark = SQLITE_ONLY

HOME = f"{PREFIX}/office"


def test_the_office_certifies_a_hire_and_answers_feedback(  # type: ignore[no-untyped-def]
    page, phone, live_server: str, loaded: Platform, keys: Keys
) -> None:
    rid = hired_referral(loaded, keys)
    question = filed(loaded, keys.candidate, "生活补贴什么时候发放？")
    page.on("dialog", lambda dialog: dialog.accept())  # the pages ask before certifying and paying

    # The priority list: its chart, and a major's evidence opened.
    sign_in(page, live_server, keys.admin)
    page.wait_for_url(f"**{HOME}")  # the office's home (sign_in may return before the form's navigation ends)
    expect(page.locator("[data-test=priority-chart] svg.chart rect").first).to_be_visible()
    evidence = page.locator("details[data-test=evidence]").first
    assert not evidence.locator("ul").is_visible()
    evidence.locator("summary").click()
    expect(evidence.locator("ul li").first).to_be_visible()
    shot(page, "office-priority-zh")
    page.click("text=English")
    expect(page.locator("h1")).to_have_text("Priority-major list")
    names = page.locator("[data-test=major-name]").all_inner_texts()  # majors named in English (issue 16, point 5)
    assert names and not any(re.search(r"[\u4e00-\u9fff]", name) for name in names)
    assert not re.search(r"[\u4e00-\u9fff]", page.locator("[data-test=priority-chart]").inner_text())
    page.locator("details[data-test=evidence] summary").first.click()
    shot(page, "office-priority-en")
    page.click("text=中文")

    # The catalogue, one card per leading industry.
    page.click("nav >> text=人才目录")
    expect(page.locator("[data-test=industry][data-industry=北斗导航与卫星应用]")).to_be_visible()
    shot(page, "office-catalogue-zh")

    # Certify the hired referral; the reward is then owed, and the funnel counts the certified hire.
    page.click("nav >> text=人才认定")
    item = page.locator(f"[data-test=waiting][data-referral='{rid}']")
    item.locator("details.why > summary").click()
    expect(item.locator("[data-test=criteria]")).to_be_visible()
    shot(page, "office-certification-zh")
    with page.expect_navigation():
        item.locator("[data-test=certify]").click()
    expect(page.locator(".flash.ok")).to_contain_text("已认定")
    expect(page.locator(f"[data-test=owed] tr[data-referral='{rid}']")).to_be_visible()
    assert referral(loaded, rid)[0] == "certified"
    page.fill("[data-test=lookup] input[name=candidate]", str(keys.candidate_id))
    with page.expect_navigation():
        page.click("[data-test=lookup] button")
    expect(page.locator("[data-test=policies]")).to_be_visible()
    shot(page, "office-certified-and-lookup-zh")
    page.click("nav >> text=推荐与入职")
    expect(page.locator("[data-test=certified-hires]")).to_have_text("1")
    shot(page, "office-funnel-zh")

    # Answer the feedback.
    page.click("nav >> text=意见反馈")
    card = page.locator(f"[data-test=feedback][data-feedback='{question}']")
    card.locator("textarea[name=answer]").fill("生活补贴将于下月初发放。")
    with page.expect_navigation():
        card.locator("[data-test=answer-submit]").click()
    expect(page.locator(".flash.ok")).to_contain_text("已答复")
    expect(card.locator("[data-test=answer]")).to_contain_text("下月初发放")
    shot(page, "office-feedback-zh")
    assert_not_shown(page, keys.admin)  # the key stays in its HttpOnly cookie

    # The dashboard on a phone: nothing wider than the screen.
    sign_in(phone, live_server, keys.admin)
    phone.wait_for_url(f"**{HOME}")
    expect(phone.locator("[data-test=priority-table]")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "office-priority-phone")


def test_the_office_filters_the_funnel_overrides_a_tier_and_searches_its_inbox(  # type: ignore[no-untyped-def]
    page, phone, live_server: str, loaded: Platform, keys: Keys
) -> None:
    """Issue 16, "Missing": the funnel of a period with its conversion rates (a refused period said in the page's
    language), a tier set by the office with a reason, and the inbox searched and paged — on a laptop and a phone."""
    rid = hired_referral(loaded, keys)
    for n in range(22):
        filed(loaded, keys.candidate, f"Visa letter question {n:02d}")
    filed(loaded, keys.partner, "生活补贴 when?")
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server, keys.admin)
    page.wait_for_url(f"**{HOME}")

    # The funnel: a period typed, the rates of its referrals; a period ending before it starts is refused.
    page.click("nav >> text=推荐与入职")
    today = page.evaluate("new Date().toISOString().slice(0, 10)")
    page.fill("[data-test=period] input[name=from]", "2020-01-01")
    page.fill("[data-test=period] input[name=to]", "2099-12-31")
    with page.expect_navigation():
        page.click("[data-test=period] button[type=submit]")
    hired = page.locator("[data-test=conversion] tr[data-stage=hired] td")
    expect(hired.nth(1)).to_have_text("1")
    expect(hired.nth(2)).to_have_text("100.0%")
    expect(page.locator("a[href*='referrals.csv?from=2020-01-01']")).to_be_visible()
    shot(page, "office-funnel-period-zh")
    page.fill("[data-test=period] input[name=from]", "2099-12-31")
    page.fill("[data-test=period] input[name=to]", today)
    with page.expect_navigation():
        page.click("[data-test=period] button[type=submit]")
    expect(page.locator("[data-test=period-refused]")).to_contain_text("晚于截止日期")
    expect(page.locator("[data-test=period] input[name=from]")).to_have_value("2099-12-31")
    shot(page, "office-funnel-refused-zh")

    # Certification: the office sets the tier to none, with a reason; the queue says so and will not certify.
    page.click("nav >> text=人才认定")
    page.fill("[data-test=lookup] input[name=candidate]", str(keys.candidate_id))
    with page.expect_navigation():
        page.click("[data-test=lookup] button")
    form = page.locator("[data-test=override-form]")
    form.locator("select[name=tier]").select_option("none")
    form.locator("textarea[name=reason]").fill("学位认证未通过，暂不认定")
    with page.expect_navigation():
        form.locator("[data-test=override-submit]").click()
    expect(page.locator(".flash.ok")).to_contain_text("已调整")
    expect(page.locator("[data-test=lookup-result] [data-test=override-reason]")).to_have_text(
        "学位认证未通过，暂不认定"
    )
    item = page.locator(f"[data-test=waiting][data-referral='{rid}']")
    expect(item.locator("[data-test=set-by-office]")).to_be_visible()
    expect(item.locator("[data-test=certify]")).to_have_count(0)
    shot(page, "office-tier-override-zh")
    page.click("text=English")
    expect(page.locator("[data-test=lookup-result] [data-test=override]")).to_contain_text("Tier set by the office")
    shot(page, "office-tier-override-en")
    page.click("text=中文")

    # The inbox: a search, 20 a page, the next page keeping the search.
    page.click("nav >> text=意见反馈")
    page.fill("[data-test=inbox-filter] input[name=q]", "VISA LETTER")
    with page.expect_navigation():
        page.click("[data-test=inbox-filter] button[type=submit]")
    expect(page.locator("[data-test=feedback]")).to_have_count(20)
    expect(page.locator("[data-test=total]")).to_contain_text("共 22 条")
    shot(page, "office-feedback-search-zh")
    with page.expect_navigation():
        page.click("[data-test=pager] [data-test=next]")
    expect(page.locator("[data-test=feedback]")).to_have_count(2)
    expect(page.locator("[data-test=inbox-filter] input[name=q]")).to_have_value("VISA LETTER")

    # On a phone: the funnel's period and the inbox's pages fit the screen.
    sign_in(phone, live_server, keys.admin)
    phone.wait_for_url(f"**{HOME}")
    visit(phone, f"{live_server}{HOME}/funnel?from=2020-01-01&to=2099-12-31")
    expect(phone.locator("[data-test=conversion]")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "office-funnel-period-phone")
    visit(phone, f"{live_server}{HOME}/feedback?q=visa+letter&offset=20")
    expect(phone.locator("[data-test=pager]")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "office-feedback-search-phone")
