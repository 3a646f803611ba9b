"""The text of a résumé DOCX in reading order: headers, body paragraphs with their text boxes, table rows (merged
cells once, nested tables after their row), footers; a damaged or text-less file refused with the reason."""

import io
from collections.abc import Iterator

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from matcher.errors import Invalid
from matcher.ingest.resume_text import normalise

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_T = f"{{{_W}}}t"


def docx_text(data: bytes) -> tuple[str, int, bool]:
    """Text and non-empty block count from DOCX bytes: headers, body (text boxes, tables), footers."""
    try:
        document = docx.Document(io.BytesIO(data))
        headers: list[str] = []
        footers: list[str] = []
        for section in document.sections:
            for header in (section.first_page_header, section.header):
                if not header.is_linked_to_previous:
                    headers.extend(_blocks(header.iter_inner_content()))
            for footer in (section.first_page_footer, section.footer):
                if not footer.is_linked_to_previous:
                    footers.extend(_blocks(footer.iter_inner_content()))
        body = list(_blocks(document.iter_inner_content()))
    except Exception as exc:  # an untrusted file can break a parser in any way; each means "cannot read it"
        raise Invalid("the Word file is damaged and cannot be read; save it again as .docx and upload that") from exc
    # Sections often repeat the same header or footer; body lines (two jobs with one title) stay as they are.
    kept = [*dict.fromkeys(map(normalise, headers)), *map(normalise, body), *dict.fromkeys(map(normalise, footers))]
    kept = [block for block in kept if block]
    if not kept:
        raise Invalid("the Word file has no text; if the résumé is a picture pasted into Word, upload a PDF instead")
    return "\n".join(kept), len(kept), False


def _blocks(items: Iterator[Paragraph | Table]) -> Iterator[str]:
    """Text of paragraphs (and their text boxes) and table rows, in document order."""
    for item in items:
        if isinstance(item, Paragraph):
            yield item.text
            yield from _text_boxes(item)
        else:
            yield from _table_rows(item)


def _table_rows(table: Table) -> Iterator[str]:
    """One line per row, merged cells once, cells joined by ' | '; nested tables follow their row."""
    for row in table.rows:
        cells: list[str] = []
        nested: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell repeats across the columns it spans
                continue
            seen.add(id(cell._tc))
            parts = []
            for item in cell.iter_inner_content():
                if isinstance(item, Paragraph):
                    parts.extend([item.text, *_text_boxes(item)])
                else:
                    nested.extend(_table_rows(item))
            cells.append(" ".join(part.strip() for part in parts if part.strip()))
        yield " | ".join(cell for cell in cells if cell)
        yield from nested


def _text_boxes(paragraph: Paragraph) -> Iterator[str]:
    """Paragraphs inside text boxes anchored in a paragraph (templates love them), skipping legacy copies."""
    for box in paragraph._p.iter(f"{{{_W}}}txbxContent"):
        if any(ancestor.tag == f"{{{_MC}}}Fallback" for ancestor in box.iterancestors()):
            continue  # the VML fallback repeats the DrawingML text box
        for p in box.iter(f"{{{_W}}}p"):
            yield "".join(node.text or "" if node.tag == _T else " " for node in p.iter(_T, f"{{{_W}}}tab"))
