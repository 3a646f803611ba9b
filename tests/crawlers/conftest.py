"""Shared crawler-test helpers: a local HTTP server that serves a dict of canned responses.

    def test_x(http_server):
        site = http_server({"/": (200, {"Content-Type": "text/html"}, "<a href='/a'>a</a>")})
        ... crawl site.url ...
        site.routes["/a"] = (200, {}, "changed", 0.5)     # change it between crawls (0.5 s delay)
        assert "/private" not in site.requested

A route is (status, headers, body) or (status, headers, body, delay_seconds); the body is str (sent as UTF-8)
or bytes. Unknown paths get a 404. Each call starts one server on 127.0.0.1 at a free port, in a thread; all
are shut down when the test ends. Nothing here is specific to one spider, so any crawler test may use it.
"""

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

Route = tuple[int, dict[str, str], str | bytes] | tuple[int, dict[str, str], str | bytes, float]


@dataclass
class LocalSite:
    """A running server: its base URL (no trailing slash), the routes it serves and every path requested."""

    server: ThreadingHTTPServer
    routes: dict[str, Route]
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def requested(self) -> list[str]:
        """Paths requested so far (with query strings), in order."""
        with self.lock:
            return list(self.requests)

    def set_routes(self, routes: dict[str, Route]) -> None:
        """Replace everything the site serves (e.g. between two crawls)."""
        with self.lock:
            self.routes.clear()
            self.routes.update(routes)

    def clear_log(self) -> None:
        with self.lock:
            self.requests.clear()


def _handler(site_ref: list[LocalSite]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _respond(self, with_body: bool) -> None:
            site = site_ref[0]
            with site.lock:
                site.requests.append(self.path)
                route = site.routes.get(self.path) or site.routes.get(self.path.split("?", 1)[0])
            if route is None:
                route = (404, {"Content-Type": "text/plain"}, "not found")
            status, headers, body = route[0], route[1], route[2]
            delay = float(route[3]) if len(route) > 3 else 0.0  # type: ignore[misc]
            if delay:
                time.sleep(delay)
            payload = body.encode("utf-8") if isinstance(body, str) else body
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if not any(name.lower() == "content-type" for name in headers):
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if with_body:
                    self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                pass

        def do_GET(self) -> None:
            self._respond(with_body=True)

        def do_HEAD(self) -> None:
            self._respond(with_body=False)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def http_server() -> Iterator[Callable[[dict[str, Route]], LocalSite]]:
    """Start local sites: `http_server(routes)` returns a running LocalSite; all stop after the test."""
    started: list[tuple[LocalSite, threading.Thread]] = []

    def start(routes: dict[str, Route]) -> LocalSite:
        site_ref: list[LocalSite] = []
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site_ref))
        server.daemon_threads = True
        site = LocalSite(server=server, routes=dict(routes))
        site_ref.append(site)
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        started.append((site, thread))
        return site

    yield start
    for site, thread in started:
        site.server.shutdown()
        site.server.server_close()
        thread.join(timeout=5)
