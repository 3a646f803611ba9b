"""Real résumé files built here for the résumé tests: PDFs written object by object (standard and CJK fonts,
scans, encryption), DOCX files written by python-docx (headers, text boxes, tables), DOCX files that inflate (a zip
bomb, and one whose ZIP lies about its size), ZIPs, and the refusal helper."""

import functools
import io
import struct
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import docx
import pytest
from docx.document import Document
from docx.oxml import parse_xml
from pypdf import PdfReader, PdfWriter

from matcher.errors import Invalid
from matcher.ingest.resumes import extract_resume

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


# --- DOCX files that inflate ----------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PARAGRAPH = b"<w:p><w:r><w:t>Senior data engineer: streaming pipelines in Python and Kafka.</w:t></w:r></w:p>"


def inflating_docx(xml_bytes: int, paragraph: bytes = PARAGRAPH, tail: bytes = b"") -> bytes:
    """A real DOCX (python-docx's blank one) whose word/document.xml repeats `paragraph` for about `xml_bytes` bytes,
    then `tail`: written and deflated as a stream, so the test never holds the XML itself."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(make_docx(lambda document: None))) as blank,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for info in blank.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info, blank.read(info))
                continue
            with archive.open("word/document.xml", "w") as part:
                part.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
                part.write(b'<w:document xmlns:w="%s"><w:body>' % W.encode())
                block = paragraph * (64 * 1024 // len(paragraph) + 1)
                for _ in range(xml_bytes // len(block)):
                    part.write(block)
                part.write(tail + b"<w:sectPr/></w:body></w:document>")
    return out.getvalue()


@functools.cache
def docx_bomb() -> bytes:
    """The file of issue 15: a valid DOCX of a few hundred KB whose document unpacks to ~95 MB of XML (made once)."""
    return inflating_docx(95 * 1024 * 1024)


def lying_about_size(data: bytes, member: str, size: int) -> bytes:
    """The same ZIP, its headers (the member's local one and its central directory entry) saying that `member`
    unpacks to `size` bytes."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(member).header_offset
    struct.pack_into("<I", out, local + 22, size)
    name = member.encode()
    entry = out.find(b"PK\x01\x02")
    while out[entry + 46 : entry + 46 + len(name)] != name or struct.unpack_from("<H", out, entry + 28)[0] != len(name):
        entry = out.find(b"PK\x01\x02", entry + 1)
        assert entry >= 0, f"no central directory entry for {member}"
    struct.pack_into("<I", out, entry + 24, size)
    return bytes(out)


@contextmanager
def peak_memory() -> Iterator[Callable[[], int]]:
    """Within the block, Python's allocations are traced; the function it gives says, after the block, the most
    bytes they held at once (what was allocated before the block does not count)."""
    peak = 0
    tracemalloc.start()
    try:
        yield lambda: peak
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


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
