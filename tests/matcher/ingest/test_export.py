"""An export is valid import input and carries every record back."""

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import delete

from matcher.errors import Invalid
from matcher.ingest.export import export_jsonl
from matcher.ingest.importer import ImportReport
from matcher.platform import Platform
from matcher.records import CandidateRecord, JobRecord
from matcher.store.models import Candidate, Job

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


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


def test_reimporting_an_export_changes_nothing(
    platform: Platform, import_file: Callable[[str, Path], ImportReport], tmp_path: Path
) -> None:
    records = [
        {"source": "t", "external_id": "e1", "name": "示例企业"},
    ]
    jobs = [
        {
            "source": "t",
            "external_id": "j1",
            "title": "算法工程师",
            "min_degree": "硕士",
            "enterprise_external_id": "e1",
            "fetched_at": "2024-01-01T10:00:00+08:00",
            "posted_at": "2026-10-01",
            "salary_min": 1.5e4,
        },
        {"source": "t", "external_id": "j2", "title": "数据分析师", "enterprise_external_id": "not-yet-imported"},
    ]
    (tmp_path / "e.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    (tmp_path / "j.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in jobs), encoding="utf-8")
    import_file("enterprises", tmp_path / "e.jsonl")
    import_file("jobs", tmp_path / "j.jsonl")
    out = tmp_path / "out.jsonl"
    with platform.session() as session, out.open("w", encoding="utf-8") as handle:
        export_jsonl(session, "jobs", handle)
    exported = {json.loads(line)["external_id"]: json.loads(line) for line in out.read_text("utf-8").splitlines()}
    assert exported["j1"]["min_degree"] == "master" and exported["j1"]["enterprise_external_id"] == "e1"
    assert exported["j1"]["fetched_at"] == "2024-01-01T02:00:00Z"
    assert exported["j2"]["enterprise_external_id"] == "not-yet-imported"
    again = import_file("jobs", out)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
