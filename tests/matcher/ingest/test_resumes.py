"""Résumé extraction over real PDF and DOCX files built here: what is read, and every refusal's message."""

import io
import zipfile
from collections.abc import Callable

import docx
import pytest
from docx.document import Document
from docx.oxml import parse_xml
from pypdf import PdfReader, PdfWriter

from matcher.errors import Invalid
from matcher.ingest import resumes
from matcher.ingest.resumes import (
    MAX_RESUME_BYTES,
    MAX_RESUME_CHARS,
    ResumeFields,
    detect_format,
    extract_resume,
    normalise,
    resume_fields,
)

ENGLISH = [
    "Jane  Doe   -  Senior Data Engineer",
    "Email: jane.doe@example.com  Phone: +44 20 7946 0000",
    "Experience",
    "Acme Analytics, London (2019-2024): built streaming pipelines in Python and Kafka.",
    "Education",
    "MSc Computer Science, University of Edinburgh, 2018",
    "Skills",
    "Python, SQL, Spark, Airflow",
]
CHINESE = [
    "张三 Zhang San",
    "电话：138-1234-5678  邮箱：zhangsan@example.cn",
    "教育背景 Education",
    "北京大学 计算机科学与技术 硕士 2016–2019",
    "工作经历",
    "腾讯科技（深圳）有限公司 高级后端工程师 2019–2024，负责推荐系统。",
    "专业技能：Go、Python、分布式系统",
]


# --- building real PDFs by hand ------------------------------------------------------------------------------------


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF with a correct cross-reference table; object 1 is the catalog."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    """An uncompressed stream object body."""
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), extra, data)


def _pages_pdf(contents: list[bytes], font: bytes, extra: list[bytes] | None = None, image: bool = False) -> bytes:
    """One page per content stream, all sharing font object 3 (and image object 4); `extra` objects follow."""
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(len(contents)))
    xobject = b" /XObject << /Im1 4 0 R >>" if image else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents)),
        font,
        _stream(
            b"\x80", b"/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 "
        ),
    ]
    for i, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >>%s >> "
            b"/Contents %d 0 R >>" % (xobject, first_page + 2 * i + 1)
        )
        objects.append(_stream(content))
    return _pdf(objects + (extra or []))


def _text_ops(shown: list[bytes]) -> bytes:
    """A text object showing each already-encoded string on its own line."""
    return b"BT /F1 11 Tf 72 770 Td 15 TL\n" + b"\n".join(b"%s Tj T*" % s for s in shown) + b"\nET"


def english_pdf(pages: list[list[str]]) -> bytes:
    """A text PDF in Helvetica (a standard font, nothing embedded), one list of lines per page."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"

    def literal(line: str) -> bytes:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("cp1252") + b")"

    return _pages_pdf([_text_ops([literal(line) for line in lines]) for lines in pages], font)


def cjk_pdf(lines: list[str], *, to_unicode: bool = True) -> bytes:
    """A text PDF in a Type0 Identity-H font whose codes are the characters' code points, mapped by a ToUnicode CMap."""
    chars = sorted({c for line in lines for c in line})
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Adobe-Identity-UCS def "
        "/CMapType 2 def\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n"
        + "".join(f"<{ord(c):04X}> <{ord(c):04X}>\n" for c in chars)
        + "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode()
    mapping = b" /ToUnicode 6 0 R" if to_unicode else b""
    font = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        b"/DescendantFonts [7 0 R]%s >>" % mapping
    )
    descendant = (
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>"
    )
    shown = [b"<" + "".join(f"{ord(c):04X}" for c in line).encode() + b">" for line in lines]
    return _pages_pdf([_text_ops(shown)], font, extra=[_stream(cmap), descendant])


def image_only_pdf(page_number: bool = False) -> bytes:
    """A page that only paints an image, like a scan; optionally with a printed page number '1'."""
    content = b"q 400 0 0 560 97 140 cm /Im1 Do Q"
    if page_number:
        content += b"\nBT /F1 9 Tf 290 40 Td (1) Tj ET"
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    return _pages_pdf([content], font, image=True)


def encrypted(pdf: bytes, *, user_password: str, algorithm: str) -> bytes:
    """The same PDF encrypted by pypdf."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- building real DOCX files with python-docx ---------------------------------------------------------------------

TEXT_BOX = """
<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
     xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
     xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
     xmlns:v="urn:schemas-microsoft-com:vml">
  <mc:AlternateContent>
    <mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx><w:txbxContent>
      <w:p><w:r><w:t>求职意向：数据工程师</w:t></w:r></w:p>
      <w:p><w:r><w:t>Location:</w:t></w:r><w:r><w:tab/><w:t>Shanghai</w:t></w:r></w:p>
    </w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>
    <mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>
      <w:p><w:r><w:t>求职意向：数据工程师</w:t></w:r></w:p>
      <w:p><w:r><w:t>Location:</w:t></w:r><w:r><w:tab/><w:t>Shanghai</w:t></w:r></w:p>
    </w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>
  </mc:AlternateContent>
