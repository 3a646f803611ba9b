"""The client address anonymous callers are counted by: X-Forwarded-For only from trusted proxies, read from the
right, never letting a client pick its own bucket; and the setting that names the proxies."""

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from starlette.requests import Request

from api.app import create_app
from api.clients import client_address
from matcher.config import Settings
from matcher.platform import Platform
from tests.api.conftest import in_one_minute
from tests.conftest import platform_like


def _request(peer: str, *forwarded: str) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers, "client": (peer, 5000)})


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert client_address(_request("127.0.0.1", "203.0.113.9")) == "127.0.0.1"
    assert client_address(_request("198.51.100.7", "203.0.113.9"), ["10.0.0.0/8"]) == "198.51.100.7"


def test_a_trusted_proxy_forwards_the_nearest_untrusted_hop() -> None:
    proxies = ["10.0.0.0/8", "127.0.0.1"]
    assert client_address(_request("127.0.0.1", "203.0.113.9"), proxies) == "203.0.113.9"
    # the client wrote "1.2.3.4" itself; the proxies appended what they saw: the client is 198.51.100.7
    assert client_address(_request("127.0.0.1", "1.2.3.4, 198.51.100.7, 10.1.2.3"), proxies) == "198.51.100.7"
    assert client_address(_request("127.0.0.1", "1.2.3.4", "198.51.100.7"), proxies) == "198.51.100.7"
    assert client_address(_request("10.0.0.2", "[2001:db8::1]:443"), proxies) == "2001:db8::1"
    assert client_address(_request("10.0.0.2", "198.51.100.7:8080"), proxies) == "198.51.100.7"


def test_a_trusted_proxy_without_a_usable_header_counts_as_itself_or_its_last_hop() -> None:
    proxies = ["127.0.0.1", "10.0.0.0/8"]
    assert client_address(_request("127.0.0.1"), proxies) == "127.0.0.1"
    assert client_address(_request("127.0.0.1", "not-an-address"), proxies) == "127.0.0.1"
    assert client_address(_request("127.0.0.1", "garbage, 10.0.0.9"), proxies) == "10.0.0.9"


def test_trusted_proxies_are_read_comma_separated_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TALENT_TRUSTED_PROXIES", " 10.0.0.5, 192.168.1.0/24 ,::1")
    assert Settings().trusted_proxies == ["10.0.0.5/32", "192.168.1.0/24", "::1/128"]
    monkeypatch.setenv("TALENT_TRUSTED_PROXIES", "")
    assert Settings().trusted_proxies == []
    monkeypatch.setenv("TALENT_TRUSTED_PROXIES", "10.0.0.5,proxy.local")
    with pytest.raises(ValidationError, match=r"'proxy\.local' is not an IP address or network"):
        Settings()


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket(platform: Platform) -> None:
    settings = platform.settings.model_copy(update={"api_anonymous_rate_limit": 2, "trusted_proxies": ["127.0.0.1"]})
    with TestClient(create_app(platform=platform_like(platform, settings)), client=("127.0.0.1", 5000)) as client:
        in_one_minute()
        statuses = [client.get("/health", headers={"X-Forwarded-For": "198.51.100.7"}).status_code for _ in range(3)]
        other = client.get("/health", headers={"X-Forwarded-For": "203.0.113.9"})
    assert statuses == [200, 200, 429] and other.status_code == 200
