"""Résumé DOCX files written by python-docx: headers, text boxes, tables and footers read in order, long documents
cut at the cap, and damaged, empty or zip-bomb files refused."""

import io
import zipfile

import pytest
from docx.document import Document

from matcher.ingest import resumes
from matcher.ingest.resume_text import MAX_RESUME_CHARS
from matcher.ingest.resumes import extract_resume
from tests.matcher.ingest.resume_files import CHINESE, full_resume, make_docx, refusal, zip_bytes


def test_a_docx_gives_header_body_text_boxes_tables_and_footer_in_order() -> None:
    resume = extract_resume(make_docx(full_resume), "张三.docx")

    lines = resume.text.splitlines()
    assert lines[0] == "张三 · 简历 Curriculum Vitae"
    assert lines[1:3] == [" ".join(line.split()) for line in CHINESE[:2]]
    assert lines[3:5] == ["求职意向：数据工程师", "Location: Shanghai"]  # the text box, once (no VML copy)
    assert lines[5:10] == CHINESE[2:]
    assert lines[10:13] == ["时间 | 公司 | 职位", "2019–2024 | 腾讯 | 高级工程师", "Led a team of 5 engineers"]
    assert lines[13:] == ["References available on request.", "第 1 页 · zhangsan@example.cn"]
    assert (resume.format, resume.pages, resume.paragraphs) == ("docx", None, len(lines))


def test_a_nested_table_follows_its_row() -> None:
    def build(document: Document) -> None:
        document.add_paragraph("Jane Doe — Data Engineer with eight years of experience in streaming systems.")
        outer = document.add_table(rows=1, cols=2)
        outer.cell(0, 0).text = "Projects"
        inner = outer.cell(0, 1).add_table(rows=1, cols=2)
        inner.cell(0, 0).text = "Kafka migration"
        inner.cell(0, 1).text = "2023"

    lines = extract_resume(make_docx(build), "cv.docx").text.splitlines()

    assert lines[1:] == ["Projects", "Kafka migration | 2023"]


def test_repeated_body_lines_are_kept_and_repeated_headers_are_not() -> None:
    def build(document: Document) -> None:
        document.sections[0].header.paragraphs[0].text = "Jane Doe · CV"
        second = document.add_section()
        second.header.is_linked_to_previous = False
        second.header.paragraphs[0].text = "Jane Doe · CV"
        for company in ("Acme Analytics, London", "Globex, Manchester"):
            document.add_paragraph(company)
            document.add_paragraph("Data Engineer")

    lines = extract_resume(make_docx(build), "cv.docx").text.splitlines()

    assert lines == ["Jane Doe · CV", "Acme Analytics, London", "Data Engineer", "Globex, Manchester", "Data Engineer"]


def test_a_docx_named_pdf_is_still_read_as_a_docx() -> None:
    assert extract_resume(make_docx(full_resume), "resume.pdf", "application/pdf").format == "docx"


def test_a_docx_without_text_is_refused() -> None:
    message = refusal(make_docx(lambda document: None), "blank.docx")

    assert message == "the Word file has no text; if the résumé is a picture pasted into Word, upload a PDF instead"


def test_a_truncated_docx_is_refused_as_damaged() -> None:
    data = make_docx(full_resume)

    assert refusal(data[: len(data) // 2], "cv.docx") == (
        "'cv.docx' is a damaged ZIP or Word file and cannot be read; export it again"
    )


def test_a_docx_with_broken_xml_is_refused_as_damaged() -> None:
    with zipfile.ZipFile(io.BytesIO(make_docx(full_resume))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["word/document.xml"] = members["word/document.xml"][:-200]

    assert refusal(zip_bytes(members), "cv.docx") == (
        "the Word file is damaged and cannot be read; save it again as .docx and upload that"
    )


def test_a_docx_that_unpacks_to_too_much_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resumes, "MAX_DOCX_UNPACKED_BYTES", 1024 * 1024)
    buffer = io.BytesIO(make_docx(full_resume))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", bytes(2 * 1024 * 1024))

    assert refusal(buffer.getvalue(), "cv.docx") == (
        "'cv.docx' unpacks to more than 1 MB, too much for a résumé; save it again with smaller images"
    )


def test_a_long_document_is_cut_at_the_cap() -> None:
    paragraph = "Built and ran data pipelines for retail analytics across three regions. " * 10

    def build(document: Document) -> None:
        for _ in range(100):
            document.add_paragraph(paragraph)

    resume = extract_resume(make_docx(build), "long.docx")

    assert resume.truncated and resume.chars == len(resume.text) <= MAX_RESUME_CHARS
    assert resume.chars > MAX_RESUME_CHARS - 100
