"""Résumé text normalised, and the contacts and section headings spotted in it."""

import pytest

from matcher.ingest.resume_fields import ResumeFields, resume_fields
from matcher.ingest.resume_text import normalise
from matcher.ingest.resumes import extract_resume
from tests.matcher.ingest.resume_files import ENGLISH, english_pdf, full_resume, make_docx


def test_normalise_collapses_spacing_and_folds_pdf_compatibility_characters() -> None:
    raw = "  ⼯作经历\u3000\u3000Work\u00a0 Experience \r\n\r\n\r\n\r\nde\u00adsigned  ﬁle\u200b systems\x00\t \n"

    assert normalise(raw) == "工作经历 Work Experience\n\ndesigned file systems"


def test_fields_from_a_chinese_resume() -> None:
    text = extract_resume(make_docx(full_resume), "cv.docx").text

    assert resume_fields(text) == ResumeFields(
        email="zhangsan@example.cn", phone="+8613812345678", sections=("education", "experience", "skills")
    )


def test_fields_from_an_english_resume() -> None:
    text = extract_resume(english_pdf([ENGLISH]), "cv.pdf").text

    assert resume_fields(text) == ResumeFields(
        email="jane.doe@example.com", phone="+442079460000", sections=("experience", "education", "skills")
    )


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("手机 13812345678", "+8613812345678"),
        ("手机：138 1234 5678", "+8613812345678"),
        ("Tel +86 138-1234-5678", "+8613812345678"),
        ("Tel 0086 13812345678", "+8613812345678"),
        ("Call +1 (415) 555-0100 any time", "+14155550100"),
        ("身份证 110101199003071234，毕业 2019-2024", None),
        ("Student ID 213812345678", None),
        ("Phone +12", None),
    ],
)
def test_phone_numbers(text: str, phone: str | None) -> None:
    assert resume_fields(text).phone == phone


def test_section_hints_need_a_heading_not_just_the_word() -> None:
    text = "Experienced engineer\n教育部留学服务中心认证\nEducational background\n教育背景EDUCATION\n■ 技能特长 ■"

    assert resume_fields(text).sections == ("education", "skills")
    assert resume_fields("no contacts here") == ResumeFields(email=None, phone=None, sections=())
