"""Résumé text from an uploaded PDF or DOCX: detect the format by its bytes, extract, normalise, refuse clearly."""

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import DictionaryObject

from matcher.errors import Invalid

MAX_RESUME_BYTES = 5 * 1024 * 1024
MAX_RESUME_CHARS = 50_000  # text past this is cut off (and `truncated` is set)
MIN_RESUME_CHARS = 40  # fewer non-space characters than this is not a résumé
MAX_PDF_PAGES = 50  # pages past this are not read
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024  # a zip bomb dressed as a DOCX stops here
GARBLED_SHARE = 0.3  # above this share of undecodable characters, the PDF's fonts lack a Unicode map

ResumeFormat = Literal["pdf", "docx"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_T = f"{{{_W}}}t"
_SCANNED = "the PDF has no text layer — it looks scanned; upload a PDF exported from a word processor or a DOCX"
_OTHER_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word 97–2003 .doc file (or another Office 97 file)"),
    (b"{\\rtf", "an RTF file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
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


@dataclass(frozen=True, slots=True)
class ResumeFields:
    """Contact details and section headings spotted in résumé text (hints, not a parse)."""

    email: str | None
    phone: str | None  # E.164-like: "+8613812345678", "+442079460000"
    sections: tuple[str, ...]  # canonical names in order of appearance: "education", "experience", "skills"


def extract_resume(data: bytes, filename: str, content_type: str | None = None) -> ResumeText:
    """The normalised text of an uploaded résumé, or Invalid saying why it cannot be read."""
    if not data:
        raise Invalid(f"{_label(filename)} is empty: choose the résumé file again and upload it")
    if len(data) > MAX_RESUME_BYTES:
        raise Invalid(
            f"{_label(filename)} is larger than the {MAX_RESUME_BYTES // 1024 // 1024} MB limit for a résumé "
            f"({len(data) / 1024 / 1024:.1f} MB); export it again with smaller images"
        )
    kind = detect_format(data, filename, content_type)
    if kind == "pdf":
        text, pages, truncated = _pdf_text(data)
        paragraphs = None
    else:
        text, paragraphs, truncated = _docx_text(data)
        pages = None
    if len(text) > MAX_RESUME_CHARS:
        text, truncated = text[:MAX_RESUME_CHARS].rstrip(), True
    visible = _visible_chars(text)
    if visible < MIN_RESUME_CHARS:
        raise Invalid(
            f"{_label(filename)} holds only {visible} characters of text, too little for a résumé; "
            "check that you chose the right file"
        )
    return ResumeText(text=text, format=kind, pages=pages, paragraphs=paragraphs, chars=len(text), truncated=truncated)


def detect_format(data: bytes, filename: str = "", content_type: str | None = None) -> ResumeFormat:
    """'pdf' or 'docx' from the file's leading bytes; Invalid naming what the file is otherwise."""
    if b"%PDF-" in data[:1024]:  # readers accept a header anywhere in the first 1 KB
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(data, filename)
    for magic, what in _OTHER_FORMATS:
        if data.startswith(magic):
            raise Invalid(f"{_label(filename)} is {what}; upload the résumé as a PDF or a Word .docx file")
    if data[8:12] == b"WEBP" or data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        raise Invalid(f"{_label(filename)} is a photo; upload the résumé as a PDF or a Word .docx file")
    if filename.lower().endswith((".pdf", ".docx")):
        raise Invalid(
            f"{_label(filename)} is named like a {filename.rsplit('.', 1)[-1].upper()} file but its contents "
            "are not one; it may be damaged or only partly uploaded — export it again"
        )
    if _looks_like_text(data):
        raise Invalid(f"{_label(filename)} is a plain text file; upload the résumé as a PDF or a Word .docx file")
    declared = f" (sent as {content_type})" if content_type else ""
    raise Invalid(f"{_label(filename)}{declared} is not a PDF or a Word .docx file, the two formats a résumé can be")


def resume_fields(text: str) -> ResumeFields:
    """The first email, the first phone number and the section headings found in résumé text."""
    email = _EMAIL.search(text)
    return ResumeFields(
        email=email.group(0).lower() if email else None, phone=_first_phone(text), sections=_sections(text)
    )


# --- PDF -------------------------------------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> tuple[str, int, bool]:
    """Text, page count and whether pages were skipped, from PDF bytes."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _unlock(reader)
        pages = len(reader.pages)
        raw: list[str] = []
        images = False
        for page in reader.pages[:MAX_PDF_PAGES]:
            raw.append(page.extract_text() or "")
            images = images or _has_images(page)
            if sum(map(len, raw)) > MAX_RESUME_CHARS:
                break
    except Invalid:
        raise
    except Exception as exc:  # an untrusted file can break a parser in any way; each means "cannot read it"
        raise Invalid("the PDF is damaged and cannot be read; export it again from the original document") from exc
    if pages == 0:
        raise Invalid("the PDF has no pages; export it again from the original document")
    joined = "\n\n".join(raw)
    if _garbled_share(joined) > GARBLED_SHARE:
        raise Invalid(
            "the PDF's text cannot be decoded (its fonts carry no Unicode mapping); "
            "export it again with fonts embedded, or upload a DOCX"
        )
    text = normalise(joined)
    if _visible_chars(text) == 0 or (images and _visible_chars(text) < MIN_RESUME_CHARS):
        raise Invalid(_SCANNED)
    return text, pages, len(raw) < pages


def _unlock(reader: PdfReader) -> None:
    """Open a PDF that is only permission-locked (empty user password); refuse a password-protected one."""
    try:
        opened = reader.decrypt("")
    except DependencyError as exc:
        raise Invalid(
            "the PDF is encrypted with a method this server cannot open; print it to a new PDF and upload that"
        ) from exc
    if opened == PasswordType.NOT_DECRYPTED:
        raise Invalid("the PDF is password-protected; save a copy without the password and upload that")


def _has_images(page: PageObject) -> bool:
    """Whether a page draws an image directly or through one level of form XObjects."""
    return _images_in(page.get("/Resources"), depth=1)


def _images_in(resources: Any, depth: int) -> bool:
    """Whether a resource dictionary names an image XObject (looking `depth` forms deep)."""
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if isinstance(resources, DictionaryObject) else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    if not isinstance(xobjects, DictionaryObject):
        return False
    for ref in xobjects.values():
        xobject = ref.get_object()
        if not isinstance(xobject, DictionaryObject):
            continue
        subtype = xobject.get("/Subtype")
        if subtype == "/Image" or (
            subtype == "/Form" and depth > 0 and _images_in(xobject.get("/Resources"), depth - 1)
        ):
            return True
    return False


def _garbled_share(text: str) -> float:
    """Share of visible characters that are private-use, replacement or control characters."""
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return 0.0
    bad = sum(1 for c in visible if unicodedata.category(c) in ("Co", "Cc") or c == "\ufffd")
    return bad / len(visible)


# --- DOCX ------------------------------------------------------------------------------------------------------------


def _zip_format(data: bytes, filename: str) -> ResumeFormat:
    """'docx' for a Word package; Invalid naming the other ZIP-based formats."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            mimetype = archive.read("mimetype")[:80].decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise Invalid(f"{_label(filename)} is a damaged ZIP or Word file and cannot be read; export it again") from exc
    if "word/document.xml" in names:
        if unpacked > MAX_DOCX_UNPACKED_BYTES:
            raise Invalid(
                f"{_label(filename)} unpacks to more than {MAX_DOCX_UNPACKED_BYTES // 1024 // 1024} MB, "
                "too much for a résumé; save it again with smaller images"
            )
        return "docx"
    if "opendocument.text" in mimetype:
        what = "an OpenDocument .odt file"
    elif any(name.startswith("ppt/") for name in names):
        what = "a PowerPoint file"
    elif any(name.startswith("xl/") for name in names):
        what = "an Excel file"
    else:
        what = "a ZIP archive, not a Word document"
    raise Invalid(f"{_label(filename)} is {what}; upload the résumé as a PDF or a Word .docx file")


def _docx_text(data: bytes) -> tuple[str, int, bool]:
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


# --- text ------------------------------------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = re.compile(r"[^\S\n]+")  # any whitespace but a newline: tabs, NBSP, ideographic space, ...
_BLANK_LINES = re.compile(r"\n{3,}")
# PDF fonts often map CJK glyphs to Kangxi radicals (⼯ U+2F2F for 工) and Latin to ligatures (ﬁ); fold those back.
_COMPAT = re.compile("[\u2e80-\u2fdf\ufb00-\ufb06]")


def normalise(text: str) -> str:
    """Whitespace collapsed per line, at most one blank line in a row, invisible and control characters gone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.translate(_INVISIBLE)
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    text = _COMPAT.sub(lambda match: unicodedata.normalize("NFKC", match.group(0)), text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _visible_chars(text: str) -> int:
    """Characters that are not whitespace."""
    return sum(1 for c in text if not c.isspace())


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


def _label(filename: str) -> str:
    """The uploaded file's name for a message, or 'the file'."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return f"'{name[:80]}'" if name else "the file"


# --- fields ----------------------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A Chinese mobile, optionally +86/0086, digits grouped 3-4-4 by spaces or dashes, not inside a longer number.
_CN_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
# An international number written with a leading +: country code and 7 to 14 more digits in groups.
_INTERNATIONAL = re.compile(r"(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,6}(?!\d)")
_HEADINGS = {
    "education": re.compile(r"(教育背景|教育经历|学历|教育|(academic\s+)?education(al background)?)", re.IGNORECASE),
    "experience": re.compile(
        r"(工作经历|工作经验|实习经历|项目经历|((work|professional)\s+)?experience|employment(\s+history)?)",
        re.IGNORECASE,
    ),
    "skills": re.compile(r"(专业技能|技能特长|技能|((technical|core|key)\s+)?skills)", re.IGNORECASE),
}


def _first_phone(text: str) -> str | None:
    """The earliest Chinese mobile or +-prefixed international number, as + and digits."""
    found: list[tuple[int, str]] = []
    mobile = _CN_MOBILE.search(text)
    if mobile:
        found.append((mobile.start(), "+86" + "".join(mobile.groups())))
    for match in _INTERNATIONAL.finditer(text):
        digits = re.sub(r"\D", "", match.group(0))
        if 8 <= len(digits) <= 15:
            found.append((match.start(), "+" + digits))
            break
    return min(found)[1] if found else None


def _sections(text: str) -> tuple[str, ...]:
    """Canonical section names whose heading starts a short line, in order of first appearance."""
    names: list[str] = []
    for line in text.split("\n"):
        line = line.strip(" \t:：|•·■●◆▶-—_#*【】[]")
        if not line or len(line) > 40:
            continue
        for name, heading in _HEADINGS.items():
            match = heading.match(line)
            if name not in names and match and _heading_ends(match.group(0), line[match.end() :]):
                names.append(name)
    return tuple(names)


def _heading_ends(heading: str, rest: str) -> bool:
    """Whether the heading is a whole word: 'Education:', '教育背景 Education', '教育背景EDUCATION', not '教育部'."""
    if not rest:
        return True
    if heading[-1].isascii():
        return not rest[0].isalnum()  # 'Experienced' is not a heading
    return not (rest[0].isalpha() and not rest[0].isascii())  # '教育部' is not a heading


REDACTED = "[contact removed]"


def without_contacts(text: str, names: list[str]) -> str:
    """Résumé text with e-mail addresses, phone numbers and the person's names taken out, so what is searched and
    embedded cannot find a masked candidate by who they are."""
    for pattern in (_EMAIL, _CN_MOBILE, _INTERNATIONAL):
        text = pattern.sub(REDACTED, text)
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        text = re.sub(re.escape(name), "[name removed]", text, flags=re.IGNORECASE)
    return text
