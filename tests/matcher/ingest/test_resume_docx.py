"""Résumé DOCX files written by python-docx: headers, text boxes, tables and footers read in order, long documents
cut at the cap, and damaged, empty or zip-bomb files refused: quickly, and in bounded memory (the XML is streamed)."""

import io
import zipfile

import pytest
from docx.document import Document

from matcher.errors import TooLarge
from matcher.ingest import resume_docx
from matcher.ingest.resume_text import MAX_RESUME_CHARS
from matcher.ingest.resumes import extract_resume
from tests.matcher.ingest.resume_files import (
    CHINESE,
    docx_bomb,
    full_resume,
    inflating_docx,
    lying_about_size,
    make_docx,
    peak_memory,
    refusal,
    zip_bytes,
)


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


def test_a_zip_bomb_is_refused_by_its_declared_size_before_anything_is_unpacked() -> None:
    bomb = docx_bomb()  # issue 15: 374 KB that unpack to 95 MB of XML took 44 s and 1.7 GB
    assert len(bomb) < 1024 * 1024

    with peak_memory() as peak, pytest.raises(TooLarge) as refused:
        extract_resume(bomb, "cv.docx")

    assert (refused.value.status_code, refused.value.code, refused.value.limit) == (413, "too_large", 10 * 1024 * 1024)
    assert refused.value.message == (
        "the Word file's text and layout unpack to more than 10 MB, too much for a résumé; "
        "shorten it, or save it as a PDF and upload that"
    )
    assert peak() < 16 * 1024 * 1024


def test_a_zip_that_understates_a_size_is_unpacked_no_further_than_it_says() -> None:
    # The headers say 40 KB; the data inflates to 95 MB. Reading stops at 40 KB, where the checksum does not match.
    lying = lying_about_size(docx_bomb(), "word/document.xml", 40_000)

    with peak_memory() as peak:
        message = refusal(lying, "cv.docx")

    assert message == "the Word file is damaged and cannot be read; save it again as .docx and upload that"
    assert peak() < 16 * 1024 * 1024


def test_a_long_document_is_read_only_up_to_the_text_cap() -> None:
    # 8 MB of text (under the unpacked cap) ending in broken XML: a reader that went on to the end would refuse it.
    data = inflating_docx(8 * 1024 * 1024, tail=b"<w:p><w:r><w:t>unclosed")

    with peak_memory() as peak:
        resume = extract_resume(data, "long.docx")

    assert resume.truncated and MAX_RESUME_CHARS - 100 < resume.chars <= MAX_RESUME_CHARS
    assert resume.text.startswith("Senior data engineer: streaming pipelines in Python and Kafka.\n")
    assert peak() < 16 * 1024 * 1024


def test_the_unpacked_cap_counts_headers_footers_and_body_together(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resume_docx, "MAX_DOCX_UNPACKED_BYTES", 64 * 1024)
    words = "Data Engineer " * 2000  # 28 KB: under the cap in each part, over it in all three

    def build(document: Document) -> None:
        document.sections[0].header.paragraphs[0].text = words
        document.sections[0].footer.paragraphs[0].text = words
        document.add_paragraph(words)

    with pytest.raises(TooLarge) as refused:
        extract_resume(make_docx(build), "cv.docx")

    assert refused.value.message.startswith("the Word file's text and layout unpack to more than 0.0625 MB")


def test_images_are_never_unpacked_so_they_do_not_count() -> None:
    buffer = io.BytesIO(make_docx(full_resume))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/image1.png", bytes(2 * resume_docx.MAX_DOCX_UNPACKED_BYTES))

    assert extract_resume(buffer.getvalue(), "cv.docx").text.startswith("张三 · 简历 Curriculum Vitae\n")


def test_a_part_with_a_document_type_declaration_is_refused_as_damaged() -> None:
    with zipfile.ZipFile(io.BytesIO(make_docx(full_resume))) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    laughs = b'<!DOCTYPE w:document [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    members["word/document.xml"] = members["word/document.xml"].replace(b"?>", b"?>" + laughs, 1)

    assert refusal(zip_bytes(members), "cv.docx") == (
        "the Word file is damaged and cannot be read; save it again as .docx and upload that"
    )


def test_a_long_document_is_cut_at_the_cap() -> None:
    paragraph = "Built and ran data pipelines for retail analytics across three regions. " * 10

    def build(document: Document) -> None:
        for _ in range(100):
            document.add_paragraph(paragraph)

    resume = extract_resume(make_docx(build), "long.docx")

    assert resume.truncated and resume.chars == len(resume.text) <= MAX_RESUME_CHARS
    assert resume.chars > MAX_RESUME_CHARS - 100
