"""The synthetic demo data: valid records, deterministic, real reference data, clearly labelled synthetic."""

import csv
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from matcher.degrees import DegreeLevel, parse_degree
from matcher.demo import generate
from matcher.demo import vocabulary as V
from matcher.records import RECORD_TYPES

DATA_DIR = Path(__file__).resolve().parents[3] / "matcher" / "data"
CJK = re.compile(r"[\u3400-\u9fff]")
KINDS = ["enterprises", "jobs", "candidates"]
WELL_KNOWN = [
    "宇通",
    "华为",
    "比亚迪",
    "宁德",
    "海康",
    "奇安信",
    "安图",
    "汉威",
    "多氟多",
    "超聚变",
    "富士康",
    "郑煤机",
    "三全",
    "思念",
    "双汇",
    "好想你",
    "牧原",
    "中原银行",
    "卫华",
    "中铁",
]

Rows = dict[str, list[dict[str, Any]]]


def _read(paths: dict[str, Path]) -> Rows:
    return {kind: [json.loads(line) for line in paths[kind].read_text("utf-8").splitlines()] for kind in KINDS}


@pytest.fixture(scope="module")
def catalogue() -> dict[str, str]:
    """Major name -> code."""
    with (DATA_DIR / "majors-2026.jsonl").open(encoding="utf-8") as fh:
        return {row["name"]: row["code"] for row in map(json.loads, fh)}


