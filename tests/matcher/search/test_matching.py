"""Matching and search on hand-written zh/en data with the real multilingual model."""

import json
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.degrees import DegreeLevel
from matcher.demo.generator import generate
from matcher.errors import Invalid, NotFound
from matcher.ingest.importer import ImportReport
from matcher.people import privacy
from matcher.people.accounts import Caller, Role
from matcher.platform import Platform
from matcher.search import pool
from matcher.search.indexing import KINDS, build_index
from matcher.search.matching import Filters, MatchingEngine
from matcher.search.preferences import QueryPreferences
from matcher.search.scoring import Explanation
from matcher.store import queries
from matcher.store.models import Candidate, Job
from matcher.text import candidate_text, job_text
from matcher.tokenize import NOT_A_REASON, tokenize

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
# Each job in one language has a candidate who says the same thing in the other.
PAIRS = {
    "j-sec": "c-sec",
    "j-bms": "c-bms",
    "j-quant": "c-quant",
    "j-food": "c-food",
    "j-nlp": "c-nlp",
    "j-pharma": "c-pharma",
    "j-gnss": "c-gnss",
    "j-ic": "c-ic",
    "j-alloy": "c-alloy",
    "j-nurse": "c-nurse",
}


def language(path: Path, external_id: str) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["external_id"] == external_id:
            text = record.get("summary") or record.get("description")
            return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"
    raise KeyError(external_id)


def test_pairs_really_cross_languages() -> None:
    for job, candidate in PAIRS.items():
        assert language(SAMPLES / "crosslingual_jobs.jsonl", job) != language(
            SAMPLES / "crosslingual_candidates.jsonl", candidate
        )


def _id(platform: Platform, model: type[Candidate] | type[Job], external_id: str) -> int:
    with platform.session() as session:
        row = queries.get_by_ref(model, session=session, source="test", external_id=external_id)
        assert row is not None
        return row.id


@pytest.mark.parametrize("job_ref", sorted(PAIRS))
def test_job_finds_its_candidate_across_languages(loaded: Platform, job_ref: str) -> None:
    with loaded.session() as session:
        matches = loaded.matching(session).match_job(session, _id(loaded, Job, job_ref), Filters(), limit=3)
    assert PAIRS[job_ref] in [m.external_id for m in matches]


@pytest.mark.parametrize("job_ref", sorted(PAIRS))
def test_candidate_finds_its_job_across_languages(loaded: Platform, job_ref: str) -> None:
    candidate_id = _id(loaded, Candidate, PAIRS[job_ref])
    with loaded.session() as session:
        matches = loaded.matching(session).match_candidate(session, candidate_id, Filters(), limit=3)
    assert job_ref in [m.external_id for m in matches]


@pytest.mark.parametrize(
    ("kind", "query", "expected"),
    [
        ("candidates", "渗透测试 漏洞评估", "c-sec"),
        ("candidates", "high-precision satellite positioning with Kalman filters", "c-gnss"),
        ("jobs", "电池管理系统 荷电状态估计", "j-bms"),
        ("jobs", "analog chip design, phase-locked loops", "j-ic"),
        ("jobs", "药物分析 高效液相色谱", "j-pharma"),
    ],
)
def test_free_text_search_in_either_language(loaded: Platform, kind: str, query: str, expected: str) -> None:
    with loaded.session() as session:
        matches = loaded.matching(session).search(session, kind, query, Filters(), limit=3)  # type: ignore[arg-type]
    assert matches[0].external_id == expected


def test_every_result_is_explained(loaded: Platform) -> None:
    with loaded.session() as session:
        matches = loaded.matching(session).match_job(session, _id(loaded, Job, "j-gnss"), Filters(), limit=10)
    top = matches[0]
    assert top.external_id == "c-gnss"
    explanation = top.explanation
    assert set(explanation["components"]) == {"dense", "lexical", "structured"}
    assert explanation["structured_fit"] == {"degree": 1.0, "major": 1.0, "location": 1.0}
    assert explanation["matched_majors"] == ["测绘工程 (081201)"]
    assert "gps" in [c["en"].lower() for c in explanation["matched_concepts"]] + explanation["matched_terms"]
    with loaded.session() as session:
        candidate = queries.get(Candidate, session=session, row_id=top.id)
        job = queries.get(Job, session=session, row_id=_id(loaded, Job, "j-gnss"))
        assert candidate is not None and job is not None
        both = set(tokenize(candidate_text(candidate))) & set(tokenize(job_text(job)))
    assert set(explanation["matched_terms"]) <= both
    assert {"@" + c["id"] for c in explanation["matched_concepts"]} <= both
    assert explanation["weights"] == {"dense": 0.6, "lexical": 0.2, "structured": 0.2}
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    weighted = sum(explanation["components"][k] * w for k, w in explanation["weights"].items()) / 1.0
    assert top.score == pytest.approx(weighted, abs=1e-3)


