"""The text of a résumé PDF: pages read up to a limit, permission locks opened, password-protected, scanned and
undecodable files refused with a reason the uploader can act on."""

import io
import unicodedata
from typing import Any

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import DictionaryObject

from matcher.errors import Invalid
from matcher.ingest.resume_text import MAX_RESUME_CHARS, MIN_RESUME_CHARS, normalise, visible_chars

MAX_PDF_PAGES = 50  # pages past this are not read
GARBLED_SHARE = 0.3  # above this share of undecodable characters, the PDF's fonts lack a Unicode map

_SCANNED = "the PDF has no text layer — it looks scanned; upload a PDF exported from a word processor or a DOCX"


def pdf_text(data: bytes) -> tuple[str, int, bool]:
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
    if visible_chars(text) == 0 or (images and visible_chars(text) < MIN_RESUME_CHARS):
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
