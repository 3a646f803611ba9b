"""The candidate's profile over plain HTTP: the profile form changing the profile and the openings, bad input refused
with a readable reason and nothing changed, a résumé upload read (and a bad file explained, a zip bomb in the page's
language), hiding and showing."""

import pytest
from fastapi.testclient import TestClient

from api.web.i18n import LANG_COOKIE
from tests.api.conftest import Keys
from tests.matcher.ingest.resume_files import DOCX_TYPE, docx_bomb
from tests.web.candidate_portal import ME, RESUME, flash_of, post, profile, profile_form, top_opening
from tests.web.conftest import SQLITE_ONLY, sign_in_client

pytestmark = SQLITE_ONLY


@pytest.fixture
def signed_in(console: TestClient, keys: Keys) -> TestClient:
    sign_in_client(console, keys.candidate)
    return console


def test_editing_the_profile_changes_it_and_the_openings(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    assert top_opening(signed_in) == "GNSS Positioning Algorithm Engineer"
    before = profile(loaded, keys.candidate_id)
    data = profile_form(
        before,
        headline="儿科护士 Paediatric nurse",
        summary="我在儿童医院做了五年儿科护理：新生儿护理、静脉输液和儿童用药管理。",
        skills="儿科护理、新生儿护理, 静脉输液；儿童用药",
        languages="中文, English",
        email="gnss.person@example.invalid",
        exp_title=["儿科护士", ""],
        exp_organization=["Alberta Children's Hospital", ""],
        exp_start=["2020-01", ""],
        exp_end=["", ""],
        exp_description=["儿科病房护理", ""],
    )
    saved = post(signed_in, f"{ME}/profile", ME, data=data)
    assert saved.status_code == 303 and saved.headers["location"] == ME and "档案已保存" in flash_of(saved)
    page = signed_in.get(ME).text
    assert "档案已保存" in page and "Alberta Children&#39;s Hospital" in page
    after = profile(loaded, keys.candidate_id)
    assert after.skills == ["儿科护理", "新生儿护理", "静脉输液", "儿童用药"]
    assert after.languages == ["中文", "English"] and after.email == "gnss.person@example.invalid"
    assert [x.organization for x in after.experience] == ["Alberta Children's Hospital"]
    assert [e.school for e in after.education] == ["University of Calgary"]  # the blank row added nothing
    assert after.birth_year == 1996 and after.name == before.name
    assert top_opening(signed_in) == "Paediatric Nurse"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"birth_year": "abc"}, "出生年份须为四位数年份"),
        ({"birth_year": "1800"}, "birth_year 1800 is not plausible"),
        ({"edu_end_year": ["twenty", ""]}, "毕业年份须为四位数年份"),
        ({"name": ""}, "name: Field required"),
        ({"edu_school": ["University of Calgary"]}, "表单不完整"),
        (
            {
                "headline": "",
                "summary": "",
                "skills": "",
                "edu_school": ["", ""],
                "edu_degree": ["", ""],
                "edu_major": ["", ""],
                "edu_country": ["", ""],
                "edu_end_year": ["", ""],
            },
            "a candidate needs at least one",
        ),
    ],
)
def test_a_bad_profile_is_refused_with_the_reason_and_nothing_changes(
    signed_in: TestClient,
    keys: Keys,
    loaded,
    changes: dict[str, object],
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    before = profile(loaded, keys.candidate_id)
    refused = post(signed_in, f"{ME}/profile", ME, data=profile_form(before, **{"headline": "Changed", **changes}))
    assert refused.status_code == 303 and refused.headers["location"] == ME
    assert message in flash_of(refused)
    after = profile(loaded, keys.candidate_id)
    assert (after.headline, after.birth_year, len(after.education)) == (before.headline, 1996, 1)


def test_a_docx_resume_is_read_and_a_bad_file_explained(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    uploaded = post(signed_in, f"{ME}/resume", ME, files={"file": ("cv.docx", RESUME, docx_type)})
    assert uploaded.status_code == 303 and "已读取简历（DOCX" in flash_of(uploaded)
    text = profile(loaded, keys.candidate_id).resume_text
    assert "PPP-RTK" in text and "gnss.person@example.invalid" not in text  # contacts are kept out
    assert "PPP-RTK" in signed_in.get(ME).text
    for name, data, reason in [
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "is a PNG image; upload the résumé as a PDF or a Word"),
        ("cv.txt", "我的简历 plain text".encode(), "is a plain text file"),
        ("empty.pdf", b"", "is empty"),
    ]:
        refused = post(signed_in, f"{ME}/resume", ME, files={"file": (name, data, "application/octet-stream")})
        assert refused.status_code == 303 and refused.headers["location"] == ME
        assert reason in flash_of(refused), name
    assert profile(loaded, keys.candidate_id).resume_text == text


def test_a_zip_bomb_is_refused_in_the_page_language(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    before = profile(loaded, keys.candidate_id).resume_text
    for lang, words in (("zh", "简历文件过大，超出 10 MB 的上限"), ("en", "text and layout unpack to more than 10 MB")):
        signed_in.cookies.set(LANG_COOKIE, lang)
        refused = post(signed_in, f"{ME}/resume", ME, files={"file": ("cv.docx", docx_bomb(), DOCX_TYPE)})
        assert refused.status_code == 303 and refused.headers["location"] == ME
        assert words in flash_of(refused), lang
        page = signed_in.get(ME)  # the profile page again, saying why, its forms there to try another file
        assert page.status_code == 200 and words in page.text and 'name="file"' in page.text, lang
    assert profile(loaded, keys.candidate_id).resume_text == before


def test_hiding_and_showing_the_profile(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    hidden = post(signed_in, f"{ME}/visibility", ME, data={"visible": "false"})
    assert "已在搜索中隐藏" in flash_of(hidden) and profile(loaded, keys.candidate_id).visible is False
    assert "已从搜索中隐藏" in signed_in.get(ME).text
    post(signed_in, f"{ME}/visibility", ME, data={"visible": "true"})
    assert profile(loaded, keys.candidate_id).visible is True