def test_words_too_general_are_not_given_as_reasons(loaded: Platform) -> None:
    query = "electronic engineering science research university 2024 卫星导航 GNSS 工程 技术"
    with loaded.session() as session:
        matches = loaded.matching(session).search(session, "candidates", query, Filters(), limit=10)
        shared: set[str] = set()  # the general words the results do share with the query
        for match in matches:
            row = queries.get(Candidate, session=session, row_id=match.id)
            assert row is not None
            shared |= set(tokenize(candidate_text(row))) & set(tokenize(query)) & NOT_A_REASON
    assert shared  # so the query's general words did match, and are left out of the reasons:
    terms = [t for m in matches for t in m.explanation["matched_terms"]]
    assert not set(terms) & NOT_A_REASON and not any(t.isdigit() for t in terms)
    assert any(m.explanation["matched_concepts"] for m in matches)  # what the match rests on is still said


COMPANY_FORMS = ["有限公司", "公司", "集团", "股份", "co", "ltd", "inc", "corporation", "group", "gmbh", "limited"]


def test_company_forms_are_not_given_as_reasons(
    loaded: Platform, import_file: Callable[[str, Path], ImportReport], tmp_path: Path
) -> None:
    """People who worked at companies share 有限公司 / Ltd with a query, and the explanation does not say so."""
    firms = ["北京北斗导航集团股份有限公司", "Trimble Co., Ltd.", "Septentrio GmbH", "Hexagon Group Inc. Corporation"]
    headlines = ["卫星导航接收机算法工程师", "高精度定位算法研究", "GNSS receiver algorithms", "Precise positioning"]
    rows = [
        {
            "source": "test",
            "external_id": f"c-firm-{n}",
            "name": f"Firm Person {n}",
            "headline": headline,
            "experience": [{"title": "GNSS", "organization": firm} for firm in firms],
        }
        for n, headline in enumerate(headlines)
    ]
    path = tmp_path / "firms.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    assert import_file("candidates", path).inserted == len(rows)
    query = "GNSS 公司 集团 股份有限公司 Co. Ltd Inc Corporation Group GmbH Limited"
    with loaded.session() as session:
        engine = loaded.matching(session)
        matches = engine.search(session, "candidates", query, Filters(), limit=10)
        lexical = engine.search(session, "candidates", "有限公司 Ltd GmbH", Filters(), limit=10)
    assert {m.external_id for m in lexical} >= {row["external_id"] for row in rows}  # the words do match them
    found = [m for m in matches if m.external_id.startswith("c-firm-")]
    assert len(found) == len(rows)
    assert all("gnss" in m.explanation["matched_terms"] for m in found)  # a word worth giving is still given
    given = {t for m in found for t in m.explanation["matched_terms"]}
    assert not given & set(COMPANY_FORMS), given


def test_degree_shortfall_is_explained_and_costs_score(loaded: Platform) -> None:
    """The GNSS job asks for a doctorate; the master's-level candidates get a note and a lower degree fit."""
    with loaded.session() as session:
        matches = loaded.matching(session).match_job(session, _id(loaded, Job, "j-gnss"), Filters(), limit=10)
    masters = [m for m in matches if m.summary["highest_degree"] == "master"]
    assert masters
    for match in masters:
        assert match.explanation["structured_fit"]["degree"] == 0.5
        assert any("doctorate" in note for note in match.explanation["notes"])


