"""Synthetic data at scale for `talent bench --scale N`: N candidates and N/10 jobs written straight into a database.

The texts come from the demo generator (matcher.demo.generator), but only a pool of them is generated and segmented
with jieba (a few thousand records): row i is pool record i mod P, and the rows after the pool are perturbed copies
(a candidate's skills shuffled and a few dropped, a job's majors reordered and its enterprise swapped for another of
its industry), so texts and their hashes differ while generating stays fast at a million rows. Lexical tokens are the
pool record's tokens with the dropped or swapped words taken out or put in, not a new segmentation.

Vectors are synthetic but clustered as real ones are: one centre per field of the generator (cs, ai, security...),
the mean of the real embeddings of a few pool texts of that field, plus each writing language's offset from the
overall mean; a pool record's vector is its centre plus noise, a row's is its pool vector plus less noise, all unit
length. They go straight into the embedding cache under each row's text hash (as the importer computes it), so
building the indexes encodes nothing. Rows are written with SQLAlchemy Core executemany in chunks, never the ORM per
row; the rate reported is candidates and jobs (with their education, experience and embedding rows) per second.
"""

import random
import tempfile
import time
from collections import Counter
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import numpy as np
from sqlalchemy import Connection, Engine, insert, text

from matcher.demo import vocabulary as V
from matcher.demo.generator import generate
from matcher.demo.reference import load_majors
from matcher.encoders import Encoder
from matcher.progress import Progress, no_progress
from matcher.records import CandidateRecord, EnterpriseRecord, JobRecord
from matcher.store.models import Candidate, Education, EmbeddingCache, Enterprise, Experience, Job
from matcher.text import candidate_text, content_hash, job_text
from matcher.tokenize import tokenize, writing_group

SOURCE = "synthetic-bench"
POOL_CANDIDATES = 4_000
POOL_JOBS = 800
POOL_ENTERPRISES = 80
CHUNK = 5_000  # rows per executemany
CENTRE_TEXTS = 8  # real texts encoded per field for its centre
POOL_NOISE = 0.7  # norm of the noise around a field's centre (a pool record's vector)
ROW_NOISE = 0.4  # norm of the noise around a pool record's vector (each row's)


@dataclass
class PoolItem:
    """A generated record, its tokens and its cluster (field), before it is copied into rows."""

    record: Any  # CandidateRecord | JobRecord
    tokens: list[str]
    field: str
    group: str  # writing group of its tokens: zh, en, mixed


@dataclass
class Pool:
    candidates: list[PoolItem]
    jobs: list[PoolItem]
    enterprises: list[EnterpriseRecord]
    seconds: float


@dataclass
class IngestReport:
    candidates: int
    jobs: int
    enterprises: int
    education: int
    experience: int
    embeddings: int  # distinct texts, one cache row each
    pool_candidates: int
    pool_jobs: int
    pool_seconds: float  # generating and segmenting the pool, encoding the centres' texts
    seconds: float  # making and writing every row
    distinct_texts: float  # share of candidate and job rows whose text no other row has

    @property
    def rows_per_s(self) -> float:
        """Candidates and jobs written a second (their education, experience and embedding rows included)."""
        return (self.candidates + self.jobs) / self.seconds if self.seconds else 0.0


def field_of_major(major: str) -> str:
    return next((field for field, names in V.MAJOR_FIELDS.items() if major in names), "general")


def make_pool(candidates: int, jobs: int, *, seed: int = 2026) -> Pool:
    """Generate `candidates` and `jobs` demo records (and up to POOL_ENTERPRISES enterprises) and segment them."""
    started = time.perf_counter()
    enterprises = max(1, min(POOL_ENTERPRISES, jobs))
    with tempfile.TemporaryDirectory() as folder:
        files = generate(Path(folder), seed=seed, candidates=candidates, jobs=jobs, enterprises=enterprises)
        people = [CandidateRecord.model_validate_json(x) for x in _lines(files["candidates"])]
        posts = [JobRecord.model_validate_json(x) for x in _lines(files["jobs"])]
        ents = [EnterpriseRecord.model_validate_json(x) for x in _lines(files["enterprises"])]
    role_field = {key: field_of_major(role["majors"][0]) for key, role in V.ROLES.items()}
    pool_people = []
    for person in people:
        tokens = tokenize(candidate_text(_candidate_like(person, person.skills)))
        pool_people.append(PoolItem(person, tokens, str(person.extras.get("field", "general")), writing_group(tokens)))
    pool_jobs = []
    for job in posts:
        tokens = tokenize(job_text(_job_like(job, job.majors, job.enterprise, job.description)))
        field = role_field.get(str(job.extras.get("role")), "general")
        pool_jobs.append(PoolItem(job, tokens, field, writing_group(tokens)))
    return Pool(pool_people, pool_jobs, ents, time.perf_counter() - started)


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _candidate_like(record: CandidateRecord, skills: list[str]) -> Candidate:
    """What candidate_text reads, from a record (its education and experience entries have the same fields)."""
    row = SimpleNamespace(
        headline=record.headline,
        education=record.education,
        skills=skills,
        experience=record.experience,
        summary=record.summary,
        resume_text="",
    )
    return cast(Candidate, row)


