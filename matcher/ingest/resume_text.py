"""Résumé text as the readers hand it over: the limits on its length, normalising it, counting what is visible."""

import re
import unicodedata

MAX_RESUME_CHARS = 50_000  # text past this is cut off (and `truncated` is set)
MIN_RESUME_CHARS = 40  # fewer non-space characters than this is not a résumé

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


def visible_chars(text: str) -> int:
    """Characters that are not whitespace."""
    return sum(1 for c in text if not c.isspace())
