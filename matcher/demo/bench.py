"""`talent bench`: encoder throughput and exact-vs-approximate index search, as figures (never a test)."""

import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from index.benchmark import benchmark_search, clustered_vectors
from matcher.demo.generator import generate
from matcher.encoders import Encoder
from matcher.progress import Progress, no_progress


def demo_texts(count: int, seed: int = 7) -> list[str]:
    """Profile and posting texts from the synthetic demo generator (not the user's data)."""
    with tempfile.TemporaryDirectory() as folder:
        files = generate(Path(folder), seed=seed, candidates=count, jobs=max(10, count // 4), enterprises=10)
        texts = []
        for kind in ("candidates", "jobs"):
            for line in files[kind].read_text(encoding="utf-8").splitlines():
                record = json.loads(line)
                texts.append(" ".join(str(record.get(f, "")) for f in ("headline", "title", "summary", "description")))
    return texts[:count]


def encoder_throughput(encoder: Encoder, texts: list[str], batch_size: int = 64) -> tuple[dict[str, Any], np.ndarray]:
    """Figures for encoding `texts` in batches, and the vectors (reused as the index benchmark's base)."""
    encoder.encode(texts[:8])  # warm up
    started = time.perf_counter()
    batches = [encoder.encode(texts[start : start + batch_size]) for start in range(0, len(texts), batch_size)]
    seconds = time.perf_counter() - started
    single = []
    for text in texts[:50]:
        begun = time.perf_counter()
        encoder.encode([text])
        single.append((time.perf_counter() - begun) * 1000)
    figures = {
        "encoder": encoder.name,
        "texts": len(texts),
        "mean_chars": round(sum(map(len, texts)) / max(1, len(texts)), 1),
        "seconds": round(seconds, 3),
        "texts_per_second": round(len(texts) / seconds, 1),
        "single_text_p50_ms": round(float(np.percentile(single, 50)), 2),
    }
    return figures, np.concatenate(batches)


def embedding_like_vectors(base: np.ndarray, n: int, *, noise: float = 0.6, seed: int = 0) -> np.ndarray:
    """n vectors scattered around real embeddings (`base`): the neighbourhood structure real data has."""
    rng = np.random.default_rng(seed)
    picks = base[rng.integers(0, len(base), size=n)]
    scale = noise / np.sqrt(base.shape[1])
    vectors = picks + rng.normal(0.0, scale, size=picks.shape).astype(np.float32)
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def run_benchmark(
    encoder: Encoder,
    *,
    texts: int = 1000,
    sizes: tuple[int, ...] = (10_000, 100_000),
    queries: int = 200,
    progress: Progress = no_progress,
) -> dict[str, Any]:
    """Figures for the encoder and for the index at each size, on two kinds of vectors.

    "demo-embeddings": scattered around the real embeddings of `texts` demo texts (their neighbourhoods,
    but only `texts` of them: easy for IVF when `texts` is small); "clustered": around many random centres
    in the encoder's dimension (index.benchmark.clustered_vectors) — harder, and independent of `texts`.
    """
    sample = demo_texts(texts)
    progress("encoder", 0, 1)
    figures, base = encoder_throughput(encoder, sample)
    report: dict[str, Any] = {"encoder": figures, "index": []}
    progress("encoder", 1, 1)
    for done, size in enumerate(sizes, start=1):
        data = {
            "demo-embeddings": (
                embedding_like_vectors(base, size, seed=size),
                embedding_like_vectors(base, queries, seed=size + 1),
            ),
            "clustered": _split(clustered_vectors(size + queries, base.shape[1], clusters=max(200, size // 200)), size),
        }
        for name, (vectors, probes) in data.items():
            report["index"].append({"data": name, **benchmark_search(vectors, probes, k=10)})
        progress("index", done, len(sizes))
    return report


def _split(vectors: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The first `size` rows to index, the rest as queries (drawn around the same centres)."""
    rng = np.random.default_rng(size)
    order = rng.permutation(len(vectors))
    return vectors[order[:size]], vectors[order[size:]]


QUERY_TEXTS = ("嵌入式软件 RTOS", "battery management systems", "渗透测试 博士", "machine learning London")


def query_costs(session: Any, engine: Any, repeat: int = 30, limit: int = 10) -> dict[str, dict[str, float]]:
    """Milliseconds per query of the matching engine on the stored data, as a user asks: a job's candidates, a
    candidate's jobs, free text over candidates (p50 and mean over `repeat` different rows or texts, after one
    warm-up each)."""
    from sqlalchemy import select

    from matcher.search.matching import Filters
    from matcher.store.models import Candidate, Job

    jobs = list(session.scalars(select(Job.id).order_by(Job.id).limit(repeat + 1)))
    candidates = list(session.scalars(select(Candidate.id).order_by(Candidate.id).limit(repeat + 1)))
    runs: dict[str, list[Any]] = {
        "match_job": [lambda i=i: engine.match_job(session, i, Filters(), limit=limit) for i in jobs],
        "match_candidate": [lambda i=i: engine.match_candidate(session, i, Filters(), limit=limit) for i in candidates],
        "search_candidates": [
            lambda t=t: engine.search(session, "candidates", t, Filters(), limit=limit)
            for t in (QUERY_TEXTS * (repeat // len(QUERY_TEXTS) + 2))[: repeat + 1]
        ],
    }
    report: dict[str, dict[str, float]] = {}
    for name, calls in runs.items():
        if not calls:
            continue
        calls[0]()
        times = []
        for call in calls[1:]:
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) * 1000)
        report[name] = {"p50_ms": round(float(np.median(times)), 2), "mean_ms": round(float(np.mean(times)), 2)}
    return report
