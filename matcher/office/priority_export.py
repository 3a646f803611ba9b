"""The priority-major list as a table: CSV, Excel (xlsx) and JSON, every row carrying its evidence."""

import csv
import io
from dataclasses import asdict
from pathlib import Path
from typing import Any

from matcher.office.priority import PriorityEntry, PriorityList
from matcher.reference import english_names

COLUMNS = (
    "rank",
    "code",
    "name",
    "class_name",
    "stars",
    "shortage",
    "demand",
    "demand_per_mille",
    "supply",
    "supply_per_mille",
    "jobs",
    "vacancies",
    "median_monthly_salary",
    "top_industries",
    "example_jobs",
    "rank_change",
    "stars_change",
)


def row(entry: PriorityEntry, lang: str = "zh") -> dict[str, Any]:
    """One flat row: industries as '电子信息 62%; 新能源汽车 20%', example jobs as '#12 title (employer); …'; with
    lang="en" the major, its class and the industries named in English (job titles stay as posted)."""
    flat = asdict(entry)
    flat["name"] = english_names.major_name(entry.code, entry.name, lang)
    flat["class_name"] = english_names.major_name(entry.code[:4], entry.class_name, lang)
    flat["top_industries"] = "; ".join(
        f"{english_names.industry_name(i['industry'], lang)} {i['share']:.0%}" for i in entry.top_industries
    )
    flat["example_jobs"] = "; ".join(
        f"#{j['id']} {j['title']}" + (f" ({j['employer']})" if j["employer"] else "") for j in entry.example_jobs
    )
    return {column: flat[column] for column in COLUMNS}


def to_json(result: PriorityList) -> dict[str, Any]:
    return {
        "as_of": result.as_of.isoformat(),
        "window_start": result.window_start.isoformat(),
        "config": result.config_hash,
        "jobs_counted": result.jobs_counted,
        "candidates_counted": result.candidates_counted,
        "previous_period": result.previous_period,
        "entries": [asdict(entry) for entry in result.entries],
    }


def to_csv(entries: list[PriorityEntry], lang: str = "zh") -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow(row(entry, lang))
    return buffer.getvalue()


def write_xlsx(result: PriorityList, path: Path) -> None:
    """A workbook: the list (header bold, frozen), and a sheet saying what it was computed from."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "priority majors"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in result.entries:
        sheet.append([row(entry)[column] for column in COLUMNS])
    sheet.freeze_panes = "A2"
    about = book.create_sheet("about")
    for key, value in to_json(result).items():
        if key != "entries":
            about.append([key, str(value)])
    book.save(path)
