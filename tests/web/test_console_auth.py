"""Signing in and out of the console, each role's landing page, forms that did not come from our pages, errors as
pages, and the language toggle — over plain HTTP."""

import html

import pytest
from fastapi.testclient import TestClient

from api.web.auth import PREFIX, SESSION_COOKIE
from tests.api.conftest import Keys
from tests.web.conftest import SQLITE_ONLY, form_token, sign_in_client

pytestmark = SQLITE_ONLY


def test_root_and_console_send_a_stranger_to_sign_in(console: TestClient) -> None:
    assert console.get("/").headers["location"] == PREFIX
    assert console.get(PREFIX).headers["location"] == f"{PREFIX}/login"
    page = console.get(f"{PREFIX}/login")
    assert page.status_code == 200 and "API 密钥" in page.text and 'lang="zh-CN"' in page.text
    # A page behind sign-in sends the browser to sign in, and back afterwards.
    assert console.get(f"{PREFIX}/partner?q=x").headers["location"] == f"{PREFIX}/login?next=/console/partner%3Fq%3Dx"


def test_an_unknown_key_is_refused_with_a_message(console: TestClient) -> None:
    response = console.post(f"{PREFIX}/login", data={"key": "tb_p_not-a-real-key"})
    assert response.status_code == 401 and "密钥无效或已吊销" in response.text
    assert SESSION_COOKIE not in response.cookies
    console.cookies.set("tb_lang", "en")
    assert "This key is unknown or revoked" in console.post(f"{PREFIX}/login", data={"key": ""}).text


@pytest.mark.parametrize(
    ("role", "home"),
    [("admin", "/office"), ("partner", "/partner"), ("enterprise", "/enterprise"), ("candidate", "/me")],
)
def test_each_role_lands_on_its_own_home(console: TestClient, keys: Keys, role: str, home: str) -> None:
    response = console.post(f"{PREFIX}/login", data={"key": getattr(keys, role)})
    assert response.status_code == 303 and response.headers["location"] == PREFIX + home
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Path=/console" in cookie and "SameSite=lax" in cookie
    assert console.get(PREFIX).headers["location"] == PREFIX + home


def test_sign_in_goes_back_to_the_page_asked_for_but_never_off_site(console: TestClient, keys: Keys) -> None:
    response = console.post(f"{PREFIX}/login", data={"key": keys.partner, "next": "/console/partner/referrals"})
    assert response.headers["location"] == "/console/partner/referrals"
    for bad in ("https://evil.example.org/", "//evil.example.org/console", "/docs"):
        response = console.post(f"{PREFIX}/login", data={"key": keys.partner, "next": bad})
        assert response.headers["location"] == f"{PREFIX}/partner", bad


def test_another_roles_page_is_a_403_page(console: TestClient, keys: Keys) -> None:
    sign_in_client(console, keys.candidate)
    response = console.get(f"{PREFIX}/office")
    assert response.status_code == 403 and "text/html" in response.headers["content-type"]
    assert "此页面不对海外学子账号开放" in response.text


def test_forms_need_the_pages_token(console: TestClient, keys: Keys) -> None:
    sign_in_client(console, keys.partner)
    refused = console.post(
        f"{PREFIX}/logout", data={"csrf": "forged"}, headers={"referer": "http://testserver/console"}
    )
    assert refused.status_code == 303 and refused.headers["location"] == PREFIX
    assert "tb_flash" in refused.cookies  # the reason, shown on the next page
    assert "并非来自 TalentBridge" in console.get(PREFIX + "/login").text
    assert console.get(PREFIX).headers["location"] == f"{PREFIX}/partner"  # still signed in
    token = form_token(console, f"{PREFIX}/login")
    signed_out = console.post(f"{PREFIX}/logout", data={"csrf": token})
    assert signed_out.headers["location"] == f"{PREFIX}/login"
    assert console.get(PREFIX).headers["location"] == f"{PREFIX}/login"


