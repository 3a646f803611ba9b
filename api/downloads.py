"""Tables as attachments: CSV (UTF-8 with a byte-order mark, for Excel) or an Excel workbook, named
talentbridge-{name}-{day}.csv|.xlsx — for the API's reports and the console's exports alike."""

from fastapi.responses import Response

from matcher import tables


def download(name: str, table: tables.Table, file_format: str = "csv") -> Response:
    """`table` as an attachment: an Excel workbook for "xlsx", else CSV."""
    if file_format == "xlsx":
        book = tables.xlsx_file(name, table)
        content: str | bytes = book.content
        media_type, filename = tables.XLSX_MEDIA_TYPE, book.filename
    else:
        file = tables.csv_file(name, table)
        content, media_type, filename = file.text, tables.CSV_MEDIA_TYPE, file.filename
    disposition = f'attachment; filename="{filename}"'
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})
