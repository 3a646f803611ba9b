"""Serve the demo site on localhost for the crawlers: static files, plus robots.txt and the sitemap for its address."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from matcher.demo.profile_pages import ORCID_JSON

ROBOTS = """User-agent: *
Disallow: /internal/

Sitemap: {base}/sitemap.xml
"""


class _Handler(SimpleHTTPRequestHandler):
    def guess_type(self, path: str | Any) -> str:
        if str(path).endswith("/record"):
            return ORCID_JSON
        if str(path).endswith(".html"):
            return "text/html; charset=utf-8"
        return super().guess_type(path)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the crawl summary says what happened."""


def write_address_files(directory: Path, base: str) -> None:
    """robots.txt and sitemap.xml for the site as served from `base` (http://127.0.0.1:PORT)."""
    (directory / "robots.txt").write_text(ROBOTS.format(base=base), encoding="utf-8")
    urls = sorted(p.relative_to(directory).as_posix() for p in (directory / "jobs").glob("job-*.html"))
    entries = "".join(f"<url><loc>{escape(f'{base}/{u}')}</loc></url>\n" for u in urls)
    (directory / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{entries}</urlset>\n',
        encoding="utf-8",
    )


@contextmanager
def serve_site(directory: Path, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve `directory` on http://HOST:PORT (a free port by default) while the block runs; yields the base URL."""
    server = ThreadingHTTPServer((host, port), partial(_Handler, directory=str(directory)))
    base = f"http://{host}:{server.server_address[1]}"
    write_address_files(directory, base)
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
