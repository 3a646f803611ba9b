"""The text of a résumé PDF: pages read up to a limit, permission locks opened, password-protected, scanned and
undecodable files refused with a reason the uploader can act on.

A PDF's pages are compressed streams, and a file of a few KB can hold a page of megabytes of drawing operations that
take pypdf minutes to read. So reading is bounded, like a DOCX's: each stream may unpack to MAX_PDF_STREAM_BYTES and
hold MAX_PDF_OPERATIONS operations (pypdf's own limits, lowered for the read; past them the file is refused,
TooLarge), and across the pages reading stops, keeping what it has (truncated), once MAX_RESUME_CHARS characters or
MAX_PDF_OPERATIONS operations have been read, or MAX_PDF_PAGES pages."""

import io
import unicodedata
from typing import Any

from pypdf import PageObject, PasswordType, PdfReader, apply_configuration
from pypdf.errors import DependencyError, LimitReachedError
from pypdf.generic import DictionaryObject

from matcher.errors import Invalid, TooLarge
from matcher.ingest.resume_text import MAX_RESUME_CHARS, MIN_RESUME_CHARS, normalise, visible_chars

MAX_PDF_PAGES = 50  # pages past this are not read
MAX_PDF_STREAM_BYTES = 4 * 1024 * 1024  # what one stream (a page's content) may unpack to
MAX_PDF_OPERATIONS = 100_000  # drawing operations in one stream, and read across the pages
GARBLED_SHARE = 0.3  # above this share of undecodable characters, the PDF's fonts lack a Unicode map
_LIMITS = {
    "zlib_maximum_output_length": MAX_PDF_STREAM_BYTES,
    "lzw_maximum_output_length": MAX_PDF_STREAM_BYTES,
    "run_length_maximum_output_length": MAX_PDF_STREAM_BYTES,
    "brotli_maximum_output_length": MAX_PDF_STREAM_BYTES,
    "array_based_stream_maximum_output_length": MAX_PDF_STREAM_BYTES,
    "stream_parsing_work_maximum_count": 2 * MAX_PDF_OPERATIONS,  # operands and operators
}

_SCANNED = "the PDF has no text layer — it looks scanned; upload a PDF exported from a word processor or a DOCX"


def pdf_text(data: bytes) -> tuple[str, int, bool]:
    """Text, page count and whether pages (or the end of one) were left unread, from PDF bytes."""
    read = _Reading()
    try:
        with apply_configuration(None, **_LIMITS):  # for this read only (a context variable)
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                _unlock(reader)
            pages = len(reader.pages)
            raw: list[str] = []
            images = False
            for page in reader.pages[:MAX_PDF_PAGES]:
                raw.append(read.text_of(page))
                images = images or _has_images(page)
                if read.stopped:
                    break
    except Invalid:
        raise
    except LimitReachedError as exc:
        raise TooLarge(
            f"a page of the PDF unpacks to more than a résumé page holds (past {MAX_PDF_STREAM_BYTES // 1024 // 1024} "
            f"MB or {MAX_PDF_OPERATIONS:,} drawing operations); export it again from the original document",
            MAX_PDF_STREAM_BYTES,
            "pdf_page_too_large",
        ) from exc
    except Exception as exc:  # an untrusted file can break a parser in any way; each means "cannot read it"
        raise Invalid(
            "the PDF is damaged and cannot be read; export it again from the original document", "pdf_damaged"
        ) from exc
    if pages == 0:
        raise Invalid("the PDF has no pages; export it again from the original document", "pdf_no_pages")
    joined = "\n\n".join(raw)
    if _garbled_share(joined) > GARBLED_SHARE:
        raise Invalid(
            "the PDF's text cannot be decoded (its fonts carry no Unicode mapping); "
            "export it again with fonts embedded, or upload a DOCX",
            "pdf_garbled",
        )
    text = normalise(joined)
    if visible_chars(text) == 0 or (images and visible_chars(text) < MIN_RESUME_CHARS):
        raise Invalid(_SCANNED, "pdf_scanned")
    return text, pages, read.cut or len(raw) < pages


class _Stop(Exception):
    """Raised from pypdf's visitors to stop reading a page: the text or the operations are spent."""


class _Reading:
    """What the pages read so far have cost, characters of text and drawing operations, each capped across pages;
    reading stops inside the page that passes a cap, keeping its text so far."""

    def __init__(self) -> None:
        self.chars = 0
        self.operations = 0
        self.cut = False  # a page was left part-read

    @property
    def stopped(self) -> bool:
        return self.chars > MAX_RESUME_CHARS or self.operations > MAX_PDF_OPERATIONS

    def text_of(self, page: PageObject) -> str:
        """The page's text, as pypdf extracts it, up to the caps."""
        pieces: list[str] = []

        def operation(*_args: Any) -> None:
            self.operations += 1
            if self.stopped:
                raise _Stop

        def text(piece: str, *_args: Any) -> None:
            pieces.append(piece)
            self.chars += len(piece)
            if self.stopped:
                raise _Stop

        try:
            return page.extract_text(visitor_operand_before=operation, visitor_text=text) or ""
        except _Stop:
            self.cut = True
            return "".join(pieces)  # what went into the page's text so far, piece by piece


def _unlock(reader: PdfReader) -> None:
    """Open a PDF that is only permission-locked (empty user password); refuse a password-protected one."""
    try:
        opened = reader.decrypt("")
    except DependencyError as exc:
        raise Invalid(
            "the PDF is encrypted with a method this server cannot open; print it to a new PDF and upload that",
            "pdf_encryption",
        ) from exc
    if opened == PasswordType.NOT_DECRYPTED:
        raise Invalid("the PDF is password-protected; save a copy without the password and upload that", "pdf_password")


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
