"""Tables people download: one header and rows, as CSV (UTF-8 with a byte-order mark, so Excel reads it right) or
as an Excel workbook; cells a spreadsheet would run as formulas are defused in both."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from matcher.store.models import utcnow

Cell = str | int | float | None
Table = tuple[list[str], list[list[Cell]]]
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class CsvFile:
    """A table to download: its file name and its text."""

    filename: str
    text: str


@dataclass(frozen=True)
class XlsxFile:
    """A table to download as a workbook: its file name and its bytes."""

    filename: str
    content: bytes


def _cell(value: object) -> object:
    """A cell as written: text that a spreadsheet would run as a formula (=, +, -, @) gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _name(name: str, day: date | None, suffix: str) -> str:
    return f"talentbridge-{name}-{day or utcnow().date():%Y-%m-%d}.{suffix}"


def csv_file(name: str, table: Table, day: date | None = None) -> CsvFile:
    """A table as CSV, named after the report and `day` (default: today, UTC): talentbridge-{name}-{day}.csv."""
    header, rows = table
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(cell) for cell in row] for row in rows)
    return CsvFile(_name(name, day, "csv"), "\ufeff" + out.getvalue())


def xlsx_file(name: str, table: Table, day: date | None = None) -> XlsxFile:
    """A table as one sheet of a workbook (header bold and frozen), named as csv_file names its CSV."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    header, rows = table
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = name[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(cell) for cell in row])
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return XlsxFile(_name(name, day, "xlsx"), out.getvalue())
