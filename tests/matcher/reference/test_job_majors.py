"""The majors a job asks for: given, named in its requirements (专业要求), or inferred from its title."""

import pytest

from matcher.platform import Platform
from matcher.reference.job_majors import JobMajors


@pytest.fixture
def job_majors(platform: Platform) -> JobMajors:
    with platform.session() as session:
        return JobMajors(session, platform.major_mapper(session))


def names(platform: Platform, codes: list[str]) -> list[str]:
    with platform.session() as session:
        mapper = platform.major_mapper(session)
        by_code = {m.code: m.name for m in mapper._majors} | {m.class_code: m.class_name for m in mapper._majors}
    return [by_code[code] for code in codes]


def test_chinese_requirements_name_classes_and_majors(platform: Platform, job_majors: JobMajors) -> None:
    text = (
        "1. 材料类、化学类相关专业硕士及以上学历，材料科学与工程、材料化学、应用化学等专业优先；\n"
        "2. 5年以上相关工作经验；\n3. 英语可作为工作语言。"
    )
    assert names(platform, job_majors.stated(text)) == ["材料类", "化学类", "材料科学与工程", "材料化学", "应用化学"]
    assert names(platform, job_majors.stated("计算机相关专业本科及以上学历")) == ["计算机类"]
    assert job_majors.stated("3年以上Java开发经验，熟悉英语") == []  # no sentence about a field of study
    assert names(platform, job_majors.stated("计算机、电子信息等相关专业本科及以上")) == ["计算机类", "电子信息类"]
    assert names(platform, job_majors.stated("BSc in Computer Science or Statistics")) == ["计算机科学与技术", "统计学"]


def test_english_requirements_list_majors_after_degree_in(platform: Platform, job_majors: JobMajors) -> None:
    text = (
        "- Master's degree or above in Computer Science and Technology, Automation, Communications Engineering "
        "or IoT Engineering, or a related field.\n- Good communication skills."
    )
    assert names(platform, job_majors.stated(text)) == ["计算机科学与技术", "自动化", "通信工程", "物联网工程"]


def test_sources_given_then_text_then_inferred(job_majors: JobMajors) -> None:
    given, text, inferred, nothing = job_majors.for_jobs(
        [
            ("Engineer", ["网络空间安全"], "计算机类相关专业"),
            ("Engineer", [], "计算机类相关专业"),
            ("动力电池电芯研发工程师", [], "负责电芯设计。"),
            ("", [], ""),
        ]
    )
    (anything,) = job_majors.for_jobs([("销售代表", [], "专业不限，本科及以上")])
    assert (anything.codes, anything.source) == ([], "any")  # no major asked for, none inferred
    assert (given.codes, given.source) == (["080911TK"], "given")
    assert (text.codes, text.source) == (["0809"], "text")
    assert inferred.source == "inferred" and 1 <= len(inferred.codes) <= 3
    assert (nothing.codes, nothing.source) == ([], "")
