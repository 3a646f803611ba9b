"""Pages from templates: every page gets the caller, the translator, the form token and the flash message."""

import json
import posixpath
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from api.web import clock
from api.web.auth import HOMES, PREFIX
from api.web.charts import bar_chart
from api.web.i18n import Translator, lang_of
from api.web.nav import NAV
from matcher.config import Settings
from matcher.reference import english_names
from matcher.search import place_names

FLASH_COOKIE = "tb_flash"
FLASH_BYTES = 3000
# Pages may show personal data: kept in no cache, shown in no other site's frame.
PAGE_HEADERS = {"Cache-Control": "no-store", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}
TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
TEMPLATES.env.globals.update(
    prefix=PREFIX,
    homes={role.value: url for role, url in HOMES.items()},
    nav={role.value: items for role, items in NAV.items()},
    bar_chart=bar_chart,
)


@lru_cache(maxsize=8)
def _zone(key: str) -> ZoneInfo:
    return ZoneInfo(key)


def zone_of(request: Request) -> ZoneInfo:
    """The zone the console shows times in: the platform's setting (TALENT_TIME_ZONE)."""
    platform = getattr(request.app.state, "platform", None)
    key = platform.settings.time_zone if platform is not None else Settings.model_fields["time_zone"].default
    return _zone(key)


def _flash(request: Request) -> dict[str, str] | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    try:
        value = json.loads(unquote(raw))
    except ValueError:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        return None
    return {"kind": "error" if value.get("kind") == "error" else "ok", "text": value["text"][:500]}


def _majors_shown(summary: dict[str, Any], lang: str) -> list[str]:
    """A result's majors (each once) in the page's language, by their catalogue codes (older summaries have none)."""
    typed, codes = summary.get("majors") or [], summary.get("major_codes") or []
    shown = [english_names.major_shown(m, codes[i] if i < len(codes) else None, lang) for i, m in enumerate(typed)]
    return list(dict.fromkeys(shown))


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The template rendered for this reader; a flash message left by the last redirect is shown once."""
    lang = lang_of(request)
    zone = zone_of(request)
    response = TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "t": Translator(lang),
            "major_name": lambda code, chinese="": english_names.major_name(code, chinese, lang),
            "major_label": lambda text: english_names.major_label(text, lang),
            "majors_of": lambda summary: _majors_shown(summary, lang),
            "major_of": lambda typed, code=None: english_names.major_shown(typed or "", code, lang),
            "place": lambda text: place_names.place_shown(text or "", lang),
            "industry_name": lambda name: english_names.industry_name(name, lang),
            "occupation_name": lambda code, chinese="": english_names.occupation_name(code, chinese, lang),
            "job_occupation": lambda job: english_names.job_occupation(
                job.occupation_code, job.occupation_confidence, lang
            ),
            "date_of": lambda value: clock.day(value, zone),
            "time_of": lambda value: clock.minute(value, zone, lang),
            "today": clock.today(zone),
            "lang": lang,
            "caller": getattr(request.state, "caller", None),
            "csrf": getattr(request.state, "csrf", ""),
            "flash": _flash(request),
            **context,
        },
        status_code=status_code,
    )
    if FLASH_COOKIE in request.cookies:
        response.delete_cookie(FLASH_COOKIE, path=PREFIX)
    response.headers.update(PAGE_HEADERS)
    return response


def redirect(url: str, message: str | None = None, *, error: bool = False) -> RedirectResponse:
    """See-other to `url` (after a form), with a message for the next page."""
    response = RedirectResponse(url, status_code=303)
    if message:
        text = message[:500]
        flash = quote(json.dumps({"kind": "error" if error else "ok", "text": text}, ensure_ascii=False))
        while len(flash) > FLASH_BYTES:  # a browser drops a cookie over 4 KB (a Chinese character takes 9 bytes)
            text = text[: len(text) * 3 // 4] + "…"
            flash = quote(json.dumps({"kind": "error" if error else "ok", "text": text}, ensure_ascii=False))
        response.set_cookie(FLASH_COOKIE, flash, path=PREFIX, httponly=True, samesite="lax", max_age=60)
    return response


def safe_next(url: str | None, default: str = PREFIX) -> str:
    """A place inside the console to go back to, as the path it normalises to (with its query and fragment);
    anything that is not a same-site path under /console once decoded and normalised gives `default`: another site
    ("//evil.com", "/%2F%2Fevil.com", "/console/../..//evil"), a scheme ("https:evil"), backslashes (which browsers
    read as slashes), control characters (tabs and newlines, which browsers drop)."""
    if not url or _has_controls(url):
        return default
    parts = urlsplit(url)
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or not path.startswith("/") or "\\" in path or _has_controls(path):
        return default
    normal = posixpath.normpath(path)
    if normal.startswith("//") or not (normal == PREFIX or normal.startswith(f"{PREFIX}/")):
        return default
    return quote(normal) + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def _has_controls(text: str) -> bool:
    return any(ord(char) < 0x20 or ord(char) == 0x7F for char in text)
