"""The text of a résumé DOCX in reading order: headers, body paragraphs with their text boxes, table rows (a merged
cell once, nested tables after their row), footers; a damaged, text-less or inflating file refused with the reason.

A DOCX is a ZIP of XML parts, and a file of a few hundred KB can unpack to gigabytes. So the parts are read as a
stream, never loaded whole: expat gets 64 KB of XML at a time and only the text is kept, within two caps.

- MAX_DOCX_UNPACKED_BYTES bounds the XML read (the document, its relationships, its headers and footers; images
  are never unpacked): by the sizes the ZIP declares, checked before reading a byte, and by the bytes unpacked,
  counted as they come since declared sizes can lie. Past it the file is refused (TooLarge).
- MAX_RESUME_CHARS bounds the text: reading stops as soon as that much has been collected, and the rest of the
  document is not read (the résumé is marked truncated).
"""

import io
import posixpath
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NoReturn
from xml.parsers import expat

from matcher.errors import Invalid, TalentError, TooLarge
from matcher.ingest.resume_text import MAX_RESUME_CHARS, normalise

MAX_DOCX_UNPACKED_BYTES = 10 * 1024 * 1024  # XML unpacked across the parts read; a zip bomb stops here
CHUNK = 64 * 1024  # bytes unpacked and parsed at a time

DOCUMENT = "word/document.xml"
RELATIONSHIPS = "word/_rels/document.xml.rels"
_DAMAGED = "the Word file is damaged and cannot be read; save it again as .docx and upload that"
# WordprocessingML in its usual (transitional) namespace and its strict one; markup compatibility's fallback.
_W = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
_FALLBACK = "http://schemas.openxmlformats.org/markup-compatibility/2006 Fallback"
_RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships Relationship"
# What each element is to the reader (expat names it "namespace local"): a container of text, text in a run, or the
# text a run's tab, break or non-breaking hyphen stands for.
_LOCAL_KINDS = {
    "p": "p",
    "tbl": "tbl",
    "tr": "tr",
    "tc": "tc",
    "txbxContent": "box",
    "t": "t",
    "tab": "\t",
    "ptab": "\t",
    "br": "br",
    "cr": "\n",
    "noBreakHyphen": "-",
}
_KINDS = {f"{w} {local}": kind for w in _W for local, kind in _LOCAL_KINDS.items()} | {_FALLBACK: "fallback"}
_CONTAINERS = frozenset({"p", "tbl", "tr", "tc", "box"})
_BREAK_TYPES = {f"{w} type" for w in _W}


def docx_text(data: bytes) -> tuple[str, int, bool]:
    """Text, non-empty block count and whether reading stopped at the text cap, from DOCX bytes: headers (each
    once), body (text boxes, tables), footers (each once). TooLarge when its XML unpacks past the cap."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            headers, body, footers, truncated = _read(archive)
    except TalentError:
        raise
    except Exception as exc:  # an untrusted file can break a reader in any way; each means "cannot read it"
        raise Invalid(_DAMAGED, "docx_damaged") from exc
    # Sections often repeat the same header or footer; body lines (two jobs with one title) stay as they are.
    kept = [*dict.fromkeys(map(normalise, headers)), *map(normalise, body), *dict.fromkeys(map(normalise, footers))]
    kept = [block for block in kept if block]
    if not kept:
        raise Invalid(
            "the Word file has no text; if the résumé is a picture pasted into Word, upload a PDF instead",
            "docx_no_text",
        )
    return "\n".join(kept), len(kept), truncated


def _read(archive: zipfile.ZipFile) -> tuple[list[str], list[str], list[str], bool]:
    """The blocks of the headers, the body and the footers, and whether the text cap stopped the reading."""
    unpacked = _Unpacked()
    names = set(archive.namelist())
    relationships = _relationships(archive, unpacked) if RELATIONSHIPS in names else []
    header_parts = [name for kind, name in relationships if kind == "header"]
    footer_parts = [name for kind, name in relationships if kind == "footer"]
    parts = [*header_parts, DOCUMENT, *footer_parts]
    if sum(archive.getinfo(name).file_size for name in {*parts, *(names & {RELATIONSHIPS})}) > unpacked.limit:
        _too_large()  # by the sizes the ZIP declares, before unpacking anything more
    blocks: dict[str, list[str]] = {}
    chars_left = MAX_RESUME_CHARS
    for name in parts:  # headers first: they come first in the text, and the text cap may stop the body
        reader = _Reader(chars_left)
        complete = _stream(archive, name, unpacked, reader.parser(), full=reader.full)
        blocks[name], chars_left = reader.blocks(), reader.chars_left
        if not complete:
            break
    headers = [block for name in header_parts for block in blocks.get(name, [])]
    footers = [block for name in footer_parts for block in blocks.get(name, [])]
    return headers, blocks.get(DOCUMENT, []), footers, chars_left < 0


def _relationships(archive: zipfile.ZipFile, unpacked: "_Unpacked") -> list[tuple[str, str]]:
    """The document's header and footer parts, in the order its relationships name them (each once): ("header" or
    "footer", part name)."""
    found: dict[str, str] = {}

    def start(name: str, attrs: dict[str, str]) -> None:
        kind = attrs.get("Type", "").rsplit("/", 1)[-1]
        if name == _RELATIONSHIP and kind in ("header", "footer") and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("word", target)
            found.setdefault(posixpath.normpath(part), kind)

    parser = _parser()
    parser.StartElementHandler = start
    _stream(archive, RELATIONSHIPS, unpacked, parser)
    return [(kind, part) for part, kind in found.items()]


class _Unpacked:
    """The XML bytes unpacked so far, across every part read: TooLarge once they pass the cap, whatever the ZIP
    declared."""

    def __init__(self) -> None:
        self.limit = MAX_DOCX_UNPACKED_BYTES
        self.seen = 0

    def take(self, chunk: bytes) -> bytes:
        self.seen += len(chunk)
        if self.seen > self.limit:
            _too_large()
        return chunk


def _too_large() -> NoReturn:
    limit = MAX_DOCX_UNPACKED_BYTES
    raise TooLarge(
        f"the Word file's text and layout unpack to more than {limit / 1024 / 1024:g} MB, too much for a résumé; "
        "shorten it, or save it as a PDF and upload that",
        limit,
        "docx_too_large",
    )


def _parser() -> "expat.XMLParserType":
    """A namespace-aware expat parser (elements named "namespace local") that refuses a document type declaration:
    Word never writes one, and entity tricks live there."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_doctype
    return parser


