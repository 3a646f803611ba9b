"""The priority-major list: ranked by shortage, every row traceable to its jobs, changing when jobs change."""

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from matcher.demo.generator import generate
from matcher.errors import Invalid
from matcher.ingest.importer import ImportReport
from matcher.office import priority
from matcher.platform import Platform
from matcher.reference import leading_industries
from matcher.store.models import Job

AS_OF = date(2026, 11, 30)


@pytest.fixture
def demo(platform: Platform, import_file: Callable[[str, Path], ImportReport], tmp_path: Path) -> Platform:
    files = generate(tmp_path / "demo", seed=3, candidates=300, jobs=120, enterprises=12)
    for kind in ("enterprises", "jobs", "candidates"):
        import_file(kind, files[kind])
    return platform


def compute(platform: Platform, as_of: date = AS_OF) -> priority.PriorityList:
    config, hashed = leading_industries.load_config()
    with platform.session() as session:
        result = priority.compute_priority(session, config, hashed, as_of)
        return priority.compare_with_previous(session, result, priority.period_of(as_of))


def test_the_list_is_ranked_and_every_row_has_its_evidence(demo: Platform) -> None:
    result = compute(demo)
    entries = result.entries
    assert result.jobs_counted == 120 and result.candidates_counted == 300 and len(entries) > 20
    assert [e.rank for e in entries] == list(range(1, len(entries) + 1))
    assert [e.shortage for e in entries] == sorted((e.shortage for e in entries), reverse=True)
    assert [e.stars for e in entries] == sorted((e.stars for e in entries), reverse=True)
    assert entries[0].stars == 5 and entries[-1].stars == 1
    assert abs(sum(e.demand_per_mille for e in entries) - 1000) < 1
    with demo.session() as session:
        jobs = {job.id: job for job in session.scalars(select(Job))}
    for entry in entries:
        assert entry.jobs >= 1 and entry.example_jobs and entry.top_industries
        for example in entry.example_jobs:  # each example names the major, or its class
            codes = jobs[example["id"]].major_codes
            assert entry.code in codes or entry.code[:4] in codes
        assert abs(sum(i["share"] for i in entry.top_industries) - 1) < 0.01 or len(entry.top_industries) == 3


def test_adding_jobs_raises_a_major_and_snapshots_show_the_change(
    demo: Platform, import_file: Callable[[str, Path], ImportReport], tmp_path: Path
) -> None:
    config, hashed = leading_industries.load_config()
    with demo.session() as session:
        before = priority.compute_priority(session, config, hashed, AS_OF)
        priority.save_snapshot(session, before, "2026-10")
    middle = before.entries[len(before.entries) // 2]
    new_jobs = tmp_path / "new.jsonl"
    new_jobs.write_text(
        "".join(
            json.dumps(
                {
                    "source": "test",
                    "external_id": f"extra-{n}",
                    "title": f"研发工程师 {n}",
                    "industry": "电子信息",
                    "majors": [middle.name],
                    "min_degree": "master",
                    "posted_at": "2026-11-20",
                },
                ensure_ascii=False,
            )
            + "\n"
            for n in range(8)
        ),
        encoding="utf-8",
    )
    import_file("jobs", new_jobs)
    after = compute(demo)
    moved = next(e for e in after.entries if e.code == middle.code)
    assert moved.demand > middle.demand and moved.rank < middle.rank and moved.jobs == middle.jobs + 8
    assert after.previous_period == "2026-10" and moved.rank_change == middle.rank - moved.rank > 0


def test_a_bad_configuration_is_refused_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("industries: {电子信息: {weight: -1}}\n", encoding="utf-8")
    with pytest.raises(Invalid, match="priority configuration"):
        leading_industries.load_config(bad)
    bad.write_text("industries: [\n", encoding="utf-8")
    with pytest.raises(Invalid, match="is not valid YAML"):
        leading_industries.load_config(bad)
    config, _ = leading_industries.load_config()
    assert config.leading_industry("新能源及智能网联汽车") == "新能源汽车"
    assert config.leading_industry("BeiDou navigation") == "北斗导航与卫星应用"
    assert config.leading_industry("餐饮") is None
    assert config.leading_industry("Retail") is None and config.leading_industry("AI chips") == "人工智能"
    bad.write_bytes(b"industries: \xff\xfe\n")
    with pytest.raises(Invalid, match="cannot read"):
        leading_industries.load_config(bad)


def test_a_day_the_window_cannot_fit_in_the_calendar_is_refused(platform: Platform) -> None:
    """Found by the OpenAPI fuzz run: 0001-01-01 and 9999-12-31 overflowed the date arithmetic (a 500)."""
    config, hashed = leading_industries.load_config()
    first, last = date.min + timedelta(days=config.window_days), date.max - timedelta(days=1)
    with platform.session() as session:
        for day in (date.min, first - timedelta(days=1), date.max):
            with pytest.raises(Invalid, match="out of range"):
                priority.compute_priority(session, config, hashed, day)
        for day in (first, last):
            result = priority.compute_priority(session, config, hashed, day)
            assert result.as_of == day and result.window_start == day - timedelta(days=config.window_days)


def test_changes_are_measured_only_against_the_same_configuration(demo: Platform, tmp_path: Path) -> None:
    config, hashed = leading_industries.load_config()
    with demo.session() as session:
        priority.save_snapshot(session, priority.compute_priority(session, config, hashed, AS_OF), "2026-10")
    other = tmp_path / "other.yaml"
    other.write_text(
        (Path(priority.__file__).parent.parent / "data" / leading_industries.DEFAULT_CONFIG)
        .read_text(encoding="utf-8")
        .replace("other_industry_weight: 0.6", "other_industry_weight: 0.9"),
        encoding="utf-8",
    )
    other_config, other_hash = leading_industries.load_config(other)
    with demo.session() as session:
        same = priority.compare_with_previous(
            session, priority.compute_priority(session, config, hashed, AS_OF), "2026-11"
        )
        differs = priority.compare_with_previous(
            session, priority.compute_priority(session, other_config, other_hash, AS_OF), "2026-11"
        )
    assert same.previous_period == "2026-10" and all(e.rank_change == 0 for e in same.entries)
    assert differs.previous_period is None and all(e.rank_change is None for e in differs.entries)


def test_one_posting_counts_at_most_the_openings_cap(
    demo: Platform, import_file: Callable[[str, Path], ImportReport], tmp_path: Path
) -> None:
    mass = tmp_path / "mass.jsonl"
    job = {
        "source": "test",
        "external_id": "mass",
        "title": "考古研究员",
        "majors": ["考古学"],
        "posted_at": "2026-11-20",
        "extras": {"openings": 500},
    }
    mass.write_text(json.dumps(job, ensure_ascii=False) + "\n", encoding="utf-8")
    import_file("jobs", mass)
    entry = next(e for e in compute(demo).entries if e.name == "考古学")
    assert entry.vacancies == 20 and entry.jobs == 1
