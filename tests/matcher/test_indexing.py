"""Indexes follow the database, are checked against the encoder, and a bad index file is refused clearly."""

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from index import VectorIndex
from matcher.config import Settings
from matcher.errors import IndexUnavailable, Invalid
from matcher.services.indexing import build_index, check_index_kind, index_path, load_index, update_index
from matcher.services.ingest import ImportReport
from matcher.services.matching import Filters, MatchingEngine
from matcher.services.platform import Platform
from matcher.store import queries
from matcher.store.models import Candidate, Job

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_build_covers_every_row_and_saves_metadata(loaded: Platform) -> None:
    for kind in ("candidates", "jobs"):
        index = load_index(loaded.settings, loaded.encoder, kind)  # type: ignore[arg-type]
        assert index.count == 10 and index.kind == "flat"
        assert index.metadata.encoder == loaded.encoder.name and index.metadata.dimension == 512
        model = Job if kind == "jobs" else Candidate
        with loaded.session() as session:
            ids = {row.id for row in queries.iterate(model, session=session)}
        assert set(index.ids().tolist()) == ids


def test_update_follows_deletes_and_changes(loaded: Platform) -> None:
    with loaded.session() as session:
        job = queries.get_by_ref(Job, session=session, source="test", external_id="j-nurse")
        assert job is not None
        job_id = job.id
        session.delete(job)
    with loaded.session() as session:
        index, encoded = update_index(session, loaded.encoder, loaded.settings, "jobs", [job_id])
    assert encoded == 0 and not index.contains(job_id) and index.count == 9
    assert load_index(loaded.settings, loaded.encoder, "jobs").count == 9


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


def test_an_index_built_by_another_encoder_is_refused(loaded: Platform, tmp_path: Path) -> None:
    path = index_path(loaded.settings, "jobs")
    vectors = np.random.default_rng(0).normal(size=(5, 512)).astype(np.float32)
    VectorIndex.build(vectors, np.arange(1, 6), encoder="sentence-transformers:other-model").save(path)
    with pytest.raises(IndexUnavailable) as refused:
        load_index(loaded.settings, loaded.encoder, "jobs")
    assert "talent index build" in refused.value.message and "other-model" in refused.value.message
    with loaded.session() as session, pytest.raises(IndexUnavailable):
        MatchingEngine.open(session, loaded.settings, loaded.encoder)
    with loaded.session() as session:  # the data is untouched, and a rebuild repairs the index
        assert queries.count(Job, session=session) == 10
        build_index(session, loaded.encoder, loaded.settings, "jobs")
    assert load_index(loaded.settings, loaded.encoder, "jobs").count == 10


def test_a_truncated_index_file_is_refused(loaded: Platform) -> None:
    path = index_path(loaded.settings, "candidates")
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(IndexUnavailable, match="talent index build"):
        load_index(loaded.settings, loaded.encoder, "candidates")


def test_a_missing_index_says_how_to_build_it(settings: Settings, platform: Platform) -> None:
    shutil.rmtree(settings.index_dir, ignore_errors=True)
    with pytest.raises(IndexUnavailable, match="talent index build"):
        load_index(settings, platform.encoder, "jobs")


def test_unknown_index_kind() -> None:
    with pytest.raises(Invalid, match="candidates"):
        check_index_kind("people")
