"""The `talent` command line, run in-process (CliRunner) and, for the entry point itself, as a subprocess."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from cli.main import app
from tests.cli.conftest import Talent

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DOCS = Path(__file__).resolve().parent.parent.parent / "docs"


def test_import_index_search_match_export(talent: Talent, tmp_path: Path) -> None:
    assert talent("init").exit_code == 0
    result = talent("import", "jobs", str(SAMPLES / "crosslingual_jobs.jsonl"))
    assert result.exit_code == 0 and "10 inserted" in result.output
    assert talent("import", "candidates", str(SAMPLES / "crosslingual_candidates.jsonl")).exit_code == 0
    built = talent("index", "build")
    assert built.exit_code == 0 and "candidates: 10 vectors" in built.output and "jobs: 10 vectors" in built.output

    found = json.loads(talent("search", "candidates", "渗透测试", "--limit", "2", "--json").output)
    assert len(found) == 2 and found[0]["external_id"] == "c-sec"
    assert {"id", "source", "external_id", "score", "explanation"} <= set(found[0])

    matched = json.loads(talent("match", "job", "test:j-bms", "-n", "3", "--json").output)
    assert "c-bms" in [m["external_id"] for m in matched]
    by_id = json.loads(talent("match", "candidate", str(matched[0]["id"]), "--json").output)
    assert isinstance(by_id, list) and by_id

    table = talent("match", "job", "test:j-gnss", "--limit", "3")
    assert table.exit_code == 0 and "测绘工程" in table.output

    out = tmp_path / "export" / "jobs.jsonl"
    exported = talent("export", "jobs", str(out))
    assert exported.exit_code == 0 and len(out.read_text(encoding="utf-8").splitlines()) == 10


def test_an_import_is_logged_for_the_indexes_and_found_by_the_next_search(talent: Talent, tmp_path: Path) -> None:
    talent("import", "jobs", str(SAMPLES / "crosslingual_jobs.jsonl"))
    talent("index", "build", "--kind", "jobs")
    again = talent("import", "jobs", str(SAMPLES / "crosslingual_jobs.jsonl"))
    assert again.exit_code == 0 and "10 unchanged" in again.output and "logged for the indexes" not in again.output
    changed = tmp_path / "changed.jsonl"
    changed.write_text(
        '{"source": "test", "external_id": "j-new", "title": "量子计算算法研究员", "description": "量子纠错研究"}\n',
        encoding="utf-8",
    )
    result = talent("import", "jobs", str(changed))
    assert "1 inserted" in result.output and "1 jobs logged for the indexes (1 texts encoded)" in result.output
    found = json.loads(talent("search", "jobs", "quantum computing", "--json", "-n", "1").output)
    assert found[0]["external_id"] == "j-new"


def test_a_file_with_bad_lines_imports_the_good_ones_and_fails(talent: Talent, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"source": "t", "external_id": "1", "title": "数据分析师"}\n{oops\n{"source": "t", "external_id": "2"}\n',
        encoding="utf-8",
    )
    result = talent("import", "jobs", str(path))
    assert result.exit_code == 1
    assert "1 inserted" in result.output and "2 bad lines" in result.output
    assert "line 2: not valid JSON" in result.stderr and "line 3: title" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("match", "job", "999999"), "job 999999 not found"),
        (("match", "candidate", "nosuch:ref"), "candidate nosuch:ref not found"),
        (("match", "job", "not-a-ref"), "SOURCE:EXTERNAL_ID"),
        (("search", "jobs", "   "), "empty"),
        (("search", "jobs", "x", "--min-degree", "wizard"), "unknown degree"),
        (("import", "jobs", "/nonexistent/file.jsonl"), "No such file"),
        (("match", "job", "²"), "not a job reference"),
        (("match", "job", "99999999999999999999"), "job 99999999999999999999 not found"),
        (("match", "job", "3000000000"), "job 3000000000 not found"),
        (("bench", "--sizes", "0"), "--sizes"),
        (("bench", "--sizes", "-5"), "--sizes"),
    ],
)
def test_bad_input_is_one_readable_line(talent: Talent, args: tuple[str, ...], message: str) -> None:
    talent("import", "jobs", str(SAMPLES / "crosslingual_jobs.jsonl"))
    talent("import", "candidates", str(SAMPLES / "crosslingual_candidates.jsonl"))
    talent("index", "build")
    result = talent(*args)
    assert result.exit_code != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and message in errors[0], result.stderr
    assert "Traceback" not in result.stderr


def test_search_before_any_index_builds_it_from_the_database(talent: Talent) -> None:
    talent("import", "jobs", str(SAMPLES / "crosslingual_jobs.jsonl"))
    result = talent("search", "jobs", "engineer", "--json", "-n", "1")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.output)) == 1


def test_demo_direct_imports_synthetic_data_and_builds_indexes(talent: Talent) -> None:
    """`talent demo --direct`: the generated files imported without the crawl (tests/cli/test_demo.py crawls)."""
    result = talent("demo", "--direct", "--candidates", "40", "--jobs", "15", "--enterprises", "5")
    assert result.exit_code == 0, result.stderr
    assert "candidates: 40 inserted" in result.output and "jobs: 15 inserted" in result.output
    assert "candidates index: 40 vectors" in result.output
    found = json.loads(talent("search", "jobs", "工程师", "--json", "-n", "3").output)
    assert found and all(item["source"] == "synthetic-demo" for item in found)
    again = talent("demo", "--direct", "--candidates", "40", "--jobs", "15", "--enterprises", "5")
    assert "candidates: 0 inserted, 0 updated, 40 unchanged" in again.output


def test_bench_prints_figures(talent: Talent) -> None:
    result = talent("bench", "--json", "--texts", "20", "--sizes", "2000")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.output)
    assert report["encoder"]["texts_per_second"] > 0
    assert [row["data"] for row in report["index"]] == ["demo-embeddings", "clustered"]
    for row in report["index"]:
        assert row["n"] == 2000 and 0 <= row["recall_at_k"] <= 1 and row["exact_p50_ms"] > 0
    bad = talent("bench", "--sizes", "ten")
    assert bad.exit_code != 0 and "--sizes" in bad.stderr


def test_a_bad_setting_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "TALENT_DATA_DIR": str(tmp_path), "TALENT_WEIGHT_DENSE": "-1"}
    talent = Path(sys.executable).parent / "talent"
    result = subprocess.run([str(talent), "init"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: setting TALENT_WEIGHT_DENSE: Input should be greater than or equal to 0"


def commands() -> Iterator[tuple[str, ...]]:
    """Every leaf command's path, e.g. ("index", "build")."""
    stack: list[tuple[object, tuple[str, ...]]] = [(typer.main.get_command(app), ())]
    while stack:
        command, path = stack.pop()
        sub = getattr(command, "commands", None)
        if sub:
            for name, child in sub.items():
                stack.append((child, (*path, name)))
        else:
            yield path


