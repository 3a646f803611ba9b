"""Who is on the other end of a request: the address rate limits count anonymous callers by.

The connecting address counts, unless it is one of the reverse proxies named in TALENT_TRUSTED_PROXIES: then the
client is the nearest address in X-Forwarded-For that is not a trusted proxy (read from the right, since each proxy
appends the address it was connected from, and anything to the left of the first untrusted hop was written by the
client itself). Without trusted proxies the header is ignored, so a client cannot choose its own bucket.

The servers TalentBridge starts (`talent serve`) leave forwarded headers to this module; an ASGI server started
another way must do the same (uvicorn: `--no-proxy-headers`), or it rewrites the connecting address first.
"""

import ipaddress
from functools import lru_cache

from fastapi import Request

UNKNOWN = "unknown"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in trusted)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, proxies: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in proxies)


def client_address(request: Request, trusted: tuple[str, ...] | list[str] = ()) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy, the nearest untrusted hop it
    forwarded (an unparseable hop ends the walk there: it is the client's own writing)."""
    peer = request.client.host if request.client else UNKNOWN
    proxies = networks(tuple(trusted))
    peer_address = _address(peer)
    if not proxies or peer_address is None or not _trusted(peer_address, proxies):
        return peer
    hops = [hop for header in request.headers.getlist("x-forwarded-for") for hop in header.split(",")]
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break
        client = str(address)
        if not _trusted(address, proxies):
            break
    return client


def caller_address(request: Request) -> str:
    """client_address with the trusted proxies of the app's settings."""
    return client_address(request, request.app.state.platform.settings.trusted_proxies)