</w:r>
"""


def make_docx(build: Callable[[Document], None]) -> bytes:
    """A DOCX written by python-docx after `build` fills in a blank document."""
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def full_resume(document: Document) -> None:
    """Chinese and English paragraphs, a header, a footer, a text box and a table with a merged cell."""
    section = document.sections[0]
    section.header.paragraphs[0].text = "张三 · 简历 Curriculum Vitae"
    section.footer.paragraphs[0].text = "第 1 页 · zhangsan@example.cn"
    for line in CHINESE[:2]:
        document.add_paragraph(line)
    document.add_paragraph("")  # an empty paragraph is skipped
    anchor = document.add_paragraph("")
    anchor._p.append(parse_xml(TEXT_BOX))
    for line in CHINESE[2:]:
        document.add_paragraph(line)
    table = document.add_table(rows=3, cols=3)
    for row, values in zip(table.rows, [("时间", "公司", "职位"), ("2019–2024", "腾讯", "高级工程师")], strict=False):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    merged = table.cell(2, 0).merge(table.cell(2, 2))
    merged.text = "Led a team of 5 engineers"
    document.add_paragraph("References available on request.")


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A ZIP archive of the given members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def refusal(data: bytes, filename: str = "resume.pdf", content_type: str | None = None) -> str:
    """The message extract_resume refuses the file with."""
    with pytest.raises(Invalid) as caught:
        extract_resume(data, filename, content_type)
    message = caught.value.message
    assert message and "\n" not in message and len(message) < 250, message
    return message


# --- PDF ------------------------------------------------------------------------------------------------------------


def test_an_english_pdf_is_read_with_whitespace_normalised() -> None:
    resume = extract_resume(english_pdf([ENGLISH]), "jane.pdf", "application/pdf")

    assert (resume.format, resume.pages, resume.paragraphs, resume.truncated) == ("pdf", 1, None, False)
    assert resume.chars == len(resume.text)
    assert resume.text.splitlines()[0] == "Jane Doe - Senior Data Engineer"
    assert "Acme Analytics, London (2019-2024): built streaming pipelines" in resume.text
    assert "  " not in resume.text


def test_a_chinese_pdf_keeps_its_text_intact() -> None:
    resume = extract_resume(cjk_pdf(CHINESE), "张三-简历.pdf")

    assert resume.text.splitlines() == [" ".join(line.split()) for line in CHINESE]
    assert "腾讯科技（深圳）有限公司" in resume.text  # full-width punctuation is kept, not folded


def test_every_page_is_read_and_counted() -> None:
    resume = extract_resume(english_pdf([ENGLISH[:4], ENGLISH[4:]]), "cv.pdf")

    assert resume.pages == 2
    assert "Acme Analytics" in resume.text and "University of Edinburgh" in resume.text


def test_the_format_comes_from_the_bytes_not_the_name() -> None:
    pdf = english_pdf([ENGLISH])

    assert extract_resume(pdf, "resume.docx", "application/msword").format == "pdf"
    assert extract_resume(pdf, "resume").format == "pdf"
    assert detect_format(b"\xef\xbb\xbf  junk before the header %PDF-1.4\n") == "pdf"


def test_a_pdf_locked_only_against_editing_is_read() -> None:
    locked = encrypted(english_pdf([ENGLISH]), user_password="", algorithm="AES-128")

    assert "Senior Data Engineer" in extract_resume(locked, "cv.pdf").text


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_password_protected_pdf_is_refused(algorithm: str) -> None:
    message = refusal(encrypted(english_pdf([ENGLISH]), user_password="open-sesame", algorithm=algorithm))

    assert message == "the PDF is password-protected; save a copy without the password and upload that"


@pytest.mark.parametrize(
    "pdf",
    [english_pdf([[]]), image_only_pdf(), image_only_pdf(page_number=True)],
    ids=["blank page", "image only", "image and page number"],
)
def test_a_pdf_without_a_text_layer_is_called_scanned(pdf: bytes) -> None:
    assert refusal(pdf) == (
        "the PDF has no text layer — it looks scanned; upload a PDF exported from a word processor or a DOCX"
    )


def test_a_pdf_whose_fonts_do_not_map_to_unicode_is_refused() -> None:
    private_use = "".join(chr(0xE000 + i) for i in range(60))

    message = refusal(cjk_pdf([private_use], to_unicode=False))

    assert message.startswith("the PDF's text cannot be decoded")


@pytest.mark.parametrize("keep", [0.9, 0.5, 0.1], ids=["tail cut", "half", "header only"])
def test_a_truncated_pdf_is_refused_as_damaged(keep: float) -> None:
    pdf = english_pdf([ENGLISH])

    message = refusal(pdf[: int(len(pdf) * keep)])

    assert message == "the PDF is damaged and cannot be read; export it again from the original document"


def test_garbage_after_a_pdf_header_is_refused_as_damaged() -> None:
    assert refusal(b"%PDF-1.4\n" + bytes(range(256)) * 20).startswith("the PDF is damaged")


def test_a_pdf_with_too_little_text_is_refused() -> None:
    message = refusal(english_pdf([["Curriculum Vitae"]]), "cv.pdf")

    assert message == (
        "'cv.pdf' holds only 15 characters of text, too little for a résumé; check that you chose the right file"
    )


# --- DOCX -----------------------------------------------------------------------------------------------------------


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


# --- other files -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "C:\\Users\\zs\\简历.doc",
            "'简历.doc' is an old Word 97–2003 .doc file (or another Office 97 file); "
            "upload the résumé as a PDF or a Word .docx file",
        ),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "cv.png", "'cv.png' is a PNG image; upload the résumé"),
        (b"\xff\xd8\xff\xe0" + bytes(100), "scan.jpg", "'scan.jpg' is a JPEG image; upload the résumé"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "me.webp", "'me.webp' is a photo; upload the résumé"),
        (b"{\\rtf1\\ansi Jane Doe}", "cv.rtf", "'cv.rtf' is an RTF file; upload the résumé"),
        ("张三\n北京大学 硕士\n".encode(), "cv.txt", "'cv.txt' is a plain text file; upload the résumé"),
        ("张三\n北京大学 硕士\n".encode("gb18030"), "cv.txt", "'cv.txt' is a plain text file; upload the résumé"),
        (zip_bytes({"xl/workbook.xml": b"<x/>"}), "cv.xlsx", "'cv.xlsx' is an Excel file; upload the résumé"),
        (zip_bytes({"ppt/presentation.xml": b"<x/>"}), "cv.pptx", "'cv.pptx' is a PowerPoint file; upload the"),
        (
            zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
            "cv.odt",
            "'cv.odt' is an OpenDocument .odt file; upload the résumé as a PDF or a Word .docx file",
        ),
        (zip_bytes({"cv.pdf": b"%PDF-1.4"}), "cv.zip", "'cv.zip' is a ZIP archive, not a Word document; upload"),
        (
            bytes(range(256)) * 4,
            "cv.pdf",
            "'cv.pdf' is named like a PDF file but its contents are not one; it may be damaged or only partly uploaded",
        ),
        (
            bytes(range(256)) * 4,
            "",
            "the file (sent as application/octet-stream) is not a PDF or a Word .docx file, the two formats",
        ),
    ],
    ids=["doc", "png", "jpeg", "webp", "rtf", "txt", "gb18030 txt", "xlsx", "pptx", "odt", "zip", "fake pdf", "binary"],
)
def test_other_formats_are_refused_by_name(data: bytes, filename: str, expected: str) -> None:
    assert refusal(data, filename, "application/octet-stream").startswith(expected)


def test_an_empty_file_is_refused() -> None:
    assert refusal(b"", "cv.pdf") == "'cv.pdf' is empty: choose the résumé file again and upload it"


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed() -> None:
    message = refusal(b"%PDF-1.7\n" + bytes(MAX_RESUME_BYTES), "big.pdf")

    assert message == (
        "'big.pdf' is larger than the 5 MB limit for a résumé (5.0 MB); export it again with smaller images"
    )


# --- normalising and fields ------------------------------------------------------------------------------------------


def test_normalise_collapses_spacing_and_folds_pdf_compatibility_characters() -> None:
    raw = "  ⼯作经历\u3000\u3000Work\u00a0 Experience \r\n\r\n\r\n\r\nde\u00adsigned  ﬁle\u200b systems\x00\t \n"

    assert normalise(raw) == "工作经历 Work Experience\n\ndesigned file systems"


def test_fields_from_a_chinese_resume() -> None:
    text = extract_resume(make_docx(full_resume), "cv.docx").text

    assert resume_fields(text) == ResumeFields(
        email="zhangsan@example.cn", phone="+8613812345678", sections=("education", "experience", "skills")
    )


def test_fields_from_an_english_resume() -> None:
    text = extract_resume(english_pdf([ENGLISH]), "cv.pdf").text

    assert resume_fields(text) == ResumeFields(
        email="jane.doe@example.com", phone="+442079460000", sections=("experience", "education", "skills")
    )


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("手机 13812345678", "+8613812345678"),
        ("手机：138 1234 5678", "+8613812345678"),
        ("Tel +86 138-1234-5678", "+8613812345678"),
        ("Tel 0086 13812345678", "+8613812345678"),
        ("Call +1 (415) 555-0100 any time", "+14155550100"),
        ("身份证 110101199003071234，毕业 2019-2024", None),
        ("Student ID 213812345678", None),
        ("Phone +12", None),
    ],
)
def test_phone_numbers(text: str, phone: str | None) -> None:
    assert resume_fields(text).phone == phone


def test_section_hints_need_a_heading_not_just_the_word() -> None:
    text = "Experienced engineer\n教育部留学服务中心认证\nEducational background\n教育背景EDUCATION\n■ 技能特长 ■"

    assert resume_fields(text).sections == ("education", "skills")
    assert resume_fields("no contacts here") == ResumeFields(email=None, phone=None, sections=())
