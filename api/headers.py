"""Security headers on every response, by what the response is.

- Everywhere: `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy: same-origin`, and a
  Content-Security-Policy with `frame-ancestors 'none'` (nothing is framed: not the console, not /docs).
- The API's JSON: `default-src 'none'` (nothing in a JSON answer may load or run).
- Console pages: scripts and styles from the console's own static files only; inline `style` attributes (the
  width of a bar) are allowed, inline scripts are not.
- /docs and /redoc: FastAPI's pages load Swagger UI and ReDoc from their CDN and start them with an inline script.
- `Cache-Control: no-store` on every answer about a person, so no browser or proxy keeps one: the candidate and me
  routes, and every request that carries credentials (an API key, the console's session). Static files and public
  answers stay cacheable.

A header a route set itself is kept.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web.auth import PREFIX

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
CONSOLE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_POLICY = (
    f"default-src 'self'; script-src 'self' 'unsafe-inline' {DOCS_CDN}; style-src 'self' 'unsafe-inline' {DOCS_CDN}; "
    f"img-src 'self' data: https://fastapi.tiangolo.com; worker-src 'self' blob:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")
PERSONAL_PATHS = ("/me", "/candidates")
CREDENTIALS = (b"authorization", b"x-api-key")
STATIC = f"{PREFIX}/static/"


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    return any(path == prefix or path.startswith(f"{prefix}/") for prefix in prefixes)


def policy_for(path: str) -> str:
    if _under(path, (PREFIX,)):
        return CONSOLE_POLICY
    if _under(path, DOCS_PATHS):
        return DOCS_POLICY
    return API_POLICY


def personal(scope: Scope) -> bool:
    """Whether the answer may be about a person: a personal route, or a request made with credentials."""
    path: str = scope["path"]
    if path.startswith(STATIC):
        return False
    headers = dict(scope.get("headers") or [])
    cookie = headers.get(b"cookie", b"")
    return _under(path, PERSONAL_PATHS) or any(name in headers for name in CREDENTIALS) or b"tb_console" in cookie


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = policy_for(scope["path"])
        no_store = personal(scope)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("Content-Security-Policy", policy)
                if no_store:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)
