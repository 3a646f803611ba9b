"""The candidate's profile over plain HTTP: the profile form changing the profile and the openings, bad input refused
with a readable reason and nothing changed, a résumé upload read (and a bad file explained, a zip bomb in the page's
language), hiding and showing."""

import re

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


NEW_EXPERIENCE = {
    "exp_title": ["Research Assistant"],
    "exp_organization": ["University of Calgary"],
    "exp_start": ["2019-09"],
    "exp_end": ["2020-06"],
    "exp_description": ["RTK 定位算法 typed before the refusal"],
}


@pytest.mark.parametrize(
    ("changes", "field", "zh", "en"),
    [
        ({"birth_year": "abc"}, "birth_year", "出生年份：须为四位数年份", "Birth year: must be a year"),
        ({"birth_year": "1850"}, "birth_year", "出生年份：须在 1940 至", "Birth year: must be between 1940 and"),
        (
            {"edu_end_year": ["twenty", ""]},
            "edu_end_year",
            "毕业年份：须为四位数年份",
            "Graduation year: must be a year",
        ),
        (
            {"edu_end_year": ["2150", ""]},
            "edu_end_year",
            "教育经历 1 · 毕业年份：不能大于 2100",
            "Education 1 · Graduation year: must be at most 2100",
        ),
        ({"name": ""}, "name", "姓名：必须填写", "Name: is required"),
        (
            {**NEW_EXPERIENCE, "exp_start": ["2021-09"], "exp_end": ["2020-06"]},
            "exp_end",
            "工作经历 1 · 结束：2020-06 早于开始时间 2021-09",
            "Experience 1 · End: 2020-06 is before the start, 2021-09",
        ),
        ({"edu_school": ["University of Calgary"]}, "", "表单不完整", "The form is incomplete"),
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
                "exp_title": [""],
                "exp_organization": [""],
                "exp_start": [""],
                "exp_end": [""],
                "exp_description": [""],
            },
            "",
            "请至少填写一句话介绍、个人简介、技能、教育经历或工作经历之一",
            "Fill in at least one of headline, summary, skills, education or experience",
        ),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refused_profile_comes_back_as_typed_with_the_field_marked_and_why_in_the_page_language(
    signed_in: TestClient,
    keys: Keys,
    loaded,  # type: ignore[no-untyped-def]
    changes: dict[str, object],
    field: str,
    zh: str,
    en: str,
    lang: str,
) -> None:
    signed_in.cookies.set(LANG_COOKIE, lang)
    before = profile(loaded, keys.candidate_id)
    typed = {"headline": "Changed headline, typed", **NEW_EXPERIENCE, **changes}
    refused = post(signed_in, f"{ME}/profile", ME, data=profile_form(before, **typed))
    assert refused.status_code == 422, refused.text[:300]
    page = refused.text
    assert (zh if lang == "zh" else en) in page
    assert (en if lang == "zh" else zh) not in page
    if typed["headline"]:
        assert 'value="Changed headline, typed"' in page  # what was typed, not what was saved
    if typed["exp_title"] == NEW_EXPERIENCE["exp_title"]:
        assert 'value="Research Assistant"' in page and "RTK 定位算法 typed before the refusal" in page
    if field:
        assert re.search(f'name="{field}"[^>]*aria-invalid="true"', page), field
    after = profile(loaded, keys.candidate_id)
    assert (after.headline, after.birth_year, len(after.education), len(after.experience)) == (
        before.headline,
        1996,
        1,
        len(before.experience),
    )


def test_a_docx_resume_is_read_and_a_bad_file_explained(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    uploaded = post(signed_in, f"{ME}/resume", ME, files={"file": ("cv.docx", RESUME, docx_type)})
    assert uploaded.status_code == 303 and "已读取简历（DOCX" in flash_of(uploaded)
    text = profile(loaded, keys.candidate_id).resume_text
    assert "PPP-RTK" in text and "gnss.person@example.invalid" not in text  # contacts are kept out
    assert "PPP-RTK" in signed_in.get(ME).text
    for name, data, reason in [
        (
            "photo.png",
            b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
            "文件「photo.png」是图片，请以 PDF 或 Word .docx 格式上传简历",
        ),
        ("cv.txt", "我的简历 plain text".encode(), "文件「cv.txt」是纯文本文件"),
        ("empty.pdf", b"", "文件「empty.pdf」是空的"),
    ]:
        refused = post(signed_in, f"{ME}/resume", ME, files={"file": (name, data, "application/octet-stream")})
        assert refused.status_code == 303 and refused.headers["location"] == ME
        assert reason in flash_of(refused), name
    assert profile(loaded, keys.candidate_id).resume_text == text


def test_a_zip_bomb_is_refused_in_the_page_language(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    before = profile(loaded, keys.candidate_id).resume_text
    for lang, words in (("zh", "Word 文件解压后超过 10 MB"), ("en", "The Word file unpacks to more than 10 MB")):
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


def test_line_breaks_are_counted_as_stored_so_a_text_at_the_limit_is_kept(
    signed_in: TestClient,
    keys: Keys,
    loaded,  # type: ignore[no-untyped-def]
) -> None:
    """A browser sends a textarea's line breaks as CRLF; the summary is counted and stored with LF, so a summary of
    exactly 20,000 characters as stored is accepted, not refused for the CRs."""
    stored_form = "\n".join(["RTK 定位算法与多传感器融合。" + "x" * 80] * 300)[:20_000]
    typed = stored_form.replace("\n", "\r\n")  # as the browser sends it: over 20,000 characters
    assert len(stored_form) == 20_000 and len(typed) > 20_000 and not stored_form.endswith("\n")
    saved = post(signed_in, f"{ME}/profile", ME, data=profile_form(profile(loaded, keys.candidate_id), summary=typed))
    assert saved.status_code == 303, saved.text[:300]
    stored = profile(loaded, keys.candidate_id).summary
    assert stored == stored_form


def test_the_resume_message_gives_the_length_stored(signed_in: TestClient, keys: Keys, loaded) -> None:  # type: ignore[no-untyped-def]
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    uploaded = post(signed_in, f"{ME}/resume", ME, files={"file": ("cv.docx", RESUME, docx_type)})
    assert uploaded.status_code == 303
    stored = profile(loaded, keys.candidate_id).resume_text
    said = re.search(r"（DOCX，(\d+) 字）", flash_of(uploaded))
    assert said is not None, flash_of(uploaded)
    assert int(said.group(1)) == len(stored)  # the contact details left out are not counted