def _job_like(record: JobRecord, majors: list[str], enterprise: str, description: str) -> Job:
    row = SimpleNamespace(
        title=record.title,
        industry=record.industry,
        enterprise_name=enterprise,
        majors=majors,
        min_degree=int(record.min_degree_level),
        description=description,
        requirements=record.requirements,
    )
    return cast(Job, row)


def cluster_centres(encoder: Encoder, pool: Pool, *, seed: int = 0) -> dict[tuple[str, str], np.ndarray]:
    """A centre per (field, writing group): the mean real embedding of up to CENTRE_TEXTS pool texts of the field,
    plus the group's offset from the mean of all of them (the multilingual model puts the language in the vector)."""
    rng = random.Random(seed)
    by_field: dict[str, list[PoolItem]] = {}
    for item in [*pool.candidates, *pool.jobs]:
        by_field.setdefault(item.field, []).append(item)
    chosen = [
        (field, item) for field, items in by_field.items() for item in rng.sample(items, min(len(items), CENTRE_TEXTS))
    ]
    texts = [_text_of(item.record) for _, item in chosen]
    vectors = np.asarray(encoder.encode(texts), dtype=np.float32)
    overall = vectors.mean(axis=0)
    groups = {item.group for _, item in chosen}
    offsets = {
        g: vectors[[i for i, (_, item) in enumerate(chosen) if item.group == g]].mean(axis=0) - overall for g in groups
    }
    centres: dict[tuple[str, str], np.ndarray] = {}
    for field in by_field:
        mean = vectors[[i for i, (f, _) in enumerate(chosen) if f == field]].mean(axis=0)
        mean = mean / np.linalg.norm(mean)
        for group in ("zh", "en", "mixed"):
            centres[field, group] = _unit(mean + offsets.get(group, 0.0))
    return centres


def _text_of(record: CandidateRecord | JobRecord) -> str:
    if isinstance(record, CandidateRecord):
        return candidate_text(_candidate_like(record, record.skills))
    return job_text(_job_like(record, record.majors, record.enterprise, record.description))


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)


def noisy(base: np.ndarray, norm: float, rng: np.random.Generator) -> np.ndarray:
    """`base` (rows of unit vectors) plus Gaussian noise of about `norm` in length, unit length again."""
    noise = rng.standard_normal(base.shape, dtype=np.float32) * np.float32(norm / np.sqrt(base.shape[-1]))
    return _unit(base + noise)


def pool_vectors(items: list[PoolItem], centres: dict[tuple[str, str], np.ndarray], seed: int) -> np.ndarray:
    base = np.stack([centres[item.field, item.group] for item in items]) if items else np.zeros((0, 1), np.float32)
    return noisy(base, POOL_NOISE, np.random.default_rng(seed)) if items else base


def without(tokens: list[str], removed: list[str]) -> list[str]:
    """`tokens` with one occurrence of each of `removed` taken out (those present)."""
    kept = list(tokens)
    for token in removed:
        with suppress(ValueError):
            kept.remove(token)
    return kept


