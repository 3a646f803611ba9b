"""Signing in and out in a real browser, in both languages, on a laptop and on a phone."""

from api.web.auth import PREFIX
from tests.api.conftest import Keys
from tests.web.conftest import SQLITE_ONLY, shot, sign_in, visit

pytestmark = SQLITE_ONLY


def test_sign_in_page_in_both_languages(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    visit(page, f"{live_server}{PREFIX}/login")
    assert page.locator("h1").inner_text() == "登录"
    shot(page, "login-zh")
    page.click("text=English")
    assert page.locator("h1").inner_text() == "Sign in"
    assert page.get_attribute("html", "lang") == "en"
    shot(page, "login-en")
    page.fill("input[name=key]", "tb_a_wrong")
    page.click("button.primary")
    assert "unknown or revoked" in page.locator(".flash.error").inner_text()


def test_wrong_key_then_right_key_then_sign_out(page, live_server: str, keys: Keys) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "tb_p_wrong")
    assert "密钥无效" in page.locator(".flash.error").inner_text()
    sign_in(page, live_server, keys.admin)
    assert page.url.endswith(f"{PREFIX}/office")
    page.click("[data-test=sign-out]")
    page.wait_for_url(f"**{PREFIX}/login")
    assert "已退出" in page.locator(".flash.ok").inner_text()
    visit(page, f"{live_server}{PREFIX}/office")
    assert page.url.endswith(f"{PREFIX}/login?next=/console/office")
