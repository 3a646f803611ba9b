"""Small helpers shared by platforms and pipelines."""

from urllib.parse import urlsplit


def site_of(url: str) -> str:
    """The host (and port) a URL belongs to, lower-cased: the `source` of what was found there."""
    parts = urlsplit(url)
    return (parts.netloc or "").lower()
