"""Language parity of the ranking: does a person (or a job) rank the same whichever language it is written in?

Two measurements, both over the population already in the database:

- **Twins** (`measure_parity`): groups of the same candidate and/or the same job written once in Chinese and once
  in English (docs/evaluation.md gives the file format). The twins are added to the population for the
  measurement only — in the caller's session, which is rolled back, and in the matching engine's in-memory
  indexes, which are restored — and every twin is used as a query: for each query the ranks of the other kind's
  twins, the one in the query's language (same) and the one in the other language (cross). The gap is cross
  rank minus same rank.
- **Exposure** (`measure_exposure`): on a population whose jobs and candidates carry their ground truth (the
  synthetic demo's `extras.role`, `extras.target_role`, `extras.profile_language`), the share of English-written
  profiles among the relevant candidates in each job's top k against their share of the relevant pool, per
  job language, with precision@k by role.
"""

import json
import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from matcher.errors import Invalid
from matcher.ingest.importer import Importer
from matcher.records import CandidateRecord, JobRecord
from matcher.search.indexing import Kind
from matcher.search.matching import Filters, MatchingEngine
from matcher.store.models import Candidate, Job

LANGUAGES = ("zh", "en")
TWIN_SOURCE = "parity-twins"
DEFAULT_DEPTH = 100
MAX_GROUPS = 500


@dataclass(frozen=True)
class TwinGroup:
    """One line of a twin file: the same candidate and/or the same job, by language."""

    id: str
    industry: str
    candidates: dict[str, CandidateRecord]
    jobs: dict[str, JobRecord]


@dataclass(frozen=True)
class TwinQuery:
    group: str
    query_kind: str  # "job" (ranking candidates) or "candidate" (ranking jobs)
    query_language: str
    same_rank: int | None  # None: not within the depth
    cross_rank: int | None

    def gap(self, depth: int) -> int:
        """Cross-lingual rank minus same-language rank; a twin past the depth counts as depth + 1."""
        return (self.cross_rank or depth + 1) - (self.same_rank or depth + 1)


@dataclass
class ParityReport:
    depth: int
    queries: list[TwinQuery]
    median_gap: float = 0.0
    max_gap: int = 0
    cross_top10: int = 0
    cross_top20: int = 0
    same_top10: int = 0
    by_direction: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.queries)


def read_twins(text: str) -> list[TwinGroup]:
    """Twin groups from JSONL text; Invalid naming the line for anything that is not a usable group."""
    groups: list[TwinGroup] = []
    seen: set[str] = set()
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise Invalid(f"line {number}: not JSON ({exc.msg})") from exc
        if not isinstance(data, dict):
            raise Invalid(f"line {number}: a twin group is a JSON object")
        group_id = str(data.get("id") or "").strip()
        if not group_id or group_id in seen:
            raise Invalid(f"line {number}: every group needs an `id` of its own")
        seen.add(group_id)
        candidates = _side(data, "candidate", CandidateRecord, group_id, number)
        jobs = _side(data, "job", JobRecord, group_id, number)
        if not (len(candidates) == 2 and jobs) and not (len(jobs) == 2 and candidates):
            raise Invalid(
                f"line {number}: a group needs twins on one side (both zh and en) and a query on the other "
                "(a candidate or a job in zh and/or en)"
            )
        groups.append(TwinGroup(group_id, str(data.get("industry") or ""), candidates, jobs))  # type: ignore[arg-type]
        if len(groups) > MAX_GROUPS:
            raise Invalid(f"a twin file holds at most {MAX_GROUPS} groups")
    if not groups:
        raise Invalid("the twin file has no groups")
    return groups


