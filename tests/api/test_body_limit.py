"""Request bodies past TALENT_API_MAX_BODY_BYTES are refused with 413 before they are read: by their declared length,
and while a body of undeclared length streams in; in the API's JSON shape, and on a console page in its language."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.web.i18n import LANG_COOKIE
from matcher.platform import Platform
from tests.conftest import platform_like

LIMIT = 4096


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    settings = platform.settings.model_copy(update={"api_max_body_bytes": LIMIT})
    with TestClient(create_app(platform=platform_like(platform, settings))) as client:
        yield client


def test_a_declared_length_past_the_limit_is_refused_before_reading(client: TestClient) -> None:
    response = client.post(
        "/signup", content=b"{" + b" " * (LIMIT * 4) + b"}", headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "too_large" and "4 kB" in error["message"]


def test_a_streamed_body_is_refused_once_it_passes_the_limit(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked
        for _ in range(64):
            yield b" " * 1024

    response = client.post("/signup", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_a_body_under_the_limit_is_read_as_before(client: TestClient) -> None:
    response = client.post("/signup", json={"name": "x"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid"


def test_the_console_says_it_in_the_page_language(client: TestClient) -> None:
    big = {"file": ("cv.pdf", b"%PDF-" + b"0" * (LIMIT * 2), "application/pdf")}
    for lang, words in (("zh", "上限"), ("en", "larger than the 4 kB limit")):
        client.cookies.set(LANG_COOKIE, lang)
        response = client.post("/console/me/resume", files=big, follow_redirects=False)
        assert response.status_code in (303, 413)
        page = client.get(response.headers["location"]).text if response.status_code == 303 else response.text
        assert words in page, lang
