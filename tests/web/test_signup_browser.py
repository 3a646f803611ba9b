"""A student signs up in real Chromium (issue 16, point 4), on a laptop and on a phone: from the sign-in page to the
sign-up form, a refusal that keeps what was typed, then the key shown once and their profile, signed in."""

import re

from api.web.auth import PREFIX
from matcher.platform import Platform
from tests.web.conftest import SQLITE_ONLY, shot, visit

pytestmark = SQLITE_ONLY


def test_a_student_signs_up_in_the_browser(page, phone, live_server: str, loaded: Platform) -> None:  # type: ignore[no-untyped-def]
    for screen, name, who in ((page, "laptop", "Zhao Lanqing"), (phone, "phone", "Qian Mingyu")):
        visit(screen, f"{live_server}{PREFIX}/login")
        with screen.expect_navigation():
            screen.click("[data-test=to-signup]")
        assert screen.url.endswith(f"{PREFIX}/signup")
        screen.fill("input[name=name]", who)
        screen.fill("input[name=headline]", "电池材料博士，寻找研发岗位")
        screen.fill("input[name=skills]", "锂电池、电化学、Python")
        screen.fill("input[name=birth_year]", "1850")
        screen.check("input[name=accept_terms]")
        with screen.expect_navigation():
            screen.click("[data-test=signup]")
        assert "出生年份：应在 1940 到" in screen.locator(".flash.error").inner_text()
        assert screen.input_value("input[name=name]") == who  # kept, the wrong year marked
        assert screen.input_value("input[name=skills]") == "锂电池、电化学、Python"
        assert screen.locator("input[name=birth_year][aria-invalid=true]").count() == 1
        shot(screen, f"signup-refused-zh-{name}")
        screen.fill("input[name=birth_year]", "1998")
        with screen.expect_navigation():
            screen.click("[data-test=signup]")
        key = screen.locator("[data-test=key]").inner_text()
        assert re.fullmatch(r"tb_c_\S+", key)
        shot(screen, f"signup-done-zh-{name}")
        with screen.expect_navigation():
            screen.click("[data-test=to-profile]")
        assert screen.url.endswith(f"{PREFIX}/me") and who in screen.content()
        assert all(key not in cookie["value"] for cookie in screen.context.cookies())