def _side(
    data: dict[str, Any], key: str, model: type[CandidateRecord] | type[JobRecord], group_id: str, number: int
) -> dict[str, CandidateRecord | JobRecord]:
    side = data.get(key) or {}
    if not isinstance(side, dict) or set(side) - set(LANGUAGES):
        raise Invalid(f"line {number}: `{key}` maps zh and/or en to a record")
    records: dict[str, CandidateRecord | JobRecord] = {}
    for language, fields in side.items():
        if not isinstance(fields, dict):
            raise Invalid(f"line {number}: `{key}.{language}` must be a record (a JSON object)")
        try:
            records[language] = model(
                **{
                    **fields,
                    "source": TWIN_SOURCE,
                    "external_id": f"{group_id}:{key}:{language}",
                    "extras": {"synthetic": True, "twin_group": group_id, "language": language},
                }
            )
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(part) for part in problem["loc"])
            raise Invalid(f"line {number}: `{key}.{language}`: {where}: {problem['msg']}") from exc
    return records


@contextmanager
def twins_loaded(
    session: Session, engine: MatchingEngine, importers: dict[Kind, Importer], groups: list[TwinGroup]
) -> Iterator[dict[tuple[str, str, str], int]]:
    """The twins added to the population for the duration: ids by (group, "candidate"|"job", language).

    Rows go through the importer into `session` inside a savepoint that is rolled back afterwards; vectors and
    lexical tokens go into the engine's in-memory indexes and are taken out again. Nothing is saved.
    """
    savepoint = session.begin_nested()
    added: dict[Kind, list[int]] = {"candidates": [], "jobs": []}
    try:
        ids: dict[tuple[str, str, str], int] = {}
        sides: tuple[tuple[Kind, str], ...] = (("candidates", "candidate"), ("jobs", "job"))
        for kind, side in sides:
            records = [
                (g.id, lang, rec)
                for g in groups
                for lang, rec in (g.candidates if kind == "candidates" else g.jobs).items()
            ]
            if not records:
                continue
            importers[kind].run_records([rec for _, _, rec in records])
            found = _twin_rows(session, kind)
            rows = [found[f"{group}:{side}:{lang}"] for group, lang, _ in records]
            for (group, lang, _), row in zip(records, rows, strict=True):
                ids[(group, side, lang)] = row.id
            engine.live.put_rows(session, kind, rows)
            added[kind] = [row.id for row in rows]
        yield ids
    finally:
        for kind, row_ids in added.items():
            engine.live.remove_rows(kind, row_ids)
        savepoint.rollback()


def _twin_rows(session: Session, kind: Kind) -> dict[str, Candidate | Job]:
    rows: list[Candidate | Job] = []
    if kind == "candidates":
        rows.extend(session.scalars(select(Candidate).where(Candidate.source == TWIN_SOURCE)))
    else:
        rows.extend(session.scalars(select(Job).where(Job.source == TWIN_SOURCE)))
    return {row.external_id: row for row in rows}


def measure_parity(
    session: Session,
    engine: MatchingEngine,
    importers: dict[Kind, Importer],
    groups: list[TwinGroup],
    depth: int = DEFAULT_DEPTH,
) -> ParityReport:
    """Every twin as a query against the population with all twins in it; ranks of the other side's twins."""
    if not 1 <= depth <= 1000:
        raise Invalid("depth must be between 1 and 1000")
    results: list[TwinQuery] = []
    with twins_loaded(session, engine, importers, groups) as ids:
        for group in groups:
            for query_side, target_side, queries in (
                ("job", "candidate", group.jobs),
                ("candidate", "job", group.candidates),
            ):
                targets = group.candidates if target_side == "candidate" else group.jobs
                if len(targets) < 2:
                    continue
                for language in queries:
                    anchor = ids[(group.id, query_side, language)]
                    if query_side == "job":
                        matches = engine.match_job(session, anchor, Filters(), limit=depth)
                    else:
                        matches = engine.match_candidate(session, anchor, Filters(), limit=depth)
                    ranks = {m.id: rank for rank, m in enumerate(matches, start=1)}
                    other = "en" if language == "zh" else "zh"
                    results.append(
                        TwinQuery(
                            group.id,
                            query_side,
                            language,
                            ranks.get(ids[(group.id, target_side, language)]),
                            ranks.get(ids[(group.id, target_side, other)]),
                        )
                    )
    return summarize_parity(results, depth)