class RowMaker:
    """Rows of candidates and jobs as dicts for Core inserts: row i is pool item i mod P, perturbed after the pool."""

    def __init__(self, pool: Pool, seed: int) -> None:
        self.pool = pool
        self.rng = random.Random(seed)
        self.codes = {name: str(row["code"]) for name, row in load_majors().items()}
        self.ent_ids = {ent.external_id: i for i, ent in enumerate(pool.enterprises, start=1)}
        self.by_industry: dict[str, list[EnterpriseRecord]] = {}
        for ent in pool.enterprises:
            self.by_industry.setdefault(ent.industry, []).append(ent)
        self._skill_tokens: dict[str, list[str]] = {}
        self._swaps: dict[tuple[int, str], list[str]] = {}
        self.now = datetime.now(UTC)

    def skill_tokens(self, skill: str) -> list[str]:
        if skill not in self._skill_tokens:
            self._skill_tokens[skill] = tokenize(skill)
        return self._skill_tokens[skill]

    def candidate(self, row_id: int) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]], int]:
        """The candidate row `row_id` (from 1), its education and experience rows, and its pool index."""
        index = (row_id - 1) % len(self.pool.candidates)
        item = self.pool.candidates[index]
        record: CandidateRecord = item.record
        skills, tokens = list(record.skills), item.tokens
        if row_id > len(self.pool.candidates):
            self.rng.shuffle(skills)
            drop = min(self.rng.randint(0, 2), max(0, len(skills) - 3))
            if drop:
                dropped, skills = skills[:drop], skills[drop:]
                tokens = without(tokens, [t for skill in dropped for t in self.skill_tokens(skill)])
        text_hash = content_hash(candidate_text(_candidate_like(record, skills)))
        levels = [e.level for e in record.education if e.level is not None]
        codes = record.extras.get("major_codes") or []
        row = {
            "id": row_id,
            "source": SOURCE,
            "external_id": f"cand-{row_id:07d}",
            "url": None,
            "fetched_at": None,
            "imported_at": self.now,
            "record_hash": text_hash,
            "extras": {"synthetic": True, "field": item.field, "pool": index},
            "name": record.name,
            "headline": record.headline,
            "summary": record.summary,
            "skills": skills,
            "location": record.location,
            "preferred_locations": record.preferred_locations,
            "industries": record.industries,
            "languages": record.languages,
            "email": None,
            "consent_to_contact": record.consent_to_contact,
            "resume_text": "",
            "birth_year": None,
            "visible": True,
            "highest_degree": int(max(levels, default=0)),
            "text_hash": text_hash,
            "lexical_tokens": tokens,
        }
        education = [
            {
                "candidate_id": row_id,
                "position": i,
                "school": e.school,
                "degree": e.degree,
                "degree_level": None if e.level is None else int(e.level),
                "major": e.major,
                "major_code": str(codes[i]) if i < len(codes) else None,
                "country": e.country,
                "end_year": e.end_year,
            }
            for i, e in enumerate(record.education)
        ]
        experience = [
            {
                "candidate_id": row_id,
                "position": i,
                "title": x.title,
                "organization": x.organization,
                "description": x.description,
                "start": x.start,
                "end": x.end,
            }
            for i, x in enumerate(record.experience)
        ]
        return row, education, experience, index

    def job(self, row_id: int) -> tuple[dict[str, Any], int]:
        """The job row `row_id` (from 1) and its pool index."""
        index = (row_id - 1) % len(self.pool.jobs)
        item = self.pool.jobs[index]
        record: JobRecord = item.record
        majors, enterprise_ref, name = list(record.majors), record.enterprise_external_id, record.enterprise
        description, tokens = record.description, item.tokens
        if row_id > len(self.pool.jobs):
            self.rng.shuffle(majors)
            other = self.rng.choice(self.by_industry.get(record.industry) or self.pool.enterprises)
            if other.name != name:
                description = description.replace(name, other.name)
                tokens = self._swapped(index, item, other.name)
                enterprise_ref, name = other.external_id, other.name
        text_hash = content_hash(job_text(_job_like(record, majors, name, description)))
        row = {
            "id": row_id,
            "source": SOURCE,
            "external_id": f"job-{row_id:07d}",
            "url": None,
            "fetched_at": None,
            "imported_at": self.now,
            "record_hash": text_hash,
            "extras": {"synthetic": True, "field": item.field, "pool": index},
            "enterprise_id": self.ent_ids.get(enterprise_ref or ""),
            "title": record.title,
            "enterprise_ref": enterprise_ref,
            "enterprise_name": name,
            "industry": record.industry,
            "description": description,
            "requirements": record.requirements,
            "majors": majors,
            "major_codes": [self.codes[m] for m in majors if m in self.codes],
            "major_source": "given",
            "min_degree": int(record.min_degree_level),
            "location": record.location,
            "salary_min": record.salary_min,
            "salary_max": record.salary_max,
            "currency": record.currency,
            "salary_period": record.salary_period,
            "posted_at": record.posted_at,
            "text_hash": text_hash,
            "lexical_tokens": tokens,
            "occupation_code": None,
            "occupation_confidence": None,
            "closed_at": None,
        }
        return row, index

    def _swapped(self, index: int, item: PoolItem, name: str) -> list[str]:
        """The pool job's tokens with its enterprise's name (twice in the text) replaced by `name`'s."""
        key = (index, name)
        if key not in self._swaps:
            old = tokenize(item.record.enterprise) * 2
            new = tokenize(name) * 2
            self._swaps[key] = [*without(item.tokens, old), *new]
        return self._swaps[key]

    def enterprises(self) -> list[dict[str, Any]]:
        return [
            {
                "id": i,
                "source": SOURCE,
                "external_id": ent.external_id,
                "url": ent.url,
                "fetched_at": None,
                "imported_at": self.now,
                "record_hash": content_hash(ent.model_dump_json()),
                "extras": ent.extras,
                "name": ent.name,
                "industry": ent.industry,
                "location": ent.location,
                "description": ent.description,
                "website": ent.website,
            }
            for i, ent in enumerate(self.pool.enterprises, start=1)
        ]


