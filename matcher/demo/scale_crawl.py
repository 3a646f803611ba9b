"""What a crawl costs in a large database, for `talent bench --scale`: POSTINGS new job postings stored the way the
crawler's store pipeline stores them (crawlers/pipelines/store.py: batches of `crawl_batch_size` through the
importer, each batch one unit of work that writes the rows, their embeddings and their change-log entries), while
the API runs; then the time until every worker's indexes hold them (its /health counts, read over fresh
connections). Both are proportional to the postings, not to the rows already stored: compare the figures at two
scales (docs/operations.md, "Benchmark").
"""

import json
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from matcher.demo.generator import generate
from matcher.ingest.importer import parse_lines
from matcher.platform import Platform
from matcher.records import JobRecord

POSTINGS = 1_000
SOURCE = "crawl-bench"  # not the bench's own rows' source: every posting is new
HEALTH_CHECKS = 12  # consecutive /health answers (new connections, so every worker is asked) that must agree


@dataclass(frozen=True)
class CrawlCost:
    postings: int
    batches: int
    store_s: float  # storing every batch (rows, embeddings, change log)
    searchable_s: float  # from the first batch's start until every worker's index held them all

    def figures(self) -> dict[str, Any]:
        return {
            "postings": self.postings,
            "batches": self.batches,
            "store_s": round(self.store_s, 2),
            "postings_per_s": round(self.postings / self.store_s, 1) if self.store_s else None,
            "searchable_s": round(self.searchable_s, 2),
        }


def posting_records(count: int, seed: int) -> list[JobRecord]:
    """`count` demo postings (with their enterprises named), as a crawler's items arrive."""
    with tempfile.TemporaryDirectory(prefix="talent-crawl-bench-") as folder:
        files = generate(Path(folder), seed=seed, candidates=0, jobs=count, enterprises=max(1, count // 20))
        lines = []
        run = secrets.token_hex(4)  # every posting is new, even in a database an earlier run crawled into
        for line in files["jobs"].read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            record |= {"source": SOURCE, "external_id": f"{run}-{record['external_id']}"}
            lines.append(json.dumps(record, ensure_ascii=False))
    records = []
    for number, parsed in parse_lines("jobs", lines):
        if not isinstance(parsed, JobRecord):
            raise ValueError(f"demo posting {number} does not validate: {parsed}")
        records.append(parsed)
    return records


def indexed_jobs(client: httpx.Client) -> int | None:
    """The jobs index count of whichever worker answers (a new connection each time)."""
    response = client.get("/health", headers={"Connection": "close"})
    counts = response.json().get("indexes", {}) if response.status_code == 200 else {}
    count = counts.get("jobs")
    return int(count) if count is not None else None


def crawl_cost(
    platform: Platform, base_url: str, *, count: int = POSTINGS, seed: int = 7, timeout: float = 300
) -> CrawlCost:
    """Store `count` postings in batches, as a crawl does, while the server at `base_url` runs; measure both times."""
    records = posting_records(count, seed)
    batch = platform.settings.crawl_batch_size
    with httpx.Client(base_url=base_url, timeout=10) as client:
        before = indexed_jobs(client) or 0
        started = time.perf_counter()
        for start in range(0, len(records), batch):
            with platform.session(write=True) as session:
                platform.importer(session, "jobs").run_records(records[start : start + batch])
        stored = time.perf_counter() - started
        deadline, agreeing = started + timeout, 0
        while agreeing < HEALTH_CHECKS:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"the workers did not index {count} new postings within {timeout:.0f} s")
            agreeing = agreeing + 1 if (indexed_jobs(client) or 0) >= before + count else 0
            if not agreeing:
                time.sleep(0.1)
        searchable = time.perf_counter() - started
    return CrawlCost(count, -(-count // batch), stored, searchable)
