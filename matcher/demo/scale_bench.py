"""`talent bench --scale N`: the platform at N candidates and N/10 jobs, served as deployed, under a bounded load.

1. A throwaway database: on the PostgreSQL server of `database_url` a database of its own (talent_bench_<pid>,
   dropped afterwards), else a SQLite file in a temporary folder, which also holds the data folder (indexes).
2. Synthetic rows written in bulk (matcher.demo.scale_data: demo texts from a generated pool, clustered synthetic
   vectors straight into the embedding cache), then both indexes built from the database as `talent index build`
   does (nothing is encoded: what is measured is not the encoder's throughput, `talent bench` measures that).
3. `talent serve --workers W` in a subprocess (matcher.demo.scale_server) and a partner's API key; the time until
   /health answers and a first search is answered.
4. The load (matcher.demo.scale_load): R requests of each kind one at a time (free-text search, a job's matches,
   search with min_degree=doctorate and location=伦敦), then C connections for D seconds sending them in turn. A
   free-text query IS encoded by the real encoder on every request: that is part of the request.
5. A crawl's cost (matcher.demo.scale_crawl): 1,000 new postings stored in batches as the crawler stores them,
   while the API runs, and the time until every worker's indexes hold them.
6. The figures, and everything stopped and dropped again, also on Ctrl-C or a failure.
"""

import asyncio
import os
import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, select, text

from matcher.config import Settings
from matcher.demo import scale_crawl, scale_data, scale_load
from matcher.demo.load import build_indexes
from matcher.demo.scale_server import ServerProcess
from matcher.people.accounts import Role, open_account
from matcher.platform import Platform
from matcher.progress import Progress, no_progress
from matcher.store.models import Job

BENCH_DATABASE_PREFIX = "talent_bench_"


@dataclass(frozen=True)
class ScaleOptions:
    n: int
    jobs: int | None = None  # n // 10 by default
    database_url: str | None = None  # a PostgreSQL server to make the throwaway database on; None: SQLite
    workers: int = 2
    threads: int = 1  # requests each worker works on at once (TALENT_API_THREADS): one per worker on a local database
    concurrency: int = 8
    duration: float = 20.0  # seconds of concurrent load
    requests: int = 60  # sequential requests of each kind
    seed: int = 2026
    encoder: str = "use-multilingual"
    crawl: int = scale_crawl.POSTINGS  # postings stored as a crawl stores them, with the API running (0: none)


@contextmanager
def throwaway_database(server_url: str | None, folder: Path) -> Iterator[str]:
    """The URL of an empty database that is gone afterwards: on `server_url`'s PostgreSQL server a new database
    talent_bench_<pid> (made through the server's `postgres` database, dropped even while connections are open),
    or without a server a SQLite file in `folder`."""
    if not server_url:
        yield f"sqlite:///{(folder / 'bench.db').as_posix()}"
        return
    url = make_url(server_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"--database-url must be a PostgreSQL server URL, got {url.get_backend_name()}")
    name = f"{BENCH_DATABASE_PREFIX}{os.getpid()}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def interrupted_by_sigterm() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt meanwhile (so cleanup runs as on Ctrl-C); only in the main thread."""
    try:
        previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def server_env(settings: Settings, threads: int = 1) -> dict[str, str]:
    """The environment `talent serve` runs with: this one, pointed at the throwaway database and data folder, with
    the rate limit lifted (counted per process: no Redis), `threads` requests at once per worker."""
    return {
        **os.environ,
        "TALENT_DATA_DIR": str(settings.data_dir),
        "TALENT_DATABASE_URL": settings.resolved_database_url,
        "TALENT_ENCODER": settings.encoder,
        "TALENT_API_RATE_LIMIT": "1000000",
        "TALENT_API_THREADS": str(threads),
        "TALENT_REDIS_URL": "",
        "OMP_NUM_THREADS": "1",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }


def prepare(platform: Platform, options: ScaleOptions, progress: Progress) -> tuple[dict[str, Any], str, list[int]]:
    """Schema, rows, indexes and a partner key: the figures of each step, the key and the jobs' ids."""
    figures: dict[str, Any] = {}
    platform.init()
    report = scale_data.ingest(
        platform.engine, platform.encoder, options.n, jobs=options.jobs, seed=options.seed, progress=progress
    )
    figures["ingest"] = scale_data.summary(report)
    started = time.perf_counter()
    indexes = build_indexes(platform, progress)
    figures["index_build_s"] = round(time.perf_counter() - started, 1)
    figures["indexes"] = {r.kind: {"count": r.count, "kind": r.index_kind, "encoded": r.encoded} for r in indexes}
    with platform.session() as session:
        _, key = open_account(
            session, None, Role.partner, "Bench user (synthetic)", organization="Bench Partner (synthetic)", via="bench"
        )
        job_ids = list(session.scalars(select(Job.id).order_by(Job.id)))
    return figures, key, job_ids


