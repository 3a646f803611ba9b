"""A bounded HTTP load for `talent bench --scale`: requests one at a time, then C connections for a fixed time, with
httpx's async client in the benchmark's own process (on the same machine as the server, so it takes CPU from it)."""

import asyncio
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import numpy as np

from matcher.demo import vocabulary as V
from matcher.demo.text import en, zh

FILTERED = {"min_degree": "doctorate", "location": "伦敦"}


@dataclass(frozen=True)
class Request:
    kind: str  # "search", "match" or "filtered"
    path: str
    params: dict[str, str]


@dataclass
class Timings:
    """Milliseconds per request of each kind, and the requests that did not answer 200."""

    ms: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, kind: str, ms: float, ok: bool) -> None:
        if ok:
            self.ms.setdefault(kind, []).append(ms)
        else:
            self.errors[kind] = self.errors.get(kind, 0) + 1

    @property
    def answered(self) -> int:
        return sum(len(values) for values in self.ms.values())

    def percentile(self, kind: str, q: float) -> float | None:
        values = self.ms.get(kind)
        return round(float(np.percentile(values, q)), 1) if values else None

    def figures(self) -> dict[str, Any]:
        """p50/p90/p99 and count per kind, errors, and requests a second when timed."""
        report: dict[str, Any] = {}
        for kind, values in self.ms.items():
            report[kind] = {
                "n": len(values),
                "p50_ms": self.percentile(kind, 50),
                "p90_ms": self.percentile(kind, 90),
                "p99_ms": self.percentile(kind, 99),
                "max_ms": round(max(values), 1),
            }
        report["errors"] = dict(self.errors)
        if self.seconds:
            report["seconds"] = round(self.seconds, 2)
            report["throughput_rps"] = round(self.answered / self.seconds, 1)
        return report


def query_texts() -> list[str]:
    """What people type: a role's title in Chinese or English, alone or with one of its skills."""
    texts = []
    for role in V.ROLES.values():
        skills = role["skills"]
        texts.append(zh(role["title"]))
        texts.append(f"{en(role['title'])} {en(skills[0])}")
        texts.append(f"{zh(skills[1 % len(skills)])} {zh(skills[2 % len(skills)])}")
    return texts


def requests(kind: str, count: int, job_ids: Sequence[int], *, seed: int = 0) -> list[Request]:
    """`count` requests of `kind` ("search", "match", "filtered"), texts and jobs drawn at random."""
    rng = np.random.default_rng(seed)
    texts = query_texts()
    made = []
    for _ in range(count):
        if kind == "match":
            job = int(job_ids[int(rng.integers(len(job_ids)))])
            made.append(Request(kind, f"/jobs/{job}/matches", {"limit": "10"}))
        else:
            params = {"q": texts[int(rng.integers(len(texts)))], "limit": "10"}
            made.append(Request(kind, "/search/candidates", params | (FILTERED if kind == "filtered" else {})))
    return made


async def _send(client: httpx.AsyncClient, request: Request, timings: Timings) -> None:
    started = time.perf_counter()
    try:
        response = await client.get(request.path, params=request.params)
        ok = response.status_code == 200
    except httpx.HTTPError:
        ok = False
    timings.add(request.kind, (time.perf_counter() - started) * 1000, ok)


def _client(base_url: str, key: str, connections: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    headers = {"Authorization": f"Bearer {key}"}
    return httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=60)


async def sequential(base_url: str, key: str, batches: Sequence[Sequence[Request]]) -> Timings:
    """Each request after the previous one answered: the latency of an otherwise idle server."""
    timings = Timings()
    async with _client(base_url, key, 1) as client:
        for batch in batches:
            for request in batch:
                await _send(client, request, timings)
    return timings


async def concurrent(base_url: str, key: str, mix: Sequence[Request], connections: int, seconds: float) -> Timings:
    """`connections` clients, each sending the next request of `mix` (in turn) as soon as its last one answered,
    for `seconds`; requests still running then are awaited and counted."""
    timings = Timings()
    turns = itertools.cycle(mix)
    async with _client(base_url, key, connections) as client:
        started = time.perf_counter()
        deadline = started + seconds

        async def user() -> None:
            while time.perf_counter() < deadline:
                await _send(client, next(turns), timings)

        await asyncio.gather(*(user() for _ in range(connections)))
        timings.seconds = time.perf_counter() - started
    return timings


async def first_answer(base_url: str, key: str, request: Request) -> bool:
    timings = Timings()
    async with _client(base_url, key, 1) as client:
        await _send(client, request, timings)
    return timings.answered == 1
