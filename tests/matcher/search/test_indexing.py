"""Indexes follow the database, heal drift, are checked against encoder and database, and fail clearly."""

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete

from index import VectorIndex
from matcher.errors import IndexUnavailable, Invalid
from matcher.ingest.importer import ImportReport
from matcher.platform import Platform
from matcher.search.indexing import KINDS, build_index, check_index_kind, index_path, load_index, update_index
from matcher.search.matching import Filters, MatchingEngine
from matcher.store import queries
from matcher.store.models import Candidate, Job, PlatformMeta

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def saved(platform: Platform, kind: str) -> VectorIndex:
    with platform.session() as session:
        return load_index(session, platform.settings, platform.encoder, check_index_kind(kind))


def test_build_covers_every_row_and_saves_metadata(loaded: Platform) -> None:
    for kind in KINDS:
        index = saved(loaded, kind)
        assert index.count == 10 and index.kind == "flat"
        assert index.metadata.encoder == loaded.encoder.name and index.metadata.dimension == 512
        with loaded.session() as session:
            assert set(index.ids().tolist()) == queries.all_ids(
                Candidate if kind == "candidates" else Job, session=session
            )


def test_update_follows_deletes_and_heals_drift(loaded: Platform) -> None:
    """Rows deleted or added behind the index's back are repaired by the next update, whatever it was for."""
    with loaded.session() as session:
        nurse = queries.get_by_ref(Job, session=session, source="test", external_id="j-nurse")
        food = queries.get_by_ref(Job, session=session, source="test", external_id="j-food")
        assert nurse is not None and food is not None
        nurse_id, food_id = nurse.id, food.id
        session.delete(nurse)
        session.add(
            Job(
                source="test",
                external_id="j-drift",
                title="区块链开发工程师（索引漂移测试）",
                record_hash="x",
                text_hash="",
                lexical_tokens=[],
            )
        )
    with loaded.session() as session:
        drift = queries.get_by_ref(Job, session=session, source="test", external_id="j-drift")
        assert drift is not None
        index, encoded = update_index(session, loaded.encoder, loaded.settings, "jobs", [food_id])
    assert encoded == 1  # the new row; the food job was re-added from the cache
    assert not index.contains(nurse_id) and index.contains(drift.id) and index.contains(food_id)
    assert saved(loaded, "jobs").count == 10


def test_engine_refresh_makes_new_rows_searchable(
    loaded: Platform, import_file: Callable[[str, Path], ImportReport], tmp_path: Path
) -> None:
    path = tmp_path / "new.jsonl"
    path.write_text(
        '{"source": "test", "external_id": "j-new", "title": "区块链智能合约开发工程师", '
        '"description": "负责以太坊智能合约和联盟链开发"}\n',
        encoding="utf-8",
    )
    with loaded.session() as session:
        engine = loaded.matching(session)
    report = import_file("jobs", path)
    with loaded.session() as session:
        engine.refresh(session, "jobs", report.changed_ids)
        top = engine.search(session, "jobs", "blockchain smart contract developer", Filters(), limit=1)
    assert top[0].external_id == "j-new"


def test_the_platform_reloads_an_index_rebuilt_behind_its_back(
    loaded: Platform, import_file: Callable[[str, Path], ImportReport], tmp_path: Path
) -> None:
    with loaded.session() as session:
        first = loaded.matching(session)
        assert loaded.matching(session) is first  # unchanged files: the same engine
    path = tmp_path / "new.jsonl"
    path.write_text('{"source": "test", "external_id": "j-q", "title": "量子计算算法研究员"}\n', encoding="utf-8")
    report = import_file("jobs", path)
    with loaded.session() as session:  # as `talent import` does in another process
        update_index(session, loaded.encoder, loaded.settings, "jobs", report.changed_ids)
    with loaded.session() as session:
        engine = loaded.matching(session)
        assert engine is not first and engine.indexes["jobs"].count == 11
        [top] = engine.search(session, "jobs", "quantum computing researcher", Filters(), limit=1)
        assert top.external_id == "j-q"


def test_an_index_built_by_another_encoder_is_refused(loaded: Platform) -> None:
    path = index_path(loaded.settings, "jobs")
    vectors = np.random.default_rng(0).normal(size=(5, 512)).astype(np.float32)
    VectorIndex.build(vectors, np.arange(1, 6), encoder="sentence-transformers:other-model").save(path)
    with pytest.raises(IndexUnavailable) as refused:
        saved(loaded, "jobs")
    assert "talent index build" in refused.value.message and "other-model" in refused.value.message
    with loaded.session() as session:
        engine = MatchingEngine.open(session, loaded.settings, loaded.encoder)
        assert "jobs" in engine.problems and engine.indexes["candidates"].count == 10  # the other kind serves
        with pytest.raises(IndexUnavailable, match="other-model"):
            engine.search(session, "jobs", "engineer", Filters())
        assert queries.count(Job, session=session) == 10  # the data is untouched, and a rebuild repairs the index
        build_index(session, loaded.encoder, loaded.settings, "jobs")
    assert saved(loaded, "jobs").count == 10


def test_an_index_of_another_database_is_refused(loaded: Platform) -> None:
    with loaded.session() as session:
        session.execute(delete(PlatformMeta))  # as if this were another database
    with pytest.raises(IndexUnavailable, match="another database"):
        saved(loaded, "candidates")


def test_a_truncated_index_file_is_refused(loaded: Platform) -> None:
    sidecar = index_path(loaded.settings, "candidates").with_name("candidates.faiss.json")
    data = [
        p
        for p in sidecar.parent.iterdir()
        if p.name.startswith("candidates.faiss") and p != sidecar and not p.name.endswith(".lock")
    ]
    assert data
    for path in data:
        path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(IndexUnavailable, match="talent index build"):
        saved(loaded, "candidates")


def test_a_missing_index_says_how_to_build_it(platform: Platform) -> None:
    shutil.rmtree(platform.settings.index_dir, ignore_errors=True)
    with pytest.raises(IndexUnavailable, match="talent index build"):
        saved(platform, "jobs")


def test_unknown_index_kind() -> None:
    with pytest.raises(Invalid, match="candidates"):
        check_index_kind("people")


def test_a_change_of_correction_is_never_a_silent_mix(loaded: Platform) -> None:
    """Indexes carry their correction; another method is refused on load and rebuilt by the next update."""
    index = saved(loaded, "candidates")
    correction = index.correction
    assert correction is not None and correction.name == "language-centring-v1"
    assert index.metadata.correction is not None and index.metadata.correction["fingerprint"] == correction.fingerprint
    raw = loaded.settings.model_copy(update={"dense_correction": "none"})
    with loaded.session() as session:
        with pytest.raises(IndexUnavailable, match="built with the correction 'language-centring-v1', not 'none'"):
            load_index(session, raw, loaded.encoder, "candidates")
        rebuilt, encoded = update_index(session, loaded.encoder, raw, "candidates", [])
    assert rebuilt.correction is None and rebuilt.count == 10 and encoded == 0
    with loaded.session() as session:
        assert load_index(session, raw, loaded.encoder, "candidates").correction is None
        with pytest.raises(IndexUnavailable, match="talent index build"):
            load_index(session, loaded.settings, loaded.encoder, "candidates")
        again, _ = update_index(session, loaded.encoder, loaded.settings, "candidates", [])
    assert again.correction is not None and again.correction.fingerprint == correction.fingerprint
