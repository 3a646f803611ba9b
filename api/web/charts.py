"""Small server-drawn SVG charts (no JavaScript, readable in both languages and on a phone)."""

import unicodedata
from collections.abc import Sequence

from markupsafe import Markup, escape

ROW = 26
LINE = 14  # a label's further lines
LABEL_WIDTH = 190
BAR_WIDTH = 320
FONT = 12  # svg.chart's font-size (console.css), in the viewBox's units
LABEL_ROOM = LABEL_WIDTH - 12  # a label line's width at most, from x=4 to 8 before the bar


def text_width(text: str) -> float:
    """How wide `text` is drawn at FONT, estimated on the wide side (no font metrics on the server): a Chinese or
    full-width character a whole em, a capital 0.72 em, anything else 0.6 em."""
    width = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            width += FONT
        elif ch.isupper():
            width += FONT * 0.72
        else:
            width += FONT * 0.6
    return width


def wrap_label(label: str, room: float = LABEL_ROOM) -> list[str]:
    """The label in lines that each fit `room`: broken between words, and inside a word (or Chinese text) only where
    a word alone is wider than a line. Joined again (with the spaces between words), the lines are the label."""
    lines: list[str] = []
    line = ""
    for word in label.split(" "):
        candidate = f"{line} {word}" if line else word
        if text_width(candidate) <= room:
            line = candidate
            continue
        if line:
            lines.append(line + " ")  # the space stays with the line it ends
        line = ""
        for ch in word:
            if line and text_width(line + ch) > room:
                lines.append(line)
                line = ""
            line += ch
    lines.append(line)
    return lines


def bar_chart(rows: Sequence[tuple[str, float]], *, title: str = "", unit: str = "", digits: int = 1) -> Markup:
    """Horizontal bars, one per (label, value), scaled to the largest value; labels and values are text, so the
    chart reads without colour. A long label wraps onto further lines, its row growing to hold them, so no label is
    cut or drawn outside the chart. On a narrow screen it keeps a readable size and scrolls sideways."""
    if not rows:
        return Markup("")
    top = max(value for _, value in rows) or 1.0
    labels = [wrap_label(label) for label, _ in rows]
    height = sum(ROW + LINE * (len(lines) - 1) for lines in labels) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 90
    parts = [
        '<div class="chart-scroll">',
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    y = 4
    for (label, value), lines in zip(rows, labels, strict=True):
        length = max(1.0, BAR_WIDTH * value / top) if value > 0 else 0.0
        spans = "".join(
            f'<tspan x="{LABEL_WIDTH - 8}" y="{y + 16 + n * LINE}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">{spans}'
            f"<title>{escape(label)}</title></text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW - 8}" rx="3"></rect>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 16}" class="value">'
            f"{value:.{digits}f}{escape(unit)}</text>"
        )
        y += ROW + LINE * (len(lines) - 1)
    parts.append("</svg></div>")
    return Markup("".join(parts))
