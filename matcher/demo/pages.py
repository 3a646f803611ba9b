"""HTML building blocks of the demo site: escaping, paragraphs, the page frame with its synthetic-data banner and
canonical address, schema.org data as JSON-LD or as visible microdata."""

import html
import json
from typing import Any

from matcher.demo import vocabulary as V

SCHEMA = "https://schema.org"
CANONICAL = V.URL_BASE  # https://demo.talentbridge.invalid
CATALOGUE_SET = "普通高等学校本科专业目录（2026年）"
BANNER = (
    '<p class="synthetic">合成示例数据 · Synthetic demo data: every person, enterprise and job on this site is '
    "invented (TalentBridge demo).</p>"
)


def esc(value: object) -> str:
    """A value as HTML text or an attribute value, escaped."""
    return html.escape(str(value), quote=True)


def paragraphs(text: str) -> str:
    """One <p> per non-empty line."""
    return "".join(f"<p>{esc(line)}</p>" for line in text.splitlines() if line.strip())


def paragraph_lines(text: str) -> str:
    """Paragraphs one per line, so the text of the element keeps its line breaks."""
    return "\n".join(f"<p>{esc(line)}</p>" for line in text.splitlines() if line.strip())


def html_page(title: str, body: str, head: str = "", lang: str = "zh-CN", canonical: str | None = None) -> str:
    """A whole page: the banner saying the data is synthetic, the body, and the canonical address in the head."""
    if canonical:  # the page's address whatever port serves it
        head = f'<link rel="canonical" href="{esc(canonical)}">{head}'
    return (
        f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{esc(title)}</title>{head}'
        f"</head>\n<body>{BANNER}\n{body}\n</body></html>\n"
    )


def json_ld(obj: dict[str, Any]) -> str:
    """`obj` as a JSON-LD script element (`</` escaped, so the text cannot close the element)."""
    text = json.dumps(obj, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def microdata(value: Any, prop: str = "") -> str:
    """A JSON-LD value as visible microdata: objects as itemscopes, numbers as <data>, dates as <time>."""
    attr = f' itemprop="{prop}"' if prop else ""
    if isinstance(value, list):
        return "".join(microdata(item, prop) for item in value)
    if isinstance(value, dict):
        inner = " ".join(microdata(v, k) for k, v in value.items() if not k.startswith("@"))
        return f'<span{attr} itemscope itemtype="{SCHEMA}/{value["@type"]}">{inner}</span>'
    if value is None or value == "":
        return ""
    if prop in ("url", "sameAs"):
        return f'<a{attr} href="{esc(value)}">{esc(value)}</a>'
    if isinstance(value, int | float):
        return f'<data{attr} value="{value:g}">{value:,.0f}</data>'
    if prop in ("datePosted", "validThrough"):
        return f'<time{attr} datetime="{esc(value)}">{esc(value)}</time>'
    return f"<span{attr}>{esc(value)}</span>"
