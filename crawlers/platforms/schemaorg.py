"""Reading schema.org objects from pages (JSON-LD and microdata, through extruct) and from their values."""

from collections.abc import Iterator
from typing import Any

import extruct
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector


def typed_objects(
    response: Response, wanted: set[str], stats: StatsCollector | None = None
) -> Iterator[dict[str, Any]]:
    """Every object of a wanted @type on the page, from JSON-LD (incl. @graph and lists) and microdata.

    Each JSON-LD block is read on its own, so one broken block costs only itself (counted as malformed).
    """
    found = 0
    documents = [(syntax, _json_ld_document(block)) for syntax, block in _json_ld_blocks(response)]
    for syntax, document in [*documents, ("microdata", response.text)]:
        try:
            data = extruct.extract(document, base_url=response.url, syntaxes=[syntax], uniform=True)
        except Exception:  # extruct raises whatever its parsers raise on broken markup
            if stats is not None:
                stats.inc_value(f"talent/malformed/{syntax}")
            continue
        for obj in _walk(data.get(syntax, [])):
            if wanted & set(types_of(obj)):
                found += 1
                yield obj
    if stats is not None and found:
        stats.inc_value("talent/pages_with_items")


def _json_ld_blocks(response: Response) -> Iterator[tuple[str, str]]:
    """("json-ld", text) for each <script type="application/ld+json"> on the page."""
    type_is_json_ld = "contains(translate(@type, 'APPLICTONJSLD', 'applictonjsld'), 'application/ld+json')"
    for block in response.xpath(f"//script[{type_is_json_ld}]/text()").getall():
        yield "json-ld", block


def _json_ld_document(block: str) -> str:
    """A minimal page holding one JSON-LD block, for extruct (the block came out of a script element, so it
    holds no closing script tag)."""
    return f'<html><head><script type="application/ld+json">{block}</script></head></html>'


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, dict):
        if "@graph" in value:
            yield from _walk(value["@graph"])
        if "@type" in value:
            yield value


def types_of(obj: dict[str, Any]) -> list[str]:
    """'JobPosting' from '@type' whether it is a string, a list or a full IRI."""
    raw = obj.get("@type") or []
    return [str(t).rsplit("/", 1)[-1] for t in (raw if isinstance(raw, list) else [raw])]


def text(value: Any) -> str:
    """A schema.org value as text: strings as they are, objects by name/value/text, lists joined."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(filter(None, (text(v) for v in value)))
    if isinstance(value, dict):
        for key in ("name", "value", "text", "credentialCategory", "description", "@id"):
            if value.get(key):
                return text(value[key])
        return ""
    return str(value).strip()


def first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else value


def place(value: Any) -> str:
    """A jobLocation/address as one line: locality, region, country (streets left out)."""
    if isinstance(value, list):
        return "; ".join(filter(None, (place(v) for v in value)))
    if isinstance(value, dict):
        address = value.get("address", value)
        if isinstance(address, dict):
            parts = [text(address.get(k)) for k in ("addressLocality", "addressRegion", "addressCountry")]
            joined = ", ".join(dict.fromkeys(p for p in parts if p))
            return joined or text(address.get("streetAddress")) or text(value.get("name"))
        return text(address)
    return text(value)