def test_every_command_has_help_and_is_documented() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    cli_doc = (DOCS / "cli.md").read_text(encoding="utf-8")
    runner = CliRunner()
    found = sorted(commands())
    assert ("index", "build") in found and ("match",) in found
    for path in found:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output
        assert f"talent {' '.join(path)}" in cli_doc + readme, f"talent {' '.join(path)} is not documented"


def test_the_installed_entry_point_runs_without_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "TALENT_DATA_DIR": str(tmp_path)}
    talent = Path(sys.executable).parent / "talent"
    shown = subprocess.run([str(talent), "--help"], capture_output=True, text=True, env=env, timeout=120)
    assert shown.returncode == 0 and "search" in shown.stdout
    for args, says in [
        (["match", "job"], "Missing argument 'ref'"),
        (["search", "people", "x"], "'people'"),
        (["match", "job", "1", "--limit", "0"], "--limit"),
        (["nonsense"], "No such command"),
    ]:
        wrong = subprocess.run([str(talent), *args], capture_output=True, text=True, env=env, timeout=120)
        assert wrong.returncode == 2, args
        lines = wrong.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and says in lines[0], wrong.stderr
    missing = subprocess.run([str(talent), "match", "job", "42"], capture_output=True, text=True, env=env, timeout=120)
    assert missing.returncode != 0 and missing.stderr.strip().count("\n") == 0 and "Traceback" not in missing.stderr