@pytest.fixture(scope="module")
def arwu() -> dict[str, dict[str, str]]:
    with (DATA_DIR / "arwu-2025.csv").open(encoding="utf-8", newline="") as fh:
        return {row["institution"]: row for row in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def small_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return generate(tmp_path_factory.mktemp("small"), seed=7, candidates=60, jobs=30, enterprises=10)


@pytest.fixture(scope="module")
def small(small_paths: dict[str, Path]) -> Rows:
    return _read(small_paths)


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> Rows:
    """Big enough for proportions to settle."""
    return _read(generate(tmp_path_factory.mktemp("medium"), seed=11, candidates=600, jobs=200, enterprises=30))


def test_writes_the_three_files_with_the_counts_asked_for(small_paths: dict[str, Path], small: Rows) -> None:
    assert set(small_paths) == set(KINDS)
    assert {kind: path.name for kind, path in small_paths.items()} == {kind: f"{kind}.jsonl" for kind in KINDS}
    assert [len(small[kind]) for kind in KINDS] == [10, 30, 60]


def test_every_line_validates_and_keys_come_in_schema_order(small_paths: dict[str, Path]) -> None:
    for kind in KINDS:
        model = RECORD_TYPES[kind]
        for line in small_paths[kind].read_text("utf-8").splitlines():
            record = model.model_validate_json(line)
            assert list(json.loads(line)) == list(type(record).model_fields)
            assert "\\u" not in line  # UTF-8 as is, not escaped


def test_external_ids_are_unique_and_well_formed(medium: Rows) -> None:
    patterns = {"enterprises": r"ent-\d{4}", "jobs": r"job-\d{5}", "candidates": r"cand-\d{5}"}
    for kind, pattern in patterns.items():
        ids = [row["external_id"] for row in medium[kind]]
        assert len(ids) == len(set(ids))
        assert all(re.fullmatch(pattern, i) for i in ids)


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    counts = {"candidates": 40, "jobs": 20, "enterprises": 8}
    first = generate(tmp_path / "a", seed=3, **counts)
    again = generate(tmp_path / "b", seed=3, **counts)
    other = generate(tmp_path / "c", seed=4, **counts)
    for kind in KINDS:
        assert first[kind].read_bytes() == again[kind].read_bytes()
        assert first[kind].read_bytes() != other[kind].read_bytes()


def test_everything_is_labelled_synthetic(medium: Rows) -> None:
    for kind in KINDS:
        for row in medium[kind]:
            assert row["source"] == "synthetic-demo"
            assert row["extras"]["synthetic"] is True
    assert all("合成示例数据" in ent["description"] for ent in medium["enterprises"])
    for row in medium["jobs"] + medium["enterprises"]:
        assert row["url"].startswith("https://demo.talentbridge.invalid/")


def test_enterprises_are_fictional_and_in_zhengzhou(medium: Rows) -> None:
    districts = [district.split("|")[0] for district in V.DISTRICTS]
    names = [ent["name"] for ent in medium["enterprises"]]
    assert len(names) == len(set(names))
    assert {ent["industry"] for ent in medium["enterprises"]} == set(V.INDUSTRIES)
    for ent in medium["enterprises"]:
        assert ent["location"] in {f"郑州市{d}" for d in districts}
        assert ent["name"].endswith("有限公司")
        assert not any(brand in ent["name"] for brand in [*V.BRAND_BLOCKLIST, *WELL_KNOWN])


def test_jobs_belong_to_their_enterprises_and_ask_for_real_majors(medium: Rows, catalogue: dict[str, str]) -> None:
    enterprises = {ent["external_id"]: ent for ent in medium["enterprises"]}
    assert set(enterprises) == {job["enterprise_external_id"] for job in medium["jobs"]}  # every one posts
    districts = {f"郑州市{d.split('|')[0]}" for d in V.DISTRICTS}
    for job in medium["jobs"]:
        ent = enterprises[job["enterprise_external_id"]]
        assert (job["enterprise"], job["industry"]) == (ent["name"], ent["industry"])
        assert 1 <= len(job["majors"]) <= 4
        assert all(major in catalogue for major in job["majors"])
        assert parse_degree(job["min_degree"]) in {
            DegreeLevel.BACHELOR,
            DegreeLevel.MASTER,
            DegreeLevel.DOCTORATE,
        }
        assert job["location"] in districts
        assert (job["currency"], job["salary_period"]) == ("CNY", "month")
        assert 5000 <= job["salary_min"] <= job["salary_max"] <= 80_000
        assert date(2026, 6, 1) <= date.fromisoformat(job["posted_at"]) <= date(2026, 11, 30)
        assert job["url"] == f"https://demo.talentbridge.invalid/jobs/{job['external_id']}"
        assert job["title"] and job["description"] and job["requirements"]


def test_salaries_rise_with_degree_and_for_ai_and_quant(medium: Rows) -> None:
    def median_min(jobs: list[dict[str, Any]]) -> float:
        values = sorted(job["salary_min"] for job in jobs)
        return values[len(values) // 2]

    def at(level: DegreeLevel) -> list[dict[str, Any]]:
        return [job for job in medium["jobs"] if parse_degree(job["min_degree"]) == level]

    assert 6000 <= median_min(at(DegreeLevel.BACHELOR)) < median_min(at(DegreeLevel.MASTER)) <= 40_000
    ai_and_quant = [job for job in medium["jobs"] if job["extras"]["role"] in {"quant", "llm", "ml", "cv", "adas"}]
    assert median_min(ai_and_quant) > 1.3 * median_min(medium["jobs"])


def test_candidates_studied_at_real_universities_abroad(medium: Rows, arwu: dict[str, dict[str, str]]) -> None:
    for cand in medium["candidates"]:
        assert 1 <= len(cand["education"]) <= 3
        for edu in cand["education"]:
            assert edu["school"] in arwu
            assert arwu[edu["school"]]["country_code"] != "CN"
            assert edu["country"] == arwu[edu["school"]]["country"]
            assert parse_degree(edu["degree"]) in {
                DegreeLevel.BACHELOR,
                DegreeLevel.MASTER,
                DegreeLevel.DOCTORATE,
            }
        years = [edu["end_year"] for edu in cand["education"]]
        assert years == sorted(years) and 2018 <= years[-1] <= 2027
    countries = Counter(cand["education"][-1]["country"] for cand in medium["candidates"])
    assert {"United States", "United Kingdom"} <= {country for country, _ in countries.most_common(3)}


def test_candidate_major_codes_are_real_and_match_what_is_written(medium: Rows, catalogue: dict[str, str]) -> None:
    names = {code: name for name, code in catalogue.items()}
    for cand in medium["candidates"]:
        codes = cand["extras"]["major_codes"]
        assert len(codes) == len(cand["education"])
        for code, edu in zip(codes, cand["education"], strict=True):
            assert code in names
            english = V.MAJOR_FIELDS.get(cand["extras"]["field"], {}).get(names[code], [])
            assert edu["major"] in {names[code], *english}


def test_candidate_contact_and_profile_fields(medium: Rows) -> None:
    emails = [cand["email"] for cand in medium["candidates"]]
    assert len(emails) == len(set(emails))
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+\.\d+@example\.org", email) for email in emails)
    for cand in medium["candidates"]:
        assert cand["name"] and cand["headline"] and cand["summary"] and cand["location"]
        assert 6 <= len(cand["skills"]) <= 12 and len(set(cand["skills"])) == len(cand["skills"])
        assert len(cand["experience"]) <= 3
        assert 1 <= len(cand["industries"]) <= 2 and set(cand["industries"]) <= set(V.INDUSTRIES)
        assert cand["preferred_locations"] and cand["languages"]
    consent = sum(cand["consent_to_contact"] for cand in medium["candidates"]) / len(medium["candidates"])
    assert 0.6 <= consent <= 0.8
    zhengzhou = sum(bool({"郑州", "Zhengzhou"} & set(c["preferred_locations"])) for c in medium["candidates"])
    assert zhengzhou / len(medium["candidates"]) >= 0.6


def test_language_mix(medium: Rows) -> None:
    people = medium["candidates"]
    chinese_summaries = sum(bool(CJK.search(cand["summary"])) for cand in people) / len(people)
    assert 0.5 <= chinese_summaries <= 0.7  # ~50% Chinese + ~10% mixed
    for cand in people:
        language = cand["extras"]["profile_language"]
        if language == "en":
            assert not CJK.search(cand["summary"] + cand["headline"] + cand["name"] + "".join(cand["skills"]))
        else:
            assert CJK.search(cand["name"])
        if language == "mixed":
            assert all(skill.isascii() for skill in cand["skills"])
    chinese_jobs = sum(bool(CJK.search(job["description"])) for job in medium["jobs"]) / len(medium["jobs"])
    assert 0.7 <= chinese_jobs <= 0.9  # ~80% Chinese postings
    english = [job for job in medium["jobs"] if job["extras"]["language"] == "en"]
    assert english and not any(CJK.search(job["title"] + job["description"]) for job in english)


def test_vocabulary_names_real_majors_and_universities(
    catalogue: dict[str, str], arwu: dict[str, dict[str, str]]
) -> None:
    majors = [major for names in V.MAJOR_FIELDS.values() for major in names]
    assert len(majors) == len(set(majors)) >= 120
    assert set(majors) <= set(catalogue)
    for role in V.ROLES.values():
        assert set(role["majors"]) <= set(majors)
        assert set(role["industries"]) <= set(V.INDUSTRIES)
    assert set(V.MAJOR_FIELDS) | {"general"} == set(V.FIELDS)
    for university in V.UNIVERSITIES:
        assert university in arwu and arwu[university]["country_code"] in V.COUNTRIES
    for level, families in V.DEGREES_EN.items():
        for spelling in (s for spellings in families.values() for s in spellings):
            parsed = parse_degree(spelling)
            assert parsed is not None and parsed.label == level, spelling


def test_vocabulary_english_forms_have_no_chinese() -> None:
    terms = [*V.DISTRICTS, *V.OTHER_CITIES, *V.HENAN_CITIES, *V.JOB_BONUSES, *V.TEAMS, *V.GENERIC_ORGS]
    for role in V.ROLES.values():
        terms += [role["title"], *role["skills"], *role["duties"]]
    for field in V.FIELDS.values():
        terms += [*field["skills"], *field["projects"], *field["titles"], field["duty"]]
    assert not [term for term in terms if CJK.search(term.split("|")[-1])]


def test_major_aliases_name_catalogue_majors_and_each_alias_one_major(catalogue: dict[str, str]) -> None:
    with (DATA_DIR / "major-aliases.csv").open(encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    assert header == ["code", "alias", "language"]
    assert rows and all(len(row) == 3 and row[2] == "en" for row in rows)
    pairs = [(code, alias) for code, alias, _ in rows]
    assert pairs == sorted(set(pairs))  # sorted by code then alias, no repeats
    assert {code for code, _ in pairs} <= set(catalogue.values())
    assert all(alias and alias == alias.strip() for _, alias in pairs)
    codes: dict[str, set[str]] = {}
    for code, alias in pairs:
        codes.setdefault(alias.casefold(), set()).add(code)
    assert not {alias: found for alias, found in codes.items() if len(found) > 1}
    # the demo writes the full names (not the abbreviations) of its majors' codes
    for names in V.MAJOR_FIELDS.values():
        for major, english in names.items():
            full = [alias for code, alias in pairs if code == catalogue[major] and not alias.isupper()]
            assert english == full, major


def test_editing_the_aliases_changes_only_the_major_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each English major name costs one draw however many aliases a major has, so an alias added to
    major-aliases.csv changes the names written and nothing else."""
    counts = {"candidates": 60, "jobs": 30, "enterprises": 10}
    before = generate(tmp_path / "before", seed=5, **counts)
    extra = "Demo Alias Studies"
    patched = {f: {m: [*names, extra] for m, names in majors.items()} for f, majors in V.MAJOR_FIELDS.items()}
    monkeypatch.setattr(V, "MAJOR_FIELDS", patched)
    after = generate(tmp_path / "after", seed=5, **counts)
    names = sorted({name for majors in patched.values() for found in majors.values() for name in found}, key=len)

    def masked(path: Path) -> str:
        text = path.read_text("utf-8")
        for name in reversed(names):  # longest first
            text = text.replace(name, "<major>")
        return text

    assert any(extra in after[kind].read_text("utf-8") for kind in KINDS)
    assert all(masked(before[kind]) == masked(after[kind]) for kind in KINDS)


def test_rejects_impossible_counts(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        generate(tmp_path, jobs=5, enterprises=0)


@pytest.mark.slow
def test_default_size_and_majors_follow_demand(tmp_path: Path, catalogue: dict[str, str]) -> None:
    rows = _read(generate(tmp_path))
    assert [len(rows[kind]) for kind in KINDS] == [80, 500, 2000]
    wanted = {catalogue[major] for job in rows["jobs"] for major in job["majors"]}
    latest = [cand["extras"]["major_codes"][-1] for cand in rows["candidates"]]
    share = sum(code in wanted for code in latest) / len(latest)
    assert 0.75 <= share < 1.0  # mostly what the jobs ask for, with a tail of other majors
    fields = Counter(cand["extras"]["field"] for cand in rows["candidates"])
    core = {
        "cs",
        "ai",
        "security",
        "electronics",
        "mechanical",
        "energy",
        "materials",
        "biopharma",
        "finance",
    }
    assert sum(fields[f] for f in core) / len(latest) >= 0.55
