"""An export is valid import input and carries every record back."""

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import delete

from matcher.errors import Invalid
from matcher.records import CandidateRecord, JobRecord
from matcher.services.export import export_jsonl
from matcher.services.ingest import ImportReport
from matcher.services.platform import Platform
from matcher.store.models import Candidate, Job

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.parametrize(
    ("kind", "model", "record"), [("candidates", Candidate, CandidateRecord), ("jobs", Job, JobRecord)]
)
def test_export_then_import_restores_the_same_records(
    platform: Platform,
    import_file: Callable[[str, Path], ImportReport],
    tmp_path: Path,
    kind: str,
    model: type[Candidate] | type[Job],
    record: type[CandidateRecord] | type[JobRecord],
) -> None:
    import_file(kind, SAMPLES / f"crosslingual_{kind}.jsonl")
    buffer = io.StringIO()
    with platform.session() as session:
        assert export_jsonl(session, kind, buffer) == 10
    exported = buffer.getvalue().splitlines()
    first = [record.model_validate_json(line) for line in exported]
    (tmp_path / "out.jsonl").write_text(buffer.getvalue(), encoding="utf-8")
    with platform.session() as session:
        session.execute(delete(model))
    assert import_file(kind, tmp_path / "out.jsonl").inserted == 10
    again = io.StringIO()
    with platform.session() as session:
        export_jsonl(session, kind, again)
    assert [record.model_validate_json(line) for line in again.getvalue().splitlines()] == first
    originals = {
        json.loads(line)["external_id"]: json.loads(line)
        for line in (SAMPLES / f"crosslingual_{kind}.jsonl").read_text(encoding="utf-8").splitlines()
    }
    for line in exported:
        data = json.loads(line)
        source = originals[data["external_id"]]
        for key in ("title", "name", "summary", "skills", "majors", "salary_min", "location"):
            if key in source:
                assert data[key] == source[key], key


def test_exporting_an_unknown_kind_is_refused(platform: Platform) -> None:
    with platform.session() as session, pytest.raises(Invalid, match="candidates, jobs"):
        export_jsonl(session, "majors", io.StringIO())
