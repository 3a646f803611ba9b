"""`talent bench --scale N`: synthetic rows whose texts hash as the importer's would, a throwaway database that is
gone afterwards, and the whole run end to end at a tiny scale (SQLite, `talent serve --workers 2`, a short load)."""

import os
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, select, text

from matcher.config import Settings
from matcher.demo import scale_data
from matcher.demo.scale_bench import ScaleOptions, run_scale_bench, throwaway_database
from matcher.encoders import Encoder
from matcher.platform import Platform
from matcher.store import embeddings
from matcher.store.models import Candidate, Job
from matcher.text import candidate_text, content_hash, job_text

KEYS = (
    "n",
    "search_p50_ms",
    "search_p99_ms",
    "match_p50_ms",
    "match_p99_ms",
    "filtered_p99_ms",
    "throughput_rps",
    "concurrency",
    "startup_s",
    "rss_mb",
    "ingest_rows_per_s",
)


def test_without_takes_out_one_occurrence_of_each_token() -> None:
    assert scale_data.without(["a", "b", "a", "c"], ["a", "x", "c"]) == ["b", "a"]


def test_rows_hash_their_text_as_the_importer_does_and_their_vectors_are_cached(
    tmp_path: Path, encoder: Encoder
) -> None:
    platform = Platform(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'bench.db'}"))
    platform.__dict__["encoder"] = encoder
    platform.init()
    report = scale_data.ingest(platform.engine, encoder, 60, jobs=12, seed=7)
    assert (report.candidates, report.jobs, report.pool_candidates) == (60, 12, 60)
    assert report.education >= 60 and report.embeddings <= 72 and report.rows_per_s > 0
    with platform.session() as session:
        rows = [*session.scalars(select(Candidate)), *session.scalars(select(Job))]
        assert len(rows) == 72
        for row in rows:  # what build_index reads back and hashes: the same text, so nothing is encoded
            assert row.text_hash == content_hash(candidate_text(row) if isinstance(row, Candidate) else job_text(row))
            assert row.lexical_tokens and row.source == scale_data.SOURCE
        cached = embeddings.get_many(session=session, encoder=encoder.name, hashes=[r.text_hash for r in rows])
        assert set(cached) == {r.text_hash for r in rows}
        assert all(abs(float((v**2).sum()) - 1) < 1e-4 for v in cached.values())
    platform.close()


def test_a_throwaway_postgresql_database_is_dropped_afterwards() -> None:
    server = os.environ.get("TALENT_TEST_POSTGRES_URL")
    if not server:
        pytest.skip("TALENT_TEST_POSTGRES_URL is not set")
    admin = create_engine(make_url(server).set(database="postgres"))
    with tempfile.TemporaryDirectory() as folder, throwaway_database(server, Path(folder)) as url:
        name = make_url(url).database
        assert name and name.startswith("talent_bench_")
        with create_engine(url).connect() as connection:  # left open: the drop forces it closed
            assert connection.execute(text("SELECT current_database()")).scalar() == name
    with admin.connect() as connection:
        assert connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None
    admin.dispose()


@pytest.mark.slow
def test_the_scale_bench_runs_end_to_end_at_a_tiny_scale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the bench makes its temporary folder
    figures = run_scale_bench(ScaleOptions(n=300, workers=2, concurrency=2, duration=3, requests=5, crawl=60))
    assert set(KEYS) <= set(figures)
    assert figures["n"] == 300 and figures["jobs"] == 30 and figures["backend"] == "sqlite"
    crawled = figures["crawl"]  # stored in batches while the API ran, then held by every worker's index
    assert crawled["postings"] == 60 and crawled["batches"] >= 2 and 0 < crawled["store_s"] <= crawled["searchable_s"]
    assert figures["indexes"]["candidates"] == {"count": 300, "kind": "flat", "encoded": 0}
    assert figures["indexes"]["jobs"]["encoded"] == 0
    for kind in ("search", "match", "filtered"):
        assert figures["sequential"][kind]["n"] == 5, figures["sequential"]
    assert not figures["sequential"]["errors"] and not figures["under_load"]["errors"]
    assert 0 < figures["search_p50_ms"] <= figures["search_p99_ms"] < 30_000
    assert 0 < figures["match_p50_ms"] <= figures["match_p99_ms"] < 30_000
    assert 0 < figures["filtered_p99_ms"] < 30_000
    assert figures["throughput_rps"] > 0 and figures["concurrency"] == 2
    assert 0 < figures["startup_s"] < 300 and figures["all_workers_ready_s"] >= figures["health_s"] > 0
    assert figures["server_processes"] >= 3  # the supervisor and two workers
    assert figures["rss_mb"] > 100 and figures["ingest_rows_per_s"] > 0
    left = [path.name for path in tmp_path.iterdir() if path.name != "jieba.cache"]  # jieba's, shared by every run
    assert not left  # the data folder, SQLite file and server log are gone
