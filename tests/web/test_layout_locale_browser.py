"""Layout and locale in a real browser (issue 16, point 6): a long unbroken string someone typed wraps instead of
widening the page; times are shown in Beijing time with the zone named; the office's figures say what they mean and
name their configuration rather than show a hash; a date is typed the same way in either language."""

import re
from datetime import UTC, date, datetime, timedelta

from playwright.sync_api import expect

from api.web.auth import PREFIX
from matcher.platform import Platform
from matcher.store.models import Feedback
from tests.api.conftest import Keys
from tests.web.candidate_portal import ask
from tests.web.conftest import SQLITE_ONLY, shot, sign_in, visit, within_screen
from tests.web.test_office_pages import filed

pytestmark = SQLITE_ONLY

UNBROKEN = "https://example.org/" + "a" * 1900  # a pasted link, or a key held down


def test_long_strings_wrap_on_the_feedback_inbox_and_the_privacy_page(  # type: ignore[no-untyped-def]
    page, phone, live_server: str, loaded: Platform, keys: Keys
) -> None:
    filed(loaded, keys.candidate, UNBROKEN)
    ask(loaded, keys.enterprise, keys.candidate_id, UNBROKEN)
    for browser, name in ((page, "laptop"), (phone, "phone")):
        sign_in(browser, live_server, keys.admin)
        visit(browser, f"{live_server}{PREFIX}/office/feedback")
        expect(browser.locator("[data-test=feedback]").first).to_be_visible()
        assert within_screen(browser), f"the feedback inbox is wider than the {name}'s window"
        shot(browser, f"office-feedback-long-{name}")
        sign_in(browser, live_server, keys.candidate)
        visit(browser, f"{live_server}{PREFIX}/me/privacy")
        expect(browser.locator("[data-test=requests] blockquote")).to_be_visible()
        assert within_screen(browser), f"the privacy page is wider than the {name}'s window"
        shot(browser, f"candidate-privacy-long-{name}")


def test_times_show_in_beijing_time_with_the_zone_named(  # type: ignore[no-untyped-def]
    page, live_server: str, loaded: Platform, keys: Keys
) -> None:
    question = filed(loaded, keys.candidate, "落户手续在哪里办？")
    late_evening_utc = datetime(2026, 11, 30, 20, 5, tzinfo=UTC)  # 04:05 the next morning in Zhengzhou
    with loaded.session() as session:
        row = session.get(Feedback, question)
        assert row is not None
        row.created_at = late_evening_utc
    sign_in(page, live_server, keys.admin)
    visit(page, f"{live_server}{PREFIX}/office/feedback")
    card = page.locator(f"[data-test=feedback][data-feedback='{question}']")
    assert "2026-12-01 04:05 北京时间 UTC+8" in card.inner_text()
    assert "UTC</" not in page.content() and "20:05" not in card.inner_text()
    page.click("text=English")
    page.wait_for_load_state()
    assert "2026-12-01 04:05 Beijing time (UTC+8)" in card.inner_text()
    assert late_evening_utc + timedelta(hours=8) == datetime(2026, 12, 1, 4, 5, tzinfo=UTC)


def test_the_priority_page_explains_its_figures_and_names_its_configuration(  # type: ignore[no-untyped-def]
    page, live_server: str, keys: Keys
) -> None:
    sign_in(page, live_server, keys.admin)
    page.wait_for_url(f"**{PREFIX}/office")
    assert "千分比" in page.locator("[data-test=legend]").inner_text()
    assert page.locator("[data-test=priority-table] abbr[title]").count() >= 2
    config = page.locator("[data-test=config]").inner_text()
    assert "默认配置" in config and not re.search(r"\b[0-9a-f]{12}\b", config)
    as_of = page.locator("input[name=as_of]")
    assert as_of.get_attribute("placeholder") and "年" in (as_of.get_attribute("placeholder") or "")
    today = date.today().isoformat()
    as_of.fill(today)
    with page.expect_navigation():
        page.click("form[action$='/office'] button[type=submit]")
    assert today in page.locator("dl.facts").inner_text() and as_of.input_value() == today
    page.click("text=English")
    page.wait_for_load_state()
    assert "per mille" in page.locator("[data-test=legend]").inner_text()
    assert "YYYY-MM-DD" in (page.locator("input[name=as_of]").get_attribute("placeholder") or "")
    shot(page, "office-priority-legend-en")
