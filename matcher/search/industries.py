"""Industry profiles: each leading industry as one vector — the mean of its jobs' embeddings, its "needs" — in a
FAISS index, so a student can ask which of the city's industries fits them, and see why.
"""

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from index import VectorIndex
from matcher.embedding import embed_texts
from matcher.encoders import Encoder
from matcher.errors import NotFound
from matcher.reference.leading_industries import PriorityConfig
from matcher.store.models import Candidate, Job, Major
from matcher.text import candidate_text, job_text

EXAMPLE_JOBS = 3


@dataclass(frozen=True)
class ProfileJob:
    """What an industry profile keeps of a job: enough to show it as an example, detached from any session."""

    id: int
    title: str
    employer: str
    major_codes: tuple[str, ...]


@dataclass
class IndustryProfiles:
    """The FAISS index of industry vectors (ids = positions in `names`) and each industry's jobs and vectors."""

    names: list[str]
    index: VectorIndex
    jobs: dict[str, list[ProfileJob]]
    job_vectors: dict[str, np.ndarray]


def jobs_stamp(session: Session) -> str:
    """A digest of what profiles are built from (each job's id, text and industry): equal stamps, equal profiles."""
    digest = hashlib.sha256()
    for job_id, text_hash, industry in session.execute(select(Job.id, Job.text_hash, Job.industry).order_by(Job.id)):
        digest.update(f"{job_id}\t{text_hash}\t{industry}\n".encode())
    return digest.hexdigest()


@dataclass
class IndustryFit:
    industry: str
    score: float  # cosine between the candidate and the industry's profile
    jobs: int
    matching_majors: list[dict[str, str]] = field(default_factory=list)  # the candidate's majors its jobs ask for
    example_jobs: list[dict[str, Any]] = field(default_factory=list)  # its openings closest to the candidate


def build_profiles(session: Session, encoder: Encoder, config: PriorityConfig) -> IndustryProfiles | None:
    """Profiles of the leading industries that have jobs (None when none has)."""
    grouped: dict[str, list[Job]] = {}
    for job in session.scalars(select(Job).options(selectinload(Job.enterprise_row)).order_by(Job.id)):
        industry = config.leading_industry(job.industry)
        if industry is not None:
            grouped.setdefault(industry, []).append(job)
    names = [name for name in config.industries if grouped.get(name)]
    if not names:
        return None
    job_vectors = {name: embed_texts(session, encoder, [job_text(j) for j in grouped[name]])[0] for name in names}
    centroids = np.stack([job_vectors[name].mean(axis=0) for name in names])
    index = VectorIndex.build(centroids, np.arange(len(names)), encoder=encoder.name)
    jobs = {
        name: [ProfileJob(j.id, j.title, j.employer, tuple(j.major_codes)) for j in grouped[name]] for name in names
    }
    return IndustryProfiles(names, index, jobs, job_vectors)


def industries_for_candidate(
    session: Session, encoder: Encoder, profiles: IndustryProfiles, candidate_id: int
) -> list[IndustryFit]:
    """Every profiled industry for one candidate, best first, with the majors and openings behind each."""
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        raise NotFound(f"candidate {candidate_id} not found", "candidate_not_found", candidate=candidate_id)
    vector = embed_texts(session, encoder, [candidate_text(candidate)])[0][0]
    codes = {e.major_code for e in candidate.education if e.major_code}
    names = {m.code: m.name for m in session.scalars(select(Major).where(Major.code.in_(codes)))} if codes else {}
    scores, ids = profiles.index.search(vector, len(profiles.names))
    fits = []
    for score, position in zip(scores[0].tolist(), ids[0].tolist(), strict=True):
        if position < 0:
            continue
        industry = profiles.names[position]
        jobs = profiles.jobs[industry]
        asked = {code for job in jobs for code in job.major_codes}
        shared = sorted(code for code in codes if code in asked or code[:4] in asked)
        closeness = profiles.job_vectors[industry] @ vector
        nearest = np.argsort(-closeness, kind="stable")[:EXAMPLE_JOBS]
        fits.append(
            IndustryFit(
                industry=industry,
                score=round(float(score), 4),
                jobs=len(jobs),
                matching_majors=[{"code": code, "name": names.get(code, code)} for code in shared],
                example_jobs=[
                    {
                        "id": jobs[i].id,
                        "title": jobs[i].title,
                        "employer": jobs[i].employer,
                        "score": round(float(closeness[i]), 4),
                    }
                    for i in nearest
                ],
            )
        )
    return fits