def ingest(
    engine: Engine,
    encoder: Encoder,
    n: int,
    *,
    jobs: int | None = None,
    seed: int = 2026,
    progress: Progress = no_progress,
) -> IngestReport:
    """Write `n` candidates and `jobs` (n/10 by default) jobs, their enterprises and their embeddings into the
    (migrated, empty) database behind `engine`."""
    jobs = max(1, n // 10) if jobs is None else jobs
    progress("pool", 0, 1)
    started = time.perf_counter()
    pool = make_pool(min(n, POOL_CANDIDATES), min(jobs, POOL_JOBS), seed=seed)
    centres = cluster_centres(encoder, pool, seed=seed)
    candidate_base = pool_vectors(pool.candidates, centres, seed)
    job_base = pool_vectors(pool.jobs, centres, seed + 1)
    pool_seconds = time.perf_counter() - started
    progress("pool", 1, 1)

    maker, rng = RowMaker(pool, seed), np.random.default_rng(seed + 2)
    seen: set[str] = set()
    counts: Counter[str] = Counter()
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(insert(Enterprise), maker.enterprises())
    for kind, total in (("candidates", n), ("jobs", jobs)):
        for start in range(1, total + 1, CHUNK):
            ids = range(start, min(total, start + CHUNK - 1) + 1)
            with engine.begin() as connection:
                if kind == "candidates":
                    made = [maker.candidate(i) for i in ids]
                    rows = [m[0] for m in made]
                    connection.execute(insert(Candidate), rows)
                    education = [e for m in made for e in m[1]]
                    experience = [x for m in made for x in m[2]]
                    if education:
                        connection.execute(insert(Education), education)
                    if experience:
                        connection.execute(insert(Experience), experience)
                    counts["education"] += len(education)
                    counts["experience"] += len(experience)
                    vectors = noisy(candidate_base[[m[3] for m in made]], ROW_NOISE, rng)
                else:
                    made_jobs = [maker.job(i) for i in ids]
                    rows = [m[0] for m in made_jobs]
                    connection.execute(insert(Job), rows)
                    vectors = noisy(job_base[[m[1] for m in made_jobs]], ROW_NOISE, rng)
                counts[kind] += len(rows)
                counts["duplicates"] += _write_embeddings(connection, encoder, rows, vectors, seen)
            progress(f"rows ({kind})", ids[-1], total)
    with engine.begin() as connection:
        _advance_sequences(connection)
    seconds = time.perf_counter() - started
    written = counts["candidates"] + counts["jobs"]
    return IngestReport(
        candidates=counts["candidates"],
        jobs=counts["jobs"],
        enterprises=len(pool.enterprises),
        education=counts["education"],
        experience=counts["experience"],
        embeddings=len(seen),
        pool_candidates=len(pool.candidates),
        pool_jobs=len(pool.jobs),
        pool_seconds=round(pool_seconds, 2),
        seconds=round(seconds, 2),
        distinct_texts=round(1 - counts["duplicates"] / written, 4) if written else 1.0,
    )


def _write_embeddings(
    connection: Connection, encoder: Encoder, rows: list[dict[str, Any]], vectors: np.ndarray, seen: set[str]
) -> int:
    """Cache the rows' vectors under their text hashes (a text already written keeps its first vector); returns how
    many rows had a text written before."""
    fresh = []
    for row, vector in zip(rows, vectors, strict=True):
        if row["text_hash"] in seen:
            continue
        seen.add(row["text_hash"])
        fresh.append(
            {
                "encoder": encoder.name,
                "content_hash": row["text_hash"],
                "dimension": int(vector.shape[0]),
                "vector": vector.tobytes(),
                "created_at": datetime.now(UTC),
            }
        )
    if fresh:
        connection.execute(insert(EmbeddingCache), fresh)
    return len(rows) - len(fresh)


def _advance_sequences(connection: Connection) -> None:
    """On PostgreSQL, move the id sequences past the ids written explicitly (later inserts must not collide)."""
    if connection.dialect.name != "postgresql":
        return
    for table in ("enterprises", "candidates", "jobs"):
        connection.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))")
        )


def summary(report: IngestReport) -> dict[str, Any]:
    """The report as plain figures (for JSON)."""
    return {**asdict(report), "rows_per_s": round(report.rows_per_s, 1)}
