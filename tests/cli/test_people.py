"""`talent eval people` and `talent bench --people`: duplicate resolution measured from the command line."""

import json
from pathlib import Path

from sqlalchemy import select

from matcher.platform import Platform
from matcher.store.models import Candidate
from tests.cli.conftest import Talent

ORCID = "0000-0002-1825-0097"


def _pair(pair: str, same: bool, a: dict[str, object], b: dict[str, object]) -> str:
    return json.dumps({"pair": pair, "same": same, "kind": "k", "a": a, "b": b}, ensure_ascii=False)


def test_eval_people_reports_precision_recall_and_the_misses(talent: Talent, tmp_path: Path) -> None:
    imperial = [{"school": "Imperial College London", "degree": "MSc", "end_year": 2021}]
    lines = [
        _pair(
            "p1",
            True,
            {
                "source": "orcid",
                "external_id": "1",
                "name": "Wenjing Li",
                "headline": "Chemist",
                "extras": {"orcid": ORCID},
            },
            {"source": "signup", "external_id": "2", "name": "李文静", "summary": f"ORCID: {ORCID}"},
        ),
        _pair(
            "p2",
            False,
            {"source": "signup", "external_id": "3", "name": "李文静", "education": imperial},
            {"source": "signup", "external_id": "4", "name": "林文静", "education": imperial},
        ),
        _pair(
            "p3",
            True,  # the same person with nothing in common on record: a miss, listed
            {"source": "signup", "external_id": "5", "name": "Wendy Li", "headline": "Chemist"},
            {"source": "signup", "external_id": "6", "name": "李文静", "headline": "化学"},
        ),
    ]
    labelled = tmp_path / "pairs.jsonl"
    labelled.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = json.loads(talent("eval", "people", str(labelled), "--json").output)
    overall = report["halves"]["all"]
    assert (overall["pairs"], overall["same"], overall["linked_right"], overall["linked_wrong"]) == (3, 2, 1, 0)
    assert overall["precision"] == 1.0 and overall["recall"] == 0.5
    assert [m["pair"] for m in report["misses"]] == ["p3"]
    text = talent("eval", "people", str(labelled))
    assert text.exit_code == 0 and "precision 100.0%  recall  50.0%" in text.output
    labelled.write_text(lines[0] + "\n" + '{"pair": "x", "same": true, "a": {}}\n', encoding="utf-8")
    bad = talent("eval", "people", str(labelled))
    assert bad.exit_code == 2 and bad.stderr.startswith("error: line 2: not a labelled pair"), bad.stderr
    labelled.write_text(lines[0] + "\n" + lines[0] + "\n", encoding="utf-8")
    assert "given twice" in talent("eval", "people", str(labelled)).stderr


def test_bench_people_prints_its_figures(talent: Talent) -> None:
    result = talent("bench", "--people", "2000", "--json")
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.output)
    assert figures["records"] == 2000 and figures["planted_duplicates"] > 50
    assert figures["planted_found"] >= 0.9 * figures["planted_duplicates"]
    assert figures["people"] < figures["records"]


def _import(talent: Talent, platform: Platform, tmp_path: Path, rows: list[dict[str, object]]) -> list[str]:
    """Import `rows` with the CLI; their ids, as the commands take them."""
    path = tmp_path / "people.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    done = talent("import", "candidates", str(path))
    assert done.exit_code == 0, done.output
    with platform.session() as session:
        ids = dict(session.execute(select(Candidate.external_id, Candidate.id)).all())
    return [str(ids[row["external_id"]]) for row in rows]


def test_people_commands_review_link_unlink_and_resolve(talent: Talent, platform: Platform, tmp_path: Path) -> None:
    orcid, upload, first, second = _import(
        talent,
        platform,
        tmp_path,
        [
            {"source": "orcid", "external_id": ORCID, "name": "Wenjing Li", "headline": "Chemist",
             "extras": {"orcid": ORCID}},
            {"source": "partner", "external_id": "p-1", "name": "李文静", "summary": f"ORCID {ORCID}"},
            {"source": "crawl", "external_id": "z-1", "name": "Zhang Haoran",
             "headline": "Bridge structural design engineer",
             "education": [{"school": "Imperial College London", "degree": "MSc", "end_year": 2024}]},
            {"source": "partner", "external_id": "z-2", "name": "张浩然", "headline": "土木工程施工管理",
             "education": [{"school": "帝国理工学院", "degree": "硕士"}]},
        ],
    )  # fmt: skip
    shown = json.loads(talent("people", "show", orcid, "--json").stdout)
    assert [r["external_id"] for r in shown["records"]] == [ORCID, "p-1"] and shown["links"][0]["status"] == "linked"
    queue = json.loads(talent("people", "duplicates", "--json").stdout)
    assert queue["total"] == 1 and [queue["pairs"][0][side]["external_id"] for side in ("first", "second")] == [
        "z-1",
        "z-2",
    ]
    assert "1 pair(s) to review" in talent("people", "duplicates").stdout
    linked = talent("people", "link", first, second)
    assert linked.exit_code == 0 and "2 record(s)" in linked.stdout
    assert json.loads(talent("people", "duplicates", "--json").stdout)["total"] == 0
    assert talent("people", "unlink", upload).stdout.strip() == f"record {upload} unlinked from {orcid}"
    assert json.loads(talent("people", "show", upload, "--json").stdout)["person_id"] is None
    resolved = json.loads(talent("people", "resolve", "--json").stdout)
    assert resolved["records"] == 4 and resolved["linked"] == 0  # the office's verdicts stay
    assert json.loads(talent("people", "show", second, "--json").stdout)["person_id"] == int(first)


def test_people_commands_refuse_bad_input_in_one_line(talent: Talent, platform: Platform, tmp_path: Path) -> None:
    (alone,) = _import(
        talent, platform, tmp_path, [{"source": "s", "external_id": "a", "name": "A B", "headline": "Chemist"}]
    )
    unknown = talent("people", "show", "99999999")
    assert unknown.exit_code == 2 and unknown.stderr.strip() == "error: candidate 99999999 not found"
    same = talent("people", "link", alone, alone)
    assert same.exit_code == 2 and same.stderr.strip() == f"error: records {alone} and {alone} are the same record"
    refused = talent("people", "unlink", alone)
    assert refused.exit_code == 2 and "linked with no other record" in refused.stderr
    assert talent("people", "show", "0").exit_code == 2  # not an id