def test_filters(loaded: Platform) -> None:
    with loaded.session() as session:
        engine = loaded.matching(session)
        doctors = engine.search(session, "candidates", "engineer 工程师", Filters(min_degree=DegreeLevel.DOCTORATE))
        assert [m.external_id for m in doctors] == ["c-gnss"]
        in_zone = engine.search(session, "jobs", "engineer 工程师", Filters(location="高新区"), limit=50)
        assert {m.external_id for m in in_zone} == {"j-sec"}
        finance = engine.search(session, "jobs", "研究", Filters(industry="金融"), limit=50)
        assert [m.external_id for m in finance] == ["j-quant"]
        munich = engine.search(session, "candidates", "battery", Filters(location="Munich"), limit=50)
        assert [m.external_id for m in munich] == ["c-bms"]


def test_paging_is_consistent_with_a_shallow_retrieval_depth(loaded: Platform) -> None:
    """Pages reach past the retrieval depth (4 here, of 10 jobs) and still agree with one long page."""
    settings = loaded.settings.model_copy(update={"retrieval_depth": 4})
    with loaded.session() as session:
        base = loaded.matching(session)
        engine = MatchingEngine(settings, loaded.encoder, base.live)
        whole = engine.search(session, "jobs", "engineer 工程师", Filters(), limit=6)
        first = engine.search(session, "jobs", "engineer 工程师", Filters(), limit=3)
        second = engine.search(session, "jobs", "engineer 工程师", Filters(), limit=3, offset=3)
    assert len(whole) == 6 and [m.id for m in first + second] == [m.id for m in whole]


def test_bad_queries_are_refused(loaded: Platform) -> None:
    with loaded.session() as session:
        engine = loaded.matching(session)
        with pytest.raises(Invalid, match="empty"):
            engine.search(session, "jobs", "   ", Filters())
        with pytest.raises(Invalid, match="limit"):
            engine.search(session, "jobs", "x", Filters(), limit=0)
        with pytest.raises(NotFound, match="job 999999 not found"):
            engine.match_job(session, 999_999, Filters())
        with pytest.raises(NotFound, match="candidate 999999 not found"):
            engine.match_candidate(session, 999_999, Filters())


@pytest.fixture
def crowded(loaded: Platform, import_file: Callable[[str, Path], ImportReport], tmp_path: Path) -> Platform:
    """The hand-written pairs hidden among synthetic demo profiles and postings of the same industries."""
    files = generate(tmp_path / "demo", seed=11, candidates=600, jobs=150, enterprises=20)
    for kind in ("enterprises", "jobs", "candidates"):
        import_file(kind, files[kind])
    with loaded.session() as session:
        for kind in KINDS:
            build_index(session, loaded.encoder, loaded.settings, kind)
    return loaded


def test_pairs_are_found_among_hundreds_of_distractors(crowded: Platform) -> None:
    """Each job still finds its other-language candidate in the top 3, and each candidate its job."""
    missed = []
    with crowded.session() as session:
        engine = crowded.matching(session)
        for job_ref, candidate_ref in sorted(PAIRS.items()):
            candidates = engine.match_job(session, _id(crowded, Job, job_ref), Filters(), limit=3)
            if candidate_ref not in [m.external_id for m in candidates]:
                missed.append((job_ref, [m.external_id for m in candidates]))
            jobs = engine.match_candidate(session, _id(crowded, Candidate, candidate_ref), Filters(), limit=3)
            if job_ref not in [m.external_id for m in jobs]:
                missed.append((candidate_ref, [m.external_id for m in jobs]))
    assert not missed


def test_hidden_profiles_are_left_out_inside_retrieval_so_pages_stay_full(loaded: Platform) -> None:
    """visible_only drops hidden candidates before paging: every page is full and the pages together are exactly the
    visible ranking (not a filtered page that comes back short)."""
    with loaded.session() as session:
        engine = loaded.matching(session)
        everyone = engine.search(session, "candidates", "engineer 工程师", Filters(), limit=10)
        hidden = {everyone[0].id, everyone[2].id, everyone[5].id}
        for row_id in hidden:
            row = session.get(Candidate, row_id)
            assert row is not None
            row.visible = False
        session.flush()
        visible = Filters(visible_only=True)
        first = engine.search(session, "candidates", "engineer 工程师", visible, limit=3)
        second = engine.search(session, "candidates", "engineer 工程师", visible, limit=3, offset=3)
        shown = engine.search(session, "candidates", "engineer 工程师", visible, limit=7)
        office = engine.search(session, "candidates", "engineer 工程师", Filters(), limit=10)
        session.rollback()
    assert len(first) == len(second) == 3
    assert [m.id for m in first + second] == [m.id for m in shown][:6]
    assert [m.id for m in shown] == [m.id for m in everyone if m.id not in hidden]
    assert hidden <= {m.id for m in office}  # the office (no visible_only) still finds them


