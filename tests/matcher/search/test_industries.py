"""Industry profiles: built once, reused while the jobs stay the same, rebuilt when a job changes."""

import json
from collections.abc import Callable
from pathlib import Path

from matcher.ingest.importer import ImportReport
from matcher.platform import Platform


def test_profiles_are_reused_until_the_jobs_change(
    loaded: Platform, import_file: Callable[[str, Path], ImportReport], tmp_path: Path
) -> None:
    with loaded.session() as session:
        first = loaded.industry_profiles(session)
        assert first is not None and loaded.industry_profiles(session) is first
    new_job = {
        "source": "test",
        "external_id": "j-extra-battery",
        "title": "动力电池工艺工程师",
        "enterprise": "测试企业九",
        "industry": "新能源汽车",
        "description": "负责锂电池电芯制造工艺开发与量产导入。",
        "location": "郑州",
    }
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps(new_job, ensure_ascii=False) + "\n", encoding="utf-8")
    import_file("jobs", extra)
    with loaded.session() as session:
        second = loaded.industry_profiles(session)
    assert second is not None and second is not first
    titles = [job.title for job in second.jobs["新能源汽车"]]
    assert "动力电池工艺工程师" in titles and len(titles) == len(first.jobs.get("新能源汽车", [])) + 1
