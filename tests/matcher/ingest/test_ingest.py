"""Importing JSONL: upserts by (source, external_id), bad lines reported by number, stored data kept intact."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from matcher.errors import Invalid
from matcher.ingest.importer import Importer, ImportReport
from matcher.platform import Platform
from matcher.store import queries
from matcher.store.models import Account, Candidate, Enterprise, Job

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ImportFile = Callable[[str, Path], ImportReport]


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_import_stores_every_field_and_provenance(platform: Platform, import_file: ImportFile) -> None:
    report = import_file("candidates", SAMPLES / "crosslingual_candidates.jsonl")
    assert (report.inserted, report.updated, report.unchanged, report.errors) == (10, 0, 0, [])
    with platform.session() as session:
        row = queries.get_by_ref(Candidate, session=session, source="test", external_id="c-sec")
        assert row is not None
        assert row.name == "Test Person A" and row.location == "Oxford, UK"
        assert row.skills[:2] == ["penetration testing", "Burp Suite"]
        assert row.preferred_locations == ["Zhengzhou"] and row.consent_to_contact is True
        assert row.highest_degree == 3  # MSc
        [education] = row.education
        assert (education.school, education.degree, education.major) == (
            "University of Oxford",
            "MSc",
            "Cyber Security",
        )
        assert education.degree_level == 3 and education.end_year == 2025
        assert education.major_code is not None  # mapped to the catalogue on import
        assert row.imported_at is not None and row.record_hash and row.text_hash


def test_reimporting_the_same_file_changes_nothing(platform: Platform, import_file: ImportFile) -> None:
    import_file("jobs", SAMPLES / "crosslingual_jobs.jsonl")
    with platform.session() as session:
        before = {j.external_id: (j.id, j.imported_at, j.record_hash) for j in session.scalars(select(Job))}
    again = import_file("jobs", SAMPLES / "crosslingual_jobs.jsonl")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 10)
    assert again.changed_ids == []
    with platform.session() as session:
        after = {j.external_id: (j.id, j.imported_at, j.record_hash) for j in session.scalars(select(Job))}
    assert after == before


def test_a_changed_record_is_updated_in_place(platform: Platform, import_file: ImportFile, tmp_path: Path) -> None:
    import_file("jobs", SAMPLES / "crosslingual_jobs.jsonl")
    record = json.loads((SAMPLES / "crosslingual_jobs.jsonl").read_text(encoding="utf-8").splitlines()[0])
    record["salary_max"] = 40000
    report = import_file("jobs", write_lines(tmp_path / "one.jsonl", [json.dumps(record, ensure_ascii=False)]))
    assert (report.inserted, report.updated) == (0, 1)
    with platform.session() as session:
        rows = session.scalars(select(Job).where(Job.external_id == record["external_id"])).all()
        assert len(rows) == 1 and rows[0].salary_max == 40000
        assert report.changed_ids == [rows[0].id]


def test_bad_lines_are_reported_by_number_and_good_lines_go_in(
    platform: Platform,
    import_file: ImportFile,
    tmp_path: Path,
    table_counts: Callable[[], dict[str, int]],
) -> None:
    good = {"source": "t", "external_id": "ok-1", "title": "Java开发工程师", "location": "郑州市"}
    lines = [
        json.dumps(good, ensure_ascii=False),
        '{"source": "t", "external_id": "broken", "title": ',  # 2: not JSON
        json.dumps({"source": "t", "external_id": "no-title"}),  # 3: missing title
        "",  # blank lines are skipped, not errors
        json.dumps({**good, "external_id": "ok-2", "salary_min": 30000, "salary_max": 10000}),  # 5: min > max
        json.dumps({**good, "external_id": "ok-3", "min_degree": "wizard"}),  # 6: unknown degree
        "[1, 2]",  # 7: not an object
        json.dumps({**good, "external_id": "ok-4", "unknown_field": 1}),  # 8: unknown field
        json.dumps({**good, "external_id": "ok-5"}),
    ]
    report = import_file("jobs", write_lines(tmp_path / "mixed.jsonl", lines))
    assert report.inserted == 2
    assert [e.line for e in report.errors] == [2, 3, 5, 6, 7, 8]
    reasons = {e.line: e.reason for e in report.errors}
    assert "not valid JSON" in reasons[2]
    assert "title" in reasons[3]
    assert "salary_min" in reasons[5]
    assert "wizard" in reasons[6]
    assert "JSON object" in reasons[7]
    assert "unknown_field" in reasons[8]
    assert table_counts()["jobs"] == 2


def test_a_bad_file_leaves_stored_rows_intact(
    platform: Platform, import_file: ImportFile, tmp_path: Path, table_counts: Callable[[], dict[str, int]]
) -> None:
    import_file("candidates", SAMPLES / "crosslingual_candidates.jsonl")
    before = table_counts()
    with platform.session() as session:
        names = sorted(session.scalars(select(Candidate.name)))
    bad = write_lines(tmp_path / "bad.jsonl", ["not json", '{"source": "test", "external_id": "c-sec"}', "{}"])
    report = import_file("candidates", bad)
    assert len(report.errors) == 3 and report.inserted == report.updated == 0
    assert table_counts() == before
    with platform.session() as session:
        assert sorted(session.scalars(select(Candidate.name))) == names


def test_scraped_text_with_nul_characters_imports_on_every_database(platform: Platform) -> None:
    """PostgreSQL refuses NUL in text; records drop it so the same file imports on SQLite and PostgreSQL."""
    lines = [
        json.dumps(
            {"source": "t", "external_id": "e1", "name": "示例\u0000企业", "extras": {"k": ["a\u0000b"]}},
            ensure_ascii=False,
        ),
        json.dumps({"source": "t", "external_id": "e2", "name": "x" * 300}),
    ]
    with platform.session() as session:
        report = Importer(session, "enterprises").run(lines)
    assert report.inserted == 2 and not report.errors
    with platform.session() as session:
        assert queries.count(Enterprise, session=session) == 2
        row = queries.get_by_ref(Enterprise, session=session, source="t", external_id="e1")
        assert row is not None and row.name == "示例企业" and row.extras == {"k": ["ab"]}


def test_nul_characters_written_or_queried_elsewhere_are_refused_on_every_database(platform: Platform) -> None:
    """Text that does not come through a record (accounts, notes, lookups) keeps its NUL: the engine refuses it with
    Invalid on SQLite as on PostgreSQL, whose driver would fail with an error the API can only show as a 500."""
    with pytest.raises(Invalid, match="NUL"), platform.session() as session:
        session.add(Account(role="admin", name="a\x00b"))
        session.flush()
    with pytest.raises(Invalid, match="NUL"), platform.session() as session:  # several rows in one statement
        session.add_all([Account(role="admin", name="ok"), Account(role="admin", name="\x00")])
        session.flush()
    with pytest.raises(Invalid, match="NUL"), platform.session() as session:
        session.scalars(select(Account).where(Account.name == "\x00")).all()
    with platform.session() as session:
        assert session.scalars(select(Account)).all() == []


def test_jobs_link_to_their_enterprise_and_map_majors(platform: Platform, tmp_path: Path) -> None:
    enterprise = {"source": "t", "external_id": "ent-1", "name": "示例科技有限公司", "industry": "电子信息"}
    job = {
        "source": "t",
        "external_id": "job-1",
        "title": "嵌入式软件工程师",
        "enterprise_external_id": "ent-1",
        "majors": ["计算机类", "电子信息工程"],
        "min_degree": "本科",
    }
    with platform.session() as session:
        Importer(session, "enterprises").run([json.dumps(enterprise, ensure_ascii=False)])
        platform.importer(session, "jobs").run([json.dumps(job, ensure_ascii=False)])
    with platform.session() as session:
        row = queries.get_by_ref(Job, session=session, source="t", external_id="job-1")
        assert row is not None and row.enterprise_row is not None
        assert row.employer == "示例科技有限公司" and row.enterprise_name == ""
        assert row.major_codes == ["0809", "080701"]  # a class, then a major
        assert row.min_degree == 2


def test_undecodable_deep_and_non_finite_lines_are_bad_lines_not_crashes(
    platform: Platform, import_file: ImportFile, tmp_path: Path
) -> None:
    ok = '{"source": "t", "external_id": "ok", "title": "数据分析师"}'.encode()
    path = tmp_path / "odd.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf"
        + ok
        + b"\n"  # 1: a byte-order mark is fine
        + b'{"source": "t", "external_id": "latin1", "title": "caf\xe9"}\n'  # 2: not UTF-8
        + b'{"source": "t", "external_id": "deep", "title": "x", "extras": {"a": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}}\n"  # 3: nested too deep
        + b'{"source": "t", "external_id": "inf", "title": "x", "salary_min": Infinity}\n'  # 4: not finite
        + b'{"source": "t", "external_id": "nan", "title": "x", "extras": {"v": NaN}}\n'  # 5: NaN in extras
        + ok.replace(b'"ok"', b'"ok-2"')
        + b"\n"
    )
    with platform.session() as session, path.open("rb") as lines:
        report = Importer(session, "jobs").run(lines)
    assert report.inserted == 2
    assert [e.line for e in report.errors] == [2, 3, 4, 5]
    reasons = [e.reason for e in report.errors]
    assert "UTF-8" in reasons[0] and "deep" in reasons[1] and "salary_min" in reasons[2] and "NaN" in reasons[3]


def test_values_too_long_for_a_column_are_refused_on_every_database(platform: Platform) -> None:
    lines = [
        json.dumps({"source": "t", "external_id": "long", "name": "x" * 301}),
        json.dumps({"source": "t", "external_id": "ok", "name": "x" * 300}),
    ]
    with platform.session() as session:
        report = Importer(session, "enterprises").run(lines)
    assert report.inserted == 1 and [e.line for e in report.errors] == [1] and "300" in report.errors[0].reason


def test_times_keep_their_instant(platform: Platform) -> None:
    line = json.dumps(
        {"source": "t", "external_id": "tz", "name": "示例", "fetched_at": "2024-01-01T10:00:00+08:00"},
        ensure_ascii=False,
    )
    with platform.session() as session:
        Importer(session, "enterprises").run([line])
    with platform.session() as session:
        row = queries.get_by_ref(Enterprise, session=session, source="t", external_id="tz")
        assert row is not None and row.fetched_at is not None
        assert row.fetched_at.isoformat() == "2024-01-01T02:00:00+00:00"
        assert row.imported_at.tzinfo is not None


def test_a_job_imported_before_its_enterprise_is_linked_when_it_arrives(platform: Platform) -> None:
    job = {"source": "t", "external_id": "job-1", "title": "数据工程师", "enterprise_external_id": "ent-9"}
    enterprise = {"source": "t", "external_id": "ent-9", "name": "后到的示例企业"}
    with platform.session() as session:
        Importer(session, "jobs").run([json.dumps(job, ensure_ascii=False)])
        Importer(session, "enterprises").run([json.dumps(enterprise, ensure_ascii=False)])
    with platform.session() as session:
        row = queries.get_by_ref(Job, session=session, source="t", external_id="job-1")
        assert row is not None and row.enterprise_row is not None and row.enterprise_row.name == "后到的示例企业"
        again = Importer(session, "jobs").run([json.dumps(job, ensure_ascii=False)])
        assert again.unchanged == 1


def test_degrees_are_stored_by_level_so_exports_reimport_unchanged(platform: Platform) -> None:
    job = {"source": "t", "external_id": "job-2", "title": "算法工程师", "min_degree": "硕士研究生"}
    with platform.session() as session:
        Importer(session, "jobs").run([json.dumps(job, ensure_ascii=False)])
        assert Importer(session, "jobs").run([json.dumps({**job, "min_degree": "master"})]).unchanged == 1