def test_candidate_filters_hide_hidden_profiles_from_all_but_the_office() -> None:
    base = Filters.parse("Zhengzhou", "master", None)
    for role in Role:
        caller = Caller(account_id=1, role=role, name="x")
        seen = privacy.candidate_filters(caller, base)
        assert seen.visible_only is (role is not Role.admin)
        assert (seen.location, seen.min_degree) == (base.location, base.min_degree)


def test_a_rare_filter_is_applied_inside_retrieval_and_pages_stay_exact(loaded: Platform) -> None:
    """With a shallow retrieval depth, a filter that admits few rows still returns every one of them, each page
    agrees with one long page, and nothing the filter refuses is drawn."""
    settings = loaded.settings.model_copy(update={"retrieval_depth": 10})
    doctorate = Filters.parse(None, "doctorate", None)
    with loaded.session() as session:
        engine = MatchingEngine(settings, loaded.encoder, loaded.matching(session).live)
        wanted = {c.id for c in queries.iterate(Candidate, session=session) if c.highest_degree >= doctorate.min_degree}
        assert 0 < len(wanted) < 10
        everything = engine.search(session, "candidates", "engineer 工程师", doctorate, limit=100)
        assert {m.id for m in everything} == wanted
        pages = [
            engine.search(session, "candidates", "engineer 工程师", doctorate, limit=1, offset=i)
            for i in range(len(everything) + 1)
        ]
    assert [m.id for page in pages for m in page] == [m.id for m in everything]


def test_drawn_rows_are_scored_from_the_facets_as_whole_rows_are_explained(crowded: Platform) -> None:
    """The structured fit ranking reads off the in-memory facets for every drawn row (matcher.search.pool) is the one
    the explanation of the whole row gives: for each job against every candidate, each of 40 candidates against
    every job, and queries that name degrees and places against both."""
    with crowded.session() as session:
        engine = crowded.matching(session)
        candidates = list(queries.get_many(Candidate, session=session, ids=_all_ids(session, Candidate)).values())
        jobs = list(queries.get_many(Job, session=session, ids=_all_ids(session, Job)).values())
        facets = engine.live.facets

        def expected(row: Candidate | Job, anchor: Candidate | Job) -> float:
            explanation = engine._explain(row, anchor, 0.0, None)
            return math.nan if explanation.structured is None else explanation.structured

        pairs = [(job, candidates, "candidates") for job in jobs] + [(c, jobs, "jobs") for c in candidates[:40]]
        for anchor, rows, kind in pairs:
            ids = np.array(sorted(row.id for row in rows), dtype=np.int64)
            by_id = {row.id: row for row in rows}
            fits = pool.anchor_fits(facets[kind], ids, anchor)  # type: ignore[index]
            want = [expected(by_id[i], anchor) for i in ids.tolist()]
            assert np.allclose(fits, want, equal_nan=True), anchor.id
        for text in ("博士 郑州", "PhD in London", "硕士 海外 电池", "master's Shanghai", "engineer"):
            wanted = QueryPreferences.read(text)
            for kind, rows in (("candidates", candidates), ("jobs", jobs)):
                ids = np.array(sorted(row.id for row in rows), dtype=np.int64)
                by_id = {row.id: row for row in rows}
                if wanted is None:
                    continue
                fits = pool.preference_fits(facets[kind], ids, kind == "candidates", wanted)  # type: ignore[index]
                want = []
                for i in ids.tolist():
                    explanation = Explanation(dense=0.0)
                    wanted.explain(by_id[i], explanation)
                    want.append(math.nan if explanation.structured is None else explanation.structured)
                assert np.allclose(fits, want, equal_nan=True), (text, kind)
        session.rollback()


def _all_ids(session: Session, model: type[Candidate] | type[Job]) -> list[int]:
    return list(session.scalars(select(model.id)))
