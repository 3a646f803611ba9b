"""The priority-major list as CSV, JSON and Excel: every row flat and carrying its evidence (industries with their
shares, example jobs by id), in the same columns everywhere, with what the list was computed from."""

import csv
import io
import json
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from matcher.office import priority
from matcher.office.priority import PriorityEntry, PriorityList
from matcher.office.priority_export import COLUMNS, row, to_csv, to_json, write_xlsx
from matcher.reference.leading_industries import load_config
from tests import factories

FIRST = PriorityEntry(
    rank=1,
    code="081202",
    name="遥感科学与技术",
    class_name="测绘类",
    stars=5,
    shortage=3.5,
    demand=12.0,
    demand_per_mille=600.0,
    supply=1,
    supply_per_mille=100.0,
    jobs=2,
    vacancies=4,
    median_monthly_salary=25000,
    top_industries=[{"industry": "北斗导航与卫星应用", "share": 0.62}, {"industry": "电子信息", "share": 0.2}],
    example_jobs=[
        {"id": 12, "title": "北斗导航算法工程师", "employer": "郑州北斗科技", "weight": 3.0},
        {"id": 13, "title": "GNSS 工程师", "employer": "", "weight": 1.0},
    ],
    rank_change=2,
    stars_change=1,
)
SECOND = PriorityEntry(
    rank=2,
    code="080901",
    name="计算机科学与技术",
    class_name="计算机类",
    stars=1,
    shortage=0.8,
    demand=8.0,
    demand_per_mille=400.0,
    supply=9,
    supply_per_mille=900.0,
    jobs=1,
    vacancies=1,
    median_monthly_salary=None,
)
LIST = PriorityList(
    as_of=date(2026, 11, 30),
    window_start=date(2026, 5, 31),
    config_hash="65037dc9d92f",
    jobs_counted=3,
    candidates_counted=10,
    entries=[FIRST, SECOND],
    previous_period="2026-10",
)


def test_a_row_is_flat_and_carries_its_evidence() -> None:
    flat = row(FIRST)
    assert list(flat) == list(COLUMNS)
    assert flat["top_industries"] == "北斗导航与卫星应用 62%; 电子信息 20%"
    assert flat["example_jobs"] == "#12 北斗导航算法工程师 (郑州北斗科技); #13 GNSS 工程师"
    assert (flat["rank"], flat["code"], flat["stars"], flat["rank_change"], flat["stars_change"]) == (
        1,
        "081202",
        5,
        2,
        1,
    )
    second = row(SECOND)
    assert (second["top_industries"], second["example_jobs"], second["median_monthly_salary"]) == ("", "", None)
    assert (second["rank_change"], second["stars_change"]) == (None, None)  # new on the list


def test_csv_has_the_columns_and_one_row_per_entry() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(LIST.entries))))
    assert [list(r) for r in rows] == [list(COLUMNS)] * 2
    assert rows[0] == {
        "rank": "1",
        "code": "081202",
        "name": "遥感科学与技术",
        "class_name": "测绘类",
        "stars": "5",
        "shortage": "3.5",
        "demand": "12.0",
        "demand_per_mille": "600.0",
        "supply": "1",
        "supply_per_mille": "100.0",
        "jobs": "2",
        "vacancies": "4",
        "median_monthly_salary": "25000",
        "top_industries": "北斗导航与卫星应用 62%; 电子信息 20%",
        "example_jobs": "#12 北斗导航算法工程师 (郑州北斗科技); #13 GNSS 工程师",
        "rank_change": "2",
        "stars_change": "1",
    }
    assert (rows[1]["code"], rows[1]["median_monthly_salary"], rows[1]["rank_change"]) == ("080901", "", "")
    assert to_csv([]) == ",".join(COLUMNS) + "\n"


def test_json_says_what_the_list_was_computed_from() -> None:
    data = json.loads(json.dumps(to_json(LIST), ensure_ascii=False))
    assert {key: value for key, value in data.items() if key != "entries"} == {
        "as_of": "2026-11-30",
        "window_start": "2026-05-31",
        "config": "65037dc9d92f",
        "jobs_counted": 3,
        "candidates_counted": 10,
        "previous_period": "2026-10",
    }
    assert [e["code"] for e in data["entries"]] == ["081202", "080901"]
    assert data["entries"][0]["example_jobs"][0] == {
        "id": 12,
        "title": "北斗导航算法工程师",
        "employer": "郑州北斗科技",
        "weight": 3.0,
    }
    assert data["entries"][0]["top_industries"] == FIRST.top_industries  # structured here, not flattened


def test_the_workbook_has_the_list_and_what_it_was_computed_from(tmp_path: Path) -> None:
    path = tmp_path / "priority.xlsx"
    write_xlsx(LIST, path)
    book = load_workbook(path)
    assert book.sheetnames == ["priority majors", "about"]
    sheet = book["priority majors"]
    assert sheet.freeze_panes == "A2"
    cells = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert cells[0] == list(COLUMNS) and all(cell.font.bold for cell in sheet[1])
    assert cells[1] == list(row(FIRST).values())
    assert cells[2][:3] == [2, "080901", "计算机科学与技术"] and cells[2][COLUMNS.index("rank_change")] is None
    assert len(cells) == 3
    about = {key: value for key, value in book["about"].iter_rows(values_only=True)}
    assert about == {
        "as_of": "2026-11-30",
        "window_start": "2026-05-31",
        "config": "65037dc9d92f",
        "jobs_counted": "3",
        "candidates_counted": "10",
        "previous_period": "2026-10",
    }


def test_a_computed_list_exports_with_its_own_jobs_as_evidence(session: Session) -> None:
    """From stored jobs to CSV: the example jobs are the jobs that asked for the major, by id."""
    employer = factories.enterprise(session, name="郑州北斗科技")
    asking = [
        factories.job(session, enterprise=employer, posted_at=date(2026, 11, 1), major_codes=codes)
        for codes in (["081202"], ["081202"], ["080901"])
    ]
    factories.candidate(session)  # one candidate with 081202: the supply of computer science is none
    config, config_hash = load_config()
    result = priority.compute_priority(session, config, config_hash, date(2026, 11, 30))

    rows = list(csv.DictReader(io.StringIO(to_csv(result.entries))))
    assert [(r["rank"], r["code"], r["supply"], r["jobs"]) for r in rows] == [
        ("1", "080901", "0", "1"),
        ("2", "081202", "1", "2"),
    ]
    first, second = asking[0].id, asking[1].id
    assert rows[1]["example_jobs"] == (
        f"#{first} 北斗导航算法工程师 (郑州北斗科技); #{second} 北斗导航算法工程师 (郑州北斗科技)"
    )
    data = to_json(result)
    assert (data["jobs_counted"], data["candidates_counted"], data["config"]) == (3, 1, config_hash)
