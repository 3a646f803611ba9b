"""The console's SVG bar charts: every label drawn whole, inside the chart, however long (English major and industry
names run to 60 characters and more)."""

import re
import xml.etree.ElementTree as ET

from api.web.charts import LABEL_WIDTH, bar_chart, text_width

SVG = "{http://www.w3.org/2000/svg}"
LABELS = [
    "Electronic Information Science and Technology",
    "New-generation information technology industry (integrated circuits, software and information services)",
    "Pharmaceutical Engineering",
    "生物医药及高性能医疗器械产业（含中医药）",
    "Antidisestablishmentarianismcharacteristically",  # one word wider than the label column
    "计算机科学与技术",
]


def _labels(markup: str) -> tuple[list[ET.Element], float, float]:
    svg = ET.fromstring(re.sub(r"^<div[^>]*>|</div>$", "", markup).replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))
    _, _, width, height = (float(v) for v in svg.attrib["viewBox"].split())
    texts = [t for t in svg.iter(f"{SVG}text") if t.get("class") != "value"]
    return texts, width, height


def test_every_label_is_drawn_whole_and_inside_the_chart() -> None:
    texts, width, height = _labels(str(bar_chart([(label, 10.0 * n) for n, label in enumerate(LABELS, 1)])))
    assert len(texts) == len(LABELS)
    for text, label in zip(texts, LABELS, strict=True):
        lines = [span.text or "" for span in text.iter(f"{SVG}tspan")]
        assert "".join(lines) == label  # complete: not cut, no ellipsis
        assert text.findtext(f"{SVG}title") == label
        for span, line in zip(text.iter(f"{SVG}tspan"), lines, strict=True):
            right, baseline = float(span.attrib["x"]), float(span.attrib["y"])
            assert right - text_width(line.rstrip()) >= 0, line  # drawn right-aligned: its left end is inside
            assert right <= LABEL_WIDTH and 12 <= baseline <= height - 2, line
    assert width >= LABEL_WIDTH


def test_rows_grow_with_their_labels_so_none_overlaps() -> None:
    texts, _, _ = _labels(str(bar_chart([(label, 1.0) for label in LABELS])))
    baselines = [float(span.attrib["y"]) for text in texts for span in text.iter(f"{SVG}tspan")]
    assert baselines == sorted(baselines) and len(set(baselines)) == len(baselines)
    assert len(baselines) > len(LABELS)  # the long ones did wrap
