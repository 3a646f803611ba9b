"""`talent eval people` and `talent bench --people`: duplicate resolution measured from the command line."""

import json
from pathlib import Path

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
