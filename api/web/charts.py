"""Small server-drawn SVG charts (no JavaScript, readable in both languages and on a phone)."""

from collections.abc import Sequence

from markupsafe import Markup, escape

ROW = 26
LABEL_WIDTH = 190
BAR_WIDTH = 320


def bar_chart(rows: Sequence[tuple[str, float]], *, title: str = "", unit: str = "", digits: int = 1) -> Markup:
    """Horizontal bars, one per (label, value), scaled to the largest value; labels and values are text, so the
    chart reads without colour. On a narrow screen it keeps a readable size and scrolls sideways."""
    if not rows:
        return Markup("")
    top = max(value for _, value in rows) or 1.0
    height = ROW * len(rows) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 90
    parts = [
        '<div class="chart-scroll">',
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" preserveAspectRatio="xMinYMin meet" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(rows):
        y = 4 + i * ROW
        length = max(1.0, BAR_WIDTH * value / top) if value > 0 else 0.0
        shown = escape(label if len(label) <= 16 else label[:15] + "…")
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">{shown}<title>{escape(label)}</title></text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW - 8}" rx="3"></rect>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 16}" class="value">'
            f"{value:.{digits}f}{escape(unit)}</text>"
        )
    parts.append("</svg></div>")
    return Markup("".join(parts))
