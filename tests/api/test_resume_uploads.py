"""Résumé uploads are read before the request writes: a file that inflates is refused 413 in the JSON shape, and while
an upload is being read the request holds neither SQLite's write lock nor a connection, so other writers go on."""

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.pool import QueuePool

from api.app import create_app
from matcher.ingest import resumes
from matcher.people import accounts
from matcher.people.accounts import Role
from matcher.platform import Platform
from matcher.store.models import Candidate
from tests.api.conftest import Keys, bearer
from tests.matcher.ingest.resume_files import DOCX_TYPE, docx_bomb, lying_about_size
from tests.web.candidate_portal import RESUME

TOO_LARGE = {
    "error": {
        "code": "too_large",
        "message": "the Word file's text and layout unpack to more than 10 MB, too much for a résumé; "
        "shorten it, or save it as a PDF and upload that",
    }
}


@pytest.fixture
def client(loaded: Platform) -> Iterator[TestClient]:
    with TestClient(create_app(platform=loaded)) as client:
        yield client


def resume_text(platform: Platform, candidate_id: int) -> str:
    with platform.session() as session:
        row = session.get(Candidate, candidate_id)
        assert row is not None
        return row.resume_text


def test_a_zip_bomb_is_refused_413_and_changes_nothing(client: TestClient, loaded: Platform, keys: Keys) -> None:
    before = resume_text(loaded, keys.candidate_id)

    refused = client.post(
        "/me/resume", headers=bearer(keys.candidate), files={"file": ("cv.docx", docx_bomb(), DOCX_TYPE)}
    )
    assert refused.status_code == 413 and refused.json() == TOO_LARGE

    lying = lying_about_size(docx_bomb(), "word/document.xml", 40_000)  # read as far as it says: then it is damaged
    refused = client.post("/me/resume", headers=bearer(keys.candidate), files={"file": ("cv.docx", lying, DOCX_TYPE)})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid"
    assert "damaged" in refused.json()["error"]["message"]

    assert resume_text(loaded, keys.candidate_id) == before


def can_take_the_write_lock(path: str) -> bool:
    """Whether another connection gets SQLite's write lock at once (BEGIN IMMEDIATE, no waiting)."""
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:  # database is locked
        return False
    finally:
        connection.close()


@pytest.mark.committed  # two requests at once, each with its own connection: they must see each other's commits
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_other_writers_go_on_while_an_upload_is_read(
    loaded: Platform, keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    with loaded.session() as session:
        other = session.scalars(select(Candidate.id).where(Candidate.id != keys.candidate_id).limit(1)).one()
        other_key = accounts.create_account(session, Role.candidate, "Other candidate", candidate_id=other)[1]
    # Its own engine on the test's database file; a writer behind a held lock would give up after 1 s (503).
    server = Platform(loaded.settings.model_copy(update={"db_lock_timeout": 1}))
    server.__dict__["encoder"] = loaded.encoder
    path, in_use = server.engine.url.database, server.engine.pool
    assert path and isinstance(in_use, QueuePool)
    seen: list[dict[str, Any]] = []
    read_docx = resumes.docx_text

    def read_while_another_candidate_writes(data: bytes) -> tuple[str, int, bool]:
        """The reading step of an upload, the other requests made from inside it: the upload is being read now."""
        connections = in_use.checkedout()  # the upload's own, while it is read
        lock_free = can_take_the_write_lock(path)
        headline = f"Headline {len(seen)}, written while an upload was read"
        edited = served.patch("/me/profile", headers=bearer(other_key), json={"headline": headline})
        seen.append(
            {"connections": connections, "lock free": lock_free, "edit": edited.status_code, "headline": headline}
        )
        return read_docx(data)

    monkeypatch.setattr(resumes, "docx_text", read_while_another_candidate_writes)
    try:
        with TestClient(create_app(platform=server)) as served:
            uploaded = served.post(
                "/me/resume", headers=bearer(keys.candidate), files={"file": ("cv.docx", RESUME, DOCX_TYPE)}
            )
            refused = served.post(
                "/me/resume", headers=bearer(keys.candidate), files={"file": ("b.docx", docx_bomb(), DOCX_TYPE)}
            )
    finally:
        server.close()

    assert len(seen) == 2  # the résumé, then the bomb
    assert all(step["connections"] == 0 and step["lock free"] and step["edit"] == 200 for step in seen), seen
    assert uploaded.status_code == 200 and uploaded.json()["format"] == "docx"
    assert refused.status_code == 413 and refused.json() == TOO_LARGE
    assert "PPP-RTK" in resume_text(loaded, keys.candidate_id)  # the upload was written after its reading
    with loaded.session() as session:
        row = session.get(Candidate, other)
        assert row is not None and row.headline == seen[-1]["headline"]  # and so were the other's edits
