"""Résumé text from an uploaded PDF or DOCX: detect the format by its bytes, extract, normalise, refuse clearly.

The readers are matcher.ingest.resume_pdf and matcher.ingest.resume_docx, each reading within caps on the text and
on what the file unpacks to, so that a small file that inflates costs no more than a normal one; what the text says
about its owner (contacts, sections) is matcher.ingest.resume_fields. Reading is CPU work of up to a few seconds: the
API does it before the request's unit of work begins (api.deps.read_resume), never while holding a write lock.
"""

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Literal

from matcher.errors import Invalid, TooLarge
from matcher.ingest.resume_docx import docx_text
from matcher.ingest.resume_pdf import pdf_text
from matcher.ingest.resume_text import MAX_RESUME_CHARS, MIN_RESUME_CHARS, visible_chars

MAX_RESUME_BYTES = 5 * 1024 * 1024

ResumeFormat = Literal["pdf", "docx"]

_OTHER_FORMATS: tuple[tuple[bytes, str, str], ...] = (  # leading bytes, what the file is (a key), in English
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "doc", "an old Word 97–2003 .doc file (or another Office 97 file)"),
    (b"{\\rtf", "rtf", "an RTF file"),
    (b"\x89PNG\r\n\x1a\n", "image", "a PNG image"),
    (b"\xff\xd8\xff", "image", "a JPEG image"),
    (b"GIF8", "image", "a GIF image"),
    (b"II*\x00", "image", "a TIFF image"),
    (b"MM\x00*", "image", "a TIFF image"),
    (b"BM", "image", "a BMP image"),
)


@dataclass(frozen=True, slots=True)
class ResumeText:
    """The text of one résumé and what it came from."""

    text: str
    format: ResumeFormat
    pages: int | None  # PDF pages in the file; None for DOCX
    paragraphs: int | None  # non-empty DOCX paragraphs and table rows read; None for PDF
    chars: int  # len(text)
    truncated: bool  # True when the text was cut at MAX_RESUME_CHARS or pages past MAX_PDF_PAGES were skipped


def extract_resume(data: bytes, filename: str, content_type: str | None = None) -> ResumeText:
    """The normalised text of an uploaded résumé, or Invalid saying why it cannot be read (TooLarge, a kind of
    Invalid, for a file past a size limit)."""
    if not data:
        raise Invalid(
            f"{_label(filename)} is empty: choose the résumé file again and upload it",
            "resume_empty",
            file=_name(filename),
        )
    if len(data) > MAX_RESUME_BYTES:
        raise TooLarge(
            f"{_label(filename)} is larger than the {MAX_RESUME_BYTES // 1024 // 1024} MB limit for a résumé "
            f"({len(data) / 1024 / 1024:.1f} MB); export it again with smaller images",
            MAX_RESUME_BYTES,
            "resume_too_large",
            file=_name(filename),
        )
    kind = detect_format(data, filename, content_type)
    if kind == "pdf":
        text, pages, truncated = pdf_text(data)
        paragraphs = None
    else:
        text, paragraphs, truncated = docx_text(data)
        pages = None
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # counted as stored
    if len(text) > MAX_RESUME_CHARS:
        text, truncated = text[:MAX_RESUME_CHARS].rstrip(), True
    visible = visible_chars(text)
    if visible < MIN_RESUME_CHARS:
        raise Invalid(
            f"{_label(filename)} holds only {visible} characters of text, too little for a résumé; "
            "check that you chose the right file",
            "resume_too_short",
            file=_name(filename),
            chars=visible,
        )
    return ResumeText(text=text, format=kind, pages=pages, paragraphs=paragraphs, chars=len(text), truncated=truncated)


def detect_format(data: bytes, filename: str = "", content_type: str | None = None) -> ResumeFormat:
    """'pdf' or 'docx' from the file's leading bytes; Invalid naming what the file is otherwise."""
    if b"%PDF-" in data[:1024]:  # readers accept a header anywhere in the first 1 KB
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data, filename)
    for magic, kind, what in _OTHER_FORMATS:
        if data.startswith(magic):
            raise _other_format(filename, kind, what)
    if data[8:12] == b"WEBP" or data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        raise _other_format(filename, "image", "a photo")
    if filename.lower().endswith((".pdf", ".docx")):
        named = filename.rsplit(".", 1)[-1].upper()
        raise Invalid(
            f"{_label(filename)} is named like a {named} file but its contents "
            "are not one; it may be damaged or only partly uploaded — export it again",
            "resume_misnamed",
            file=_name(filename),
            named=named,
        )
    if _looks_like_text(data):
        raise _other_format(filename, "text", "a plain text file")
    declared = f" (sent as {content_type})" if content_type else ""
    raise Invalid(
        f"{_label(filename)}{declared} is not a PDF or a Word .docx file, the two formats a résumé can be",
        "resume_format",
        file=_name(filename),
    )


def _other_format(filename: str, kind: str, what: str) -> Invalid:
    """A file of another kind than a résumé can be (`kind`: doc, rtf, image, text, odt, pptx, xlsx, zip)."""
    return Invalid(
        f"{_label(filename)} is {what}; upload the résumé as a PDF or a Word .docx file",
        "resume_other_format",
        file=_name(filename),
        kind=kind,
    )


def _zip_format(data: bytes, filename: str) -> ResumeFormat:
    """'docx' for a Word package; Invalid naming the other ZIP-based formats."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = _head(archive, "mimetype") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise Invalid(
            f"{_label(filename)} is a damaged ZIP or Word file and cannot be read; export it again",
            "resume_damaged",
            file=_name(filename),
        ) from exc
    if "word/document.xml" in names:
        return "docx"  # what it unpacks to is resume_docx's to bound, as it reads
    if "opendocument.text" in mimetype:
        raise _other_format(filename, "odt", "an OpenDocument .odt file")
    if any(name.startswith("ppt/") for name in names):
        raise _other_format(filename, "pptx", "a PowerPoint file")
    if any(name.startswith("xl/") for name in names):
        raise _other_format(filename, "xlsx", "an Excel file")
    raise _other_format(filename, "zip", "a ZIP archive, not a Word document")


def _head(archive: zipfile.ZipFile, name: str) -> str:
    """The first 80 bytes a member unpacks to, as text (only those are unpacked: the member may be a bomb)."""
    with archive.open(name) as member:
        return member.read(80).decode("ascii", "replace")


def _looks_like_text(data: bytes) -> bool:
    """Whether the first 4 KB decode as UTF-8 or GB18030 text without control bytes."""
    head = data[:4096]
    for encoding in ("utf-8", "gb18030"):
        try:
            decoded = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(c in "\n\r\t\f" or unicodedata.category(c) != "Cc" for c in decoded)
    return False


def _name(filename: str) -> str:
    """The uploaded file's own name (no folders, at most 80 characters), or ''."""
    return filename.replace("\\", "/").rsplit("/", 1)[-1].strip()[:80]


def _label(filename: str) -> str:
    """The uploaded file's name for a message, or 'the file'."""
    name = _name(filename)
    return f"'{name}'" if name else "the file"
