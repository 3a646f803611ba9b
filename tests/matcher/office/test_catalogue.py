"""The talent catalogue, called directly on jobs made by the factories: per leading industry (in the configuration's
order), the jobs and vacancies of the window, the occupations, majors and employers most in demand — and the
Markdown and CSV it is published as. Jobs outside the window or outside the leading industries count for nothing."""

import csv
import io
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.office import catalogue
from matcher.reference.leading_industries import PriorityConfig, load_config
from matcher.store.models import Major
from tests import factories

AS_OF = date(2026, 11, 30)  # the window (183 days) starts on 2026-05-31
IN_WINDOW = date(2026, 11, 1)
BEIDOU = "北斗导航与卫星应用"


@pytest.fixture
def config() -> PriorityConfig:
    return load_config()[0]


@pytest.fixture
def jobs(session: Session) -> None:
    """北斗 (as 卫星导航): six jobs, 27 vacancies (one posting's 50 openings count as 20); 电子信息 (as 集成电路): one
    job asking for a whole class of majors; and jobs that must not count: too old, and in catering."""
    beidou: dict[str, Any] = {"industry": "卫星导航", "posted_at": IN_WINDOW}
    factories.job(
        session,
        **beidou,
        enterprise_name="郑州北斗科技",
        occupation_code="2-02-02-08",
        major_codes=["081202"],
        extras={"openings": 3},
    )
    factories.job(
        session,
        **beidou,
        enterprise_name="中原卫星",
        occupation_code="2-02-09-03",
        major_codes=["080901", "081202"],
        extras={"openings": 50},
    )
    for name in ("A4", "A2", "A1", "A3"):
        factories.job(session, **beidou, enterprise_name=name, major_codes=[])
    factories.job(session, industry="集成电路", posted_at=date(2026, 6, 1), major_codes=["0809"])
    factories.job(
        session,
        industry="卫星导航",
        posted_at=date(2026, 5, 30),
        enterprise_name="Too Old",
        occupation_code="2-02-02-08",
        extras={"openings": 9},
    )
    factories.job(session, industry="餐饮", posted_at=IN_WINDOW, enterprise_name="Noodles")


def test_each_leading_industry_gets_its_needs_from_the_window(
    session: Session, config: PriorityConfig, jobs: None
) -> None:
    entries = catalogue.talent_catalogue(session, config, AS_OF)
    assert [e.industry for e in entries] == list(config.industries)  # every one, in the configuration's order
    beidou = next(e for e in entries if e.industry == BEIDOU)
    assert (beidou.jobs, beidou.vacancies) == (6, 27)
    assert beidou.occupations == [
        ("2-02-09-03", "雷达导航工程技术人员", 20),
        ("2-02-02-08", "导航与位置服务工程技术人员", 3),
    ]
    assert beidou.majors == [
        ("081202", "遥感科学与技术", 0.565),
        ("080901", "计算机科学与技术", 0.435),
    ]  # 13 and 10 of 23
    assert beidou.employers == [("中原卫星", 20), ("郑州北斗科技", 3), ("A1", 1), ("A2", 1), ("A3", 1)]  # top five

    electronics = next(e for e in entries if e.industry == "电子信息")
    assert (electronics.jobs, electronics.vacancies, electronics.occupations, electronics.employers) == (1, 1, [], [])
    schools = {m.code: m.school_count or 1 for m in session.scalars(select(Major).where(Major.class_code == "0809"))}
    codes = [code for code, _, _ in electronics.majors]
    assert len(codes) == catalogue.TOP and set(codes) <= set(schools)  # a class shares among its majors …
    assert schools[codes[0]] == max(schools.values())  # … most to the one most universities offer
    shares = [share for _, _, share in electronics.majors]
    assert shares == sorted(shares, reverse=True) and 0 < sum(shares) <= 1

    rest = [e for e in entries if e.industry not in (BEIDOU, "电子信息")]
    assert all((e.jobs, e.vacancies, e.occupations, e.majors, e.employers) == (0, 0, [], [], []) for e in rest)


def test_the_window_decides_which_jobs_count(session: Session, config: PriorityConfig, jobs: None) -> None:
    entries = catalogue.talent_catalogue(session, config, date(2026, 5, 1))  # before every job
    assert len(entries) == len(config.industries) and [e.industry for e in entries if e.jobs] == []
    later = catalogue.talent_catalogue(session, config, date(2026, 5, 30))  # the old one alone
    assert [(e.industry, e.jobs, e.vacancies, e.employers) for e in later if e.jobs] == [
        (BEIDOU, 1, 9, [("Too Old", 9)])
    ]


def test_markdown_and_csv(session: Session, config: PriorityConfig, jobs: None) -> None:
    entries = catalogue.talent_catalogue(session, config, AS_OF)
    markdown = catalogue.to_markdown(entries, AS_OF)
    assert markdown.startswith("# 引进海归青年人才目录指南 · Talent catalogue (as of 2026-11-30)\n")
    beidou = markdown[markdown.index(f"## {BEIDOU}") :].split("\n## ")[0]
    assert beidou.splitlines() == [
        f"## {BEIDOU}",
        "",
        "6 jobs, 27 vacancies.",
        "",
        "| occupations in demand (CSCO 2022) | vacancies |",
        "|---|---|",
        "| 雷达导航工程技术人员 (2-02-09-03) | 20 |",
        "| 导航与位置服务工程技术人员 (2-02-02-08) | 3 |",
        "",
        "| majors in demand | share of demand |",
        "|---|---|",
        "| 遥感科学与技术 (081202) | 56% |",
        "| 计算机科学与技术 (080901) | 44% |",
        "",
        "Example employers: 中原卫星 (20); 郑州北斗科技 (3); A1 (1); A2 (1); A3 (1)",
    ]
    assert "## 新能源汽车\n\n0 jobs, 0 vacancies.\n\nNo openings in the window.\n" in markdown

    rows = list(csv.reader(io.StringIO(catalogue.to_csv(entries))))
    assert rows[0] == ["industry", "kind", "rank", "code", "name", "value"]
    assert [row for row in rows if row[0] == BEIDOU] == [
        [BEIDOU, "occupation", "1", "2-02-09-03", "雷达导航工程技术人员", "20"],
        [BEIDOU, "occupation", "2", "2-02-02-08", "导航与位置服务工程技术人员", "3"],
        [BEIDOU, "major", "1", "081202", "遥感科学与技术", "0.565"],
        [BEIDOU, "major", "2", "080901", "计算机科学与技术", "0.435"],
        [BEIDOU, "employer", "1", "", "中原卫星", "20"],
        [BEIDOU, "employer", "2", "", "郑州北斗科技", "3"],
        [BEIDOU, "employer", "3", "", "A1", "1"],
        [BEIDOU, "employer", "4", "", "A2", "1"],
        [BEIDOU, "employer", "5", "", "A3", "1"],
    ]
    assert {row[0] for row in rows[1:]} == {BEIDOU, "电子信息"}  # industries with no jobs have no rows