def summarize_parity(results: list[TwinQuery], depth: int) -> ParityReport:
    report = ParityReport(depth, results)
    if not results:
        return report
    gaps = [q.gap(depth) for q in results]
    report.median_gap = float(statistics.median(gaps))
    report.max_gap = max(gaps)
    report.cross_top10 = sum(1 for q in results if q.cross_rank is not None and q.cross_rank <= 10)
    report.cross_top20 = sum(1 for q in results if q.cross_rank is not None and q.cross_rank <= 20)
    report.same_top10 = sum(1 for q in results if q.same_rank is not None and q.same_rank <= 10)
    directions: dict[str, list[TwinQuery]] = defaultdict(list)
    for q in results:
        directions[f"{q.query_kind}:{q.query_language}"].append(q)
    for name, members in sorted(directions.items()):
        report.by_direction[name] = {
            "n": len(members),
            "median_gap": float(statistics.median(q.gap(depth) for q in members)),
            "cross_top20": sum(1 for q in members if q.cross_rank is not None and q.cross_rank <= 20),
        }
    return report


# -- exposure on the demo's ground truth ----------------------------------------------------------------------


@dataclass
class ExposureGroup:
    """Jobs of one language: how English-written profiles fare among the relevant candidates."""

    jobs: int = 0
    precision: float = 0.0
    relevant_shown: int = 0
    english_shown: int = 0
    relevant_pool: int = 0
    english_pool: int = 0

    @property
    def shown_share(self) -> float:
        return self.english_shown / self.relevant_shown if self.relevant_shown else 0.0

    @property
    def pool_share(self) -> float:
        return self.english_pool / self.relevant_pool if self.relevant_pool else 0.0

    @property
    def ratio(self) -> float:
        return self.shown_share / self.pool_share if self.pool_share else 0.0


@dataclass
class ExposureReport:
    k: int
    jobs: int
    precision: float
    by_language: dict[str, ExposureGroup]


def measure_exposure(
    session: Session, engine: MatchingEngine, jobs: int = 120, k: int = 10, seed: int = 2026
) -> ExposureReport:
    """Top-k candidates for a sample of labelled jobs: precision by role and the English-written share, per job
    language. Needs jobs with `extras.role` and candidates with `extras.target_role` and `extras.profile_language`
    (the synthetic demo has them)."""
    if not 1 <= jobs <= 10_000 or not 1 <= k <= 100:
        raise Invalid("jobs must be 1..10000 and k 1..100")
    candidates = session.execute(select(Candidate.id, Candidate.extras)).all()
    roles = {cid: (extras or {}).get("target_role") for cid, extras in candidates}
    languages = {cid: (extras or {}).get("profile_language") for cid, extras in candidates}
    pool: Counter[tuple[str, str]] = Counter()
    for cid, role in roles.items():
        if role:
            pool[(role, "en" if languages[cid] == "en" else "other")] += 1
    labelled = [
        (job_id, extras["role"], extras.get("language") or "zh")
        for job_id, extras in session.execute(select(Job.id, Job.extras).where(Job.closed_at.is_(None))).all()
        if isinstance(extras, dict) and extras.get("role")
    ]
    if not labelled or not pool:
        raise Invalid("exposure needs the demo's ground truth: jobs with extras.role, candidates with target_role")
    sample = random.Random(seed).sample(sorted(labelled), min(jobs, len(labelled)))
    groups: dict[str, ExposureGroup] = defaultdict(ExposureGroup)
    hits_total = 0
    for job_id, role, language in sample:
        group = groups[language]
        group.jobs += 1
        matches = engine.match_job(session, job_id, Filters(), limit=k)
        relevant = [m for m in matches if roles.get(m.id) == role]
        hits_total += len(relevant)
        group.precision += len(relevant) / k
        group.relevant_shown += len(relevant)
        group.english_shown += sum(1 for m in relevant if languages.get(m.id) == "en")
        group.english_pool += pool[(role, "en")]
        group.relevant_pool += pool[(role, "en")] + pool[(role, "other")]
    for group in groups.values():
        group.precision = group.precision / group.jobs if group.jobs else 0.0
    return ExposureReport(k, len(sample), hits_total / (k * len(sample)), dict(sorted(groups.items())))
