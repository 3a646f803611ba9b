"""A student signs up in the browser (issue 16, point 4): the form, consent to the terms, the key shown once, signed in
and straight into the profile; a refused form comes back as typed, saying why in the page's language."""

import html
import re
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.web.auth import PREFIX, SESSION_COOKIE
from matcher.platform import Platform
from matcher.store.models import AuditEvent, Candidate
from tests.web.conftest import SQLITE_ONLY

pytestmark = SQLITE_ONLY
SIGNUP = f"{PREFIX}/signup"
STUDENT = {
    "name": "Zhao Lanqing",
    "email": "lanqing.zhao@example.ac.uk",
    "headline": "PhD in battery materials, looking for R&D roles",
    "skills": "lithium batteries, electrochemistry, Python",
    "summary": "Solid-state electrolytes at Imperial College London.",
    "location": "London",
    "birth_year": "1998",
    "accept_terms": "yes",
}


def test_the_sign_in_page_leads_to_the_sign_up_page(console: TestClient) -> None:
    login = console.get(f"{PREFIX}/login").text
    assert f'href="{SIGNUP}"' in login and "POST /signup" not in login
    for lang, words in (("zh", "我已阅读并同意上述个人信息处理说明"), ("en", "I have read and accept these terms")):
        console.cookies.set("tb_lang", lang)
        page = console.get(SIGNUP)
        assert page.status_code == 200 and words in page.text and 'name="accept_terms"' in page.text


def test_signing_up_shows_the_key_once_and_signs_the_browser_in(console: TestClient, loaded: Platform) -> None:
    done = console.post(SIGNUP, data=STUDENT)
    assert done.status_code == 200 and done.headers["cache-control"] == "no-store"
    key = re.search(r'data-test="key">(tb_c_[^<]+)<', done.text)
    assert key, done.text
    cookie = done.cookies.get(SESSION_COOKIE)
    assert cookie and key.group(1) not in cookie  # the browser holds a session, never the key
    profile = console.get(f"{PREFIX}/me")
    assert profile.status_code == 200 and "Zhao Lanqing" in profile.text
    with loaded.session() as session:
        row = session.scalars(select(Candidate).where(Candidate.name == "Zhao Lanqing")).one()
        assert (row.email, row.birth_year, row.consent_to_contact) == ("lanqing.zhao@example.ac.uk", 1998, False)
        assert session.scalars(
            select(AuditEvent).where(
                AuditEvent.subject == f"candidate:{row.id}", AuditEvent.action == "candidate.signup"
            )
        ).first()
    assert console.get(SIGNUP).text.count("tb_c_") == 0  # shown once: not on any later page


@pytest.mark.parametrize(
    ("changes", "zh", "en", "marked"),
    [
        pytest.param(
            {"accept_terms": ""}, "请阅读并同意", "Please read and accept the terms", "accept_terms", id="terms"
        ),
        pytest.param({"birth_year": "1850"}, "出生年份：应在 1940 到", "Birth year: must be from 1940", "birth_year"),
        pytest.param({"name": "  "}, "姓名：必须填写", "Name: is required", "name", id="name"),
        pytest.param({"email": "lanqing at ucl"}, "电子邮箱：格式不对", "E-mail: is not an e-mail address", "email"),
        pytest.param(
            {"headline": "", "skills": "", "summary": ""}, "请至少填写求职方向", "Fill in at least one", "headline"
        ),
    ],
)
def test_a_refused_sign_up_comes_back_as_typed_in_the_page_language(
    console: TestClient, loaded: Platform, changes: dict[str, str], zh: str, en: str, marked: str
) -> None:
    with loaded.session() as session:
        before = len(session.scalars(select(Candidate.id)).all())
    for lang, words in (("zh", zh), ("en", en)):
        console.cookies.set("tb_lang", lang)
        refused = console.post(SIGNUP, data={**STUDENT, **changes})
        assert refused.status_code == 422 and words in refused.text, lang
        assert f'name="{marked}" aria-invalid="true"' in refused.text or (
            marked == "accept_terms" and 'class="terms card" aria-invalid="true"' in refused.text
        )
        for name in ("email", "headline", "summary"):  # what was typed is still there
            value = {**STUDENT, **changes}[name].strip()
            if value:
                assert html.escape(value) in refused.text, name
        assert SESSION_COOKIE not in refused.cookies
    with loaded.session() as session:
        assert len(session.scalars(select(Candidate.id)).all()) == before


def test_a_sign_up_with_several_problems_says_them_all_at_once(console: TestClient, loaded: Platform) -> None:
    typed = {**STUDENT, "name": "", "email": "lanqing at ucl", "birth_year": "1850", "accept_terms": ""}
    said = {
        "zh": ["姓名：必须填写", "电子邮箱：格式不对", "出生年份：应在 1940 到", "请阅读并同意"],
        "en": ["Name: is required", "E-mail: is not an e-mail address", "Birth year: must be from 1940", "Please read"],
    }
    for lang in ("zh", "en"):
        console.cookies.set("tb_lang", lang)
        refused = console.post(SIGNUP, data=typed)
        assert refused.status_code == 422
        assert [words for words in said[lang] if words not in refused.text] == [], lang
        assert [words for words in said["en" if lang == "zh" else "zh"] if words in refused.text] == [], lang
        marked = [
            name for name in ("name", "email", "birth_year") if f'name="{name}" aria-invalid="true"' in refused.text
        ]
        assert marked == ["name", "email", "birth_year"] and 'class="terms card" aria-invalid="true"' in refused.text
        assert html.escape(typed["summary"]) in refused.text and "lanqing at ucl" in refused.text


def test_another_site_cannot_sign_people_up(console: TestClient, loaded: Platform) -> None:
    with loaded.session() as session:
        before = len(session.scalars(select(Candidate.id)).all())
    refused = console.post(SIGNUP, data=STUDENT, headers={"origin": "https://evil.example"})
    assert refused.status_code == 303 and SESSION_COOKIE not in refused.cookies
    assert "注册表单必须来自本站" in unquote(refused.cookies.get("tb_flash", ""))
    with loaded.session() as session:
        assert len(session.scalars(select(Candidate.id)).all()) == before