def run_scale_bench(options: ScaleOptions, progress: Progress = no_progress) -> dict[str, Any]:
    """Everything above; the figures (see docs/operations.md, "Benchmark")."""
    if options.n < 10:
        raise ValueError("--scale needs at least 10 candidates")
    with (
        interrupted_by_sigterm(),
        tempfile.TemporaryDirectory(prefix="talent-bench-") as folder,
        throwaway_database(options.database_url, Path(folder)) as url,
    ):
        settings = Settings(data_dir=Path(folder) / "var", database_url=url, encoder=options.encoder)
        platform = Platform(settings)
        try:
            figures, key, job_ids = prepare(platform, options, progress)
        finally:
            platform.close()
        with ServerProcess(
            server_env(settings, options.threads), Path(folder) / "server.log", workers=options.workers
        ) as server:
            served = serve_and_load(server, key, job_ids, options, progress)
            if options.crawl:
                progress("crawl", 0, 1)
                crawler = Platform(settings)
                try:
                    served["crawl"] = scale_crawl.crawl_cost(crawler, server.base_url, count=options.crawl).figures()
                finally:
                    crawler.close()
                progress("crawl", 1, 1)
    return report(options, settings, figures, served)


def serve_and_load(
    server: ServerProcess, key: str, job_ids: list[int], options: ScaleOptions, progress: Progress
) -> dict[str, Any]:
    """Start-up times, sequential and concurrent timings, and the server's memory after the load."""
    figures: dict[str, Any] = {}
    progress("server", 0, 1)
    figures["health_s"] = round(server.wait_healthy(), 2)
    first = scale_load.requests("search", 1, job_ids, seed=options.seed)[0]
    if not asyncio.run(scale_load.first_answer(server.base_url, key, first)):
        raise RuntimeError(f"the first search was not answered:\n{server.log()[-2000:]}")
    figures["startup_s"] = round(time.perf_counter() - server.started_at, 2)
    figures["all_workers_ready_s"] = round(server.wait_all_workers(), 2)
    figures["rss_mb_idle"] = server.rss_mb()
    progress("server", 1, 1)

    kinds = ("search", "match", "filtered")
    warm = [scale_load.requests(kind, 2 * options.workers, job_ids, seed=99) for kind in kinds]
    asyncio.run(scale_load.sequential(server.base_url, key, warm))  # every worker's first request of each kind
    progress("sequential", 0, 1)
    batches = [
        scale_load.requests(kind, options.requests, job_ids, seed=options.seed + i) for i, kind in enumerate(kinds)
    ]
    figures["sequential"] = asyncio.run(scale_load.sequential(server.base_url, key, batches))
    progress("sequential", 1, 1)
    progress("concurrent", 0, 1)
    per_kind = [scale_load.requests(kind, 400, job_ids, seed=options.seed + 10 + i) for i, kind in enumerate(kinds)]
    mix = [request for turn in zip(*per_kind, strict=True) for request in turn]
    figures["concurrent"] = asyncio.run(
        scale_load.concurrent(server.base_url, key, mix, options.concurrency, options.duration)
    )
    progress("concurrent", 1, 1)
    figures["rss_mb"] = server.rss_mb()
    figures["processes"] = len(server.worker_pids()) + 1
    return figures


NOTES = (
    "rows: a pool of demo-generator records copied and perturbed; lexical tokens are the pool's, adjusted, not "
    "re-segmented",
    "vectors: synthetic, clustered by field around real embeddings, written to the embedding cache: building the "
    "indexes encodes nothing, and encoding throughput is not what is measured here",
    "a free-text search encodes its query with the real encoder on every request: that is part of the request",
    "the load generator (httpx, async) runs on the same machine as the server and takes CPU from it",
    "sequential: one request at a time (the *_p50_ms/*_p99_ms keys); concurrent: the kinds in turn over all "
    "connections (throughput_rps, and the percentiles under load in 'under_load')",
)


def report(
    options: ScaleOptions, settings: Settings, prepared: dict[str, Any], served: dict[str, Any]
) -> dict[str, Any]:
    """The figures as JSON-ready values, with the keys named in the issue first."""
    sequential: scale_load.Timings = served["sequential"]
    loaded: scale_load.Timings = served["concurrent"]
    return {
        "n": options.n,
        "search_p50_ms": sequential.percentile("search", 50),
        "search_p99_ms": sequential.percentile("search", 99),
        "match_p50_ms": sequential.percentile("match", 50),
        "match_p99_ms": sequential.percentile("match", 99),
        "filtered_p99_ms": sequential.percentile("filtered", 99),
        "throughput_rps": round(loaded.answered / loaded.seconds, 1) if loaded.seconds else 0.0,
        "concurrency": options.concurrency,
        "startup_s": served["startup_s"],
        "rss_mb": served["rss_mb"],
        "ingest_rows_per_s": prepared["ingest"]["rows_per_s"],
        "backend": make_url(settings.resolved_database_url).get_backend_name(),
        "workers": options.workers,
        "threads": options.threads,
        "jobs": prepared["ingest"]["jobs"],
        "filtered_p50_ms": sequential.percentile("filtered", 50),
        "duration_s": options.duration,
        "health_s": served["health_s"],
        "all_workers_ready_s": served["all_workers_ready_s"],
        "rss_mb_idle": served["rss_mb_idle"],
        "server_processes": served["processes"],
        "crawl": served.get("crawl"),
        "index_build_s": prepared["index_build_s"],
        "indexes": prepared["indexes"],
        "ingest": prepared["ingest"],
        "sequential": sequential.figures(),
        "under_load": loaded.figures(),
        "cpu_count": os.cpu_count(),
        "notes": list(NOTES),
    }
