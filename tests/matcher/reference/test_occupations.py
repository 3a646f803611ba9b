"""The occupation classification: loading it as published, cleaning posting titles, mapping them, and jobs
getting their occupation on import (and again when the mapping changes)."""

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from matcher.ingest.importer import ImportReport
from matcher.platform import NORMALIZATION_KEY, Platform
from matcher.reference.job_normalization import NORMALIZATION_VERSION
from matcher.reference.occupation_coder import MIN_CONFIDENCE
from matcher.reference.occupations import (
    clean_title,
    csco_records,
    group_of,
    occupation_titles,
    parent_code,
    title_key,
)
from matcher.store import meta
from matcher.store.models import Job, Occupation

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.mark.parametrize(
    ("title", "cleaned"),
    [
        ("郑东新区某茶饮店急招店员（包吃住）", "茶饮店 店员"),
        ("Java开发工程师（高新区）15-25K", "Java开发工程师"),
        ("销售代表（二七区）", "销售代表"),
        ("急招叉车司机 五险一金", "叉车司机"),
        ("【JD-1023】高级数据分析师 8000-12000元/月 双休", "数据分析师"),
        ("数字IC设计工程师（2027届校招）", "数字IC设计工程师"),
        ("Senior Embedded Software Engineer", "Embedded Software Engineer"),
        ("区域经理", "区域经理"),  # 区 inside an occupation is not a place
        ("（高新区）", "（高新区）"),  # nothing would be left: the title stays as it was
    ],
)
def test_titles_lose_places_pay_perks_and_notes(title: str, cleaned: str) -> None:
    assert clean_title(title) == cleaned


def test_the_classification_loads_once_per_code_with_its_hierarchy(session_with_occupations: None) -> None:
    records = csco_records()
    assert len(records) == len({r["code"] for r in records}) == 2047  # 2,051 rows, four codes repeated
    assert parent_code("2-02-10-03") == "2-02-10-00" and parent_code("2-02-10-00") == "2-02-00-00"
    assert parent_code("2-02-00-00") == "2-00-00-00" and parent_code("2-00-00-00") is None
    assert group_of("2-02-10-03") == "2-02-10"


def test_green_and_digital_marks_become_flags(platform: Platform) -> None:
    with platform.session() as session:
        assert session.scalar(select(func.count()).select_from(Occupation).where(Occupation.level == 4)) == 1632
        marked = session.get(Occupation, "2-02-38-05")  # 智能制造工程技术人员S in the file
        assert marked is not None and marked.name == "智能制造工程技术人员" and marked.digital and not marked.green
        assert not session.scalars(select(Occupation).where(Occupation.name.like("%S"))).first()


def test_clear_titles_map_to_their_occupation(platform: Platform) -> None:
    with platform.session() as session:
        mapper = platform.occupation_mapper(session)
        for title, code in (
            ("Registered Nurse - Paediatrics", "2-05-08-02"),
            ("幼儿园教师（五险一金）", "2-08-03-00"),
            ("会计（金水区）4500-6000元", "2-06-03-00"),
        ):
            hits = mapper.map(title, 5)
            assert code in [h.code for h in hits], (title, hits)
            assert all(h.code in mapper.codes() for h in hits)
        assert mapper.map("   ") == []


def test_known_titles_name_detailed_occupations_once_each() -> None:
    detailed = {row["code"] for row in csco_records() if row["level"] == "4"}
    titles = occupation_titles()
    assert len(titles) > 1000 and {code for code, _ in titles} <= detailed
    keys = [title_key(title) for _, title in titles]
    assert len(keys) == len(set(keys)), "a title names one occupation only"


def test_a_known_title_under_its_noise_comes_first(platform: Platform) -> None:
    """The messy titles of the issue: the job-board title list ties 开发工程师 wording to 软件工程技术人员."""
    with platform.session() as session:
        mapper = platform.occupation_mapper(session)
        for title, code in (
            ("Java开发工程师（高新区）15-25K", "2-02-10-03"),
            ("销售代表（二七区）", "4-01-02-01"),
            ("Backend Developer (remote, Zhengzhou)", "2-02-10-03"),
        ):
            hits = mapper.map(title, 5)
            assert hits[0].code == code, (title, hits[:2])


def test_imported_jobs_get_their_occupation_and_are_remapped_when_the_mapping_changes(
    platform: Platform, import_file: Callable[[str, Path], ImportReport]
) -> None:
    import_file("jobs", SAMPLES / "crosslingual_jobs.jsonl")
    with platform.session() as session:
        jobs = session.scalars(select(Job)).all()
        codes = {job.external_id: job.occupation_code for job in jobs}
        levels = {code: level for code, level in session.execute(select(Occupation.code, Occupation.level))}
        assert all(job.occupation_confidence is not None for job in jobs)  # the coder ran on every title
        shown = [job for job in jobs if job.occupation_code]
        # A code when sure enough (an occupation, or the group it backed off to), else none: "occupation uncertain".
        assert all(job.occupation_confidence >= MIN_CONFIDENCE for job in shown)  # type: ignore[operator]
    assert sum(levels.get(code) == 4 for code in codes.values()) >= 2, codes
    assert all(levels.get(code) in (2, 3, 4) for code in codes.values() if code), codes

    with platform.session() as session:  # a database from before: codes missing, an older mapping version
        for job in session.scalars(select(Job)):
            job.occupation_code = None
        meta.put(session=session, key=NORMALIZATION_KEY, value="older")
    platform.init()
    with platform.session() as session:
        assert {job.external_id: job.occupation_code for job in session.scalars(select(Job))} == codes
        assert meta.get(session=session, key=NORMALIZATION_KEY) == NORMALIZATION_VERSION


@pytest.fixture
def session_with_occupations(platform: Platform) -> None:
    with platform.session() as session:
        assert session.scalar(select(func.count()).select_from(Occupation))
