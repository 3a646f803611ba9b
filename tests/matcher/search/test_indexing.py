"""Indexes follow the database through the change feed, start from snapshots, are checked against encoder and
database, rebuild what drifted, and fail clearly."""

import shutil
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete

from index import VectorIndex
from matcher.errors import IndexUnavailable, Invalid
from matcher.ingest.importer import derive_text_fields
from matcher.platform import Platform
from matcher.search.indexing import KINDS, check_index_kind, drift, index_path, load_index
from matcher.search.matching import Filters, MatchingEngine
from matcher.store import queries
from matcher.store.models import Candidate, Job, PlatformMeta
from tests.conftest import platform_like

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


def test_apply_follows_writes_and_deletes(loaded: Platform) -> None:
    """Applying changes upserts the rows that exist and removes the rest, in the dense, lexical and facet indexes."""
    with loaded.session() as session:
        engine = loaded.matching(session)
        nurse = queries.get_by_ref(Job, session=session, source="test", external_id="j-nurse")
        assert nurse is not None
        nurse_id = nurse.id
        session.delete(nurse)
        job = Job(source="test", external_id="j-new", title="区块链开发工程师（增量测试）", record_hash="x", majors=[])
        job.description = job.requirements = job.industry = ""
        job.min_degree = 0
        derive_text_fields(job)
        session.add(job)
        session.flush()
        new = queries.get_by_ref(Job, session=session, source="test", external_id="j-new")
        assert new is not None
        encoded = engine.apply(session, {"jobs": [nurse_id, new.id]})
        index = engine.index("jobs")
        assert encoded == 1  # its text was never seen
        assert not index.contains(nurse_id) and index.contains(new.id) and index.count == 10
        assert len(engine.lexical["jobs"]) == 10 and engine.live.facets["jobs"].count == 10
        [top] = engine.search(session, "jobs", "blockchain developer", Filters(), limit=1)
        assert top.id == new.id


def test_another_process_writes_reach_a_running_engine_through_the_feed(loaded: Platform, tmp_path: Path) -> None:
    """What another process imports is logged to the feed; this process's engine applies it on its next read."""
    with loaded.session() as session:
        first = loaded.matching(session)
        count = first.index("jobs").count
    other = platform_like(loaded, loaded.settings)  # another process: its own (unloaded) engine, the same database
    path = tmp_path / "new.jsonl"
    path.write_text('{"source": "test", "external_id": "j-q", "title": "量子计算算法研究员"}\n', encoding="utf-8")
    with other.session(write=True) as session, path.open(encoding="utf-8") as lines:
        other.importer(session, "jobs").run(lines)
    with loaded.session() as session:
        engine = loaded.matching(session)
        assert engine is first and engine.index("jobs").count == count + 1
        [top] = engine.search(session, "jobs", "quantum computing researcher", Filters(), limit=1)
        assert top.external_id == "j-q"


def test_a_process_starts_from_the_snapshot_and_catches_up(loaded: Platform, tmp_path: Path) -> None:
    """A new process loads the saved snapshot (no rebuild) and applies what the feed logged after it."""
    path = tmp_path / "later.jsonl"
    path.write_text('{"source": "test", "external_id": "j-later", "title": "射电天文望远镜工程师"}\n', encoding="utf-8")
    writer = platform_like(loaded, loaded.settings)
    with writer.session(write=True) as session, path.open(encoding="utf-8") as lines:
        writer.importer(session, "jobs").run(lines)
    with loaded.session() as session:
        engine = MatchingEngine.open(session, loaded.settings, loaded.encoder)
        assert {o.kind: o.source for o in engine.live.opened} == {"candidates": "snapshot", "jobs": "snapshot"}
        assert engine.index("jobs").count == 11
        [top] = engine.search(session, "jobs", "radio astronomy telescope engineer", Filters(), limit=1)
        assert top.external_id == "j-later"


def test_an_index_built_by_another_encoder_is_refused(loaded: Platform) -> None:
    path = index_path(loaded.settings, "jobs")
    vectors = np.random.default_rng(0).normal(size=(5, 512)).astype(np.float32)
    VectorIndex.build(vectors, np.arange(1, 6), encoder="sentence-transformers:other-model").save(path)
    with pytest.raises(IndexUnavailable) as refused:
        saved(loaded, "jobs")
    assert "talent index build" in refused.value.message and "other-model" in refused.value.message
    with loaded.session() as session:  # a process starting on it builds its own from the database, and saves it
        engine = MatchingEngine.open(session, loaded.settings, loaded.encoder)
        assert {o.kind: o.source for o in engine.live.opened} == {"candidates": "snapshot", "jobs": "built"}
        assert not engine.problems and engine.index("jobs").count == 10
        assert queries.count(Job, session=session) == 10  # the data is untouched
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
    """Indexes carry their correction; another method is refused on load, and a process builds its own."""
    index = saved(loaded, "candidates")
    correction = index.correction
    assert correction is not None and correction.name == "language-centring-v1"
    assert index.metadata.correction is not None and index.metadata.correction["fingerprint"] == correction.fingerprint
    raw = loaded.settings.model_copy(update={"dense_correction": "none"})
    assert drift(index, raw, 10, 10) == "it was built with the correction 'language-centring-v1', not 'none'"
    with loaded.session() as session:
        with pytest.raises(IndexUnavailable, match="built with the correction 'language-centring-v1', not 'none'"):
            load_index(session, raw, loaded.encoder, "candidates")
        engine = MatchingEngine.open(session, raw, loaded.encoder)
    assert engine.index("candidates").correction is None and engine.index("candidates").count == 10
    with loaded.session() as session:
        assert load_index(session, raw, loaded.encoder, "candidates").correction is None
        with pytest.raises(IndexUnavailable, match="talent index build"):
            load_index(session, loaded.settings, loaded.encoder, "candidates")
        again = MatchingEngine.open(session, loaded.settings, loaded.encoder).index("candidates")
    assert again.correction is not None and again.correction.fingerprint == correction.fingerprint


def test_drift_asks_for_a_rebuild_when_an_index_outgrows_its_build(loaded: Platform) -> None:
    index = saved(loaded, "candidates")
    assert drift(index, loaded.settings, 10, 10) is None
    assert "grew from 10 to 80" in (drift(index, loaded.settings, 80, 10) or "")
    small = loaded.settings.model_copy(update={"index_exact_threshold": 5, "dense_correction": "none"})
    plain = VectorIndex.build(np.eye(8, 512, dtype=np.float32), np.arange(1, 9), encoder=loaded.encoder.name)
    assert "outgrew the exact index" in (drift(plain, small, 8, 8) or "")


def test_a_drifted_index_is_rebuilt_while_it_serves(loaded: Platform) -> None:
    """A rebuild swaps a new index in and reads the feed again from where it started: nothing is lost."""
    with loaded.session() as session:
        engine = MatchingEngine.open(session, loaded.settings, loaded.encoder)
        old = engine.index("jobs")
        rebuilt = engine.live.rebuild(session, "jobs")
        engine.catch_up(session)
        assert engine.index("jobs") is rebuilt and rebuilt is not old and rebuilt.count == old.count
        assert engine.search(session, "jobs", "engineer", Filters(), limit=3)