def test_a_revoked_key_signs_the_browser_out(console: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    from matcher.people import accounts

    sign_in_client(console, keys.enterprise)
    with loaded.session() as session:
        accounts.revoke(session, keys.enterprise[:12])
    response = console.get(f"{PREFIX}/enterprise")
    assert response.status_code == 303 and response.headers["location"] == f"{PREFIX}/login?next=/console/enterprise"
    assert "登录已失效（已过期、已退出或密钥已吊销）" in console.get(f"{PREFIX}/login").text


def test_console_errors_are_pages_and_the_api_keeps_json(console: TestClient, keys: Keys) -> None:
    sign_in_client(console, keys.admin)
    missing = console.get(f"{PREFIX}/no-such-page")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert console.get("/no-such-route").json()["error"]["code"] == "not_found"
    assert console.get("/search/candidates", params={"q": "x"}).status_code == 401  # the cookie is no API key


def test_language_toggle(console: TestClient) -> None:
    response = console.get(f"{PREFIX}/lang", params={"lang": "en", "next": "/console/login"})
    assert response.status_code == 303 and response.headers["location"] == "/console/login"
    page = console.get(f"{PREFIX}/login").text
    assert 'lang="en"' in page and "Sign in" in page and "API key" in page
    assert console.get(f"{PREFIX}/lang", params={"lang": "fr"}).status_code == 422
    off_site = console.get(f"{PREFIX}/lang", params={"lang": "zh", "next": "https://x.example"})
    assert off_site.headers["location"] == PREFIX


def test_every_menu_page_opens_for_its_role_in_both_languages(console: TestClient, keys: Keys) -> None:
    from api.web.nav import NAV
    from matcher.people.accounts import Role

    for role, items in NAV.items():
        console.cookies.clear()
        sign_in_client(console, keys.of(role))
        for lang in ("zh", "en"):
            console.cookies.set("tb_lang", lang)
            for path, zh, en in items:
                response = console.get(PREFIX + path)
                assert response.status_code == 200, (role, path, response.text[:300])
                assert html.escape(zh if lang == "zh" else en) in response.text, (role, path, lang)
        others = [r for r in Role if r is not role]
        assert all(console.get(PREFIX + NAV[other][0][0]).status_code == 403 for other in others), role


def test_another_site_cannot_sign_a_browser_in(console: TestClient, keys: Keys) -> None:
    for headers in ({"sec-fetch-site": "cross-site"}, {"origin": "https://evil.example.org"}):
        refused = console.post(f"{PREFIX}/login", data={"key": keys.candidate}, headers=headers)
        assert refused.status_code == 303 and SESSION_COOKIE not in refused.cookies  # back, with the reason
        assert console.get(PREFIX).headers["location"] == f"{PREFIX}/login"  # not signed in
        assert "登录表单必须来自本站" in console.get(f"{PREFIX}/login").text
    ours = {"sec-fetch-site": "same-origin", "origin": "http://testserver"}
    assert console.post(f"{PREFIX}/login", data={"key": keys.candidate}, headers=ours).status_code == 303


def test_pages_are_not_cached_or_framed_and_long_messages_fit_a_cookie(console: TestClient, keys: Keys) -> None:
    from api.web.render import FLASH_BYTES, redirect

    sign_in_client(console, keys.admin)
    page = console.get(f"{PREFIX}/office/feedback")
    assert page.headers["cache-control"] == "no-store" and page.headers["x-frame-options"] == "DENY"
    long = redirect(PREFIX, "未能推荐：" + "北斗卫星导航高精度定位算法工程师" * 40, error=True)
    cookie = long.headers["set-cookie"].split(";", 1)[0]
    assert len(cookie) < FLASH_BYTES + 20 and "%E2%80%A6" in cookie  # shortened, with an ellipsis


def test_an_unknown_console_address_is_a_page_with_the_menu_in_the_readers_language(
    console: TestClient, keys: Keys
) -> None:
    stranger = console.get(f"{PREFIX}/no-such-page")
    assert stranger.status_code == 404 and "找不到所请求的内容" in stranger.text and "Not Found" not in stranger.text
    assert 'id="nav"' not in stranger.text and f'href="{PREFIX}/login"' in stranger.text
    sign_in_client(console, keys.partner)
    known = console.get(f"{PREFIX}/partner/no-such-page")
    assert known.status_code == 404 and 'id="nav"' in known.text and "推荐看板" in known.text  # the partner's menu
    assert f'href="{PREFIX}/partner"' in known.text  # back to their home
    console.cookies.set("tb_lang", "en")
    english = console.get(f"{PREFIX}/no-such-page")
    assert "What was asked for was not found." in english.text and "Referral board" in english.text
