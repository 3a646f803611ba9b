"""`talent majors map` and `talent eval`: mapping degree names to the catalogue, and measuring it."""

import csv
import io
import json
from pathlib import Path

from tests.cli.conftest import Talent


def test_map_one_text_as_table_and_json(talent: Talent) -> None:
    table = talent("majors", "map", "MSc Cyber Security", "-n", "3")
    assert table.exit_code == 0, table.stderr
    assert table.output.splitlines()[0].startswith("1. 080911TK 网络空间安全")
    found = json.loads(talent("majors", "map", "BEng Electrical and Electronic Engineering", "--json").output)
    assert found["text"] == "BEng Electrical and Electronic Engineering"
    assert found["results"][0]["code"] == "080601" and len(found["results"]) == 5
    assert [r["score"] for r in found["results"]] == sorted((r["score"] for r in found["results"]), reverse=True)
    assert set(found["results"][0]) == {"code", "name", "class_name", "category_name", "score"}


def test_map_a_file_gives_one_json_line_per_line_in_order(talent: Talent, tmp_path: Path) -> None:
    texts = ["MSc Cyber Security", "", "金融学", "080901", "Master of Financial Engineering", "x" * 400]
    (tmp_path / "in.txt").write_text("\n".join(texts) + "\n", encoding="utf-8")
    result = talent("majors", "map", "--file", str(tmp_path / "in.txt"), "-n", "1")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["text"] for line in lines] == texts
    assert [[r["code"] for r in line["results"]] for line in lines] == [
        ["080911TK"],
        [],
        ["020301K"],
        ["080901"],
        ["020302"],
        [],  # longer than a degree name can be: no answer rather than a guess
    ]


def test_map_refuses_bad_input_in_one_line(talent: Talent, tmp_path: Path) -> None:
    for args in (("majors", "map"), ("majors", "map", "x", "--file", "f.txt"), ("majors", "map", " ")):
        result = talent(*args)
        assert result.exit_code == 2 and result.stderr.startswith("error: "), result.stderr
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00bad")
    result = talent("majors", "map", "--file", str(tmp_path / "bad.txt"))
    assert result.exit_code == 2 and "not UTF-8" in result.stderr


def test_eval_prints_the_figures_and_the_misses(talent: Talent, tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.csv"
    labelled.write_text(
        "text,code,language\nMSc Cyber Security,080911TK,en\nBachelor of Nursing,101101K,en\n"
        "计算机专业,080901,zh\nMaster of Data Science,080910T,en\n",
        encoding="utf-8",
    )
    report = json.loads(talent("eval", "majors", str(labelled), "--json").output)
    overall = report["overall"]
    assert overall["n"] == 4 and 0.5 <= overall["at_1"] <= overall["at_5"] <= 1
    assert set(report["by_language"]) == {"en", "zh"}
    text = talent("eval", "majors", str(labelled))
    assert text.exit_code == 0 and text.output.startswith("all        n=4")
    labelled.write_text("text,code\nMSc Physics,999999\n", encoding="utf-8")
    bad = talent("eval", "majors", str(labelled))
    assert bad.exit_code == 2 and "line 2: '999999' is not a code" in bad.stderr


def test_occupations_map_and_eval(talent: Talent, tmp_path: Path) -> None:
    table = talent("occupations", "map", "急招叉车司机 五险一金", "-n", "3")
    assert table.exit_code == 0 and len(table.output.splitlines()) == 4, table.stderr
    assert table.output.splitlines()[-1].startswith("a job titled so shows: ")  # with its confidence
    (tmp_path / "titles.txt").write_text("Registered Nurse - Paediatrics\n\n销售代表（二七区）\n", encoding="utf-8")
    lines = [
        json.loads(x)
        for x in talent("occupations", "map", "--file", str(tmp_path / "titles.txt")).output.split("\n")
        if x
    ]
    assert [len(line["results"]) for line in lines] == [5, 0, 5]
    assert {"code", "name", "group_code", "group_name", "score"} == set(lines[0]["results"][0])
    labelled = tmp_path / "titles.csv"
    labelled.write_text(
        "text,code\nRegistered Nurse - Paediatrics,2-05-08-02\n幼儿园教师,2-08-03-00\n", encoding="utf-8"
    )
    report = json.loads(talent("eval", "occupations", str(labelled), "--json").output)
    assert report["overall"]["n"] == 2 and report["overall"]["group_at_1"] is not None
    assert sum(band["n"] for band in report["reliability"]) == 2 and report["shown"]["n"] == 2
    # A gold group (a labeller's 2-05-00-00, 卫生专业技术人员) counts any occupation under it as right.
    labelled.write_text(
        "text,code,language\nRegistered Nurse - Paediatrics,2-05-00-00,en\n儿科护士,2-05-08-02,zh\n"
        "Senior BMS Engineer (Zhengzhou),6-00-00-00,en\n",
        encoding="utf-8",
    )
    text = talent("eval", "occupations", str(labelled))
    assert text.exit_code == 0, text.stderr
    assert text.output.startswith("all        n=3    accuracy@1 66.7%")
    # 儿科护士 is the occupation's own name and "Registered Nurse" a known title: seen, counted apart.
    assert "unseen     n=1" in text.output
    assert "reliability:" in text.output and "confidence 0.8–1.0" in text.output
    assert "get a code" in text.output and "'occupation uncertain'" in text.output
    labelled.write_text("text,code\n护士,2-05-08-00x\n", encoding="utf-8")
    assert talent("eval", "occupations", str(labelled)).exit_code == 2


def test_priority_list_as_csv_json_and_xlsx(talent: Talent, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from matcher.demo.generator import generate

    files = generate(tmp_path / "demo", seed=3, candidates=120, jobs=60, enterprises=8)
    for kind in ("enterprises", "jobs", "candidates"):
        assert talent("import", kind, str(files[kind])).exit_code == 0
    result = talent("majors", "priority", "--format", "csv", "--as-of", "2026-11-30")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))
    assert all(r["example_jobs"].startswith("#") and r["top_industries"] for r in rows)
    saved = talent("majors", "priority", "--format", "json", "--as-of", "2026-10-31", "--save", "-n", "5")
    assert json.loads(saved.output)["entries"][0]["rank"] == 1
    later = json.loads(talent("majors", "priority", "--format", "json", "--as-of", "2026-11-30").output)
    assert later["previous_period"] == "2026-10"
    book = tmp_path / "priority.xlsx"
    assert talent("majors", "priority", "--format", "xlsx", "--output", str(book), "-n", "10").exit_code == 0
    sheet = load_workbook(book)["priority majors"]
    assert sheet.max_row == 11 and sheet["A1"].value == "rank"
    assert talent("majors", "priority", "--format", "xlsx").exit_code == 2
    guide = talent("majors", "catalogue", "--as-of", "2026-11-30")
    assert guide.exit_code == 0 and guide.output.startswith("# 引进海归青年人才目录指南")
    assert "## 电子信息" in guide.output and "occupations in demand" in guide.output
    table = list(csv.DictReader(io.StringIO(talent("majors", "catalogue", "--format", "csv").output)))
    assert {row["kind"] for row in table} <= {"occupation", "major", "employer"} and table
    assert talent("majors", "priority", "--as-of", "yesterday").exit_code == 2


