"""Résumé uploads that are neither PDF nor DOCX, empty or too large: each refused with a message naming the file and
what it is."""

import pytest

from matcher.ingest.resumes import MAX_RESUME_BYTES
from tests.matcher.ingest.resume_files import refusal, zip_bytes


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