def _refuse_doctype(*_args: object) -> None:
    raise ValueError("a DOCX part declares a document type")


def _stream(
    archive: zipfile.ZipFile,
    name: str,
    unpacked: _Unpacked,
    parser: "expat.XMLParserType",
    full: Callable[[], bool] = lambda: False,
) -> bool:
    """Unpack part `name` into `parser` CHUNK bytes at a time; False when `full()` stopped it before its end."""
    with archive.open(name) as part:
        while chunk := part.read(CHUNK):
            parser.Parse(unpacked.take(chunk), False)
            if full():
                return False
    parser.Parse(b"", True)
    return True


@dataclass
class _Frame:
    """An open container: a paragraph ("p"), table, row, cell or text box, or the part itself ("root")."""

    kind: str
    text: list[str] = field(default_factory=list)  # a paragraph's own text, piece by piece
    lines: list[str] = field(default_factory=list)  # a paragraph's text boxes, a row's cells, what the others hold
    nested: list[str] = field(default_factory=list)  # the rows of tables nested in a row's cells


class _Reader:
    """The blocks of one part, as expat hands its elements over: a paragraph's own text (runs, hyperlinks, content
    controls, tracked insertions) then the paragraphs of its text boxes; a table row's cells joined by ' | ', then
    the rows of tables nested in them; the legacy copy under mc:Fallback skipped (it repeats a text box)."""

    def __init__(self, chars_left: int) -> None:
        self.chars_left = chars_left  # below zero once the text cap is passed
        self.frames = [_Frame("root")]
        self.fallback = 0  # depth inside mc:Fallback
        self.in_text = False

    def parser(self) -> "expat.XMLParserType":
        parser = _parser()
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.data
        return parser

    def full(self) -> bool:
        """Whether the text cap has been passed: read no further."""
        return self.chars_left < 0

    def blocks(self) -> list[str]:
        """The part's blocks so far; containers left open (the reading stopped inside them) are closed first."""
        while len(self.frames) > 1:
            self._close()
        return self.frames[0].lines

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.fallback:
            self.fallback += 1
            return
        kind = _KINDS.get(name)
        if kind is None:
            return
        if kind in _CONTAINERS:
            self.frames.append(_Frame(kind))
        elif kind == "t":
            self.in_text = True
        elif kind == "fallback":
            self.fallback = 1
        elif kind != "br":
            self._add(kind)  # a tab, a carriage return, a non-breaking hyphen
        elif all(value == "textWrapping" for key, value in attrs.items() if key in _BREAK_TYPES):
            self._add("\n")  # a line break (a page or column break is no text)

    def end(self, name: str) -> None:
        if self.fallback:
            self.fallback -= 1
            return
        kind = _KINDS.get(name)
        if kind == "t":
            self.in_text = False
        elif kind in _CONTAINERS:
            self._close()

    def data(self, text: str) -> None:
        if self.in_text and not self.fallback:
            self._add(text)

    def _add(self, text: str) -> None:
        """Text of a run, for the innermost open paragraph."""
        frame = self.frames[-1]
        if frame.kind == "p":
            frame.text.append(text)
            self.chars_left -= len(text)

    def _close(self) -> None:
        """Close the innermost container and hand what it holds to the one around it."""
        frame = self.frames.pop()
        parent = self.frames[-1]
        if frame.kind == "tc":  # a cell is one part of its row; tables nested in it follow the row
            parent.lines.append(" ".join(part.strip() for part in frame.lines if part.strip()))
            parent.nested.extend(frame.nested)
            return
        if frame.kind == "p":
            lines = ["".join(frame.text), *frame.lines]
        elif frame.kind == "tr":
            lines = [" | ".join(cell for cell in frame.lines if cell), *frame.nested]
        else:
            lines = frame.lines
        if frame.kind == "tbl" and parent.kind == "tc":
            parent.nested.extend(lines)
        else:
            parent.lines.extend(lines)