def test_match_candidate_industries(talent: Talent) -> None:
    samples = Path(__file__).resolve().parent.parent / "samples"
    talent("import", "jobs", str(samples / "crosslingual_jobs.jsonl"))
    talent("import", "candidates", str(samples / "crosslingual_candidates.jsonl"))
    fits = json.loads(talent("match", "candidate", "test:c-gnss", "--industries", "--json").output)
    assert fits[0]["industry"] == "北斗导航与卫星应用" and fits[0]["example_jobs"]
    table = talent("match", "candidate", "test:c-gnss", "--industries")
    assert table.exit_code == 0 and table.output.startswith("1. 北斗导航与卫星应用")
    wrong = talent("match", "job", "test:j-gnss", "--industries")
    assert wrong.exit_code == 2 and "--industries is for" in wrong.stderr


def test_eval_parity_on_the_samples_and_its_errors(talent: Talent, tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parent.parent / "samples"
    assert talent("import", "jobs", str(samples / "crosslingual_jobs.jsonl")).exit_code == 0
    assert talent("import", "candidates", str(samples / "crosslingual_candidates.jsonl")).exit_code == 0
    built = talent("index", "build")
    assert built.exit_code == 0
    twins = Path(__file__).resolve().parents[2] / "eval" / "twins.jsonl"
    first_two = "\n".join(twins.read_text(encoding="utf-8").splitlines()[:2])
    (tmp_path / "twins.jsonl").write_text(first_two, encoding="utf-8")
    report = json.loads(talent("eval", "parity", str(tmp_path / "twins.jsonl"), "--json").output)
    assert report["n"] == 8 and {q["query_kind"] for q in report["queries"]} == {"job", "candidate"}
    assert all(q["same_rank"] is not None and q["cross_rank"] is not None for q in report["queries"])
    text = talent("eval", "parity", str(tmp_path / "twins.jsonl"))
    assert text.exit_code == 0 and "median gap" in text.output.splitlines()[-1]
    again = talent("index", "build")  # nothing of the twins was stored: the same rows as before
    assert again.exit_code == 0 and again.output.split(",")[0] == built.output.split(",")[0]
    assert "vectors" in built.output
    (tmp_path / "bad.jsonl").write_text('{"id": "x"}\n', encoding="utf-8")
    bad = talent("eval", "parity", str(tmp_path / "bad.jsonl"))
    assert bad.exit_code == 2 and "line 1: a group needs twins" in bad.stderr
    assert talent("eval", "parity").exit_code == 2
    no_truth = talent("eval", "exposure")
    assert no_truth.exit_code == 2 and "ground truth" in no_truth.stderr
